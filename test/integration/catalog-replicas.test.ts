/**
 * Two replicas of the service (startServer, each with its own LISTEN connection and listing cache)
 * on one PostgreSQL database: a catalog write on one is seen by the other within 1 s, and a cached
 * page is never served to a caller with another readable-registry scope.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pushArchive } from '../helpers/packs.js';
import { addonPackTarball } from '../helpers/tar-builder.js';
import { replicaDatabaseUrl, replicaGql, startReplica, stopReplicas, type Replica } from '../helpers/replicas.js';
import { uniqueName } from '../helpers/test-app.js';
import { pollUntil } from '../helpers/wait-until.js';

const adminToken = `replica-admin-${randomBytes(12).toString('hex')}`;
/** The bound the issue sets on a replica serving a stale catalog. */
const STALE_BOUND_MS = 1_000;

const LIST = `query($r: [String!]) { packs(first: 50, filter: { registry: $r }) {
  totalCount edges { node { name displayName registry { name } versions { version } } } } }`;

function gql(replica: Replica, query: string, variables: Record<string, unknown> = {}, token: string | null = adminToken) {
  return replicaGql(replica, token, query, variables);
}

/** Polls `read` until `done` holds; answers how long that took (rejects after twice the bound, to say by how much it missed). */
async function timeUntil<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<number> {
  const started = Date.now();
  await pollUntil(read, done, { what: 'the other replica is no longer stale', timeoutMs: 2 * STALE_BOUND_MS, intervalMs: 20 });
  return Date.now() - started;
}

type Listing = { packs: { totalCount: number; edges: Array<{ node: { name: string; displayName: string; versions: Array<{ version: string }> } }> } };

describe('two replicas on one database', () => {
  let a: Replica;
  let b: Replica;
  let registry: string;
  let name: string;

  beforeAll(async () => {
    // Replicas share a PostgreSQL server; the embedded database belongs to one process by construction.
    a = await startReplica(adminToken);
    b = await startReplica(adminToken);
    registry = uniqueName('replicas');
    name = uniqueName('rep');
    await gql(a, 'mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name: registry, kind: 'HOSTED' } });
    expect((await pushArchive(a.server.url, adminToken, registry, addonPackTarball(name, '1.0.0'))).body.errors).toBeUndefined();
  }, 60_000);

  afterAll(async () => {
    await stopReplicas(a, b);
  });

  const listOn = (replica: Replica, token: string | null = adminToken) => gql(replica, LIST, { r: [registry] }, token) as Promise<Listing>;
  const versionsOn = async (replica: Replica) => (await listOn(replica)).packs.edges.find((e) => e.node.name === name)?.node.versions.map((v) => v.version) ?? [];

  it('listens for catalog changes on both replicas', () => {
    expect(a.server.services.catalogChanges.coherent).toBe(true);
    expect(b.server.services.catalogChanges.coherent).toBe(true);
  });

  it('serves a repeated page from its cache: a write that bypasses the catalog (no notification) stays unseen', async () => {
    expect(await versionsOn(b)).toEqual(['1.0.0']);
    const client = new pg.Client({ connectionString: replicaDatabaseUrl() });
    await client.connect();
    try {
      await client.query('UPDATE "Pack" SET "displayName" = $1 WHERE name = $2', ['changed behind the catalog', name]);
    } finally {
      await client.end();
    }
    const cached = await listOn(b);
    expect(cached.packs.edges[0]!.node.displayName).toBe(name);
    // The next catalog write anywhere drops it: the direct change shows too.
    b.server.services.catalogChanges.changed();
    expect((await listOn(b)).packs.edges[0]!.node.displayName).toBe('changed behind the catalog');
  });

  it('shows a version pushed on the other replica within 1 s', async () => {
    expect(await versionsOn(b)).toEqual(['1.0.0']);
    expect((await pushArchive(a.server.url, adminToken, registry, addonPackTarball(name, '1.1.0'))).body.errors).toBeUndefined();
    const took = await timeUntil(() => versionsOn(b), (versions) => versions.includes('1.1.0'));
    expect(took).toBeLessThanOrEqual(STALE_BOUND_MS);
    expect(await versionsOn(b)).toEqual(['1.1.0', '1.0.0']);
  });

  it('drops a version deleted on the other replica within 1 s', async () => {
    expect(await versionsOn(b)).toContain('1.1.0');
    await gql(a, 'mutation($r: String!, $n: String!) { deletePackVersion(registry: $r, name: $n, version: "1.1.0") }', { r: registry, n: name });
    const took = await timeUntil(() => versionsOn(b), (versions) => !versions.includes('1.1.0'));
    expect(took).toBeLessThanOrEqual(STALE_BOUND_MS);
  });

  it('hides a registry made PRIVATE on the other replica within 1 s, and keeps cached pages apart by scope', async () => {
    const viewer = (await gql(a, 'mutation($n: String!) { createApiToken(name: $n, role: VIEWER) { token } }', { n: uniqueName('viewer') }))
      .createApiToken.token as string;
    const named = (
      await gql(a, 'mutation($n: String!, $g: [String!]) { createApiToken(name: $n, role: VIEWER, registries: $g) { token } }', {
        n: uniqueName('named'),
        g: [registry],
      })
    ).createApiToken.token as string;
    // Warm B's cache for each scope while the registry is PUBLIC.
    for (const token of [viewer, named, adminToken]) expect((await listOn(b, token)).packs.totalCount).toBe(1);
    await gql(a, 'mutation($n: String!) { updateRegistry(name: $n, input: { visibility: PRIVATE }) { name } }', { n: registry });
    const took = await timeUntil(() => listOn(b, viewer), (listing) => listing.packs.totalCount === 0);
    expect(took).toBeLessThanOrEqual(STALE_BOUND_MS);
    expect((await listOn(b, viewer)).packs.edges).toEqual([]);
    // Same arguments, other scopes: a token naming the registry and an ADMIN still read it.
    expect((await listOn(b, named)).packs.edges.map((e) => e.node.name)).toEqual([name]);
    expect((await listOn(b, adminToken)).packs.edges.map((e) => e.node.name)).toEqual([name]);
    expect((await listOn(b, viewer)).packs.totalCount).toBe(0);
  });
});
