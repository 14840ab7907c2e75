/**
 * The listing's read model of version rows (src/catalog/catalog.version-rows.ts), kept across
 * catalog writes and keyed by the pack's `versionsRevision` that PostgreSQL triggers move: after
 * each write path (push, delete, lifecycle, deprecation, a raw SQL UPDATE by "another writer"), made
 * with the page cache and the read model warm, the next `packs` page shows the change, here and on
 * a second replica on the same database; the other pack's rows are not read again. Pack and
 * registry rows held by their xmin (catalog.listing-rows.ts) read as Prisma reads them, and a raw
 * UPDATE of either shows on the next page.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sortSources, type VersionRow } from '../../src/catalog/catalog.model.js';
import type { Principal } from '../../src/auth/principal.js';
import { pushArchive } from '../helpers/packs.js';
import { addonPackTarball } from '../helpers/tar-builder.js';
import { replicaDatabaseUrl, replicaGql, startReplica, stopReplicas, type Replica } from '../helpers/replicas.js';
import { uniqueName } from '../helpers/test-app.js';

const adminToken = `version-rows-admin-${randomBytes(12).toString('hex')}`;

const ADMIN: Principal = { name: 'version-rows', role: 'ADMIN', registries: [], kind: 'token' };

const LIST = `query($r: [String!]) { packs(first: 50, filter: { registry: $r, includeDeprecated: true }) {
  edges { node { name versions { version digest message lifecycle { state } } } } } }`;

interface ListedVersion {
  version: string;
  digest: string;
  message: string | null;
  lifecycle: { state: string };
}
type Listing = { packs: { edges: Array<{ node: { name: string; versions: ListedVersion[] } }> } };

function gql(replica: Replica, query: string, variables: Record<string, unknown> = {}) {
  return replicaGql(replica, adminToken, query, variables);
}

describe('the listing read model of version rows', () => {
  let a: Replica;
  let b: Replica;
  let sql: pg.Client;
  let registry: string;
  /** The pack every write goes to, and one no write touches. */
  let written: string;
  let other: string;

  beforeAll(async () => {
    a = await startReplica(adminToken);
    b = await startReplica(adminToken);
    sql = new pg.Client({ connectionString: replicaDatabaseUrl() });
    await sql.connect();
    registry = uniqueName('rows');
    written = uniqueName('written');
    other = uniqueName('other');
    await gql(a, 'mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name: registry, kind: 'HOSTED' } });
    for (const [name, version] of [
      [written, '1.0.0'],
      [other, '1.0.0'],
    ]) {
      expect((await pushArchive(a.server.url, adminToken, registry, addonPackTarball(name!, version!))).body.errors).toBeUndefined();
    }
  }, 60_000);

  afterAll(async () => {
    await sql?.end();
    await stopReplicas(a, b);
  });

  const listOn = async (replica: Replica) => (await gql(replica, LIST, { r: [registry] })) as Listing;
  const versionsOf = (listing: Listing, name: string) => listing.packs.edges.find((e) => e.node.name === name)?.node.versions ?? [];

  async function packRevision(name: string): Promise<{ id: string; revision: bigint }> {
    const { rows } = await sql.query<{ id: string; revision: string }>('SELECT p.id, p."versionsRevision"::text AS revision FROM "Pack" p JOIN "Registry" r ON r.id = p."registryId" WHERE r.name = $1 AND p.name = $2', [registry, name]);
    return { id: rows[0]!.id, revision: BigInt(rows[0]!.revision) };
  }

  /** What `replica`'s read model holds for pack `name` at its revision in the database now. */
  async function heldRows(replica: Replica, name: string): Promise<readonly VersionRow[] | undefined> {
    const { id, revision } = await packRevision(name);
    return replica.server.services.packStore.versionRows.get(id, revision);
  }

  /**
   * Lists on both replicas (twice on each: the second page comes from the page cache), so the page
   * cache and the read model are warm; answers the other pack's held rows on each.
   */
  async function warm(): Promise<Array<readonly VersionRow[]>> {
    for (const replica of [a, b]) {
      await listOn(replica);
      await listOn(replica);
    }
    const held = [await heldRows(a, other), await heldRows(b, other)];
    expect(held[0]).toBeDefined();
    expect(held[1]).toBeDefined();
    return held as Array<readonly VersionRow[]>;
  }

  /**
   * After a write to `written`: the next page on the writer shows it at once, the other replica's
   * within 1 s (its page cache hears of it by NOTIFY; its read model by the revision the page reads),
   * and neither read the other pack's rows again.
   */
  async function expectNextPages(before: Array<readonly VersionRow[]>, check: (versions: ListedVersion[]) => boolean): Promise<void> {
    expect(check(versionsOf(await listOn(a), written))).toBe(true);
    const started = Date.now();
    while (!check(versionsOf(await listOn(b), written))) {
      if (Date.now() - started > 1_000) throw new Error('the other replica still lists the old versions after 1 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // The same frozen array as before the write: the other pack's rows were not read again.
    expect(await heldRows(a, other)).toBe(before[0]);
    expect(await heldRows(b, other)).toBe(before[1]);
  }

  it('moves a pack revision with every statement that writes its versions, and only that pack', async () => {
    const [w, o] = [await packRevision(written), await packRevision(other)];
    await sql.query('UPDATE "PackVersion" SET message = message WHERE "packId" = $1', [w.id]);
    expect((await packRevision(written)).revision).toBe(w.revision + 1n);
    expect((await packRevision(other)).revision).toBe(o.revision);
  });

  it('shows a version pushed with the caches warm', async () => {
    const before = await warm();
    expect(versionsOf(await listOn(b), written).map((v) => v.version)).toEqual(['1.0.0']);
    expect((await pushArchive(a.server.url, adminToken, registry, addonPackTarball(written, '1.1.0'))).body.errors).toBeUndefined();
    await expectNextPages(before, (versions) => versions.map((v) => v.version).join() === '1.1.0,1.0.0');
  });

  it('drops a deleted version', async () => {
    const before = await warm();
    await gql(a, 'mutation($r: String!, $n: String!) { deletePackVersion(registry: $r, name: $n, version: "1.1.0") }', { r: registry, n: written });
    await expectNextPages(before, (versions) => versions.map((v) => v.version).join() === '1.0.0');
  });

  it('shows a lifecycle set by a publisher, then the version deprecated', async () => {
    let before = await warm();
    expect(versionsOf(await listOn(a), written)[0]!.lifecycle.state).toBe('ACTIVE');
    const setLifecycle = 'mutation($r: String!, $n: String!, $s: PackLifecycleState!) { setPackVersionLifecycle(registry: $r, name: $n, version: "1.0.0", state: $s) { version } }';
    await gql(a, setLifecycle, { r: registry, n: written, s: 'DISABLED' });
    await expectNextPages(before, (versions) => versions[0]?.lifecycle.state === 'DISABLED');
    before = await warm();
    await gql(b, setLifecycle, { r: registry, n: written, s: 'DEPRECATED' });
    // Written on b this time: a is the one that hears of it.
    await expectNextPages(before, (versions) => versions[0]?.lifecycle.state === 'DEPRECATED');
  });

  it('shows a raw SQL UPDATE of a version by another writer on the next page after any catalog write, on both replicas', async () => {
    await warm();
    const { id, revision } = await packRevision(written);
    const held = b.server.services.packStore.versionRows.get(id, revision);
    expect(held).toBeDefined();
    // No catalog write, no NOTIFY: the cached pages still serve, and rightly say nothing of it.
    await sql.query('UPDATE "PackVersion" SET message = $1 WHERE "packId" = $2', ['changed by another writer', id]);
    expect(versionsOf(await listOn(b), written)[0]!.message).not.toBe('changed by another writer');
    // The read model holds the rows of before the UPDATE under their old revision only: the
    // revision the next page reads is the trigger's new one, which finds nothing.
    expect((await packRevision(written)).revision).toBe(revision + 1n);
    expect(await heldRows(b, written)).toBeUndefined();
    // A catalog write elsewhere (the other pack) drops the cached pages on both replicas.
    expect((await pushArchive(a.server.url, adminToken, registry, addonPackTarball(other, '1.1.0'))).body.errors).toBeUndefined();
    expect(versionsOf(await listOn(a), written)[0]!.message).toBe('changed by another writer');
    const started = Date.now();
    while (versionsOf(await listOn(b), written)[0]!.message !== 'changed by another writer') {
      if (Date.now() - started > 1_000) throw new Error('the other replica still lists the old message after 1 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(versionsOf(await listOn(b), other).map((v) => v.version)).toEqual(['1.1.0', '1.0.0']);
  });

  it('serves a raw write to the next page read from the database even when no replica was told of it', async () => {
    await warm();
    const { id } = await packRevision(written);
    const held = await heldRows(b, written);
    expect(held?.[0]?.message).toBe('changed by another writer');
    await sql.query('UPDATE "PackVersion" SET message = $1 WHERE "packId" = $2', ['told nobody', id]);
    // b's change feed moves (as any catalog write's would) and drops its cached pages; nothing
    // touches its read model, which still holds the rows above under the old revision.
    b.server.services.catalogChanges.changed();
    expect(versionsOf(await listOn(b), written)[0]!.message).toBe('told nobody');
  });

  it('reads pack and registry rows as Prisma does, and shows a raw UPDATE of either on the next page', async () => {
    await warm();
    const store = a.server.services.packStore;
    // Registry credentials are bytes: the listing decodes them as Prisma does.
    await sql.query(`UPDATE "Registry" SET credentials = '\\x0a0b0c'::bytea WHERE name = $1`, [registry]);
    const expectSameAsPrisma = async () => {
      const page = await store.listingPage(ADMIN, { registry: [registry], includeDeprecated: true }, null, 50);
      const prismaRows = await store.packRowsByNames(ADMIN, page.names);
      expect(page.names).toEqual([other, written].sort());
      for (const name of page.names) expect(page.sources.get(name)).toEqual(sortSources(prismaRows.filter((r) => r.name === name)));
      return page;
    };
    const before = await expectSameAsPrisma();
    // Read again with every row held: the same objects, as Prisma's rows still.
    const again = await expectSameAsPrisma();
    expect(again.sources.get(written)![0]).toBe(before.sources.get(written)![0]);
    expect(again.sources.get(written)![0]!.registry.credentials).toEqual(new Uint8Array([10, 11, 12]));

    await sql.query('UPDATE "Pack" SET "displayName" = $1 WHERE name = $2', ['renamed behind the catalog', written]);
    await sql.query('UPDATE "Registry" SET priority = 7 WHERE name = $1', [registry]);
    const after = await expectSameAsPrisma();
    expect(after.sources.get(written)![0]!.displayName).toBe('renamed behind the catalog');
    expect(after.sources.get(other)![0]!.registry.priority).toBe(7);
    // The version rows did not change: still the ones held.
    expect(after.versions.get(after.sources.get(other)![0]!.id)).toBe(before.versions.get(before.sources.get(other)![0]!.id));
    a.server.services.catalogChanges.changed();
    const listed = await gql(a, `query($r: [String!]) { packs(first: 50, filter: { registry: $r, includeDeprecated: true }) { edges { node { name displayName registry { name priority } } } } }`, { r: [registry] });
    const node = listed.packs.edges.find((e: { node: { name: string } }) => e.node.name === written).node;
    expect(node).toEqual({ name: written, displayName: 'renamed behind the catalog', registry: { name: registry, priority: 7 } });
  });
});
