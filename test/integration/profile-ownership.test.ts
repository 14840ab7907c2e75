/**
 * Issue 12, profiles and scopes: a profile belongs to the creating token's team (else its name);
 * only ADMINs and PUBLISHERs of that owner change it, whatever registries their tokens name.
 */
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';

const CREATE_TOKEN = `mutation($n: String!, $r: Role!, $g: [String!], $t: String) {
  createApiToken(name: $n, role: $r, registries: $g, team: $t) { token apiToken { name team } }
}`;
const CREATE = 'mutation($i: ProfileInput!) { createProfile(input: $i) { name owner createdBy } }';
const UPDATE = 'mutation($n: String!, $i: ProfileInput!) { updateProfile(name: $n, version: "1.0.0", input: $i) { owner description } }';
const DELETE = 'mutation($n: String!) { deleteProfile(name: $n, version: "1.0.0") }';
const CLONE = 'mutation($n: String!) { cloneProfile(name: $n, version: "1.0.0", newVersion: "1.1.0") { version owner createdBy } }';

/** A profile of the DEFAULT registry's packs (seeded), valid on aws. */
const profileInput = (name: string, description = 'first') => ({
  name,
  version: '1.0.0',
  type: 'CLUSTER',
  cloudType: 'aws',
  description,
  layers: [
    { pack: 'ubuntu', version: '22.04' },
    { pack: 'kubernetes', version: '1.31.2' },
    { pack: 'cni-calico', version: '3.28.2' },
    { pack: 'csi-longhorn', version: '1.7.2' },
  ],
});

describe('profile ownership', () => {
  let t: TestApp;
  const team = uniqueName('payments');
  /** Two publishers of one team (scoped to different registries), one of another team, one with no team, a viewer of the team. */
  const tokens = {} as Record<'alice' | 'bob' | 'dave' | 'carol' | 'erin', { token: string; name: string }>;

  const code = (body: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => body.errors?.[0]?.extensions?.code ?? 'OK';
  const create = async (as: string, name = uniqueName('prof')) => {
    const { body } = await t.gql(CREATE, { i: profileInput(name) }, as);
    expect(body.errors).toBeUndefined();
    return { name, ...body.data!.createProfile } as { name: string; owner: string; createdBy: string };
  };

  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    const make = async (role: string, registries: string[], teamName?: string) => {
      const name = uniqueName(role.toLowerCase());
      const { body } = await t.gql(CREATE_TOKEN, { n: name, r: role, g: registries, t: teamName });
      expect(body.errors).toBeUndefined();
      expect(body.data!.createApiToken.apiToken.team).toBe(teamName ?? null);
      return { token: body.data!.createApiToken.token as string, name };
    };
    tokens.alice = await make('PUBLISHER', ['a'], team);
    tokens.bob = await make('PUBLISHER', ['b'], team);
    tokens.dave = await make('PUBLISHER', [], uniqueName('search'));
    tokens.carol = await make('PUBLISHER', []);
    tokens.erin = await make('VIEWER', [], team);
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  it('gives a new profile to the creating token\'s team, and its other publishers may change it', async () => {
    const profile = await create(tokens.alice.token);
    expect(profile).toMatchObject({ owner: team, createdBy: tokens.alice.name });
    const me = await t.gql('{ me { name team } }', {}, tokens.bob.token);
    expect(me.body.data!.me).toEqual({ name: tokens.bob.name, team });
    // A stored version is immutable: the same content is answered as it is, the next version is a clone.
    const updated = await t.gql(UPDATE, { n: profile.name, i: profileInput(profile.name) }, tokens.bob.token);
    expect(updated.body.data!.updateProfile).toEqual({ owner: team, description: 'first' });
    const changed = await t.gql(UPDATE, { n: profile.name, i: profileInput(profile.name, 'second') }, tokens.bob.token);
    expect(changed.body.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'PROFILE_VERSION_IMMUTABLE', field: 'input.description' });
    const cloned = await t.gql(CLONE, { n: profile.name }, tokens.bob.token);
    expect(cloned.body.data!.cloneProfile).toEqual({ version: '1.1.0', owner: team, createdBy: tokens.bob.name });
    expect((await t.gql(DELETE, { n: profile.name }, tokens.bob.token)).body.data!.deleteProfile).toBe(true);
  });

  it('refuses publishers of another team, publishers with no team and viewers, naming the owner rule', async () => {
    const profile = await create(tokens.alice.token);
    for (const who of [tokens.dave, tokens.carol, tokens.erin]) {
      for (const [query, variables] of [
        [UPDATE, { n: profile.name, i: profileInput(profile.name, 'hijacked') }],
        [UPDATE, { n: profile.name, i: profileInput(profile.name) }],
        [CLONE, { n: profile.name }],
        [DELETE, { n: profile.name }],
      ] as const) {
        const { body } = await t.gql(query, variables, who.token);
        expect(code(body)).toBe('FORBIDDEN');
        if (who !== tokens.erin) expect(body.errors![0].message).toContain(`owner "${team}"`);
      }
    }
    const { body } = await t.gql('query($n: String!) { profile(name: $n) { description owner } }', { n: profile.name }, tokens.erin.token);
    expect(body.data!.profile).toEqual({ description: 'first', owner: team });
    expect(await t.database.prisma.clusterProfile.count({ where: { name: profile.name } })).toBe(1);
  });

  it('owns a profile by the token name when the token has no team', async () => {
    const profile = await create(tokens.carol.token);
    expect(profile.owner).toBe(tokens.carol.name);
    expect(code((await t.gql(UPDATE, { n: profile.name, i: profileInput(profile.name) }, tokens.carol.token)).body)).toBe('OK');
    expect((await t.gql(CLONE, { n: profile.name }, tokens.carol.token)).body.data!.cloneProfile.owner).toBe(tokens.carol.name);
    expect(code((await t.gql(DELETE, { n: profile.name }, tokens.alice.token)).body)).toBe('FORBIDDEN');
  });

  it('lets ADMINs change any profile and keeps its owner; profiles with no owner are ADMIN-only', async () => {
    const profile = await create(tokens.alice.token);
    const cloned = await t.gql(CLONE, { n: profile.name });
    expect(cloned.body.data!.cloneProfile).toEqual({ version: '1.1.0', owner: team, createdBy: 'admin' });
    expect(code((await t.gql(DELETE, { n: profile.name }, tokens.alice.token)).body)).toBe('OK');

    const legacy = await create(tokens.alice.token);
    await t.database.prisma.clusterProfile.updateMany({ where: { name: legacy.name }, data: { owner: null } });
    const refused = await t.gql(DELETE, { n: legacy.name }, tokens.alice.token);
    expect(code(refused.body)).toBe('FORBIDDEN');
    expect(refused.body.errors![0].message).toContain('no owner (only ADMINs may change it)');
    expect((await t.gql(DELETE, { n: legacy.name })).body.data!.deleteProfile).toBe(true);

    const adminOwned = await create(t.adminToken);
    expect(adminOwned.owner).toBe('admin');
    expect(code((await t.gql(DELETE, { n: adminOwned.name }, tokens.carol.token)).body)).toBe('FORBIDDEN');
  });

  it('takes a team only from ADMINs, spelled like a token name', async () => {
    const bad = await t.gql(CREATE_TOKEN, { n: uniqueName('x'), r: 'PUBLISHER', t: 'a/b' });
    expect([code(bad.body), bad.body.errors?.[0]?.extensions?.field]).toEqual(['BAD_USER_INPUT', 'team']);
    const notAdmin = await t.gql(CREATE_TOKEN, { n: uniqueName('x'), r: 'PUBLISHER', t: team }, tokens.alice.token);
    expect(code(notAdmin.body)).toBe('FORBIDDEN');
  });
});
