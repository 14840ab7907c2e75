/**
 * Issue 16 (4), profile versions tools can rely on, through /graphql on PostgreSQL with the DEFAULT
 * registry's packs: cloneProfile, idempotent create, and packctl's export -> apply file round trip
 * (the CLI's own format and parse functions against the service's answers).
 */
import { formatProfileFile, parseProfileFile } from '../../src/cli/profile-file.js';
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';

const FIELDS = `id name version type cloudType description owner createdBy createdAt
  layers { pack version registry values presets }
  variables { name displayName description format default required regex options hidden readonly }`;
const CREATE = `mutation($i: ProfileInput!) { createProfile(input: $i) { ${FIELDS} } }`;
const CLONE = `mutation($n: String!, $v: String!, $nv: String!) { cloneProfile(name: $n, version: $v, newVersion: $nv) { ${FIELDS} } }`;
const PROFILE = `query($n: String!, $v: String) { profile(name: $n, version: $v) { ${FIELDS} } }`;

/** Every field a file can carry: a description, a registry, values with odd whitespace, presets, variables of each kind. */
function richProfile(name: string) {
  return {
    name,
    version: '1.0.0',
    type: 'CLUSTER',
    cloudType: 'aws',
    description: 'web: Ubuntu, Kubernetes, Calico, Longhorn\nsecond line',
    layers: [
      { pack: 'ubuntu', version: '22.04', registry: 'default' },
      { pack: 'kubernetes', version: '1.31.2' },
      { pack: 'cni-calico', version: '3.28.2' },
      { pack: 'csi-longhorn', version: '1.7.2', presets: ['replicas-3'] },
      { pack: 'cert-manager', version: '1.16.1', values: 'pack:\n  namespace: certs   \n\n# trailing comment, no newline at the end' },
    ],
    variables: [
      { name: 'domain', displayName: 'Domain', description: 'DNS zone', format: 'string', default: 'example.com', required: true, regex: '^[a-z.]+$' },
      { name: 'size', format: 'number', default: '3', options: ['1', '3', '5'], hidden: true, readonly: true },
    ],
  };
}

describe('profile versions: immutable, cloned, applied idempotently, exported and imported exactly', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ s3: false, seed: true });
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  const content = ({ id: _id, version: _v, createdAt: _c, createdBy: _b, owner: _o, ...rest }: Record<string, unknown>) => rest;

  it('clones a version with the same content, idempotently, and refuses a clash or a missing source', async () => {
    const name = uniqueName('clone');
    const source = (await t.gql(CREATE, { i: richProfile(name) })).body.data!.createProfile;
    const cloned = await t.gql(CLONE, { n: name, v: '1.0.0', nv: '1.1.0' });
    expect(cloned.body.errors).toBeUndefined();
    const clone = cloned.body.data!.cloneProfile;
    expect(clone).toMatchObject({ name, version: '1.1.0', owner: source.owner });
    expect(clone.id).not.toBe(source.id);
    expect(content(clone)).toEqual(content(source));

    // Again: the same clone, not a second row.
    const again = await t.gql(CLONE, { n: name, v: '1.0.0', nv: '1.1.0' });
    expect(again.body.data!.cloneProfile.id).toBe(clone.id);
    expect(await t.database.prisma.clusterProfile.count({ where: { name } })).toBe(2);

    // A newVersion that holds other content is immutable too.
    await t.gql(CREATE, { i: { ...richProfile(name), version: '2.0.0', description: 'other' } });
    const clash = await t.gql(CLONE, { n: name, v: '1.0.0', nv: '2.0.0' });
    expect(clash.body.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'PROFILE_VERSION_IMMUTABLE', field: 'newVersion.description' });

    const missing = await t.gql(CLONE, { n: name, v: '9.9.9', nv: '9.9.10' });
    expect(missing.body.errors![0].extensions!.code).toBe('NOT_FOUND');
    const empty = await t.gql(CLONE, { n: name, v: '1.0.0', nv: '  ' });
    expect(empty.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newVersion' });
  });

  it('answers a re-apply of the same content with the same id, whoever applies it', async () => {
    const name = uniqueName('apply');
    const first = (await t.gql(CREATE, { i: richProfile(name) })).body.data!.createProfile;
    const publisher = (await t.gql('mutation($n: String!) { createApiToken(name: $n, role: PUBLISHER) { token } }', { n: uniqueName('pub') })).body
      .data!.createApiToken.token;
    const again = await t.gql(CREATE, { i: richProfile(name) }, publisher);
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data!.createProfile).toEqual(first);
    // Re-indenting values is a change: the stored text is what an export gives back.
    const reindented = richProfile(name);
    reindented.layers[4].values = reindented.layers[4].values!.replace('  namespace', '    namespace');
    const refused = await t.gql(CREATE, { i: reindented });
    expect(refused.body.errors![0].extensions).toMatchObject({ reason: 'PROFILE_VERSION_IMMUTABLE', field: 'input.layers[4].values' });
  });

  it('round-trips export -> import exactly: the exported file applies as a no-op and as a new name with the same content', async () => {
    const name = uniqueName('export');
    const stored = (await t.gql(CREATE, { i: richProfile(name) })).body.data!.createProfile;
    const file = formatProfileFile(stored);
    const parsed = parseProfileFile(file);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    expect(parsed.input).toEqual(richProfile(name));

    const reapplied = await t.gql(CREATE, { i: parsed.input });
    expect(reapplied.body.errors).toBeUndefined();
    expect(reapplied.body.data!.createProfile.id).toBe(stored.id);

    // Imported elsewhere (another name): the same content, and its export is the same file but for the name.
    const other = uniqueName('import');
    const imported = (await t.gql(CREATE, { i: { ...parsed.input, name: other } })).body.data!.createProfile;
    expect(content(imported)).toEqual(content({ ...stored, name: other }));
    const read = (await t.gql(PROFILE, { n: other, v: '1.0.0' })).body.data!.profile;
    expect(formatProfileFile(read)).toBe(file.replace(`name: ${name}`, `name: ${other}`));
  });
});
