/**
 * Quotas of the OCI upload sessions over /v2: open sessions and received bytes per token and in total
 * (429 TOOMANYREQUESTS naming the limit), bytes counted across PATCH chunks, and the sweep of
 * expired sessions (their rows and chunk objects) and `manifest-*` leftovers. Sessions live in the
 * database (shared by replicas), so this file has a database of its own: the quotas count every
 * session in it.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import request from 'supertest';
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';
import { createOwnDatabase, type OwnDatabase } from '../helpers/own-database.js';
import { UploadSessionStore, type UploadLimits } from '../../src/oci/oci.uploads.js';
import { OciUploadSessionStore } from '../../src/oci/oci.upload-sessions.store.js';
import { collectOrphanArtifacts } from '../../src/artifacts/artifact.gc.job.js';
import { PUSHED_MANIFEST_FORMAT } from '../../src/oci/oci.manifest.js';
import { waitUntil } from '../helpers/wait-until.js';

const basic = (token: string) => `Basic ${Buffer.from(`someone:${token}`).toString('base64')}`;
const HOUR = 3_600_000;

let own: OwnDatabase;
beforeAll(async () => {
  own = await createOwnDatabase();
});
afterAll(async () => {
  await own?.drop();
});
const ownDatabase = (): Record<string, string> => (own.url ? { DATABASE_URL: own.url } : {});

describe('OCI upload spool quotas', () => {
  let t: TestApp;
  let registry: string;
  const tokens: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };

  const repo = () => `/v2/${registry}/spectro-packs/archive/spooled`;
  const start = (token: string) => request(t.app).post(`${repo()}/blobs/uploads/`).set('authorization', basic(token));
  const patch = (token: string, location: string, bytes: Buffer, from: number) =>
    request(t.app)
      .patch(location)
      .set('authorization', basic(token))
      .set('content-type', 'application/octet-stream')
      .set('content-range', `${from}-${from + bytes.length - 1}`)
      .send(bytes);
  const cancel = (token: string, location: string) => request(t.app).delete(location).set('authorization', basic(token));
  const spoolEntries = async () => (await readdir(t.services.ociUploads.dir).catch(() => [] as string[])).sort();
  /** The chunk objects of every open session, and whether each is stored. */
  const chunkObjects = async () => {
    const rows = await t.database.prisma.ociUploadChunk.findMany({ select: { digest: true } });
    return Promise.all(rows.map(async (r) => ({ digest: r.digest, stored: await t.artifacts.exists(r.digest) })));
  };

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        ...ownDatabase(),
        OCI_MAX_UPLOAD_SESSIONS_PER_TOKEN: '2',
        OCI_MAX_UPLOAD_SESSIONS: '3',
        OCI_MAX_SPOOL_BYTES_PER_TOKEN: '1000',
        OCI_MAX_SPOOL_BYTES: '1500',
        OCI_UPLOAD_SESSION_TTL_SECONDS: '3600',
      },
    });
    registry = uniqueName('spool');
    await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name: registry, kind: 'HOSTED' } });
    for (const key of ['a', 'b', 'c'] as const) {
      tokens[key] = (
        await t.gql('mutation($n: String!, $g: [String!]) { createApiToken(name: $n, role: PUBLISHER, registries: $g) { token } }', {
          n: uniqueName(`publisher-${key}`),
          g: [registry],
        })
      ).body.data!.createApiToken.token;
    }
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  afterEach(async () => {
    // Each test starts from an empty spool: everything still open is swept as if a day had passed.
    await t.services.ociUploads.sweep(new Date(Date.now() + 24 * HOUR));
    expect(await t.services.ociUploads.usage()).toEqual({ sessions: 0, bytes: 0 });
  });

  it('caps the open sessions of one token, and frees a place when one is cancelled', async () => {
    const first = await start(tokens.a);
    const second = await start(tokens.a);
    expect([first.status, second.status]).toEqual([202, 202]);

    const refused = await start(tokens.a);
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0].code).toBe('TOOMANYREQUESTS');
    expect(refused.body.errors[0].message).toContain('OCI_MAX_UPLOAD_SESSIONS_PER_TOKEN=2');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);

    // Another token is not held back by this one's sessions.
    expect((await start(tokens.b)).status).toBe(202);

    expect((await cancel(tokens.a, first.headers.location!)).status).toBe(204);
    expect((await start(tokens.a)).status).toBe(202);
  });

  it('caps the open sessions of everyone', async () => {
    for (const token of [tokens.a, tokens.a, tokens.b]) expect((await start(token)).status).toBe(202);
    const refused = await start(tokens.c);
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0]).toMatchObject({ code: 'TOOMANYREQUESTS', message: expect.stringContaining('OCI_MAX_UPLOAD_SESSIONS=3') });
  });

  it("counts every PATCH chunk against the token's spooled bytes and drops the session that overflows", async () => {
    const session = await start(tokens.a);
    const location = session.headers.location!;
    expect((await patch(tokens.a, location, Buffer.alloc(600, 1), 0)).status).toBe(202);
    expect(await t.services.ociUploads.usage()).toEqual({ sessions: 1, bytes: 600 });

    // 600 + 600 is over the token's 1,000 bytes, though each chunk and the blob are far under MAX_UPLOAD_BYTES.
    const over = await patch(tokens.a, location, Buffer.alloc(600, 2), 600);
    expect(over.status).toBe(429);
    expect(over.body.errors[0]).toMatchObject({ code: 'TOOMANYREQUESTS', message: expect.stringContaining('OCI_MAX_SPOOL_BYTES_PER_TOKEN') });
    expect((await request(t.app).get(location).set('authorization', basic(tokens.a))).body.errors[0].code).toBe('BLOB_UPLOAD_UNKNOWN');
    expect(await t.services.ociUploads.usage()).toEqual({ sessions: 0, bytes: 0 });
    expect(await spoolEntries()).toEqual([]);
    expect(await chunkObjects()).toEqual([]);

    // Two sessions of one token share its quota.
    const one = (await start(tokens.a)).headers.location!;
    const two = (await start(tokens.a)).headers.location!;
    expect((await patch(tokens.a, one, Buffer.alloc(700), 0)).status).toBe(202);
    expect((await patch(tokens.a, two, Buffer.alloc(400), 0)).status).toBe(429);
  });

  it('caps the bytes spooled by everyone', async () => {
    const a = (await start(tokens.a)).headers.location!;
    const b = (await start(tokens.b)).headers.location!;
    expect((await patch(tokens.a, a, Buffer.alloc(900), 0)).status).toBe(202);
    const over = await patch(tokens.b, b, Buffer.alloc(700), 0);
    expect(over.status).toBe(429);
    expect(over.body.errors[0].message).toContain('OCI_MAX_SPOOL_BYTES');
    expect(over.body.errors[0].message).not.toContain('PER_TOKEN');
  });

  it('sweeps expired sessions and manifest-* leftovers, and keeps what is fresh', async () => {
    const stale = (await start(tokens.a)).headers.location!;
    expect((await patch(tokens.a, stale, Buffer.alloc(300), 0)).status).toBe(202);
    // A manifest push killed mid-way left its scratch folder, two hours ago.
    const leftover = path.join(t.services.ociUploads.dir, 'manifest-00000000-0000-4000-8000-000000000000');
    await mkdir(leftover, { recursive: true });
    await writeFile(path.join(leftover, 'pack.tar.gz'), Buffer.alloc(100));
    const twoHoursAgo = new Date(Date.now() - 2 * HOUR);
    await utimes(leftover, twoHoursAgo, twoHoursAgo);

    const [chunk] = await chunkObjects();
    expect(chunk).toEqual({ digest: expect.stringMatching(/^sha256:/), stored: true });

    // Now: the session is fresh (kept, with its chunk); the old folder goes.
    expect(await t.services.ociUploads.sweep()).toEqual({ sessions: 0, leftovers: 1 });
    expect(await spoolEntries()).toEqual([]);
    expect(await t.services.ociUploads.usage()).toEqual({ sessions: 1, bytes: 300 });
    expect(await chunkObjects()).toEqual([chunk]);
    expect((await request(t.app).get(stale).set('authorization', basic(tokens.a))).headers.range).toBe('0-299');

    // Past the time to live the session goes too (row and chunk object), and its place and bytes are free again.
    expect(await t.services.ociUploads.sweep(new Date(Date.now() + 2 * HOUR))).toEqual({ sessions: 1, leftovers: 0 });
    expect(await spoolEntries()).toEqual([]);
    expect(await chunkObjects()).toEqual([]);
    expect(await t.artifacts.exists(chunk!.digest)).toBe(false);
    expect((await request(t.app).get(stale).set('authorization', basic(tokens.a))).status).toBe(404);
  });
});

describe('OCI upload sessions across replicas and on a timer', () => {
  const limits: UploadLimits = {
    maxBytes: 1_000_000,
    ttlMs: HOUR,
    maxSessionsPerOwner: 5,
    maxSessions: 10,
    maxSpoolBytesPerOwner: 10_000,
    maxSpoolBytes: 20_000,
  };
  let t: TestApp;
  let dataDir: string;
  /** A replica's store: its own DATA_DIR, the shared database and artifact store. */
  const replica = (overrides: Partial<UploadLimits> = {}) =>
    new UploadSessionStore(dataDir, { ...limits, ...overrides }, { sessions: new OciUploadSessionStore(t.database.prisma), artifacts: t.artifacts });

  beforeAll(async () => {
    t = await createTestApp({ env: ownDatabase() });
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'pack-catalog-spool-'));
  });

  afterEach(async () => {
    await replica().sweep(new Date(Date.now() + 24 * HOUR));
    await rm(dataDir, { recursive: true, force: true });
  });

  it('counts the sessions another replica (or a previous process) holds against the quotas until they are swept', async () => {
    const before = replica();
    for (let i = 0; i < 3; i++) {
      const session = await before.start('r/spectro-packs/archive/p', 'token-1');
      await before.append(session.uuid, Readable.from([Buffer.alloc(3000)]));
    }
    // The client left; another replica (or this one restarted) still sees 9,000 bytes held by token-1.
    const after = replica();
    await after.sweep();
    expect(await after.usage('token-1')).toEqual({ sessions: 3, bytes: 9000 });
    const next = await after.start('r/spectro-packs/archive/p', 'token-1');
    await expect(after.append(next.uuid, Readable.from([Buffer.alloc(2000)]))).rejects.toMatchObject({ code: 'TOOMANYREQUESTS', status: 429 });

    await after.sweep(new Date(Date.now() + 2 * HOUR));
    expect(await after.usage()).toEqual({ sessions: 0, bytes: 0 });
    expect(await readdir(after.dir).catch(() => [])).toEqual([]);
    expect(await t.database.prisma.ociUploadChunk.count()).toBe(0);
  });

  it('assembles chunks received by different replicas in order, byte for byte', async () => {
    const [a, b, c] = [replica(), replica(), replica()];
    const parts = [Buffer.alloc(1000, 1), Buffer.from('second chunk'), Buffer.alloc(2500, 3)];
    const session = await a.start('r/spectro-packs/archive/p', 'token-2');
    expect(await a.append(session.uuid, Readable.from([parts[0]!]))).toBe(1000);
    expect(await b.append(session.uuid, Readable.from([parts[1]!]))).toBe(1012);
    expect(await c.size(session.uuid)).toBe(1012);
    expect(await c.append(session.uuid, Readable.from([parts[2]!]))).toBe(3512);
    const file = await c.assemble(session.uuid);
    expect(Buffer.compare(await readFile(file), Buffer.concat(parts))).toBe(0);
    await c.remove(session.uuid);
    expect(await a.size(session.uuid).catch((error: { code?: string }) => error.code)).toBe('BLOB_UPLOAD_UNKNOWN');
  });

  it('the garbage collector keeps the chunks of an open session, however old, and collects a chunk whose row never landed', async () => {
    const store = replica();
    const session = await store.start('r/spectro-packs/archive/p', 'token-3');
    await store.append(session.uuid, Readable.from([Buffer.alloc(700, 7)]));
    const [kept] = await t.database.prisma.ociUploadChunk.findMany({ where: { sessionUuid: session.uuid } });
    // A replica killed between storing a chunk object and recording its row leaves this.
    const orphan = await t.artifacts.put(Readable.from([Buffer.from(`oci-upload-chunk ${'0'.repeat(36)}\n`), Buffer.alloc(50)]));
    const later = () => new Date(Date.now() + 5_000);
    await collectOrphanArtifacts(store.guardChunks(t.services.packStore.artifacts), t.artifacts, PUSHED_MANIFEST_FORMAT, { graceMs: 0, now: later });
    expect({ kept: await t.artifacts.exists(kept!.digest), orphan: await t.artifacts.exists(orphan.digest) }).toEqual({ kept: true, orphan: false });
    expect(await store.size(session.uuid)).toBe(700);
  });

  it('sweeps on its own timer until stopped', async () => {
    const store = replica({ ttlMs: 1 });
    await store.start('r/spectro-packs/archive/p', 'token-1');
    const sweeper = store.startSweeping(10, { info: () => undefined, warn: () => undefined });
    try {
      await waitUntil(async () => (await store.usage()).sessions === 0, 'the sweeper has removed the expired session', 5_000);
    } finally {
      await sweeper.stop();
    }
    expect((await store.usage()).sessions).toBe(0);
    expect(await readdir(store.dir).catch(() => [])).toEqual([]);
  });
});
