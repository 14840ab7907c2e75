/**
 * Subscriptions in the built service, as users run it: two replicas on one PostgreSQL (a push and a
 * sync driven through one reach a subscriber of the other: LISTEN/NOTIFY), a SIGTERM that closes
 * the sockets (1001) and still exits 0, and the embedded database (no notifications: the outbox is
 * polled, sync progress stays in process).
 */
import { jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServiceProcess, type ServiceProcess } from '../helpers/service-process.js';
import { createOwnDatabase, type OwnDatabase } from '../helpers/own-database.js';
import { pushArchive } from '../helpers/packs.js';
import { addonPackTarball } from '../helpers/tar-builder.js';
import { buildChart, writeHelmIndex } from '../helpers/helm-charts.js';
import { startStaticServer, type StaticServer } from '../helpers/static-server.js';
import { closeOf, record, subscriptionClient, type Recording } from '../helpers/ws-app.js';

jest.setTimeout(120_000);

const ADMIN = `subs-admin-${randomBytes(12).toString('hex')}`;
const EVENTS = 'subscription($f: CatalogEventFilterInput) { catalogEvents(filter: $f) { type registry pack version } }';
const FOLLOW = 'subscription($id: ID!) { syncRun(id: $id) { state itemsDone itemsTotal added finishedAt } }';
const wsUrlOf = (service: ServiceProcess) => `${service.url.replace('http', 'ws')}/graphql`;
const push = (service: ServiceProcess, registry: string, pack: string, version: string) =>
  pushArchive(service.url, ADMIN, registry, addonPackTarball(pack, version));

async function createRegistry(service: ServiceProcess, input: Record<string, unknown>): Promise<void> {
  const body = await service.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: input }, ADMIN);
  expect(body.errors).toBeUndefined();
}

/** Pushes versions of `pack` until the recording has one (the subscription may not be in place for the first). */
async function pushUntilSeen(service: ServiceProcess, registry: string, pack: string, seen: Recording): Promise<void> {
  for (let i = 0; i < 30; i++) {
    const pushed = await push(service, registry, pack, `1.0.${i}`);
    expect(pushed.body.errors).toBeUndefined();
    try {
      await seen.waitFor((r) => r.data?.catalogEvents?.pack === pack, 500);
      return;
    } catch {
      // not live yet
    }
  }
  throw new Error(`no event for ${pack} reached the subscriber`);
}

describe('subscriptions in the built service', () => {
  const clients: Array<{ dispose(): void | Promise<void> }> = [];
  const client = (service: ServiceProcess) => {
    const c = subscriptionClient(wsUrlOf(service), ADMIN);
    clients.push(c);
    return c;
  };
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
  });

  describe('two replicas on one PostgreSQL', () => {
    let own: OwnDatabase;
    let a: ServiceProcess;
    let b: ServiceProcess;
    let upstream: StaticServer;
    let repo: string;

    beforeAll(async () => {
      expect(process.env.TEST_DATABASE_URL).toBeDefined();
      own = await createOwnDatabase();
      const env = { DATABASE_URL: own.url!, ADMIN_TOKEN: ADMIN, SECRET_KEY: 'f'.repeat(64), SEED_DEFAULT_REGISTRY: 'false', SYNC_ENABLED: 'false' };
      // One after the other: both would apply the migrations at once otherwise (the lock makes one wait; this is quicker).
      a = await startServiceProcess({ env });
      b = await startServiceProcess({ env });
      repo = await mkdtemp(path.join(tmpdir(), 'pack-catalog-e2e-subs-'));
      const charts = [];
      for (const version of ['1.0.0', '1.1.0']) {
        const built = await buildChart({ name: 'followed', version }, repo);
        charts.push({ chart: { name: 'followed', version }, file: built.path, bytes: built.bytes });
      }
      await writeHelmIndex(repo, charts);
      upstream = await startStaticServer(repo);
    });

    afterAll(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
      await upstream?.close();
      await own?.drop();
      if (repo) await rm(repo, { recursive: true, force: true });
    });

    it('a push through one replica reaches a catalogEvents subscriber of the other', async () => {
      const registry = `subs-${randomBytes(3).toString('hex')}`;
      await createRegistry(b, { name: registry, kind: 'HOSTED' });
      const seen = record(client(a), EVENTS, { f: { registries: [registry] } });
      await pushUntilSeen(b, registry, 'crossing', seen);
      expect(seen.results.at(-1)!.data!.catalogEvents).toMatchObject({ type: 'PACK_VERSION_PUBLISHED', registry, pack: 'crossing' });
    });

    it('a sync run driven by one replica is followed to its end from the other', async () => {
      const registry = `subs-sync-${randomBytes(3).toString('hex')}`;
      await createRegistry(b, { name: registry, kind: 'HELM', endpoint: upstream.url });
      upstream.setFault({ kind: 'slow', delayMs: 800, match: /\.tgz$/ });
      const started = await b.gql('mutation($n: String!) { syncRegistry(name: $n, wait: false) { id state } }', { n: registry }, ADMIN);
      expect(started.data.syncRegistry.state).toBe('RUNNING');
      const following = record(client(a), FOLLOW, { id: started.data.syncRegistry.id });
      await following.done;
      upstream.setFault(null);
      const states = following.results.map((r) => r.data!.syncRun);
      expect(states[0].state).toBe('RUNNING');
      expect(states.at(-1)).toMatchObject({ state: 'SUCCEEDED', added: 2, itemsDone: 2, itemsTotal: 2 });
    });

    it('SIGTERM closes the open sockets with 1001 and the process still exits 0', async () => {
      const open = record(client(a), EVENTS, {});
      // The connection is up once a subscription on it answers; this one is refused at once.
      const probe = record(client(a), 'subscription { syncRun(id: "nope") { state } }');
      await probe.done;
      const exit = a.stop('SIGTERM');
      expect(await closeOf(open)).toMatchObject({ code: 1001 });
      expect(await exit).toBe(0);
    });
  });

  describe('the embedded database', () => {
    let service: ServiceProcess;
    beforeAll(async () => {
      service = await startServiceProcess({ env: { ADMIN_TOKEN: ADMIN, SEED_DEFAULT_REGISTRY: 'false', SYNC_ENABLED: 'false' } });
    });
    afterAll(async () => {
      await service?.stop();
      if (service) await rm(service.dataDir, { recursive: true, force: true });
    });

    it('serves catalogEvents by polling the outbox (no notifications there)', async () => {
      await createRegistry(service, { name: 'local', kind: 'HOSTED' });
      const seen = record(client(service), EVENTS, { f: { registries: ['local'] } });
      await pushUntilSeen(service, 'local', 'polled', seen);
      expect(seen.results.at(-1)!.data!.catalogEvents).toMatchObject({ type: 'PACK_VERSION_PUBLISHED', registry: 'local', pack: 'polled' });
    });
  });
});
