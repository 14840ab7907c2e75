/**
 * Issue 16 (3): setPackVersionLifecycle keeps what derives from the versions' lifecycle in step:
 * `Pack.deprecated` (none of its live versions ACTIVE) and the listing that hides deprecated packs,
 * with the listing page cache on (coherent through LISTEN/NOTIFY, as the server wires it), so a
 * page cached before the change is not served after it. Real PostgreSQL.
 */
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';
import { pushArchive } from '../helpers/packs.js';
import { addonPackTarball, buildTarGz, minimalPackEntries } from '../helpers/tar-builder.js';

const LIST = `query($f: PackFilter) { packs(first: 10, filter: $f) { totalCount edges { node { name deprecated } } } }`;
const PACK = 'query($n: String!, $r: String) { pack(name: $n, registry: $r) { deprecated } }';
const SET = `mutation($r: String!, $n: String!, $v: String!, $s: PackLifecycleState!) {
  setPackVersionLifecycle(registry: $r, name: $n, version: $v, state: $s) { version deprecated lifecycle { state } }
}`;

describe('setPackVersionLifecycle and the pack-level deprecated flag', () => {
  let t: TestApp;
  let registry: string;
  beforeAll(async () => {
    t = await createTestApp({ s3: false });
    // The listing page cache serves only while catalog changes reach this process (the server wires this).
    if (t.database.kind === 'postgresql') await t.services.catalogChanges.listen(t.database.connectionString);
    else t.services.catalogChanges.useExclusiveDatabase();
    registry = uniqueName('flag');
    const made = await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name: registry, kind: 'HOSTED' } });
    expect(made.body.errors).toBeUndefined();
  }, 60_000);
  afterAll(async () => {
    await t.services.catalogChanges.close();
    await t.close();
  });

  const push = async (name: string, version: string) => {
    const pushed = await pushArchive(t.app, t.adminToken, registry, addonPackTarball(name, version));
    expect(pushed.body.errors).toBeUndefined();
  };
  const set = async (name: string, version: string, state: string) => {
    const { body } = await t.gql(SET, { r: registry, n: name, v: version, s: state });
    expect(body.errors).toBeUndefined();
    return body.data!.setPackVersionLifecycle;
  };
  const listed = async (name: string, includeDeprecated = false) =>
    (await t.gql(LIST, { f: { search: name, registry: [registry], includeDeprecated } })).body.data!.packs.edges.map(
      (e: { node: { name: string; deprecated: boolean } }) => e.node,
    );
  const packDeprecated = async (name: string) => (await t.gql(PACK, { n: name, r: registry })).body.data!.pack.deprecated;

  it('deprecates the pack when its last ACTIVE version is deprecated or disabled, and lists it again when one is ACTIVE', async () => {
    expect(t.services.catalogChanges.coherent).toBe(true);
    const name = uniqueName('flagged');
    await push(name, '1.0.0');
    await push(name, '2.0.0');
    // Cached now: the page must not outlive the changes below.
    expect(await listed(name)).toEqual([{ name, deprecated: false }]);

    // An old version deprecated: the pack keeps an ACTIVE version and stays listed.
    await set(name, '1.0.0', 'DEPRECATED');
    expect(await listed(name)).toEqual([{ name, deprecated: false }]);
    expect(await packDeprecated(name)).toBe(false);

    // The last ACTIVE one disabled: every live version is out of use, so the pack is deprecated and hidden.
    await set(name, '2.0.0', 'DISABLED');
    expect(await listed(name)).toEqual([]);
    expect(await listed(name, true)).toEqual([{ name, deprecated: true }]);
    expect(await packDeprecated(name)).toBe(true);
    const total = await t.gql(LIST, { f: { search: name, registry: [registry] } });
    expect(total.body.data!.packs.totalCount).toBe(0);

    // One version made ACTIVE again: listed again.
    await set(name, '1.0.0', 'ACTIVE');
    expect(await listed(name)).toEqual([{ name, deprecated: false }]);
    expect(await packDeprecated(name)).toBe(false);
  });

  it('keeps a set lifecycle when the version is pushed again with other bytes', async () => {
    const name = uniqueName('repushed');
    await push(name, '1.0.0');
    const before = await t.database.prisma.packVersion.findFirstOrThrow({ where: { version: '1.0.0', pack: { name } } });
    expect(await set(name, '1.0.0', 'DEPRECATED')).toMatchObject({ deprecated: true, lifecycle: { state: 'DEPRECATED' } });
    expect(await packDeprecated(name)).toBe(true);

    // A forced push of other bytes (other values): the version's flag stays in step with the lifecycle its publisher set.
    const packJson = JSON.stringify({ name, displayName: name, version: '1.0.0', layer: 'addon', cloudTypes: ['all'], charts: [] });
    const rebuilt = buildTarGz(minimalPackEntries(`${name}-1.0.0`, { 'pack.json': packJson, 'values.yaml': `pack:\n  namespace: ${name}-rebuilt\n`, 'charts/demo-1.0.0.tgz': undefined }));
    const pushed = await pushArchive(t.app, t.adminToken, registry, rebuilt, { force: true, message: 'rebuilt' });
    expect(pushed.body.errors).toBeUndefined();
    expect(pushed.body.data.pushPack.digest).not.toBe(before.digest);
    const row = await t.database.prisma.packVersion.findFirstOrThrow({ where: { version: '1.0.0', pack: { name, registry: { name: registry } } } });
    expect(row.deprecated).toBe(true);
    expect(await listed(name)).toEqual([]);
  });
});
