/**
 * packctl's transport through the one HTTP client, against loopback servers: what it sends (token,
 * user agent), where the token goes on a download redirected to another origin, and --insecure.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CatalogClient } from '../../../src/cli/client.js';
import { CliError } from '../../../src/cli/errors.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

async function listen(server: http.Server | https.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function stop(server: http.Server | https.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

const QUERY = { toString: () => 'query Echo { echo }' } as unknown as Parameters<CatalogClient['request']>[0];

describe('CatalogClient transport', () => {
  let dir: string;
  let handler: Handler;
  let server: http.Server;
  let other: http.Server;
  let base: string;
  let otherBase: string;
  const seen: Array<{ host?: string; url?: string; authorization?: string; userAgent?: string }> = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'packctl-transport-'));
    const record: Handler = (req, res) => {
      seen.push({ host: req.headers.host, url: req.url, authorization: req.headers.authorization, userAgent: req.headers['user-agent'] });
      handler(req, res);
    };
    server = http.createServer(record);
    other = http.createServer(record);
    base = `http://127.0.0.1:${await listen(server)}`;
    otherBase = `http://localhost:${await listen(other)}`;
  });

  afterAll(async () => {
    await Promise.all([stop(server), stop(other)]);
    await rm(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    seen.length = 0;
  });

  it('sends the token and the packctl user agent with a GraphQL request, and reads its data', async () => {
    handler = (req, res) => {
      req.resume();
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ data: { echo: 'hi' } }));
      });
    };
    const client = new CatalogClient({ url: `${base}/`, token: 'secret', userAgent: '1.2.3' });
    expect(await client.request(QUERY)).toEqual({ echo: 'hi' });
    expect(seen).toEqual([{ host: new URL(base).host, url: '/graphql', authorization: 'Bearer secret', userAgent: 'packctl/1.2.3' }]);
  });

  it('turns a GraphQL error into a CliError with its code', async () => {
    handler = (req, res) => {
      req.resume();
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ errors: [{ message: 'No such pack.', extensions: { code: 'NOT_FOUND' } }] }));
      });
    };
    const error = await new CatalogClient({ url: base }).request(QUERY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({ message: 'No such pack.', code: 'NOT_FOUND' });
  });

  it('follows a download redirect to another origin without the token, hashing what it writes', async () => {
    handler = (req, res) => {
      if (req.url === '/artifacts/sha256/x') {
        res.writeHead(302, { location: `${otherBase}/bucket/blob?signature=s` });
        return res.end();
      }
      res.end('hello');
    };
    const file = path.join(dir, 'download');
    const result = await new CatalogClient({ url: base, token: 'secret' }).download('/artifacts/sha256/x', file);
    expect(result).toEqual({ digest: 'sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824', size: 5 });
    expect(await readFile(file, 'utf8')).toBe('hello');
    expect(seen.map((s) => [s.url, s.authorization])).toEqual([
      ['/artifacts/sha256/x', 'Bearer secret'],
      ['/bucket/blob?signature=s', undefined],
    ]);
  });

  it('sends no token to a download URL on another origin', async () => {
    handler = (_req, res) => res.end('x');
    await new CatalogClient({ url: base, token: 'secret' }).download(`${otherBase}/bucket/blob`, path.join(dir, 'other'));
    expect(seen.map((s) => s.authorization)).toEqual([undefined]);
  });

  it('says a server is unreachable, naming the cause', async () => {
    const closed = http.createServer();
    const port = await listen(closed);
    await stop(closed);
    const error = await new CatalogClient({ url: `http://127.0.0.1:${port}` }).request(QUERY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).message).toBe(`Could not reach http://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}.`);
  });

  it('refuses a self-signed certificate with a hint, and accepts it with --insecure', async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    const tls = https.createServer({ key: await readFile(path.join(dir, 'key.pem')), cert: await readFile(path.join(dir, 'cert.pem')) }, (req, res) => {
      req.resume();
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ data: { echo: 'tls' } }));
      });
    });
    const url = `https://127.0.0.1:${await listen(tls)}`;
    try {
      const refused = await new CatalogClient({ url }).request(QUERY).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(CliError);
      expect((refused as CliError).message).toMatch(/^Could not reach https:\/\/127\.0\.0\.1:\d+: self-signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\)\.$/);
      expect((refused as CliError).options.hint).toBe(`If you trust this server, log in again with --insecure: packctl login ${url} --insecure`);
      expect(await new CatalogClient({ url, insecure: true }).request(QUERY)).toEqual({ echo: 'tls' });
    } finally {
      await stop(tls);
    }
  });

  it('says to use http:// when an https:// URL reaches a plain-HTTP port, not the TLS library\'s record dump', async () => {
    handler = (_req, res) => res.end('{}');
    const url = base.replace('http://', 'https://');
    for (const insecure of [false, true]) {
      const refused = await new CatalogClient({ url, insecure }).request(QUERY).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(CliError);
      expect({ message: (refused as CliError).message, code: (refused as CliError).code, hint: (refused as CliError).options.hint }).toEqual({
        message: `Could not reach ${url}: the server answered plain HTTP; use http://.`,
        code: 'PLAIN_HTTP_SERVER',
        hint: `Log in with: packctl login ${base}`,
      });
    }
  });
});
