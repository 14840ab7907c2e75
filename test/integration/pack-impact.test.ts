/**
 * Issue 16 (3), packImpact through /graphql on PostgreSQL with the DEFAULT registry's packs: the
 * saved profiles whose layer resolves today to a version, whatever reference form the layer uses.
 */
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';

const CREATE = 'mutation($i: ProfileInput!) { createProfile(input: $i) { name version } }';
const IMPACT = `query($n: String!, $v: String!, $r: String) { packImpact(name: $n, version: $v, registry: $r) { name version } }`;

const profile = (name: string, kubernetes: string, version = '1.0.0') => ({
  name,
  version,
  type: 'CLUSTER',
  cloudType: 'aws',
  layers: [
    { pack: 'ubuntu', version: '22.04' },
    { pack: 'kubernetes', version: kubernetes },
    { pack: 'cni-calico', version: '3.28.2' },
    { pack: 'csi-longhorn', version: '1.7.2' },
  ],
});

describe('packImpact: saved profiles that use a pack version', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ s3: false, seed: true });
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  it('lists the profile versions whose layer resolves to the version (exact, parent tag), by name then newest first', async () => {
    const exact = uniqueName('impact-a');
    const tagged = uniqueName('impact-b');
    const other = uniqueName('impact-c');
    for (const input of [profile(exact, '1.31.2'), profile(exact, '1.30.6', '2.0.0'), profile(exact, '1.31.2', '1.1.0'), profile(tagged, '1.31.x'), profile(other, '1.30.6')]) {
      const { body } = await t.gql(CREATE, { i: input });
      expect(body.errors).toBeUndefined();
    }
    const ours = (rows: Array<{ name: string }>) => rows.filter((r) => [exact, tagged, other].includes(r.name));

    const hit = await t.gql(IMPACT, { n: 'kubernetes', v: '1.31.2' });
    expect(hit.body.errors).toBeUndefined();
    expect(ours(hit.body.data!.packImpact)).toEqual(
      [
        { name: exact, version: '1.1.0' },
        { name: exact, version: '1.0.0' },
        { name: tagged, version: '1.0.0' },
      ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    );
    expect(ours((await t.gql(IMPACT, { n: 'kubernetes', v: '1.30.6' })).body.data!.packImpact)).toEqual(
      [
        { name: exact, version: '2.0.0' },
        { name: other, version: '1.0.0' },
      ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    );
    // The registry narrows: the layers resolve in "default", not elsewhere.
    expect(ours((await t.gql(IMPACT, { n: 'kubernetes', v: '1.31.2', r: 'default' })).body.data!.packImpact)).toHaveLength(3);
    expect((await t.gql(IMPACT, { n: 'kubernetes', v: '1.31.2', r: uniqueName('nowhere') })).body.data!.packImpact).toEqual([]);
    // A version no saved profile uses.
    expect(ours((await t.gql(IMPACT, { n: 'kubernetes', v: '1.29.10' })).body.data!.packImpact)).toEqual([]);
  });

  it('lists nothing for a pack no profile uses', async () => {
    const { body } = await t.gql(IMPACT, { n: uniqueName('no-such-pack'), v: '1.0.0' });
    expect(body.errors).toBeUndefined();
    expect(body.data!.packImpact).toEqual([]);
  });
});
