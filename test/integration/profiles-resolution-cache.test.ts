/**
 * Layer resolution kept between requests (src/profiles/profile.resolution-cache.ts): with catalog
 * change notifications wired (as the server wires them), a repeated validateProfile sends no SQL;
 * a catalog write is seen by the next validation; each read scope is cached apart; without
 * notifications only immutable version details are kept.
 */
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';
import { pushArchive } from '../helpers/packs.js';
import { buildTarGz, minimalPackEntries } from '../helpers/tar-builder.js';

const VALIDATE = `query($input: ProfileInput!) {
  validateProfile(input: $input) { valid issues { code severity layerIndex pack path message } resolvedLayers { layerIndex pack registry version digest layer } }
}`;
const CREATE_REGISTRY = 'mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }';
const CREATE_TOKEN = 'mutation($n: String!, $r: Role!) { createApiToken(name: $n, role: $r) { token } }';

const CORE = [
  { pack: 'ubuntu', version: 'latest' },
  { pack: 'kubernetes', version: '1.31.x' },
  { pack: 'cni-calico', version: '3.28.2' },
  { pack: 'csi-longhorn', version: '1.7.2' },
  { pack: 'cert-manager', version: 'latest' },
];

function profile(layers: Array<Record<string, unknown>>) {
  return { name: uniqueName('cached'), type: 'CLUSTER', cloudType: 'aws', layers };
}

function addonArchive(name: string, version: string): Buffer | string {
  const packJson = JSON.stringify({ name, displayName: name, version, layer: 'addon', cloudTypes: ['all'], charts: [`charts/${name}-${version}.tgz`] });
  return buildTarGz(
    minimalPackEntries(`${name}-${version}`, {
      'pack.json': packJson,
      'charts/demo-1.0.0.tgz': undefined,
      [`charts/${name}-${version}.tgz`]: `chart ${name} ${version}`,
      'logo.png': `\x89PNG ${name} ${version}`,
    }),
  );
}

async function statementsOf(t: TestApp, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<{ count: number; body: any }> {
  t.takeQueryCount();
  const { body } = await t.gql(query, variables, token);
  expect(body.errors).toBeUndefined();
  return { count: t.takeQueryCount(), body };
}

describe('profile layer resolution cached between requests, with catalog change notifications', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    // What startServer does: this process hears every catalog write, so catalog caches may serve.
    if (t.database.kind === 'postgresql') await t.services.catalogChanges.listen(t.database.connectionString);
    else t.services.catalogChanges.useExclusiveDatabase();
    expect(t.services.catalogChanges.coherent).toBe(true);
  }, 120_000);

  afterAll(async () => {
    await t.services.catalogChanges.close();
    await t.close();
  });

  it('a repeated validation sends no SQL beyond what any request costs, and answers the same', async () => {
    const input = profile(CORE);
    const first = await statementsOf(t, VALIDATE, { input });
    const second = await statementsOf(t, VALIDATE, { input });
    const floor = await statementsOf(t, '{ __typename }');
    expect(first.count).toBeGreaterThan(floor.count);
    expect(second.count).toBe(floor.count);
    expect(second.body).toEqual(first.body);
    expect(second.body.data.validateProfile.valid).toBe(true);
  });

  it('sees a catalog write at once: `latest` resolves to the version pushed after the cached answer', async () => {
    const registry = uniqueName('team');
    expect((await t.gql(CREATE_REGISTRY, { i: { name: registry, kind: 'HOSTED', priority: 50 } })).body.errors).toBeUndefined();
    const addon = uniqueName('addon');
    expect((await pushArchive(t.app, t.adminToken, registry, addonArchive(addon, '1.0.0'))).body.errors).toBeUndefined();
    const input = profile([...CORE, { pack: addon, version: 'latest' }]);
    const before = await statementsOf(t, VALIDATE, { input });
    expect(before.body.data.validateProfile.resolvedLayers[5]).toMatchObject({ pack: addon, registry, version: '1.0.0' });
    const floor = await statementsOf(t, '{ __typename }');
    expect((await statementsOf(t, VALIDATE, { input })).count).toBe(floor.count);

    expect((await pushArchive(t.app, t.adminToken, registry, addonArchive(addon, '1.1.0'))).body.errors).toBeUndefined();
    const after = await statementsOf(t, VALIDATE, { input });
    expect(after.count).toBeGreaterThan(floor.count);
    expect(after.body.data.validateProfile.resolvedLayers[5]).toMatchObject({ pack: addon, registry, version: '1.1.0' });
  });

  it('keeps each read scope apart: a viewer never gets what ADMIN resolved in a PRIVATE registry', async () => {
    const registry = uniqueName('private');
    expect((await t.gql(CREATE_REGISTRY, { i: { name: registry, kind: 'HOSTED', visibility: 'PRIVATE' } })).body.errors).toBeUndefined();
    const addon = uniqueName('secret');
    expect((await pushArchive(t.app, t.adminToken, registry, addonArchive(addon, '2.0.0'))).body.errors).toBeUndefined();
    const viewer = (await t.gql(CREATE_TOKEN, { n: uniqueName('viewer'), r: 'VIEWER' })).body.data!.createApiToken.token as string;
    const input = profile([...CORE, { pack: addon, version: '2.0.0' }]);

    for (let i = 0; i < 2; i++) {
      const admin = (await t.gql(VALIDATE, { input })).body.data!.validateProfile;
      expect(admin.resolvedLayers[5]).toMatchObject({ pack: addon, registry, version: '2.0.0' });
      const seen = (await t.gql(VALIDATE, { input }, viewer)).body.data!.validateProfile;
      expect(seen.valid).toBe(false);
      expect(seen.resolvedLayers).toHaveLength(5);
      expect(seen.issues).toEqual([expect.objectContaining({ code: 'PACK_NOT_FOUND', layerIndex: 5, pack: addon })]);
    }
  });
});

describe('profile layer resolution without catalog change notifications', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    expect(t.services.catalogChanges.coherent).toBe(false);
  }, 120_000);

  afterAll(async () => {
    await t.close();
  });

  it('reads names, versions and tags on every validation, and version details once, in one batch whatever the layers', async () => {
    await statementsOf(t, VALIDATE, { input: profile(CORE) }); // warm-up: a connection's first statements
    const floor = await statementsOf(t, '{ __typename }');
    // Versions no validation has chosen yet: one layer, then seven.
    const one = profile([{ pack: 'trust-manager', version: 'latest' }]);
    const seven = profile([
      { pack: 'ubuntu', version: '22.04' },
      { pack: 'kubernetes', version: '1.30.6' },
      { pack: 'cni-cilium-oss', version: '1.16.3' },
      { pack: 'csi-aws-ebs', version: 'latest' },
      { pack: 'ingress-nginx', version: '4.11.3' },
      { pack: 'prometheus-operator', version: '65.1.1' },
      { pack: 'metallb', version: '0.14.8' },
    ]);
    const coldOne = await statementsOf(t, VALIDATE, { input: one });
    const coldSeven = await statementsOf(t, VALIDATE, { input: seven });
    const warmSeven = await statementsOf(t, VALIDATE, { input: seven });
    // Pack rows (and their registries: Prisma's include is a second statement), versions and tags
    // each time; the chosen versions' details only while not yet seen, all in one batch.
    expect(warmSeven.count).toBe(floor.count + 4);
    expect(coldSeven.count).toBe(warmSeven.count + 1);
    expect(coldOne.count).toBe(coldSeven.count);
    expect(warmSeven.body).toEqual(coldSeven.body);
    expect(coldSeven.body.data.validateProfile.resolvedLayers).toHaveLength(7);
  });
});
