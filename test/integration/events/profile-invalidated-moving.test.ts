/**
 * Issue 17 (1), PROFILE_INVALIDATED through moving references: a saved profile whose layer names
 * a pack by `latest` or a parent tag (`1.31.x`) is hit when the version that reference resolves to
 * is deprecated or disabled (validation warns, then refuses), as one naming it exactly is; one on a
 * parent tag of another minor (`1.30.x`) is not. A layer with no registry resolves by registry
 * priority, as validation does: a higher-priority source holding the pack takes it elsewhere. On a
 * delete, `latest` and parent tags move to another version: only the exact layer is hit.
 * Real PostgreSQL; events filtered by this file's own registries and packs.
 */
import { createTestApp, uniqueName, type TestApp } from '../../helpers/test-app.js';
import { pushArchive } from '../../helpers/packs.js';
import { addonPackTarball } from '../../helpers/tar-builder.js';

const EVENTS = `query($f: CatalogEventFilterInput, $first: Int) {
  catalogEvents(filter: $f, first: $first) { edges { node { type registry pack version data } } }
}`;

interface EventNode {
  type: string;
  registry: string | null;
  pack: string | null;
  version: string | null;
  data: Record<string, any>;
}

describe('PROFILE_INVALIDATED for latest and parent-tag layers', () => {
  let t: TestApp;
  let low: string;
  let high: string;
  beforeAll(async () => {
    t = await createTestApp({ s3: false });
    low = uniqueName('evmv-low');
    high = uniqueName('evmv-high');
    for (const [name, priority] of [
      [low, 0],
      [high, 50],
    ] as const) {
      const made = await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name, kind: 'HOSTED', priority } });
      expect(made.body.errors).toBeUndefined();
    }
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  const push = async (registry: string, pack: string, versions: string[]) => {
    for (const version of versions) {
      const pushed = await pushArchive(t.app, t.adminToken, registry, addonPackTarball(pack, version));
      expect(pushed.body.errors).toBeUndefined();
    }
  };
  const saveProfile = async (pack: string, version: string, registry: string | null) => {
    const name = uniqueName('evmv-prof');
    const layer = registry ? { pack, version, registry } : { pack, version };
    const { body } = await t.gql('mutation($i: ProfileInput!) { createProfile(input: $i) { name } }', {
      i: { name, type: 'ADDON', cloudType: 'all', layers: [layer] },
    });
    expect(body.errors).toBeUndefined();
    return name;
  };
  const setState = async (registry: string, pack: string, version: string, state: string) => {
    const { body } = await t.gql(
      'mutation($r: String!, $n: String!, $v: String!, $s: PackLifecycleState!) { setPackVersionLifecycle(registry: $r, name: $n, version: $v, state: $s) { version } }',
      { r: registry, n: pack, v: version, s: state },
    );
    expect(body.errors).toBeUndefined();
  };
  /** The profiles hit on `pack`, as `reason profile` lines, sorted. */
  const hits = async (pack: string): Promise<string[]> => {
    const { body } = await t.gql(EVENTS, { f: { registries: [low, high], packs: [pack], types: ['PROFILE_INVALIDATED'] }, first: 100 });
    expect(body.errors).toBeUndefined();
    const events: EventNode[] = body.data!.catalogEvents.edges.map((e: { node: EventNode }) => e.node);
    for (const e of events) expect(e.pack).toBe(pack);
    return events.map((e) => `${e.data.reason} ${e.registry} ${e.version} ${e.data.profile.name}`).sort();
  };

  it('hits latest, the parent tag and the exact version on deprecate and disable, not another minor; a delete hits the exact one only', async () => {
    const pack = uniqueName('evmv-pack');
    await push(low, pack, ['1.30.0', '1.31.0', '1.31.2']);
    const latest = await saveProfile(pack, 'latest', low);
    const parent = await saveProfile(pack, '1.31.x', low);
    const exact = await saveProfile(pack, '1.31.2', low);
    const major = await saveProfile(pack, '1.x', null); // no registry: the pack's only source
    const otherMinor = await saveProfile(pack, '1.30.x', low);

    await setState(low, pack, '1.31.2', 'DEPRECATED');
    const onDeprecate = [latest, parent, exact, major].map((p) => `DEPRECATED ${low} 1.31.2 ${p}`).sort();
    expect(await hits(pack)).toEqual(onDeprecate);

    await setState(low, pack, '1.31.2', 'DISABLED');
    const onDisable = [latest, parent, exact, major].map((p) => `DISABLED ${low} 1.31.2 ${p}`);
    expect(await hits(pack)).toEqual([...onDeprecate, ...onDisable].sort());
    expect((await hits(pack)).some((line) => line.endsWith(otherMinor))).toBe(false);

    const removed = await t.gql('mutation($r: String!, $n: String!) { deletePackVersion(registry: $r, name: $n, version: "1.31.2") }', { r: low, n: pack });
    expect(removed.body.errors).toBeUndefined();
    expect(await hits(pack)).toEqual([...onDeprecate, ...onDisable, `DELETED ${low} 1.31.2 ${exact}`].sort());

    // After the delete `latest` lands on 1.31.0: deprecating that hits the moving layers again (1.30.x still not).
    await setState(low, pack, '1.31.0', 'DEPRECATED');
    const moved = (await hits(pack)).filter((line) => line.includes(' 1.31.0 '));
    expect(moved).toEqual([latest, parent, major].map((p) => `DEPRECATED ${low} 1.31.0 ${p}`).sort());
  });

  it('resolves a layer with no registry by registry priority, one with a registry in that registry', async () => {
    const pack = uniqueName('evmv-prio');
    await push(low, pack, ['2.0.0', '2.1.0']);
    await push(high, pack, ['2.0.0']);
    const inLow = await saveProfile(pack, 'latest', low);
    const anywhere = await saveProfile(pack, 'latest', null); // the higher-priority source answers: 2.0.0 there
    const anywhereMinor = await saveProfile(pack, '2.x', null);

    await setState(low, pack, '2.1.0', 'DISABLED');
    expect(await hits(pack)).toEqual([`DISABLED ${low} 2.1.0 ${inLow}`]);

    await setState(high, pack, '2.0.0', 'DEPRECATED');
    expect(await hits(pack)).toEqual([`DISABLED ${low} 2.1.0 ${inLow}`, ...[anywhere, anywhereMinor].map((p) => `DEPRECATED ${high} 2.0.0 ${p}`)].sort());
  });
});
