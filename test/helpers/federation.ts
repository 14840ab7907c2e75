/** Shared steps of the federation tests: registries, syncs, catalog snapshots and orphan checks. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { SyncEngine, type SyncEngineOptions } from '../../src/registries/sync/engine.js';
import { RegistryStore } from '../../src/registries/registry.store.js';
import { createLogger } from '../../src/platform/logger.js';
import { HttpClient, type HttpClientOptions } from '../../src/platform/http-client.js';
import { createMetrics, type Metrics } from '../../src/platform/metrics.js';
import type { TestApp } from './test-app.js';

export const SYNC_FIELDS = 'id state force trigger added updated removed unchanged artifactsFetched message startedAt finishedAt errors { item message }';

export async function createUpstreamRegistry(t: TestApp, input: Record<string, unknown>): Promise<void> {
  const { body } = await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: input });
  if (body.errors) throw new Error(JSON.stringify(body.errors));
}

/** syncRegistry through GraphQL; fails the test on a GraphQL error. */
export async function syncViaApi(t: TestApp, name: string, force = false): Promise<any> {
  const started = Date.now();
  const { body } = await t.gql(`mutation($n: String!, $f: Boolean) { syncRegistry(name: $n, force: $f) { ${SYNC_FIELDS} } }`, { n: name, f: force });
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  const run = body.data!.syncRegistry;
  process.stdout.write(
    `[federation] ${name}: ${run.state} added=${run.added} updated=${run.updated} removed=${run.removed} unchanged=${run.unchanged} ` +
      `fetched=${run.artifactsFetched} errors=${run.errors.length} in ${Date.now() - started} ms\n`,
  );
  return run;
}

/** An engine over the test app's services with its own HTTP client: (short) timeouts and retries, or `http`. */
export async function createTestEngine(
  t: TestApp,
  { http, ...options }: Partial<SyncEngineOptions> & { http?: HttpClientOptions } = {},
): Promise<{ engine: SyncEngine; metrics: Metrics }> {
  const metrics = createMetrics({ collectProcessMetrics: false });
  const engine = new SyncEngine(
    {
      store: new RegistryStore(t.database.prisma),
      sink: t.services.ingest,
      credentials: t.services.registries,
      http: new HttpClient(http ?? { timeoutMs: 2000, retries: 2, backoffBaseMs: 50, backoffMaxMs: 200, maxRetryAfterMs: 5000 }),
      metrics,
      logger: createLogger({ level: 'silent' }),
    },
    {
      tmpDir: await mkdtemp(path.join(tmpdir(), 'pack-catalog-sync-')),
      ...options,
    },
  );
  return { engine, metrics };
}

/** Every version of a registry as `name@version digest [removed]`, sorted: equal snapshots mean an untouched catalog. */
export async function catalogSnapshot(t: TestApp, registryName: string): Promise<string[]> {
  const rows = await t.database.prisma.packVersion.findMany({
    where: { registry: { name: registryName } },
    select: { version: true, digest: true, removedAt: true, upstreamMarker: true, pack: { select: { name: true } } },
  });
  return rows.map((r) => `${r.pack.name}@${r.version} ${r.digest} ${r.upstreamMarker ?? '-'}${r.removedAt ? ' removed' : ''}`).sort();
}

/**
 * No version of these registries points at a missing artifact row or object, and none of their
 * pack rows is left without versions. (Scoped: other test files share the database, not the store.)
 */
export async function expectNoOrphans(t: TestApp, registries: string[]): Promise<void> {
  const prisma = t.database.prisma;
  const versions = await prisma.packVersion.findMany({ where: { registry: { name: { in: registries } } }, select: { digest: true } });
  const digests = [...new Set(versions.map((v) => v.digest))];
  const artifacts = await prisma.artifact.findMany({ where: { digest: { in: digests } }, select: { digest: true } });
  if (artifacts.length !== digests.length) throw new Error('a pack version points at a missing artifact row');
  for (const digest of digests) {
    if (!(await t.artifacts.exists(digest))) throw new Error(`artifact ${digest} has a row but no object`);
  }
  const empty = await prisma.pack.count({ where: { registry: { name: { in: registries } }, versions: { none: {} } } });
  if (empty !== 0) throw new Error(`${empty} pack row(s) without any version`);
}

/** Downloads a version's artifact through the API and returns the bytes. */
export async function download(t: TestApp, digest: string): Promise<Buffer> {
  const response = await request(t.app)
    .get(`/artifacts/sha256/${digest.slice('sha256:'.length)}`)
    .set('authorization', `Bearer ${t.adminToken}`)
    .buffer(true)
    .parse((res, callback) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => callback(null, Buffer.concat(chunks)));
    });
  if (response.status !== 200) throw new Error(`download of ${digest}: HTTP ${response.status}`);
  return response.body as Buffer;
}

export const PACKS_OF_REGISTRY = `query($r: [String!]) {
  packs(first: 30, filter: { registry: $r }) {
    totalCount
    edges { node { name layer addonType versions { version digest registry { name } } } }
  }
}`;

/** `name@version` of every version a registry holds, as the catalog API shows them. */
export async function listedVersions(t: TestApp, registry: string): Promise<string[]> {
  const { body } = await t.gql(PACKS_OF_REGISTRY, { r: [registry] });
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body
    .data!.packs.edges.flatMap((e: any) =>
      e.node.versions.filter((v: any) => v.registry.name === registry).map((v: any) => `${e.node.name}@${v.version}`),
    )
    .sort();
}

/**
 * A database of its own (for a second instance, or a test whose scheduler must not see other test
 * files' registries), when the tests run on a PostgreSQL server; the embedded database otherwise.
 */
export async function createScratchDatabase(label: string): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) return { env: {}, drop: async () => undefined };
  const name = `packcatalog_${label}_${Date.now()}_${process.pid}`;
  const admin = new URL(base);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    drop: async () => {
      const dropper = new pg.Client({ connectionString: admin.toString() });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await dropper.end();
    },
  };
}
