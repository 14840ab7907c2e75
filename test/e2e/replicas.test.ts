/**
 * Issue 19's drill: three service processes (the built service) on one PostgreSQL database, one S3
 * server (s3rver: no multipart uploads) and one Redis, requests spread over them in turn:
 * - a chunked OCI push whose requests go to three replicas, pulled byte-identical from another;
 * - 300 requests with one token hit the shared rate limit once (429 with Retry-After);
 * - a pack pushed on A is listed by B and C within 1 s;
 * - a sync started on A while B and C try too: one run, one set of rows;
 * - kill -9 of a replica mid-upload: the upload resumes on another, nothing half-written is served;
 * - kill -9 of the replica holding a sync lease: the sync finishes on another (once the lease
 *   expires: 120 s), and the collector (npm run gc, once) leaves no object without a row.
 * The push/pull throughput (three replicas vs one) and the change propagation time are printed
 * ([replicas drill] lines) for BENCHMARKS.md; no assertion depends on a speed except the 1 s bound the
 * issue sets on propagation.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as Minio from 'minio';
import pg from 'pg';
import { DIST, startServiceProcess, type ServiceProcess } from '../helpers/service-process.js';
import { startS3Server, type TestS3Server } from '../helpers/s3.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { createOwnDatabase, type OwnDatabase } from '../helpers/own-database.js';
import { buildTarGz, minimalPackEntries } from '../helpers/tar-builder.js';
import { PACK_CENTRAL, pushArchive } from '../helpers/packs.js';
import { pollUntil, waitUntil } from '../helpers/wait-until.js';

const run = promisify(execFile);
const MIB = 1024 * 1024;
const RATE_LIMIT = 200;
const LEASE_SECONDS = 15;
const ADMIN = `drill-admin-${randomBytes(12).toString('hex')}`;
const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const basic = (token: string) => `Basic ${Buffer.from(`drill:${token}`).toString('base64')}`;
const report = (figures: object) => process.stdout.write(`[replicas drill] ${JSON.stringify(figures)}\n`);

/** A valid pack tarball with `payloadMiB` of random bytes (incompressible: the tarball is about that big). */
function packTarball(name: string, version: string, payloadMiB: number): Buffer {
  const entries = minimalPackEntries(`${name}-${version}`, {
    'pack.json': JSON.stringify({ name, displayName: name, version, layer: 'addon', cloudTypes: ['all'], charts: [] }),
    'values.yaml': `pack:\n  namespace: ${name}\n`,
    'charts/demo-1.0.0.tgz': undefined,
  });
  if (payloadMiB > 0) entries.push({ path: `${name}-${version}/payload.bin`, body: randomBytes(payloadMiB * MIB) });
  return buildTarGz(entries);
}

function manifestFor(layer: Buffer): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.unknown.config.v1+json', digest: sha256(Buffer.from('{}')), size: 2 },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(layer), size: layer.length }],
  });
}

describe('replicas drill: three processes, one PostgreSQL, one S3 server, one Redis', () => {
  let own: OwnDatabase;
  let s3: TestS3Server;
  let redis: TestRedis;
  let replicas: ServiceProcess[] = [];
  let env: Record<string, string>;
  let registry: string;
  let turn = 0;
  /** Left by the mid-upload kill for the collector's check. */
  let abandonedLocation = '';
  let resumedLayer: Buffer = Buffer.alloc(0);
  /** The next replica in turn (round robin). */
  const next = () => replicas[turn++ % replicas.length]!;

  const v2 = async (replica: ServiceProcess, method: string, pathAndQuery: string, body?: Buffer | string, headers: Record<string, string> = {}) => {
    const response = await fetch(new URL(pathAndQuery, replica.url), {
      method,
      headers: { authorization: basic(ADMIN), ...headers },
      body: typeof body === 'string' || body === undefined ? body : new Uint8Array(body),
    });
    return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
  };
  const repo = (pack: string) => `/v2/${registry}/spectro-packs/archive/${pack}`;

  /** A chunked push, request i on `route[i]`: POST, one PATCH per chunk, then PUT ?digest= (no body). */
  async function chunkedPush(pack: string, layer: Buffer, chunks: number, route: (i: number) => ServiceProcess): Promise<number> {
    const started = performance.now();
    let step = 0;
    const opened = await v2(route(step++), 'POST', `${repo(pack)}/blobs/uploads/`);
    expect(opened.status).toBe(202);
    let location = opened.headers.get('location')!;
    const size = Math.ceil(layer.length / chunks);
    for (let offset = 0; offset < layer.length; offset += size) {
      const chunk = layer.subarray(offset, offset + size);
      const patched = await v2(route(step++), 'PATCH', location, chunk, {
        'content-type': 'application/octet-stream',
        'content-range': `${offset}-${offset + chunk.length - 1}`,
      });
      expect({ status: patched.status, range: patched.headers.get('range') }).toEqual({ status: 202, range: `0-${offset + chunk.length - 1}` });
      location = patched.headers.get('location') ?? location;
    }
    const done = await v2(route(step++), 'PUT', `${location}${location.includes('?') ? '&' : '?'}digest=${sha256(layer)}`);
    expect(done.status).toBe(201);
    return performance.now() - started;
  }

  async function pull(replica: ServiceProcess, digest: string, pack: string): Promise<{ bytes: Buffer; ms: number }> {
    const started = performance.now();
    const got = await v2(replica, 'GET', `${repo(pack)}/blobs/${digest}`);
    expect(got.status).toBe(200);
    return { bytes: got.body, ms: performance.now() - started };
  }

  beforeAll(async () => {
    // The drill is about replicas sharing PostgreSQL: the embedded database has one process by construction.
    expect(process.env.TEST_DATABASE_URL).toBeDefined();
    [own, s3, redis] = await Promise.all([createOwnDatabase(), startS3Server(), startRedis()]);
    env = {
      DATABASE_URL: own.url!,
      S3_ENDPOINT: `http://${s3.endPoint}:${s3.port}`,
      S3_ACCESS_KEY: s3.accessKey,
      S3_SECRET_KEY: s3.secretKey,
      S3_BUCKET: s3.bucket,
      S3_REGION: s3.region,
      REDIS_URL: redis.url,
      ADMIN_TOKEN: ADMIN,
      SECRET_KEY: 'e'.repeat(64),
      SYNC_ENABLED: 'false',
      SEED_DEFAULT_REGISTRY: 'false',
      RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
      // A dead replica's sync lease is taken over once it expires: 15 s keeps the drill short.
      SYNC_LEASE_SECONDS: String(LEASE_SECONDS),
      MAX_UPLOAD_BYTES: String(256 * MIB),
    };
    // The first applies the migrations; the other two start beside each other.
    const a = await startServiceProcess({ env, timeoutMs: 180_000 });
    replicas = [a, ...(await Promise.all([startServiceProcess({ env, timeoutMs: 180_000 }), startServiceProcess({ env, timeoutMs: 180_000 })]))];
    registry = `drill-${randomBytes(3).toString('hex')}`;
    const created = await a.gql(`mutation { createRegistry(input: {name: "${registry}", kind: HOSTED}) { name } }`, {}, ADMIN);
    expect(created.errors).toBeUndefined();
  }, 180_000);

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop('SIGKILL')));
    await Promise.all([redis?.close(), s3?.close()]);
    await own?.drop();
  }, 60_000);

  it('a chunked OCI push through three replicas is pulled byte-identical from another; the same through one, for the figures', async () => {
    const [a, b, c] = replicas as [ServiceProcess, ServiceProcess, ServiceProcess];
    const spread = packTarball('spread', '1.0.0', 24);
    // POST on A, PATCHes on B, C, A, PUT on B: every chunk reaches another replica than the one before.
    const pushThreeMs = await chunkedPush('spread', spread, 3, (i) => replicas[i % 3]!);
    const manifest = await v2(c, 'PUT', `${repo('spread')}/manifests/1.0.0`, manifestFor(spread), { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
    expect(manifest.status).toBe(201);
    const pulledThree = await pull(c, sha256(spread), 'spread');
    expect(pulledThree.bytes.length).toBe(spread.length);
    expect(Buffer.compare(pulledThree.bytes, spread)).toBe(0);
    // Pulled through the other two as well (each pull its own replica).
    for (const replica of [a, b]) expect(sha256((await pull(replica, sha256(spread), 'spread')).bytes)).toBe(sha256(spread));

    const single = packTarball('single', '1.0.0', 24);
    const pushOneMs = await chunkedPush('single', single, 3, () => a);
    const singleManifest = await v2(a, 'PUT', `${repo('single')}/manifests/1.0.0`, manifestFor(single), { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
    expect(singleManifest.status).toBe(201);
    const pulledOne = await pull(a, sha256(single), 'single');
    expect(Buffer.compare(pulledOne.bytes, single)).toBe(0);
    const mibps = (bytes: number, ms: number) => Math.round((bytes / MIB / (ms / 1000)) * 10) / 10;
    report({
      figure: 'chunked OCI push (3 PATCH chunks) and pull of a 24 MiB layer',
      pushThroughThreeMiBps: mibps(spread.length, pushThreeMs),
      pushThroughOneMiBps: mibps(single.length, pushOneMs),
      pullFromAnotherMiBps: mibps(spread.length, pulledThree.ms),
      pullFromSameMiBps: mibps(single.length, pulledOne.ms),
    });
  }, 180_000);

  it('300 requests with one token spread over the replicas hit the shared limit once: 429 with Retry-After after it', async () => {
    const created = await replicas[0]!.gql(`mutation { createApiToken(name: "drill-${randomBytes(3).toString('hex')}", role: VIEWER) { token } }`, {}, ADMIN);
    const token = created.data.createApiToken.token as string;
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 300; i++) {
      const response = await fetch(`${next().url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ me { name } }' }),
      });
      await response.arrayBuffer();
      statuses.push(response.status);
      if (response.status === 429) retryAfter ??= response.headers.get('retry-after');
    }
    // Per process, three replicas would have allowed 3 x 200 = 600: no 429 at all in these 300.
    expect(statuses.indexOf(429)).toBe(RATE_LIMIT);
    expect(statuses.slice(0, RATE_LIMIT).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(RATE_LIMIT).every((s) => s === 429)).toBe(true);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('a pack pushed on replica A is listed by B and C within 1 s', async () => {
    const [a, b, c] = replicas as [ServiceProcess, ServiceProcess, ServiceProcess];
    const LIST = `query($r: [String!]) { packs(first: 50, filter: { registry: $r }) { edges { node { name } } } }`;
    const names = async (replica: ServiceProcess) =>
      ((await replica.gql(LIST, { r: [registry] }, ADMIN)).data.packs.edges as Array<{ node: { name: string } }>).map((e) => e.node.name);
    // Both have the listing cached first (the case a stale cache would get wrong).
    for (const replica of [b, c]) expect(await names(replica)).not.toContain('listed');
    for (const replica of [b, c]) expect(await names(replica)).not.toContain('listed');
    const pushed = await pushArchive(a.url, ADMIN, registry, packTarball('listed', '1.0.0', 0));
    expect(pushed.body.errors).toBeUndefined();
    const committed = performance.now();
    const seenAfter = await Promise.all(
      [b, c].map(async (replica) => {
        await waitUntil(async () => (await names(replica)).includes('listed'), `${replica.url} lists the pack`, 5_000, 25);
        return performance.now() - committed;
      }),
    );
    report({ figure: 'a pack pushed on A listed by B and C (ms after the push answered)', b: Math.round(seenAfter[0]!), c: Math.round(seenAfter[1]!) });
    for (const ms of seenAfter) expect(ms).toBeLessThan(1_000);
  }, 60_000);

  it('a sync started on A while B and C try too: one run, one set of rows', async () => {
    const name = `drill-dir-${randomBytes(3).toString('hex')}`;
    const created = await replicas[0]!.gql(
      `mutation($e: String!) { createRegistry(input: {name: "${name}", kind: DIRECTORY, endpoint: $e}) { name } }`,
      { e: path.join(PACK_CENTRAL, 'full') },
      ADMIN,
    );
    expect(created.errors).toBeUndefined();
    const SYNC = `mutation($n: String!) { syncRegistry(name: $n, wait: false) { id state } }`;
    const answers = await Promise.all(replicas.map((replica) => replica.gql(SYNC, { n: name }, ADMIN)));
    // Each replica either started the run, joined it, or (claim taken, run row not yet visible) said CONFLICT.
    const ids = new Set(answers.filter((a) => !a.errors).map((a) => a.data.syncRegistry.id as string));
    for (const answer of answers.filter((a) => a.errors)) expect(answer.errors[0].extensions.code).toBe('CONFLICT');
    expect(ids.size).toBe(1);
    const finished = await replicas[1]!.gql(`mutation($n: String!) { syncRegistry(name: $n, wait: true) { id state added } }`, { n: name }, ADMIN);
    expect(finished.data.syncRegistry.id).toBe([...ids][0]);
    expect(finished.data.syncRegistry.state).toBe('SUCCEEDED');
    const db = new pg.Client({ connectionString: own.url });
    await db.connect();
    try {
      const runs = await db.query('SELECT count(*)::int AS n FROM "SyncRun" r JOIN "Registry" g ON g.id = r."registryId" WHERE g.name = $1', [name]);
      expect(runs.rows[0].n).toBe(1);
      const versions = await db.query(
        'SELECT count(*)::int AS n, count(DISTINCT (p.name, v.version))::int AS distinct_n FROM "PackVersion" v JOIN "Pack" p ON p.id = v."packId" JOIN "Registry" g ON g.id = p."registryId" WHERE g.name = $1',
        [name],
      );
      expect(versions.rows[0].n).toBe(finished.data.syncRegistry.added);
      expect(versions.rows[0].distinct_n).toBe(versions.rows[0].n);
    } finally {
      await db.end();
    }
  }, 180_000);

  it('kill -9 of a replica mid-upload: the upload resumes on another, nothing half-written is served', async () => {
    const [a, b, c] = replicas as [ServiceProcess, ServiceProcess, ServiceProcess];
    const layer = packTarball('resumed', '1.0.0', 8);
    const half = 4 * MIB;
    const opened = await v2(c, 'POST', `${repo('resumed')}/blobs/uploads/`);
    const location = opened.headers.get('location')!;
    const first = await v2(c, 'PATCH', location, layer.subarray(0, half), { 'content-type': 'application/octet-stream', 'content-range': `0-${half - 1}` });
    expect(first.status).toBe(202);
    // The second chunk is half sent when C dies.
    const rest = layer.subarray(half);
    const cut = new Promise<void>((resolve) => {
      const request = http.request(new URL(location, c.url), {
        method: 'PATCH',
        headers: { authorization: basic(ADMIN), 'content-type': 'application/octet-stream', 'content-range': `${half}-${layer.length - 1}`, 'content-length': rest.length },
      });
      request.on('error', () => resolve());
      request.on('response', () => resolve());
      request.write(rest.subarray(0, Math.floor(rest.length / 2)), () => {
        setTimeout(() => {
          c.child.kill('SIGKILL');
        }, 200);
      });
    });
    await cut;
    await c.stop('SIGKILL');
    replicas = [a, b];

    // Nothing half-written is served: the blob is unknown until the upload completes.
    expect((await v2(a, 'GET', `${repo('resumed')}/blobs/${sha256(layer)}`)).status).toBe(404);
    // Another replica knows where the upload stands (the first chunk only) and takes the rest.
    const status = await v2(a, 'GET', location);
    expect({ status: status.status, range: status.headers.get('range') }).toEqual({ status: 204, range: `0-${half - 1}` });
    const resumed = await v2(a, 'PATCH', location, rest, { 'content-type': 'application/octet-stream', 'content-range': `${half}-${layer.length - 1}` });
    expect(resumed.status).toBe(202);
    expect((await v2(b, 'PUT', `${location}?digest=${sha256(layer)}`)).status).toBe(201);
    const manifest = await v2(a, 'PUT', `${repo('resumed')}/manifests/1.0.0`, manifestFor(layer), { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
    expect(manifest.status).toBe(201);
    expect(Buffer.compare((await pull(b, sha256(layer), 'resumed')).bytes, layer)).toBe(0);

    // An abandoned upload (a client that went away) keeps its chunks while its session lives.
    const abandoned = await v2(a, 'POST', `${repo('abandoned')}/blobs/uploads/`);
    const abandonedAt = abandoned.headers.get('location')!;
    expect((await v2(b, 'PATCH', abandonedAt, randomBytes(1000), { 'content-type': 'application/octet-stream', 'content-range': '0-999' })).status).toBe(202);

    abandonedLocation = abandonedAt;
    resumedLayer = layer;
  }, 180_000);

  it('kill -9 of the replica holding a sync lease: the sync finishes on another replica; the collector, run once, leaves no orphan', async () => {
    const [a, b] = replicas as [ServiceProcess, ServiceProcess];
    const name = `drill-lease-${randomBytes(3).toString('hex')}`;
    const created = await a.gql(`mutation($e: String!) { createRegistry(input: {name: "${name}", kind: DIRECTORY, endpoint: $e}) { name } }`, { e: path.join(PACK_CENTRAL, 'full') }, ADMIN);
    expect(created.errors).toBeUndefined();
    const SYNC = `mutation($n: String!, $w: Boolean) { syncRegistry(name: $n, wait: $w) { id state added } }`;
    const started = await b.gql(SYNC, { n: name, w: false }, ADMIN);
    const deadRun = started.data.syncRegistry.id as string;
    expect(started.data.syncRegistry.state).toBe('RUNNING');
    // B dies holding the lease, mid-run (a run of these packs takes over a second).
    b.child.kill('SIGKILL');
    await b.stop('SIGKILL');
    replicas = [a];

    // Until the lease expires (LEASE_SECONDS after B's last renewal, by the database's clock) A joins B's run;
    // then A claims the registry, marks B's run abandoned and runs the sync itself.
    const killedAt = performance.now();
    const takenOver = await pollUntil(
      async () => {
        const answer = await a.gql(SYNC, { n: name, w: false }, ADMIN);
        expect(answer.errors).toBeUndefined();
        return answer.data.syncRegistry as { id: string; state: string };
      },
      (run) => run.id !== deadRun,
      { what: "A takes over the dead replica's lease (a run of its own)", timeoutMs: (LEASE_SECONDS + 60) * 1000, intervalMs: 2_000 },
    );
    const finished = await a.gql(SYNC, { n: name, w: true }, ADMIN);
    expect(finished.data.syncRegistry).toMatchObject({ id: takenOver.id, state: 'SUCCEEDED' });
    report({ figure: 'sync lease of a killed replica taken over after (s)', seconds: Math.round((performance.now() - killedAt) / 1000) });

    const db = new pg.Client({ connectionString: own.url });
    await db.connect();
    try {
      const runs = await db.query('SELECT r.id, r.state FROM "SyncRun" r JOIN "Registry" g ON g.id = r."registryId" WHERE g.name = $1 ORDER BY r."startedAt"', [name]);
      // GraphQL ids are global ("SyncRun:<uuid>", base64): the rows hold the uuid.
      const uuidOf = (id: string) => Buffer.from(id, 'base64').toString('utf8').replace(/^SyncRun:/, '');
      expect(runs.rows).toEqual([
        { id: uuidOf(deadRun), state: 'FAILED' },
        { id: uuidOf(takenOver.id), state: 'SUCCEEDED' },
      ]);
      const versions = await db.query(
        'SELECT count(*)::int AS n, count(DISTINCT (p.name, v.version))::int AS distinct_n FROM "PackVersion" v JOIN "Pack" p ON p.id = v."packId" JOIN "Registry" g ON g.id = p."registryId" WHERE g.name = $1',
        [name],
      );
      expect(versions.rows[0].n).toBeGreaterThan(0);
      expect(versions.rows[0].distinct_n).toBe(versions.rows[0].n);

      // What a replica killed between an object's write and its row leaves: an object with no row.
      // Planted, so the drill never depends on where a kill lands.
      const bucket = new Minio.Client({ endPoint: s3.endPoint, port: s3.port, useSSL: false, accessKey: s3.accessKey, secretKey: s3.secretKey, region: s3.region });
      const orphanBytes = randomBytes(4096);
      const orphan = sha256(orphanBytes);
      await bucket.putObject(s3.bucket, `blobs/sha256/${orphan.slice('sha256:'.length)}`, orphanBytes);

      // The collector, once (npm run gc of the same build and environment), with no grace.
      const gcDir = await mkdtemp(path.join(tmpdir(), 'pack-catalog-drill-gc-'));
      const gc = await run(process.execPath, [path.join(DIST, 'app/gc-cli.js'), '--grace', '0'], { env: { ...process.env, ...env, DATA_DIR: gcDir } });
      await rm(gcDir, { recursive: true, force: true });
      const result = JSON.parse(gc.stdout.trim().split('\n').pop()!);
      expect(result.failed).toEqual([]);
      report({ figure: 'gc once after the kills', scanned: result.scanned, deleted: result.deleted, rowsDeleted: result.rowsDeleted });

      expect(result.deleted).toBeGreaterThanOrEqual(1);
      // No orphan left: every object in the bucket has its Artifact row or is a chunk of the open upload session.
      const objects: string[] = [];
      for await (const object of bucket.listObjectsV2(s3.bucket, 'blobs/sha256/', true) as AsyncIterable<{ name: string }>) {
        objects.push(`sha256:${object.name.slice('blobs/sha256/'.length)}`);
      }
      const rows = new Set((await db.query('SELECT digest FROM "Artifact"')).rows.map((r) => r.digest as string));
      const chunks = (await db.query('SELECT digest FROM "OciUploadChunk"')).rows.map((r) => r.digest as string);
      // The finished uploads' chunks went with their sessions; the abandoned session's one chunk stays.
      expect(chunks).toHaveLength(1);
      expect(objects.filter((digest) => !rows.has(digest) && !chunks.includes(digest))).toEqual([]);
      expect(objects).toEqual(expect.arrayContaining(chunks));
      expect(objects).not.toContain(orphan);
    } finally {
      await db.end();
    }
    // What is live stays: the resumed blob and the abandoned session's chunk.
    expect(Buffer.compare((await pull(a, sha256(resumedLayer), 'resumed')).bytes, resumedLayer)).toBe(0);
    expect((await v2(a, 'GET', abandonedLocation)).headers.get('range')).toBe('0-999');
  }, 180_000);
});
