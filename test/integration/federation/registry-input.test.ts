/**
 * Registry input over GraphQL: an endpoint with credentials written into it is refused (they would
 * show to every reader of `registries { endpoint }` and stay in the audit trail), and
 * `allowedOrigins` takes origins only, stored canonical.
 */
import { createTestApp, uniqueName, type TestApp } from '../../helpers/test-app.js';

const CREATE = 'mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name endpoint allowedOrigins } }';
const UPDATE = 'mutation($n: String!, $i: UpdateRegistryInput!) { updateRegistry(name: $n, input: $i) { name endpoint allowedOrigins } }';
const SECRET = 's3cr3t-robot-pass';

describe('registry input checks', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  async function expectNoSecretStored(): Promise<void> {
    const registries = await t.database.prisma.registry.findMany({ select: { endpoint: true } });
    expect(JSON.stringify(registries)).not.toContain(SECRET);
    const events = await t.database.prisma.auditEvent.findMany({ where: { action: { in: ['createRegistry', 'updateRegistry'] } } });
    expect(events.length).toBeGreaterThan(0);
    expect(JSON.stringify(events)).not.toContain(SECRET);
    expect(JSON.stringify(events)).not.toContain('robot:');
  }

  it('refuses credentials in a new registry\'s endpoint, coded, naming the field, without echoing them', async () => {
    for (const [kind, endpoint] of [
      ['OCI', `http://robot:${SECRET}@127.0.0.1:5000`],
      ['HELM', `https://robot:${SECRET}@charts.example.com/stable`],
      ['CATALOG', `https://${SECRET}@catalog.example.com`],
    ] as const) {
      const name = uniqueName('creds');
      const { body } = await t.gql(CREATE, { i: { name, kind, endpoint } });
      expect(body.data).toBeNull();
      const error = body.errors![0];
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'endpoint' });
      expect(error.message).toMatch(/endpoint must not hold credentials.*`credentials`/);
      expect(JSON.stringify(body)).not.toContain(SECRET);
      expect(await t.database.prisma.registry.findUnique({ where: { name } })).toBeNull();
    }
    await expectNoSecretStored();
  });

  it('refuses them in updateRegistry too, leaving the registry as it was', async () => {
    const name = uniqueName('upd');
    const created = await t.gql(CREATE, { i: { name, kind: 'HELM', endpoint: 'https://charts.example.com/stable' } });
    expect(created.body.errors).toBeUndefined();
    const { body } = await t.gql(UPDATE, { n: name, i: { endpoint: `https://robot:${SECRET}@charts.example.com/stable` } });
    expect(body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'endpoint' });
    expect(body.errors![0].message).toContain('credentials');
    expect(JSON.stringify(body)).not.toContain(SECRET);
    const row = await t.database.prisma.registry.findUnique({ where: { name } });
    expect(row?.endpoint).toBe('https://charts.example.com/stable');
    await expectNoSecretStored();
  });

  it('never shows credentials a row stored before this rule holds in its endpoint', async () => {
    const name = uniqueName('legacy');
    await t.database.prisma.registry.create({ data: { name, kind: 'OCI', endpoint: `http://robot:${SECRET}@127.0.0.1:5000/team` } });
    const { body } = await t.gql('query($n: String!) { registry(name: $n) { endpoint } registries { endpoint } }', { n: name });
    expect(body.data!.registry.endpoint).toBe('http://127.0.0.1:5000/team');
    expect(JSON.stringify(body)).not.toContain(SECRET);
    await t.database.prisma.registry.delete({ where: { name } });
  });

  it('stores allowedOrigins canonical, clears them with null, and refuses what is not an origin without echoing it', async () => {
    const name = uniqueName('origins');
    const created = await t.gql(CREATE, {
      i: { name, kind: 'OCI', endpoint: 'https://registry.example.com', allowedOrigins: ['https://CDN.example.com:443/', 'http://127.0.0.1:5001', 'https://cdn.example.com'] },
    });
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data!.createRegistry.allowedOrigins).toEqual(['https://cdn.example.com', 'http://127.0.0.1:5001']);

    const refused = await t.gql(UPDATE, { n: name, i: { allowedOrigins: ['https://ok.example.com', `https://u:${SECRET}@x.example.com`, 'https://x.example.com/path'] } });
    expect(refused.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'allowedOrigins.1' });
    expect(refused.body.errors![0].extensions!.issues.map((i: { path: string }) => i.path)).toEqual(['allowedOrigins.1', 'allowedOrigins.2']);
    expect(JSON.stringify(refused.body)).not.toContain(SECRET);

    const cleared = await t.gql(UPDATE, { n: name, i: { allowedOrigins: null } });
    expect(cleared.body.data!.updateRegistry.allowedOrigins).toEqual([]);

    const directory = await t.gql(CREATE, { i: { name: uniqueName('dir'), kind: 'DIRECTORY', endpoint: '/srv/packs', allowedOrigins: ['https://cdn.example.com'] } });
    expect(directory.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'allowedOrigins' });
    const listed = await t.gql('{ registries { name allowedOrigins } }');
    expect(listed.body.data!.registries.find((r: { name: string }) => r.name === name).allowedOrigins).toEqual([]);
  });
});
