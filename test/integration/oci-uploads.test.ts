/**
 * Quotas of the OCI upload spool over /v2: open sessions and spooled bytes per token and in total
 * (429 TOOMANYREQUESTS naming the limit), bytes counted across PATCH chunks, and the sweep of
 * expired sessions and `manifest-*` leftovers.
 */
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import request from 'supertest';
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';
import { UploadSessionStore, type UploadLimits } from '../../src/oci/oci.uploads.js';

const basic = (token: string) => `Basic ${Buffer.from(`someone:${token}`).toString('base64')}`;
const HOUR = 3_600_000;

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

  beforeAll(async () => {
    t = await createTestApp({
      env: {
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
    expect(t.services.ociUploads.usage()).toEqual({ sessions: 0, bytes: 0 });
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
    expect(t.services.ociUploads.usage()).toEqual({ sessions: 1, bytes: 600 });

    // 600 + 600 is over the token's 1,000 bytes, though each chunk and the blob are far under MAX_UPLOAD_BYTES.
    const over = await patch(tokens.a, location, Buffer.alloc(600, 2), 600);
    expect(over.status).toBe(429);
    expect(over.body.errors[0]).toMatchObject({ code: 'TOOMANYREQUESTS', message: expect.stringContaining('OCI_MAX_SPOOL_BYTES_PER_TOKEN') });
    expect((await request(t.app).get(location).set('authorization', basic(tokens.a))).body.errors[0].code).toBe('BLOB_UPLOAD_UNKNOWN');
    expect(t.services.ociUploads.usage()).toEqual({ sessions: 0, bytes: 0 });
    expect(await spoolEntries()).toEqual([]);

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

    // Now: the session is fresh (kept); the old folder goes.
    expect(await t.services.ociUploads.sweep()).toEqual({ sessions: 0, leftovers: 1 });
    expect(await spoolEntries()).toHaveLength(2);

    // Past the time to live the session goes too, and its place and bytes are free again.
    expect(await t.services.ociUploads.sweep(new Date(Date.now() + 2 * HOUR))).toEqual({ sessions: 1, leftovers: 0 });
    expect(await spoolEntries()).toEqual([]);
    expect((await request(t.app).get(stale).set('authorization', basic(tokens.a))).status).toBe(404);
  });
});

describe('OCI upload spool across restarts and on a timer', () => {
  const limits: UploadLimits = {
    maxBytes: 1_000_000,
    ttlMs: HOUR,
    maxSessionsPerOwner: 5,
    maxSessions: 10,
    maxSpoolBytesPerOwner: 10_000,
    maxSpoolBytes: 20_000,
  };
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'pack-catalog-spool-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('counts the sessions a previous process left against the quotas until they are swept', async () => {
    const before = new UploadSessionStore(dataDir, limits);
    for (let i = 0; i < 3; i++) {
      const session = await before.start('r/spectro-packs/archive/p', 'token-1');
      await before.append(session.uuid, Readable.from([Buffer.alloc(3000)]));
    }
    // The client left and the process restarted: the new one still sees 9,000 bytes held by token-1.
    const after = new UploadSessionStore(dataDir, limits);
    await after.sweep();
    expect(after.usage('token-1')).toEqual({ sessions: 3, bytes: 9000 });
    const next = await after.start('r/spectro-packs/archive/p', 'token-1');
    await expect(after.append(next.uuid, Readable.from([Buffer.alloc(2000)]))).rejects.toMatchObject({ code: 'TOOMANYREQUESTS', status: 429 });

    await after.sweep(new Date(Date.now() + 2 * HOUR));
    expect(after.usage()).toEqual({ sessions: 0, bytes: 0 });
    expect(await readdir(after.dir)).toEqual([]);
  });

  it('sweeps on its own timer until stopped', async () => {
    const store = new UploadSessionStore(dataDir, { ...limits, ttlMs: 1 });
    await store.start('r/spectro-packs/archive/p', 'token-1');
    const sweeper = store.startSweeping(10, { info: () => undefined, warn: () => undefined });
    try {
      for (let i = 0; i < 500 && store.usage().sessions > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      await sweeper.stop();
    }
    expect(store.usage().sessions).toBe(0);
    expect(await readdir(store.dir)).toEqual([]);
  });
});
