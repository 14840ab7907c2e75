/**
 * Issue 17 (1): every write path records its events in its own transaction (the CatalogEvent
 * outbox), read back through `catalogEvents`: pushPack, a refused push (none), delete, tag moves,
 * lifecycle changes with PROFILE_INVALIDATED for a saved profile on the version, and a directory
 * sync that fails the same way twice (one SYNC_FAILED) then recovers (SYNC_RECOVERED).
 * Every count is filtered by this file's own registries: other files share the database.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestApp, createToken, uniqueName, type TestApp } from '../../helpers/test-app.js';
import { pushArchive, PACK_CENTRAL } from '../../helpers/packs.js';
import { addonPackTarball, buildTarGz, minimalPackEntries } from '../../helpers/tar-builder.js';
import { createUpstreamRegistry } from '../../helpers/federation.js';

const EVENTS = `query($f: CatalogEventFilterInput, $first: Int, $after: String) {
  catalogEvents(filter: $f, first: $first, after: $after) {
    edges { cursor node { id type occurredAt registry pack version data } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface EventNode {
  id: string;
  type: string;
  registry: string | null;
  pack: string | null;
  version: string | null;
  data: Record<string, any>;
}

describe('catalog events (the outbox)', () => {
  let t: TestApp;
  let registry: string;
  beforeAll(async () => {
    t = await createTestApp({ s3: false });
    registry = uniqueName('events');
    const made = await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name: registry, kind: 'HOSTED' } });
    expect(made.body.errors).toBeUndefined();
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  const eventsOf = async (registries: string[], token = t.adminToken): Promise<EventNode[]> => {
    const { body } = await t.gql(EVENTS, { f: { registries }, first: 100 }, token);
    expect(body.errors).toBeUndefined();
    return body.data!.catalogEvents.edges.map((e: { node: EventNode }) => e.node);
  };

  it('records PACK_VERSION_PUBLISHED for a push, and nothing for a refused one', async () => {
    const pack = uniqueName('ev-pack');
    const first = await pushArchive(t.app, t.adminToken, registry, addonPackTarball(pack, '1.0.0'));
    expect(first.body.errors).toBeUndefined();
    // The same version with other bytes, not forced: CONFLICT, and no event.
    const again = await pushArchive(t.app, t.adminToken, registry, otherBytes(pack));
    expect(again.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const events = (await eventsOf([registry])).filter((e) => e.pack === pack);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'PACK_VERSION_PUBLISHED', registry, pack, version: '1.0.0', data: { status: 'created' } });
    expect(events[0].data.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    // A global id, refetched by node(id:).
    const node = await t.gql('query($id: ID!) { node(id: $id) { id ... on CatalogEvent { type pack } } }', { id: events[0].id });
    expect(node.body.data!.node).toEqual({ id: events[0].id, type: 'PACK_VERSION_PUBLISHED', pack });
  });

  it('records tag moves (publisher tags only), lifecycle changes, deletions, and PROFILE_INVALIDATED for a saved profile', async () => {
    const pack = uniqueName('ev-life');
    for (const version of ['1.0.0', '1.1.0']) {
      const pushed = await pushArchive(t.app, t.adminToken, registry, addonPackTarball(pack, version));
      expect(pushed.body.errors).toBeUndefined();
    }
    const tag = (version: string) =>
      t.gql('mutation($r: String!, $n: String!, $v: String!) { addPackTag(registry: $r, name: $n, version: $v, tag: "lts__one") { version } }', {
        r: registry,
        n: pack,
        v: version,
      });
    expect((await tag('1.0.0')).body.errors).toBeUndefined();
    expect((await tag('1.0.0')).body.errors).toBeUndefined(); // same version again: no move
    expect((await tag('1.1.0')).body.errors).toBeUndefined();

    // A saved add-on profile on 1.1.0 by exact version, another through the tag.
    const saveProfile = async (versionRef: string) => {
      const name = uniqueName('ev-prof');
      const { body } = await t.gql('mutation($i: ProfileInput!) { createProfile(input: $i) { name version } }', {
        i: { name, type: 'ADDON', cloudType: 'all', layers: [{ pack, version: versionRef, registry }] },
      });
      expect(body.errors).toBeUndefined();
      return name;
    };
    const exact = await saveProfile('1.1.0');
    const viaTag = await saveProfile('lts__one');

    const set = await t.gql(
      'mutation($r: String!, $n: String!) { setPackVersionLifecycle(registry: $r, name: $n, version: "1.1.0", state: DEPRECATED) { version } }',
      { r: registry, n: pack },
    );
    expect(set.body.errors).toBeUndefined();
    const removed = await t.gql('mutation($r: String!, $n: String!) { deletePackVersion(registry: $r, name: $n, version: "1.0.0") }', { r: registry, n: pack });
    expect(removed.body.errors).toBeUndefined();

    const events = (await eventsOf([registry])).filter((e) => e.pack === pack);
    expect(events.map((e) => `${e.type} ${e.version}`)).toEqual([
      'PACK_VERSION_PUBLISHED 1.0.0',
      'PACK_VERSION_PUBLISHED 1.1.0',
      'PACK_TAG_MOVED 1.0.0',
      'PACK_TAG_MOVED 1.1.0',
      'PACK_LIFECYCLE_CHANGED 1.1.0',
      'PROFILE_INVALIDATED 1.1.0',
      'PROFILE_INVALIDATED 1.1.0',
      'PACK_VERSION_DELETED 1.0.0',
    ]);
    expect(events[2].data).toMatchObject({ tag: 'lts__one', from: null, to: '1.0.0' });
    expect(events[3].data).toMatchObject({ tag: 'lts__one', from: '1.0.0', to: '1.1.0' });
    expect(events[4].data).toMatchObject({ from: 'ACTIVE', to: 'DEPRECATED' });
    const hit = events.filter((e) => e.type === 'PROFILE_INVALIDATED').map((e) => e.data.profile.name).sort();
    expect(hit).toEqual([exact, viaTag].sort());
    expect(events[5].data.reason).toBe('DEPRECATED');
    expect(events[7].data).toMatchObject({ reason: 'DELETED' });
  });

  it('hides events of registries the reader may not read', async () => {
    const hidden = uniqueName('ev-private');
    const made = await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name: hidden, kind: 'HOSTED', visibility: 'PRIVATE' } });
    expect(made.body.errors).toBeUndefined();
    expect((await pushArchive(t.app, t.adminToken, hidden, addonPackTarball(uniqueName('ev-hid'), '1.0.0'))).body.errors).toBeUndefined();
    const viewer = await createToken(t, 'VIEWER', []);
    expect(await eventsOf([hidden], viewer)).toEqual([]);
    expect(await eventsOf([hidden])).toHaveLength(1);
  });

  it('says SYNC_FAILED once for the same failure repeated, again when it changes, then SYNC_RECOVERED', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'pack-catalog-events-'));
    try {
      const name = uniqueName('ev-sync');
      await cp(path.join(PACK_CENTRAL, 'full', 'kubewatch-1.0.7'), path.join(root, 'kubewatch-1.0.7'), { recursive: true });
      const broken = path.join(root, 'broken-1.0.0');
      await mkdir(broken);
      await writeFile(path.join(broken, 'pack.json'), '{ not json');
      await createUpstreamRegistry(t, { name, kind: 'DIRECTORY', endpoint: root });
      const run = async () => (await t.services.sync.run(name, { force: true })).state;
      expect(await run()).toBe('PARTIAL');
      expect(await run()).toBe('PARTIAL');
      const second = path.join(root, 'broken-2.0.0');
      await mkdir(second);
      await writeFile(path.join(second, 'pack.json'), '{ not json either');
      expect(await run()).toBe('PARTIAL');
      await rm(broken, { recursive: true });
      await rm(second, { recursive: true });
      expect(await run()).toBe('SUCCEEDED');
      expect(await run()).toBe('SUCCEEDED');
      const events = (await eventsOf([name])).filter((e) => e.type.startsWith('SYNC_'));
      expect(events.map((e) => e.type)).toEqual(['SYNC_FAILED', 'SYNC_FAILED', 'SYNC_RECOVERED']);
      expect(events[0].data).toMatchObject({ state: 'PARTIAL', failedItems: 1 });
      expect(events[1].data).toMatchObject({ state: 'PARTIAL', failedItems: 2 });
      // The sync's own writes: the good pack published once.
      const published = (await eventsOf([name])).filter((e) => e.type === 'PACK_VERSION_PUBLISHED');
      expect(published.map((e) => `${e.pack}@${e.version}`)).toEqual(['kubewatch@1.0.7']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

/** Another archive of `pack`@1.0.0: the same pack.json, other values (other bytes). */
function otherBytes(pack: string): Buffer {
  return buildTarGz(
    minimalPackEntries(`${pack}-1.0.0`, {
      'pack.json': JSON.stringify({ name: pack, displayName: pack, version: '1.0.0', layer: 'addon', cloudTypes: ['all'], charts: [] }),
      'values.yaml': `pack:\n  namespace: ${pack}-other\n`,
      'charts/demo-1.0.0.tgz': undefined,
    }),
  );
}
