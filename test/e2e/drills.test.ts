/**
 * Reliability drills on the built service as a process, on PostgreSQL and its local artifact
 * directory: a `kill -9` during a push, then a restart, the collector and a repeated push; and 50
 * concurrent pushes of one version.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync, watch } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { DIST, startServiceProcess, type ServiceProcess } from '../helpers/service-process.js';
import { buildTarGz, minimalPackEntries } from '../helpers/tar-builder.js';
import { uniqueName } from '../helpers/test-app.js';
import { pollUntil } from '../helpers/wait-until.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const FIXTURE = path.resolve(ROOT, '../shared/fixtures/pack-central/full/spegel-0.0.18');
const DATABASE_URL = process.env.TEST_DATABASE_URL;
const MIB = 1024 * 1024;
const run = promisify(execFile);
const PUSH = 'mutation($r: String!, $a: Upload!) { pushPack(registry: $r, archive: $a) { version digest } }';

/** The service on PostgreSQL: the collector runs beside it as a second process, which an embedded database can't allow. */
const describeWithPostgres = DATABASE_URL ? describe : describe.skip;

function serviceEnv(adminToken: string): Record<string, string> {
  return {
    DATABASE_URL: DATABASE_URL!,
    ADMIN_TOKEN: adminToken,
    SECRET_KEY: 'd'.repeat(64),
    SYNC_ENABLED: 'false',
    SEED_DEFAULT_REGISTRY: 'false',
    RATE_LIMIT_PER_MINUTE: '0',
    MAX_UPLOAD_BYTES: String(256 * MIB),
  };
}

async function createHosted(service: ServiceProcess, token: string, name: string): Promise<void> {
  const body = await service.gql(`mutation { createRegistry(input: {name: "${name}", kind: HOSTED}) { name } }`, {}, token);
  expect(body.errors).toBeUndefined();
}

/** The spegel pack plus `charts/payload.bin` of random bytes, tarred and gzipped (fast level). */
async function buildLargePack(dir: string, mib: number): Promise<string> {
  const folder = path.join(dir, 'spegel-0.0.18');
  await cp(FIXTURE, folder, { recursive: true });
  execFileSync('chmod', ['-R', 'u+w', folder]);
  const out = createWriteStream(path.join(folder, 'charts', 'payload.bin'));
  for (let i = 0; i < mib; i++) if (!out.write(randomBytes(MIB))) await once(out, 'drain');
  out.end();
  await once(out, 'close');
  const archive = path.join(dir, 'spegel-0.0.18.tar.gz');
  execFileSync('bash', ['-c', `tar -C "${dir}" -cf - spegel-0.0.18 | gzip -1 > "${archive}"`]);
  return archive;
}

interface StreamingPush {
  /** Resolves with the HTTP status and body, or rejects when the connection dies. */
  response: Promise<{ status: number; body: any }>;
  /** Sends the rest of the file (the first `holdAfter` bytes went at once). */
  release(): void;
  abort(): void;
}

/** A GraphQL multipart push streamed from disk; with `holdAfter`, it stops after that many file bytes until released. */
function startPush(url: string, token: string, registry: string, archive: string, holdAfter = Infinity): StreamingPush {
  const boundary = `----drill${randomBytes(8).toString('hex')}`;
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: PUSH, variables: { r: registry, a: null } })}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.a"]}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="pack.tar.gz"\r\nContent-Type: application/gzip\r\n\r\n`;
  const request = http.request(`${url}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true', 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
  let releaseHold: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (releaseHold = resolve));
  const response = new Promise<{ status: number; body: any }>((resolve, reject) => {
    request.on('error', reject);
    request.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
      res.on('error', reject);
    });
  });
  response.catch(() => undefined);
  (async () => {
    request.write(head);
    let sent = 0;
    for await (const chunk of createReadStream(archive, { highWaterMark: 256 * 1024 })) {
      if (sent >= holdAfter) await held;
      sent += (chunk as Buffer).length;
      if (!request.write(chunk)) await once(request, 'drain');
    }
    request.end(`\r\n--${boundary}--\r\n`);
  })().catch(() => request.destroy());
  return { response, release: releaseHold, abort: () => request.destroy() };
}

async function spoolBytes(dataDir: string): Promise<number> {
  let total = 0;
  for (const dir of await readdir(path.join(dataDir, 'spool')).catch(() => [] as string[])) {
    for (const file of await readdir(path.join(dataDir, 'spool', dir)).catch(() => [] as string[])) {
      total += (await stat(path.join(dataDir, 'spool', dir, file)).catch(() => ({ size: 0 }))).size;
    }
  }
  return total;
}

const blobDir = (dataDir: string) => path.join(dataDir, 'artifacts', 'blobs', 'sha256');
const blobs = async (dataDir: string) => (await readdir(blobDir(dataDir)).catch(() => [] as string[])).sort();

async function versionDigests(db: pg.Client, registry: string): Promise<string[]> {
  const { rows } = await db.query<{ digest: string }>(
    'SELECT v.digest FROM "PackVersion" v JOIN "Registry" r ON r.id = v."registryId" WHERE r.name = $1',
    [registry],
  );
  return rows.map((r) => r.digest);
}

async function runCollector(dataDir: string, adminToken: string): Promise<{ deleted: number; scanned: number; staleUploadsRemoved: number }> {
  const { stdout } = await run(process.execPath, [path.join(DIST, 'app/gc-cli.js'), '--grace', '0'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...serviceEnv(adminToken) },
  });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

describeWithPostgres('drill: kill -9 during a push', () => {
  let dataDir: string;
  let work: string;
  let db: pg.Client;
  let service: ServiceProcess | undefined;
  const adminToken = `drill-admin-${randomBytes(16).toString('hex')}`;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'pack-catalog-drill-'));
    work = await mkdtemp(path.join(tmpdir(), 'pack-catalog-drill-work-'));
    db = new pg.Client({ connectionString: DATABASE_URL });
    await db.connect();
  });

  afterAll(async () => {
    if (service && service.child.exitCode === null) await service.stop();
    await db?.end();
    await rm(dataDir, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  it('leaves no version without its object; the collector removes the orphans; the push then succeeds', async () => {
    const registry = uniqueName('drill-kill');
    const archive = await buildLargePack(work, 24);
    const archiveDigest = `sha256:${createHash('sha256').update(await readFile(archive)).digest('hex')}`;

    service = await startServiceProcess({ dataDir, env: serviceEnv(adminToken) });
    await createHosted(service, adminToken, registry);

    // 1. Killed mid-upload: a part of the archive is in the spool, nothing in the store.
    const midUpload = startPush(service.url, adminToken, registry, archive, 8 * MIB);
    await pollUntil(() => spoolBytes(dataDir), (bytes) => bytes >= 4 * MIB, { what: 'the upload has 4 MiB in the spool', timeoutMs: 20_000, intervalMs: 20, describe: (bytes) => `${bytes} bytes` });
    service.child.kill('SIGKILL');
    await service.stop();
    midUpload.abort();
    await expect(midUpload.response).rejects.toThrow();
    expect(await versionDigests(db, registry)).toEqual([]);

    // 2. Killed the moment the first object lands in the store (before or after its rows: both must be consistent).
    service = await startServiceProcess({ dataDir, env: serviceEnv(adminToken) });
    const before = new Set(await blobs(dataDir));
    const watcher = watch(blobDir(dataDir), () => {
      if (service!.child.exitCode === null) service!.child.kill('SIGKILL');
    });
    const atStore = startPush(service.url, adminToken, registry, archive);
    await atStore.response.catch(() => undefined);
    await service.stop();
    watcher.close();
    const landed = (await blobs(dataDir)).filter((b) => !before.has(b));

    // 3. Restart on the same data: every version row has its object.
    service = await startServiceProcess({ dataDir, env: serviceEnv(adminToken) });
    for (const digest of await versionDigests(db, registry)) {
      expect(existsSync(path.join(blobDir(dataDir), digest.slice('sha256:'.length)))).toBe(true);
    }

    // An object with no row, as a crash between the two writes leaves it (planted, so the drill never depends on timing).
    const orphan = createHash('sha256').update('drill orphan').digest('hex');
    await writeFile(path.join(blobDir(dataDir), orphan), 'drill orphan');
    const past = new Date(Date.now() - 60_000);
    await utimes(path.join(blobDir(dataDir), orphan), past, past);
    const referenced = new Set((await versionDigests(db, registry)).map((d) => d.slice('sha256:'.length)));
    const orphans = [orphan, ...landed.filter((b) => !referenced.has(b))];

    // 4. The collector (grace 0) removes every orphan and the killed upload's spool, and keeps what rows point at.
    const collected = await runCollector(dataDir, adminToken);
    expect(collected.deleted).toBeGreaterThanOrEqual(orphans.length);
    const left = new Set(await blobs(dataDir));
    for (const o of orphans) expect(left.has(o)).toBe(false);
    for (const r of referenced) expect(left.has(r)).toBe(true);
    expect(collected.staleUploadsRemoved).toBeGreaterThanOrEqual(1);
    expect(await spoolBytes(dataDir)).toBe(0);

    // 5. The push can be repeated: the version exists once, with its object.
    const again = await startPush(service.url, adminToken, registry, archive).response;
    expect(again.status).toBe(200);
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data.pushPack).toEqual({ version: '0.0.18', digest: archiveDigest });
    expect(await versionDigests(db, registry)).toEqual([archiveDigest]);
    expect(existsSync(path.join(blobDir(dataDir), archiveDigest.slice('sha256:'.length)))).toBe(true);
    const download = await fetch(`${service.url}/artifacts/sha256/${archiveDigest.slice('sha256:'.length)}`, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(download.status).toBe(200);
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(`sha256:${createHash('sha256').update(bytes).digest('hex')}`).toBe(archiveDigest);
  }, 120_000);
});

describeWithPostgres('drill: 50 concurrent pushes of one version', () => {
  let service: ServiceProcess;
  let dataDir: string;
  let db: pg.Client;
  const adminToken = `drill-admin-${randomBytes(16).toString('hex')}`;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'pack-catalog-drill-'));
    db = new pg.Client({ connectionString: DATABASE_URL });
    await db.connect();
    service = await startServiceProcess({ dataDir, env: serviceEnv(adminToken) });
  }, 60_000);

  afterAll(async () => {
    if (service?.child.exitCode === null) await service.stop();
    await db?.end();
    await rm(dataDir, { recursive: true, force: true });
  });

  const push = async (registry: string, bytes: Buffer) => {
    const form = new FormData();
    form.set('operations', JSON.stringify({ query: PUSH, variables: { r: registry, a: null } }));
    form.set('map', JSON.stringify({ 0: ['variables.a'] }));
    form.set('0', new Blob([bytes], { type: 'application/gzip' }), 'pack.tar.gz');
    const response = await fetch(`${service.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'apollo-require-preflight': 'true' },
      body: form,
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  it('stores one version and one object; the other 49 are no-ops, and different bytes are a CONFLICT', async () => {
    const registry = uniqueName('drill-race');
    await createHosted(service, adminToken, registry);
    const tarball = buildTarGz(minimalPackEntries('demo-1.0.0', { 'logo.png': undefined }));
    const digest = `sha256:${createHash('sha256').update(tarball).digest('hex')}`;

    const results = await Promise.all(Array.from({ length: 50 }, () => push(registry, tarball)));
    for (const r of results) {
      expect(r.status).toBe(200);
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data.pushPack).toEqual({ version: '1.0.0', digest });
    }
    expect(await versionDigests(db, registry)).toEqual([digest]);
    expect(await blobs(dataDir)).toEqual([digest.slice('sha256:'.length)]);

    // The same version with other bytes, 10 at once: every one refused, nothing changed.
    const other = buildTarGz(minimalPackEntries('demo-1.0.0', { 'logo.png': undefined, 'values.yaml': 'pack:\n  namespace: other\n' }));
    const conflicts = await Promise.all(Array.from({ length: 10 }, () => push(registry, other)));
    for (const c of conflicts) expect(c.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(await versionDigests(db, registry)).toEqual([digest]);
  }, 60_000);
});
