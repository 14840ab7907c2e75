/**
 * Archive limits over HTTP (issue 12, point 2): data after the end of the tar is refused on the
 * GraphQL and OCI push paths, and the archive work a request starts stops when its client leaves
 * or when the service shuts down, leaving nothing behind.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { startServer } from '../../src/app/server.js';
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';
import { buildTar, gzipWithZeros, minimalPackEntries, tarHeader } from '../helpers/tar-builder.js';
import { waitUntil } from '../helpers/wait-until.js';
import { PUSH_PACK, pushArchive } from '../helpers/packs.js';

const MIB = 1024 * 1024;
const CREATE_HOSTED = 'mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }';
const EMPTY_CONFIG = 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';

function sha256(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** A valid pack tarball followed by 300 MiB of zeros: about 300 KB of gzip (the archive of the report). */
function packThenZeros(): Buffer {
  return gzipWithZeros(buildTar(minimalPackEntries()), 300 * MIB);
}

/**
 * A valid pack holding a 960 MiB file of zeros (under the 1 GiB default): about 1 MB to upload,
 * seconds to read. The tar ends exactly where the zeros do (the body, then the two end blocks).
 */
function slowToReadPack(): Buffer {
  const prefix = Buffer.concat([buildTar(minimalPackEntries()).subarray(0, -1024), tarHeader({ path: 'demo-1.0.0/big.bin', size: 960 * MIB - 1024 })]);
  return gzipWithZeros(prefix, 960 * MIB);
}

/** A pushPack multipart request, as bytes. */
function multipartPush(registry: string, archive: Buffer): { body: Buffer; contentType: string } {
  const boundary = `----pack-catalog-${randomBytes(8).toString('hex')}`;
  const field = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const head =
    field('operations', JSON.stringify({ query: PUSH_PACK, variables: { registry, archive: null } })) +
    field('map', JSON.stringify({ 0: ['variables.archive'] })) +
    `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="pack.tar.gz"\r\nContent-Type: application/gzip\r\n\r\n`;
  return { body: Buffer.concat([Buffer.from(head), archive, Buffer.from(`\r\n--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Sends a push over a raw connection (so the test can drop it); resolves with the answer, if one comes. */
function startRawPush(port: number, token: string, registry: string, archive: Buffer) {
  const { body, contentType } = multipartPush(registry, archive);
  const req = http.request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/graphql',
    agent: false,
    headers: {
      authorization: `Bearer ${token}`,
      'apollo-require-preflight': 'true',
      'content-type': contentType,
      'content-length': body.length,
      connection: 'close',
    },
  });
  const answer = new Promise<{ status: number; body: any } | null>((resolve) => {
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || 'null') }));
      res.on('error', () => resolve(null));
    });
    req.on('error', () => resolve(null));
  });
  req.end(body);
  return { req, answer };
}

/** How long the service's own progress (seen from outside, on disk) may take to show. */
const PROGRESS_MS = 30_000;

async function pushSpools(dataDir: string): Promise<string[]> {
  const root = path.join(dataDir, 'spool');
  return (await readdir(root).catch(() => [] as string[])).filter((name) => name.startsWith('push-')).map((name) => path.join(root, name));
}

/** True once a push has received the whole archive (its spool file holds every byte): reading comes next. */
async function uploadReceived(dataDir: string, size: number): Promise<boolean> {
  for (const dir of await pushSpools(dataDir)) {
    const info = await stat(path.join(dir, 'pack.tar.gz')).catch(() => null);
    if (info?.size === size) return true;
  }
  return false;
}

describe('data after the end of the tar, over HTTP', () => {
  let t: TestApp;
  let registry: string;

  beforeAll(async () => {
    t = await createTestApp();
    registry = uniqueName('limits');
    await t.gql(CREATE_HOSTED, { i: { name: registry, kind: 'HOSTED' } });
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  it('pushPack refuses a pack followed by 300 MiB of zeros, stores nothing and cleans its spool', async () => {
    const archive = packThenZeros();
    expect(archive.length).toBeLessThan(400 * 1024);
    const pushed = await pushArchive(t.app, t.adminToken, registry, archive);
    expect(pushed.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(pushed.body.errors[0].extensions.issues).toEqual([expect.objectContaining({ code: 'ARCHIVE_TRAILING_DATA', severity: 'ERROR' })]);
    const version = await t.gql('query($r: String) { packVersion(name: "demo", version: "1.0.0", registry: $r) { digest } }', { r: registry });
    expect(version.body.data!.packVersion).toBeNull();
    expect(await pushSpools(t.config.dataDir)).toEqual([]);
  });

  it('an OCI manifest push of such a layer is refused as MANIFEST_INVALID naming the trailing data', async () => {
    const archive = packThenZeros();
    const repo = `/v2/${registry}/spectro-packs/archive/demo`;
    const auth = `Bearer ${t.adminToken}`;
    const blob = await request(t.app).post(`${repo}/blobs/uploads/?digest=${sha256(archive)}`).set('authorization', auth).set('content-type', 'application/octet-stream').send(archive);
    expect(blob.status).toBe(201);
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.unknown.config.v1+json', digest: EMPTY_CONFIG, size: 2 },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(archive), size: archive.length, annotations: { 'org.opencontainers.image.title': 'demo-1.0.0.tar.gz' } }],
    });
    const put = await request(t.app).put(`${repo}/manifests/1.0.0`).set('authorization', auth).set('content-type', 'application/vnd.oci.image.manifest.v1+json').send(manifest);
    expect(put.status).toBe(400);
    expect(put.body.errors[0]).toMatchObject({ code: 'MANIFEST_INVALID', detail: { issues: [expect.objectContaining({ code: 'ARCHIVE_TRAILING_DATA' })] } });
    expect((await request(t.app).get(`${repo}/tags/list`).set('authorization', auth)).status).toBe(404);
  });
});

describe('archive work stops when its request does', () => {
  let t: TestApp;
  let server: http.Server;
  let port: number;
  let registry: string;
  let archive: Buffer;

  beforeAll(async () => {
    t = await createTestApp();
    registry = uniqueName('abort');
    await t.gql(CREATE_HOSTED, { i: { name: registry, kind: 'HOSTED' } });
    archive = slowToReadPack();
    server = http.createServer(t.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  }, 60_000);

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  it('a client that disconnects while its archive is read stops the read: nothing is stored, the spool is removed', async () => {
    const push = startRawPush(port, t.adminToken, registry, archive);
    // The whole upload is in: the server is reading the archive now (it takes seconds to the end).
    await waitUntil(() => uploadReceived(t.config.dataDir, archive.length), 'the upload is spooled', PROGRESS_MS);
    push.req.destroy();
    expect(await push.answer).toBeNull();
    // The push finishes (its spool folder goes) only once ingest returned: read to the end, or stopped.
    await waitUntil(async () => (await pushSpools(t.config.dataDir)).length === 0, 'the push gave up', PROGRESS_MS);
    const version = await t.gql('query($r: String) { packVersion(name: "demo", version: "1.0.0", registry: $r) { digest } }', { r: registry });
    expect(version.body.data!.packVersion).toBeNull();
    expect((await request(server).get('/healthz')).status).toBe(200);
    // The archive is a valid pack: when nobody leaves, the same push is stored (so nothing above was a refusal).
    const kept = await pushArchive(t.app, t.adminToken, registry, archive);
    expect(kept.body.errors).toBeUndefined();
    expect(kept.body.data.pushPack).toMatchObject({ version: '1.0.0', digest: sha256(archive) });
  });
});

describe('shutdown while an archive is being read', () => {
  it('aborts the read, answers SERVICE_UNAVAILABLE and finishes closing without waiting for it', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'pack-catalog-shutdown-'));
    const adminToken = `test-admin-${randomBytes(16).toString('hex')}`;
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      ADMIN_TOKEN: adminToken,
      SECRET_KEY: randomBytes(32).toString('hex'),
      HOST: '127.0.0.1',
      PORT: '0',
      SEED_DEFAULT_REGISTRY: 'false',
      SYNC_ENABLED: 'false',
      // Far longer than the read: closing in time means the read was aborted, not waited for.
      SHUTDOWN_TIMEOUT_MS: '120000',
      ...(process.env.TEST_DATABASE_URL ? { DATABASE_URL: process.env.TEST_DATABASE_URL } : {}),
    });
    const running = await startServer(config, { logger: createLogger({ level: 'silent' }) });
    try {
      const registry = uniqueName('shutdown');
      const created = await request(running.url)
        .post('/graphql')
        .set('authorization', `Bearer ${adminToken}`)
        .send({ query: CREATE_HOSTED, variables: { i: { name: registry, kind: 'HOSTED' } } });
      expect(created.body.errors).toBeUndefined();
      const archive = slowToReadPack();
      const push = startRawPush(running.port, adminToken, registry, archive);
      await waitUntil(() => uploadReceived(dataDir, archive.length), 'the upload is spooled', PROGRESS_MS);

      const closed = running.close();
      const answer = await push.answer;
      expect(answer?.body.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
      await closed;
      expect(await pushSpools(dataDir)).toEqual([]);
    } finally {
      await running.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
