/**
 * packFacets (issue 15, the console's catalog page) on PostgreSQL: counts per layer, registry, cloud
 * type and add-on type of the packs a filter matches, each facet counted with the other facets'
 * choices applied (choosing a layer does not zero the other layers), every count equal to the
 * totalCount `packs` answers with that value chosen, the caller's registry read scope applied as
 * `packs` applies it, and the cached answer dropped by a catalog write.
 */
import { createTestApp, createToken, uniqueName, type TestApp } from '../helpers/test-app.js';
import { pushArchive } from '../helpers/packs.js';
import { buildTarGz, minimalPackEntries } from '../helpers/tar-builder.js';

const FACETS = `query($f: PackFilter) {
  packFacets(filter: $f) { totalCount layer { layer count } registry { value count } cloudType { value count } addonType { value count } }
}`;
const TOTAL = 'query($f: PackFilter) { packs(first: 1, filter: $f) { totalCount } }';

interface Facets {
  totalCount: number;
  layer: Array<{ layer: string; count: number }>;
  registry: Array<{ value: string; count: number }>;
  cloudType: Array<{ value: string; count: number }>;
  addonType: Array<{ value: string; count: number }>;
}

describe('packFacets', () => {
  let t: TestApp;
  let prefix: string;
  let shared: string;
  let secret: string;
  beforeAll(async () => {
    t = await createTestApp({ s3: false });
    // Cached answers serve only while catalog changes reach this process (the server wires this).
    if (t.database.kind === 'postgresql') await t.services.catalogChanges.listen(t.database.connectionString);
    else t.services.catalogChanges.useExclusiveDatabase();
    prefix = uniqueName('facet');
    shared = uniqueName('facets-public');
    secret = uniqueName('facets-private');
    for (const [name, visibility] of [[shared, 'PUBLIC'], [secret, 'PRIVATE']]) {
      const made = await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name, kind: 'HOSTED', visibility } });
      expect(made.body.errors).toBeUndefined();
    }
    await push(shared, 'cni', 'cni', ['aws']);
    await push(shared, 'csi', 'csi', ['aws', 'azure']);
    await push(shared, 'mon', 'addon', ['all'], 'monitoring');
    await push(shared, 'sec', 'addon', ['gcp'], 'Security');
    await push(shared, 'old', 'addon', ['aws'], 'monitoring', { system_state: 'deprecated' });
    await push(secret, 'mon', 'addon', ['all'], 'monitoring');
    await push(secret, 'log', 'addon', ['aws'], 'logging');
  }, 60_000);
  afterAll(async () => {
    await t.services.catalogChanges.close();
    await t.close();
  });

  async function push(registry: string, short: string, layer: string, cloudTypes: string[], addonType?: string, annotations?: Record<string, string>) {
    const name = `${prefix}-${short}`;
    const packJson = JSON.stringify({ name, displayName: name, version: '1.0.0', layer, cloudTypes, charts: [], ...(addonType ? { addonType } : {}), ...(annotations ? { annotations } : {}) });
    const archive = buildTarGz(minimalPackEntries(`${name}-1.0.0`, { 'pack.json': packJson, 'values.yaml': `pack:\n  namespace: ${name}\n`, 'charts/demo-1.0.0.tgz': undefined }));
    const pushed = await pushArchive(t.app, t.adminToken, registry, archive);
    expect(pushed.body.errors).toBeUndefined();
  }
  const facetsOf = async (filter: Record<string, unknown>, token?: string): Promise<Facets> => {
    const { body } = await t.gql(FACETS, { f: { search: prefix, ...filter } }, token);
    expect(body.errors).toBeUndefined();
    return body.data!.packFacets;
  };
  const totalOf = async (filter: Record<string, unknown>, token?: string): Promise<number> => {
    const { body } = await t.gql(TOTAL, { f: { search: prefix, ...filter } }, token);
    expect(body.errors).toBeUndefined();
    return body.data!.packs.totalCount;
  };
  /** Every count is what `packs` answers with that value chosen (the facet's own choice replaced). */
  const expectCountsMatchListing = async (filter: Record<string, unknown>, facets: Facets, token?: string) => {
    expect(facets.totalCount).toBe(await totalOf(filter, token));
    for (const { layer, count } of facets.layer) expect([layer, await totalOf({ ...filter, layer: [layer] }, token)]).toEqual([layer, count]);
    for (const { value, count } of facets.registry) expect([value, await totalOf({ ...filter, registry: [value] }, token)]).toEqual([value, count]);
    for (const { value, count } of facets.cloudType) expect([value, await totalOf({ ...filter, cloudType: value }, token)]).toEqual([value, count]);
    for (const { value, count } of facets.addonType) expect([value, await totalOf({ ...filter, addonType: value }, token)]).toEqual([value, count]);
  };

  it('counts pack names per value over every readable registry (a name in two registries counts once per facet value)', async () => {
    const facets = await facetsOf({});
    expect(facets).toEqual({
      totalCount: 5,
      layer: [
        { layer: 'CNI', count: 1 },
        { layer: 'CSI', count: 1 },
        { layer: 'ADDON', count: 3 },
      ],
      registry: [
        { value: shared, count: 4 },
        { value: secret, count: 2 },
      ],
      // `mon` is for all clouds: it counts in each, and in `all`.
      cloudType: [
        { value: 'aws', count: 4 },
        { value: 'azure', count: 2 },
        { value: 'gcp', count: 2 },
        { value: 'all', count: 1 },
      ],
      addonType: [
        { value: 'logging', count: 1 },
        { value: 'monitoring', count: 1 },
        { value: 'security', count: 1 },
      ],
    });
    await expectCountsMatchListing({}, facets);
    // The deprecated pack comes back when asked for.
    const all = await facetsOf({ includeDeprecated: true });
    expect(all.totalCount).toBe(6);
    expect(all.addonType.find((v) => v.value === 'monitoring')).toEqual({ value: 'monitoring', count: 2 });
  });

  it('counts each facet with the other facets\' choices applied and its own left out', async () => {
    const chosen = { layer: ['ADDON'], cloudType: 'aws' };
    const facets = await facetsOf(chosen);
    expect(facets.totalCount).toBe(2); // mon (all clouds), log
    // Choosing ADDON leaves the other layers' counts (for aws) in place.
    expect(facets.layer).toEqual([
      { layer: 'CNI', count: 1 },
      { layer: 'CSI', count: 1 },
      { layer: 'ADDON', count: 2 },
    ]);
    // The cloud counts are for add-ons: sec is on gcp, mon on all clouds.
    expect(facets.cloudType).toEqual([
      { value: 'aws', count: 2 },
      { value: 'all', count: 1 },
      { value: 'azure', count: 1 },
      { value: 'gcp', count: 2 },
    ].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)));
    expect(facets.registry).toEqual([
      { value: secret, count: 2 },
      { value: shared, count: 1 },
    ]);
    await expectCountsMatchListing(chosen, facets);

    // A chosen value nothing matches stays listed, with 0, so it can be cleared.
    const none = await facetsOf({ layer: ['KERNEL'], addonType: 'Nothing-Here' });
    expect(none.totalCount).toBe(0);
    expect(none.layer.find((l) => l.layer === 'KERNEL')).toEqual({ layer: 'KERNEL', count: 0 });
    expect(none.addonType).toEqual([{ value: 'nothing-here', count: 0 }]);
  });

  it('counts only the registries the caller may read, as packs does', async () => {
    const viewer = await createToken(t, 'VIEWER', []);
    const outside = await facetsOf({}, viewer);
    expect(outside.registry).toEqual([{ value: shared, count: 4 }]);
    expect(outside.totalCount).toBe(4);
    expect(outside.addonType.map((v) => v.value)).toEqual(['monitoring', 'security']);
    await expectCountsMatchListing({}, outside, viewer);
    // Naming the private registry in the filter reveals nothing.
    const probing = await facetsOf({ registry: [secret] }, viewer);
    expect(probing.totalCount).toBe(0);
    expect(probing.registry).toEqual([{ value: shared, count: 4 }, { value: secret, count: 0 }]);

    const insider = await createToken(t, 'VIEWER', [secret]);
    expect((await facetsOf({}, insider)).registry).toEqual([
      { value: shared, count: 4 },
      { value: secret, count: 2 },
    ]);
    // Anonymous reads are off here.
    expect((await t.gql(FACETS, { f: { search: prefix } }, null)).body.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  });

  it('answers from the cache until the catalog changes', async () => {
    expect(t.services.catalogChanges.coherent).toBe(true);
    const filter = { layer: ['CNI', 'CSI'] };
    const before = await facetsOf(filter);
    t.takeQueryCount();
    expect(await facetsOf(filter)).toEqual(before);
    expect(t.takeQueryCount()).toBe(0);

    await push(shared, 'cni2', 'cni', ['vsphere']);
    const after = await facetsOf(filter);
    expect(after.totalCount).toBe(before.totalCount + 1);
    expect(after.layer.find((l) => l.layer === 'CNI')).toEqual({ layer: 'CNI', count: 2 });
    expect(after.cloudType.find((c) => c.value === 'vsphere')).toEqual({ value: 'vsphere', count: 1 });
  });

  it('refuses an over-long search like packs does', async () => {
    const { body } = await t.gql(FACETS, { f: { search: 'x'.repeat(201) } });
    expect(body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.search' });
  });
});
