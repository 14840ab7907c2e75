import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  HttpClient,
  backoffDelay,
  parseAuthChallenge,
  parseLinkHeader,
  parseRetryAfter,
} from '../../../src/platform/http-client.js';
import { OriginPolicy, parseOrigin } from '../../../src/registries/adapters/origin-policy.js';
import { UpstreamError } from '../../../src/errors.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-25T12:00:00Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(['0'], now)).toBe(0);
  });

  it('reads an HTTP date relative to now, never negative', () => {
    expect(parseRetryAfter('Wed, 25 Nov 2026 12:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 11:59:00 GMT', now)).toBe(0);
  });

  it('caps long waits and ignores what it cannot read', () => {
    expect(parseRetryAfter('3600', now, 30_000)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
  });
});

describe('parseLinkHeader', () => {
  it('resolves the next link of a registry catalog page against the request URL', () => {
    const links = parseLinkHeader('</v2/_catalog?last=b&n=2>; rel="next"', 'http://127.0.0.1:5000/v2/_catalog?n=2');
    expect(links).toEqual({ next: 'http://127.0.0.1:5000/v2/_catalog?last=b&n=2' });
  });

  it('reads several links, unquoted rels and extra parameters', () => {
    const links = parseLinkHeader(
      '<https://a.example/page/3>; rel=next; title="x, y", <https://a.example/page/1>; rel="prev first"',
      'https://a.example/page/2',
    );
    expect(links).toEqual({ next: 'https://a.example/page/3', prev: 'https://a.example/page/1', first: 'https://a.example/page/1' });
  });

  it('gives nothing for an absent or relation-less header', () => {
    expect(parseLinkHeader(undefined, 'http://x/')).toEqual({});
    expect(parseLinkHeader('<http://x/a>', 'http://x/')).toEqual({});
  });
});

describe('parseAuthChallenge', () => {
  it('parses a Bearer challenge whose scope holds commas', () => {
    expect(
      parseAuthChallenge('Bearer realm="https://auth.example/token",service="registry.example",scope="repository:team/app:pull,push"'),
    ).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.example/token', service: 'registry.example', scope: 'repository:team/app:pull,push' },
    });
  });

  it('parses Basic and unquoted parameters', () => {
    expect(parseAuthChallenge('Basic realm="test-registry"')).toEqual({ scheme: 'basic', params: { realm: 'test-registry' } });
    expect(parseAuthChallenge('Bearer realm=https://a/t, service=s')).toEqual({ scheme: 'bearer', params: { realm: 'https://a/t', service: 's' } });
    expect(parseAuthChallenge(undefined)).toBeNull();
  });
});

describe('backoffDelay', () => {
  it('doubles per attempt, stays between half and all of the ceiling, and is capped', () => {
    expect(backoffDelay(0, 100, 10_000, () => 0)).toBe(50);
    expect(backoffDelay(0, 100, 10_000, () => 1)).toBe(100);
    expect(backoffDelay(3, 100, 10_000, () => 1)).toBe(800);
    expect(backoffDelay(20, 100, 10_000, () => 1)).toBe(10_000);
  });
});

describe('HttpClient against a loopback server', () => {
  let server: http.Server;
  let base: string;
  let handler: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'http-client-test-'));
    server = http.createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  const client = (options = {}, allowedOrigins: string[] = []) =>
    new HttpClient({ retries: 2, backoffBaseMs: 10, backoffMaxMs: 20, timeoutMs: 500, ...options }).withPolicy(new OriginPolicy(base, allowedOrigins));

  it('retries a 429 after the Retry-After it was given, then succeeds', async () => {
    let calls = 0;
    const times: number[] = [];
    handler = (_req, res) => {
      times.push(Date.now());
      if (calls++ === 0) {
        res.writeHead(429, { 'retry-after': '1' });
        return res.end();
      }
      res.end('ok');
    };
    const response = await client().request(`${base}/x`);
    expect(response.body.toString()).toBe('ok');
    expect(calls).toBe(2);
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(900);
  });

  it('gives up on a lasting 500 with an UpstreamError naming the status', async () => {
    let calls = 0;
    handler = (_req, res) => {
      calls++;
      res.writeHead(500);
      res.end();
    };
    await expect(client().request(`${base}/y`)).rejects.toThrow(/HTTP 500 \(gave up after 3 attempts\)/);
    expect(calls).toBe(3);
  });

  it('times out a response that does not come', async () => {
    handler = () => undefined;
    const error = await client({ retries: 0, timeoutMs: 200 }).request(`${base}/slow`).catch((e) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.message).toMatch(/did not answer within 0.2 s/);
  });

  it('refuses a body over the size bound', async () => {
    handler = (_req, res) => res.end('x'.repeat(2000));
    await expect(client().request(`${base}/big`, { maxBytes: 1000 })).rejects.toThrow(/more than the 1000 (bytes )?allowed/);
  });

  it('downloads to a file verifying the digest, and refuses a truncated body', async () => {
    handler = (req, res) => {
      if (req.url === '/whole') return res.end('hello');
      res.writeHead(200, { 'content-length': '100' });
      res.write('only part');
      setTimeout(() => res.socket?.destroy(), 10);
    };
    const download = await client().download(`${base}/whole`, {
      dir,
      expectedDigest: 'sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
    });
    expect(await readFile(download.path, 'utf8')).toBe('hello');
    await expect(client().download(`${base}/whole`, { dir, expectedDigest: `sha256:${'0'.repeat(64)}` })).rejects.toThrow(/not the expected/);
    await expect(client().download(`${base}/cut`, { dir })).rejects.toThrow(UpstreamError);
  });

  it('keeps a body declared no larger than inMemoryBytes in memory, with the same checks, and writes a larger one to a file', async () => {
    handler = (req, res) => {
      if (req.url === '/cut') {
        res.writeHead(200, { 'content-length': '100' });
        res.write('only part');
        return setTimeout(() => res.socket?.destroy(), 10);
      }
      res.end(req.url === '/small' ? 'hello' : 'x'.repeat(2000));
    };
    const hello = 'sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824';
    const small = await client().download(`${base}/small`, { dir, expectedDigest: hello, inMemoryBytes: 1000 });
    expect('bytes' in small && small.bytes.toString()).toBe('hello');
    expect(small).toMatchObject({ size: 5, digest: hello });
    const large = await client().download(`${base}/large`, { dir, inMemoryBytes: 1000 });
    expect('path' in large && (await readFile(large.path, 'utf8')).length).toBe(2000);
    await expect(client().download(`${base}/small`, { dir, expectedDigest: `sha256:${'0'.repeat(64)}`, inMemoryBytes: 1000 })).rejects.toThrow(/not the expected/);
    await expect(client().download(`${base}/small`, { dir, expectedSize: 4, inMemoryBytes: 1000 })).rejects.toThrow(/where 4 were expected/);
    await expect(client().download(`${base}/large`, { dir, maxBytes: 1500, inMemoryBytes: 1000 })).rejects.toThrow(/more than the 1500 allowed/);
    await expect(client().download(`${base}/cut`, { dir, inMemoryBytes: 1000 })).rejects.toThrow(UpstreamError);
  });

  it('refuses plain HTTP to a non-loopback host unless insecure', async () => {
    await expect(client({}, ['http://example.invalid']).request('http://example.invalid/')).rejects.toThrow(/plain HTTP; set the registry's "insecure"/);
  });

  it('follows redirects to an allowed origin and drops Authorization when the origin changes', async () => {
    const seen: Array<string | undefined> = [];
    handler = (req, res) => {
      seen.push(req.headers.authorization);
      if (req.url === '/from') {
        res.writeHead(302, { location: `http://localhost:${(server.address() as AddressInfo).port}/to` });
        return res.end();
      }
      res.end('there');
    };
    const other = `http://localhost:${(server.address() as AddressInfo).port}`;
    const response = await client({}, [other]).request(`${base}/from`, { headers: { authorization: 'Bearer secret' } });
    expect(response.body.toString()).toBe('there');
    expect(seen).toEqual(['Bearer secret', undefined]);
  });

  it('refuses a redirect to an origin the registry does not allow, naming it, without contacting it', async () => {
    const seen: string[] = [];
    const other = `http://localhost:${(server.address() as AddressInfo).port}`;
    handler = (req, res) => {
      seen.push(`${req.headers.host}${req.url}`);
      res.writeHead(302, { location: `${other}/elsewhere` });
      res.end();
    };
    const error = await client().download(`${base}/from`, { dir, headers: { authorization: 'Bearer secret' } }).catch((e) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.message).toContain(`Refused to contact ${other}`);
    expect(error.message).toContain('allowedOrigins');
    expect(seen).toEqual([`${new URL(base).host}/from`]);
  });

  it('refuses a URL on another origin before connecting, and never sends credentials to an allowed one', async () => {
    const seen: Array<string | undefined> = [];
    handler = (req, res) => {
      seen.push(req.headers.authorization);
      res.end('ok');
    };
    const other = `http://localhost:${(server.address() as AddressInfo).port}`;
    await expect(client().request(`${other}/page`, { headers: { authorization: 'Basic c2VjcmV0' } })).rejects.toThrow(/Refused to contact http:\/\/localhost:\d+/);
    expect(seen).toEqual([]);
    await client({}, [other]).request(`${other}/page`, { headers: { authorization: 'Basic c2VjcmV0' } });
    await client({}, [other]).request(`${base}/page`, { headers: { Authorization: 'Basic c2VjcmV0' } });
    expect(seen).toEqual([undefined, 'Basic c2VjcmV0']);
  });

  it('lets a token-realm request reach the realm with its credentials, once', async () => {
    const seen: Array<string | undefined> = [];
    handler = (req, res) => {
      seen.push(req.headers.authorization);
      res.end('{"token":"t"}');
    };
    const realm = `http://localhost:${(server.address() as AddressInfo).port}/token`;
    const registryClient = client();
    await registryClient.withPolicy(registryClient.policy.forTokenRealm(new URL(realm))).request(realm, { headers: { authorization: 'Basic c2VjcmV0' } });
    expect(seen).toEqual(['Basic c2VjcmV0']);
    await expect(client().request(realm, { headers: { authorization: 'Basic c2VjcmV0' } })).rejects.toThrow(/Refused to contact/);
  });
});

describe('parseOrigin', () => {
  it('canonicalises origins and refuses anything more or less', () => {
    expect(parseOrigin('https://CDN.example.com:443/')).toBe('https://cdn.example.com');
    expect(parseOrigin('http://127.0.0.1:5001')).toBe('http://127.0.0.1:5001');
    expect(parseOrigin('http://[::1]:5000')).toBe('http://[::1]:5000');
    for (const bad of ['https://cdn.example.com/path', 'https://u:p@cdn.example.com', 'ftp://cdn.example.com', 'https://a.com?x=1', 'cdn.example.com', '']) {
      expect(parseOrigin(bad)).toBeNull();
    }
  });
});
