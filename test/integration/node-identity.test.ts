/** Issue 21: global ids on every Node type, `node(id:)`/`nodes(ids:)` round trips, and the roles they keep. */
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';
import { pushArchive } from '../helpers/packs.js';
import { buildTarGz, minimalPackEntries } from '../helpers/tar-builder.js';
import { fromGlobalId } from '../../src/graphql/node.js';

const NODE = `query($id: ID!) { node(id: $id) { __typename id } }`;

function packJson(name: string, version: string): string {
  return JSON.stringify({ name, displayName: name, version, layer: 'addon', cloudTypes: ['all'], charts: ['charts/demo-1.0.0.tgz'] });
}

describe('node(id:) and nodes(ids:)', () => {
  let t: TestApp;
  let viewer: string;
  const ids = {} as Record<string, string>;
  const privateIds = {} as Record<string, string>;

  const push = async (registry: string, name: string, version: string) => {
    const r = await pushArchive(t.app, t.adminToken, registry, buildTarGz(minimalPackEntries(`${name}-${version}`, { 'pack.json': packJson(name, version) })));
    expect(r.body.errors).toBeUndefined();
    return r.body.data.pushPack as { id: string };
  };

  beforeAll(async () => {
    t = await createTestApp();
    const registry = uniqueName('node');
    const hidden = uniqueName('node-private');
    await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { id } }', { i: { name: registry, kind: 'HOSTED' } });
    await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { id } }', { i: { name: hidden, kind: 'HOSTED', visibility: 'PRIVATE' } });
    const pack = uniqueName('nodepack');
    ids.PackVersion = (await push(registry, pack, '1.0.0')).id;
    privateIds.PackVersion = (await push(hidden, uniqueName('hiddenpack'), '1.0.0')).id;

    const created = await t.gql('mutation($n: String!) { createApiToken(name: $n, role: VIEWER) { token apiToken { id } } }', { n: uniqueName('viewer') });
    viewer = created.body.data!.createApiToken.token;
    ids.ApiToken = created.body.data!.createApiToken.apiToken.id;

    const read = await t.gql(
      `query($p: String!, $r: String!, $h: String!) {
        pack(name: $p) { id }
        registry(name: $r) { id }
        hidden: registry(name: $h) { id }
      }`,
      { p: pack, r: registry, h: hidden },
    );
    ids.Pack = read.body.data!.pack.id;
    ids.Registry = read.body.data!.registry.id;
    privateIds.Registry = read.body.data!.hidden.id;

    for (const [name, into] of [[registry, ids], [hidden, privateIds]] as const) {
      const row = await t.database.prisma.registry.findUniqueOrThrow({ where: { name } });
      await t.database.prisma.syncRun.create({ data: { registryId: row.id, state: 'SUCCEEDED', trigger: 'manual', startedAt: new Date(), finishedAt: new Date() } });
      const runs = await t.gql('query($n: String!) { registry(name: $n) { runs(first: 1) { edges { node { id } } } } }', { n: name });
      into.SyncRun = runs.body.data!.registry.runs.edges[0].node.id;
    }

    const profile = await t.gql('mutation($i: ProfileInput!) { createProfile(input: $i) { id } }', {
      i: { name: uniqueName('nodeprofile'), type: 'ADDON', cloudType: 'all', layers: [{ pack, version: '1.0.0' }] },
    });
    expect(profile.body.errors).toBeUndefined();
    ids.ClusterProfile = profile.body.data!.createProfile.id;

    const audit = await t.gql('{ auditEvents(first: 1) { edges { node { id } } } }');
    ids.AuditEvent = audit.body.data!.auditEvents.edges[0].node.id;
  }, 60_000);

  afterAll(() => t.close());

  it('gives every Node type an opaque global id that node(id:) refetches as the same object', async () => {
    expect(Object.keys(ids).sort()).toEqual(['ApiToken', 'AuditEvent', 'ClusterProfile', 'Pack', 'PackVersion', 'Registry', 'SyncRun']);
    for (const [typename, id] of Object.entries(ids)) {
      expect(fromGlobalId(id)?.typename).toBe(typename);
      const { body } = await t.gql(NODE, { id });
      expect(body.errors).toBeUndefined();
      expect(body.data!.node).toEqual({ __typename: typename, id });
    }
    // Ids of different objects never collide: a database key alone is no longer an id.
    expect(new Set(Object.values(ids)).size).toBe(7);
  });

  it('refetches a type-specific selection through an inline fragment', async () => {
    const { body } = await t.gql('query($id: ID!) { node(id: $id) { ... on PackVersion { version pack { id } } } }', { id: ids.PackVersion });
    expect(body.data!.node).toEqual({ version: '1.0.0', pack: { id: expect.any(String) } });
  });

  it('nodes(ids:) answers in order, null for what is gone', async () => {
    const order = [ids.SyncRun, ids.Pack, ids.ApiToken, ids.Registry];
    const { body } = await t.gql('query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }', { ids: order });
    expect(body.errors).toBeUndefined();
    expect(body.data!.nodes.map((n: { id: string }) => n.id)).toEqual(order);
    const missing = await t.gql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', {
      ids: [ids.Pack, Buffer.from('PackVersion:00000000-0000-4000-8000-000000000000').toString('base64url')],
    });
    expect(missing.body.errors).toBeUndefined();
    expect(missing.body.data!.nodes).toEqual([{ id: ids.Pack }, null]);
  });

  it('refuses ids it did not make, and more than 100 at once, naming the argument', async () => {
    const bad = await t.gql(NODE, { id: 'not-an-id' });
    expect(bad.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const bare = await t.gql(NODE, { id: fromGlobalId(ids.Registry)!.key });
    expect(bare.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const many = await t.gql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: Array.from({ length: 101 }, () => ids.Pack) });
    expect(many.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ids' });
  });

  it('keeps the rules of the field that returned each object', async () => {
    // A VIEWER reads the catalog, profiles and public registries...
    for (const typename of ['Pack', 'PackVersion', 'Registry', 'SyncRun', 'ClusterProfile']) {
      const { body } = await t.gql(NODE, { id: ids[typename] }, viewer);
      expect(body.data!.node).toEqual({ __typename: typename, id: ids[typename] });
    }
    // ...is refused tokens and the audit trail (ADMIN only), not answered null...
    for (const typename of ['ApiToken', 'AuditEvent']) {
      const { body } = await t.gql(NODE, { id: ids[typename] }, viewer);
      expect(body.data!.node).toBeNull();
      expect(body.errors![0].extensions!.code).toBe('FORBIDDEN');
    }
    // ...and sees nothing of a PRIVATE registry: as if it did not exist.
    for (const id of Object.values(privateIds)) {
      const { body } = await t.gql(NODE, { id }, viewer);
      expect(body.errors).toBeUndefined();
      expect(body.data!.node).toBeNull();
      expect((await t.gql(NODE, { id })).body.data!.node).toEqual({ __typename: expect.any(String), id });
    }
    // An anonymous caller reads nothing when anonymous reads are off (the default).
    const anonymous = await t.gql(NODE, { id: ids.Pack }, null);
    expect(anonymous.body.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  });

  it('nodes(ids:) refuses one item without hiding the others', async () => {
    const { body } = await t.gql('query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }', { ids: [ids.PackVersion, ids.ApiToken] }, viewer);
    expect(body.data!.nodes).toEqual([{ __typename: 'PackVersion', id: ids.PackVersion }, null]);
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]).toMatchObject({ path: ['nodes', 1], extensions: { code: 'FORBIDDEN' } });
  });

  it('revokes a token by its global id, and still by the bare id older clients hold', async () => {
    const make = async () =>
      (await t.gql('mutation($n: String!) { createApiToken(name: $n, role: VIEWER) { token apiToken { id } } }', { n: uniqueName('rv') })).body.data!
        .createApiToken as { token: string; apiToken: { id: string } };
    const byGlobal = await make();
    expect((await t.gql('mutation($id: ID!) { revokeApiToken(id: $id) }', { id: byGlobal.apiToken.id })).body.data).toEqual({ revokeApiToken: true });
    expect((await t.gql('{ me { name } }', {}, byGlobal.token)).status).toBe(401);
    const byBare = await make();
    const bare = fromGlobalId(byBare.apiToken.id)!.key;
    expect((await t.gql('mutation($id: ID!) { revokeApiToken(id: $id) }', { id: bare })).body.data).toEqual({ revokeApiToken: true });
    expect((await t.gql('{ me { name } }', {}, byBare.token)).status).toBe(401);
  });
});
