/**
 * Issue 13, pull: with S3_PRESIGNED_DOWNLOADS, an authorised GET of /artifacts answers 307 to a
 * short-lived presigned S3 URL (as Docker distribution and Harbor do on S3), signed for
 * S3_PUBLIC_ENDPOINT when clients reach S3 elsewhere. Here that public endpoint is a recording proxy
 * in front of s3rver, so the tests see exactly what reaches "S3": the bytes, the Range the client
 * sends again, and never the caller's token. HEAD, revalidation and refusals answer locally; with
 * the setting off the service relays as before.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import http, { type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { packctl } from '../helpers/packctl-in-process.js';
import { startPackctlSession } from '../helpers/packctl-session.js';
import { pushArchive } from '../helpers/packs.js';
import { createTestApp, createToken, uniqueName, type TestApp } from '../helpers/test-app.js';
import { buildTarGz, minimalPackEntries, sha256Digest } from '../helpers/tar-builder.js';

function packArchive(name: string): Buffer {
  return buildTarGz(
    minimalPackEntries(`${name}-1.0.0`, {
      'pack.json': JSON.stringify({ name, displayName: name, version: '1.0.0', layer: 'addon', cloudTypes: ['all'], charts: ['charts/payload.tgz'] }),
      'charts/payload.tgz': randomBytes(96 * 1024).toString('base64'),
    }),
  );
}

/** A pass-through proxy to s3rver that records every request's method, path and headers. */
async function startRecordingProxy(): Promise<{ url: string; seen: Array<{ method: string; path: string; headers: IncomingHttpHeaders }>; target(port: number): void; server: Server }> {
  let targetPort = 0;
  const seen: Array<{ method: string; path: string; headers: IncomingHttpHeaders }> = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method!, path: req.url!, headers: req.headers });
    // The Host header goes through unchanged: the presigned signature covers the host the client used.
    const upstream = http.request({ host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, target: (port) => (targetPort = port), server };
}

describe('artifact downloads by redirect to presigned S3 URLs (S3_PRESIGNED_DOWNLOADS)', () => {
  let t: TestApp;
  let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
  let app: Server;
  let appUrl: string;
  let registry: string;
  let archive: Buffer;
  let digest: string;
  let hexPath: string;
  let packName: string;

  beforeAll(async () => {
    proxy = await startRecordingProxy();
    t = await createTestApp({ s3: true, env: { S3_PRESIGNED_DOWNLOADS: 'true', S3_PUBLIC_ENDPOINT: proxy.url } });
    proxy.target(t.s3!.port);
    app = http.createServer(t.app).listen(0, '127.0.0.1');
    await once(app, 'listening');
    appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    registry = uniqueName('redirect');
    // PRIVATE: a token that doesn't name it must not be handed a URL of its bytes.
    const { body } = await t.gql(`mutation($n: String!) { createRegistry(input: {name: $n, kind: HOSTED, visibility: PRIVATE}) { name } }`, { n: registry });
    expect(body.errors).toBeUndefined();
    packName = uniqueName('redirected');
    archive = packArchive(packName);
    digest = sha256Digest(archive);
    hexPath = `/artifacts/sha256/${digest.slice('sha256:'.length)}`;
    expect((await pushArchive(t.app, t.adminToken, registry, archive)).body.errors).toBeUndefined();
  }, 60_000);

  afterAll(async () => {
    app?.close();
    proxy?.server.close();
    await t?.close();
  });

  it('answers an authorised GET with 307 to a presigned URL on the public endpoint, valid <= 5 minutes, serving the exact bytes as the right type', async () => {
    const answer = await request(t.app).get(`${hexPath}?filename=pack.tar.gz`).set('authorization', `Bearer ${t.adminToken}`).redirects(0);
    expect(answer.status).toBe(307);
    expect(answer.headers['cache-control']).toBe('private, no-store');
    const location = new URL(answer.headers.location!);
    expect(location.origin).toBe(proxy.url);
    expect(Number(location.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(300);
    expect(location.searchParams.get('response-content-type')).toBe('application/gzip');

    // Fetched as a client would: no credentials of ours, the URL's own signature.
    const fetched = await fetch(location);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-type')).toBe('application/gzip');
    expect(fetched.headers.get('content-disposition')).toBe('attachment; filename="pack.tar.gz"');
    expect(Buffer.from(await fetched.arrayBuffer()).equals(archive)).toBe(true);
  });

  it('lets a client follow the redirect with its Range, and fetch drops the token on the way to S3', async () => {
    proxy.seen.length = 0;
    const ranged = await fetch(`${appUrl}${hexPath}`, { headers: { authorization: `Bearer ${t.adminToken}`, range: 'bytes=1000-1999' } });
    expect(ranged.status).toBe(206);
    expect(ranged.redirected).toBe(true);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(archive.subarray(1000, 2000))).toBe(true);
    const atS3 = proxy.seen.filter((r) => r.method === 'GET');
    expect(atS3).toHaveLength(1);
    expect(atS3[0]!.headers.range).toBe('bytes=1000-1999');
    expect(atS3[0]!.headers.authorization).toBeUndefined();
  });

  it('answers HEAD and a matching revalidation here, without a URL', async () => {
    const head = await request(t.app).head(hexPath).set('authorization', `Bearer ${t.adminToken}`).redirects(0);
    expect(head.status).toBe(200);
    expect(head.headers.location).toBeUndefined();
    expect(head.headers['content-length']).toBe(String(archive.length));
    const revalidated = await request(t.app).get(hexPath).set('authorization', `Bearer ${t.adminToken}`).set('if-none-match', `"${digest}"`).redirects(0);
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.location).toBeUndefined();
  });

  it('hands no URL to a caller without access (anonymous, bad token, a reader the PRIVATE registry is hidden from), nor for an artifact nothing serves', async () => {
    const anonymous = await request(t.app).get(hexPath).redirects(0);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.location).toBeUndefined();
    const badToken = await request(t.app).get(hexPath).set('authorization', 'Bearer not-a-token').redirects(0);
    expect(badToken.status).toBe(401);
    expect(badToken.headers.location).toBeUndefined();
    const outsider = await createToken(t, 'VIEWER', []);
    const hidden = await request(t.app).get(hexPath).set('authorization', `Bearer ${outsider}`).redirects(0);
    expect(hidden.status).toBe(404);
    expect(hidden.headers.location).toBeUndefined();
    const unknown = await request(t.app).get(`/artifacts/sha256/${'0'.repeat(64)}`).set('authorization', `Bearer ${t.adminToken}`).redirects(0);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.location).toBeUndefined();
  });

  it('packctl pack pull follows the redirect, sends its token to the service only, and gets the verified pack', async () => {
    const cli = await startPackctlSession(t, { prefix: 'packctl-redirect-', url: appUrl });
    const out = await mkdtemp(path.join(tmpdir(), 'packctl-redirect-out-'));
    try {
      proxy.seen.length = 0;
      const pulled = await packctl('pack', 'pull', `${packName}:1.0.0`, path.join(out, 'pack'), '--registry', registry, '--archive-only');
      expect(pulled.stderr).toBe('');
      expect(pulled.code).toBe(0);
      const files = await readdir(path.join(out, 'pack'));
      expect(files).toHaveLength(1);
      expect((await readFile(path.join(out, 'pack', files[0]!))).equals(archive)).toBe(true);
      const atS3 = proxy.seen.filter((r) => r.method === 'GET');
      expect(atS3).toHaveLength(1);
      expect(atS3[0]!.path.startsWith(`/${t.s3!.bucket}/blobs/sha256/`)).toBe(true);
      expect(atS3[0]!.headers.authorization).toBeUndefined();
    } finally {
      await cli.close();
      await rm(out, { recursive: true, force: true });
    }
  });
});

describe('artifact downloads with S3_PRESIGNED_DOWNLOADS off', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ s3: true });
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  it('relays the bytes through the service, as before', async () => {
    const registry = uniqueName('relay');
    await t.gql(`mutation($n: String!) { createRegistry(input: {name: $n, kind: HOSTED}) { name } }`, { n: registry });
    const archive = packArchive(uniqueName('relayed'));
    expect((await pushArchive(t.app, t.adminToken, registry, archive)).body.errors).toBeUndefined();
    const answer = await request(t.app)
      .get(`/artifacts/sha256/${sha256Digest(archive).slice('sha256:'.length)}`)
      .set('authorization', `Bearer ${t.adminToken}`)
      .redirects(0)
      .buffer(true)
      .parse((response: any, callback: (error: Error | null, body: Buffer) => void) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => callback(null, Buffer.concat(chunks)));
      });
    expect(answer.status).toBe(200);
    expect(answer.headers.location).toBeUndefined();
    expect((answer.body as Buffer).equals(archive)).toBe(true);
  });
});
