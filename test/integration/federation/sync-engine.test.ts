/**
 * The engine's guarantees across replicas (several engines on one PostgreSQL stand for several
 * service replicas): one run per registry at a time, a dead replica's lease taken over, the lease
 * renewed while a long run goes on, the scheduler running what is due, and syncRegistry's rules.
 */
import { jest } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestApp, uniqueName, type TestApp } from '../../helpers/test-app.js';
import { toGlobalId } from '../../../src/graphql/node.js';
import { PACK_CENTRAL } from '../../helpers/packs.js';
import { buildChart, writeHelmIndex } from '../../helpers/helm-charts.js';
import { startStaticServer, type StaticServer } from '../../helpers/static-server.js';
import { SYNC_FIELDS, createScratchDatabase, createTestEngine, createUpstreamRegistry } from '../../helpers/federation.js';
import { SyncScheduler } from '../../../src/registries/sync/scheduler.js';
import { createLogger } from '../../../src/platform/logger.js';
import { pollUntil } from '../../helpers/wait-until.js';

jest.setTimeout(120_000);

const FULL = path.join(PACK_CENTRAL, 'full');
const CREATE_TOKEN = 'mutation($n: String!, $r: Role!) { createApiToken(name: $n, role: $r) { token } }';

describe('sync engine: leases, scheduling, syncRegistry', () => {
  let t: TestApp;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    // A database of its own: the scheduler below runs whatever is due, and must not see other files' registries.
    const database = await createScratchDatabase('engine');
    drop = database.drop;
    t = await createTestApp({ env: database.env });
  });

  afterAll(async () => {
    await t?.services.sync.stop();
    await t?.close();
    await drop?.();
  });

  it('lets exactly one of two racing replicas run a registry; the other joins that run', async () => {
    const name = uniqueName('race');
    await createUpstreamRegistry(t, { name, kind: 'DIRECTORY', endpoint: FULL });
    const [a, b] = await Promise.all([createTestEngine(t), createTestEngine(t)]);
    const [first, second] = await Promise.all([a.engine.start(name), b.engine.start(name)]);
    expect([first.started, second.started].sort()).toEqual([false, true]);
    expect(first.run.id).toBe(second.run.id);
    const [doneA, doneB] = await Promise.all([first.finished, second.finished]);
    expect(doneA).toMatchObject({ id: first.run.id, state: 'SUCCEEDED', added: 10 });
    expect(doneB).toMatchObject({ id: first.run.id, state: 'SUCCEEDED', added: 10 });
    expect(await t.database.prisma.syncRun.count({ where: { registry: { name } } })).toBe(1);
    expect(await t.database.prisma.packVersion.count({ where: { registry: { name } } })).toBe(10);
    const row = await t.database.prisma.registry.findUniqueOrThrow({ where: { name } });
    expect(row).toMatchObject({ leaseOwner: null, leaseExpiresAt: null, syncState: 'SUCCEEDED' });
  });

  it('takes over the expired lease of a replica that died mid-run, and marks its run abandoned', async () => {
    const name = uniqueName('dead');
    await createUpstreamRegistry(t, { name, kind: 'DIRECTORY', endpoint: FULL });
    const registry = await t.database.prisma.registry.update({
      where: { name },
      data: { leaseOwner: 'replica-that-died', leaseExpiresAt: new Date(Date.now() + 60_000), syncState: 'RUNNING' },
    });
    const dead = await t.database.prisma.syncRun.create({ data: { registryId: registry.id, state: 'RUNNING', startedAt: new Date() } });
    const { engine } = await createTestEngine(t);
    // While the claim is live, a new request joins the dead replica's run instead of starting one.
    const joined = await engine.start(name);
    expect(joined).toMatchObject({ started: false, run: { id: dead.id } });
    joined.finished.catch(() => undefined);
    // Once it expires, the next claim takes the registry over.
    await t.database.prisma.registry.update({ where: { name }, data: { leaseExpiresAt: new Date(Date.now() - 1000) } });
    const run = await engine.run(name);
    expect(run).toMatchObject({ state: 'SUCCEEDED', added: 10 });
    expect(await joined.finished).toMatchObject({ id: dead.id, state: 'FAILED', message: expect.stringMatching(/Abandoned/) });
    expect(await t.database.prisma.registry.findUniqueOrThrow({ where: { name } })).toMatchObject({ leaseOwner: null, syncState: 'SUCCEEDED' });
  });

  it('answers CONFLICT when a live claim has no visible run', async () => {
    const name = uniqueName('claimed');
    await createUpstreamRegistry(t, { name, kind: 'DIRECTORY', endpoint: FULL });
    await t.database.prisma.registry.update({ where: { name }, data: { leaseOwner: 'someone', leaseExpiresAt: new Date(Date.now() + 60_000) } });
    const { body } = await t.gql(`mutation($n: String!) { syncRegistry(name: $n) { id } }`, { n: name });
    expect(body.errors![0].extensions!.code).toBe('CONFLICT');
  });

  describe('with a slow upstream', () => {
    let server: StaticServer;
    let repo: string;
    beforeAll(async () => {
      repo = await mkdtemp(path.join(tmpdir(), 'pack-catalog-slow-'));
      const charts = [];
      for (const version of ['1.0.0', '1.1.0']) {
        const built = await buildChart({ name: 'slowpoke', version }, repo);
        charts.push({ chart: { name: 'slowpoke', version }, file: built.path, bytes: built.bytes });
      }
      await writeHelmIndex(repo, charts);
      server = await startStaticServer(repo);
    });
    afterAll(async () => {
      await server.close();
      await rm(repo, { recursive: true, force: true });
    });

    it('renews its lease while a run outlasts the lease time, so no other replica starts one', async () => {
      const name = uniqueName('renew');
      await createUpstreamRegistry(t, { name, kind: 'HELM', endpoint: server.url });
      server.setFault({ kind: 'slow', delayMs: 1500, match: /\.tgz$/ });
      const owner = await createTestEngine(t, { leaseTtlMs: 1000, leaseRenewMs: 200, fetchConcurrency: 1, http: { timeoutMs: 5000 } });
      const other = await createTestEngine(t, { leaseTtlMs: 1000 });
      const started = await owner.engine.start(name);
      for (let i = 0; i < 10; i++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        const attempt = await other.engine.start(name);
        expect(attempt.started).toBe(false);
        attempt.finished.catch(() => undefined);
      }
      server.setFault(null);
      expect(await started.finished).toMatchObject({ state: 'SUCCEEDED', added: 2 });
      expect(await t.database.prisma.syncRun.count({ where: { registry: { name } } })).toBe(1);
    });

    it('syncRegistry(wait: false) answers at once with the RUNNING run, and a shutdown ends it FAILED with its lease released', async () => {
      const name = uniqueName('nowait');
      await createUpstreamRegistry(t, { name, kind: 'HELM', endpoint: server.url });
      server.setFault({ kind: 'slow', delayMs: 3000, match: /\.tgz$/ });
      const { engine } = await createTestEngine(t);
      const started = await engine.start(name);
      expect(started.run.state).toBe('RUNNING');
      const viaApi = await t.gql(`mutation($n: String!) { syncRegistry(name: $n, wait: false) { ${SYNC_FIELDS} } }`, { n: name });
      expect(viaApi.body.data!.syncRegistry).toMatchObject({ id: toGlobalId('SyncRun', started.run.id), state: 'RUNNING', finishedAt: null });
      await engine.stop();
      server.setFault(null);
      expect(await started.finished).toMatchObject({ state: 'FAILED', message: expect.stringMatching(/service stopped during the sync/) });
      expect(await t.database.prisma.registry.findUniqueOrThrow({ where: { name } })).toMatchObject({ leaseOwner: null, syncState: 'FAILED' });
      await expect(engine.start(name)).rejects.toThrow(/shutting down/);
    });
  });

  it('runs due registries from the scheduler and sets the next run an interval (with jitter) later', async () => {
    const name = uniqueName('due');
    await createUpstreamRegistry(t, { name, kind: 'DIRECTORY', endpoint: FULL, syncIntervalSeconds: 3600 });
    const notDue = uniqueName('notdue');
    await createUpstreamRegistry(t, { name: notDue, kind: 'DIRECTORY', endpoint: FULL });
    await t.database.prisma.registry.update({ where: { name: notDue }, data: { nextSyncAt: new Date(Date.now() + 3_600_000) } });
    const { engine } = await createTestEngine(t);
    const scheduler = new SyncScheduler(engine, createLogger({ level: 'silent' }), { tickMs: 100, maxConcurrentRuns: 8 });
    scheduler.start();
    try {
      const run = await pollUntil(
        () => t.database.prisma.syncRun.findFirst({ where: { registry: { name }, state: { not: 'RUNNING' } } }),
        (found) => found !== null,
        { what: 'the scheduler has run the due registry', timeoutMs: 60_000, intervalMs: 100 },
      );
      expect(run).toMatchObject({ state: 'SUCCEEDED', trigger: 'schedule', added: 10 });
      const row = await t.database.prisma.registry.findUniqueOrThrow({ where: { name } });
      const delay = row.nextSyncAt!.getTime() - run.finishedAt!.getTime();
      expect(delay).toBeGreaterThanOrEqual(3600_000 * 0.9 - 1000);
      expect(delay).toBeLessThanOrEqual(3600_000 * 1.1 + 1000);
      expect(await t.database.prisma.syncRun.count({ where: { registry: { name: notDue } } })).toBe(0);
    } finally {
      await scheduler.stop();
    }
  });

  it('refuses syncRegistry to non-admins, for unknown registries and for registries stored here', async () => {
    const name = uniqueName('perm');
    await createUpstreamRegistry(t, { name, kind: 'DIRECTORY', endpoint: FULL });
    const viewer = (await t.gql(CREATE_TOKEN, { n: uniqueName('viewer'), r: 'VIEWER' })).body.data!.createApiToken.token;
    const publisher = (await t.gql(CREATE_TOKEN, { n: uniqueName('publisher'), r: 'PUBLISHER' })).body.data!.createApiToken.token;
    const mutation = 'mutation($n: String!) { syncRegistry(name: $n) { id } }';
    expect((await t.gql(mutation, { n: name }, viewer)).body.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect((await t.gql(mutation, { n: name }, publisher)).body.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect((await t.gql(mutation, { n: name }, null)).body.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    expect((await t.gql(mutation, { n: 'no-such-registry' })).body.errors![0].extensions!.code).toBe('NOT_FOUND');
    const refused = await t.gql(mutation, { n: 'default' });
    expect(refused.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(refused.body.errors![0].message).toMatch(/only upstream registries sync/);
    expect(await t.database.prisma.syncRun.count({ where: { registry: { name } } })).toBe(0);
  });
});
