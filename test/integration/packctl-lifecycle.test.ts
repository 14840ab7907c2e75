/**
 * Issue 16 (3, 4) through packctl, run in process against a real app on PostgreSQL:
 * `profile clone`, `pack impact` and `pack lifecycle` (which names the saved profiles it hits).
 */
import { packctl } from '../helpers/packctl-in-process.js';
import { startPackctlSession, type PackctlSession } from '../helpers/packctl-session.js';
import { pushArchive } from '../helpers/packs.js';
import { addonPackTarball } from '../helpers/tar-builder.js';
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';

const CREATE = 'mutation($i: ProfileInput!) { createProfile(input: $i) { name version } }';

describe('packctl profile clone, pack impact, pack lifecycle', () => {
  let t: TestApp;
  let cli: PackctlSession;
  let registry: string;
  let pack: string;
  let profile: string;
  beforeAll(async () => {
    t = await createTestApp({ s3: false });
    cli = await startPackctlSession(t, { prefix: 'packctl-lifecycle-' });

    registry = uniqueName('cli-life');
    pack = uniqueName('cli-pack');
    profile = uniqueName('cli-profile');
    expect((await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name: registry, kind: 'HOSTED' } })).body.errors).toBeUndefined();
    expect((await pushArchive(t.app, t.adminToken, registry, addonPackTarball(pack, '1.0.0'))).body.errors).toBeUndefined();
    const created = await t.gql(CREATE, { i: { name: profile, version: '1.0.0', type: 'ADDON', cloudType: 'all', layers: [{ pack, version: '1.0.0', registry }] } });
    expect(created.body.errors).toBeUndefined();
  }, 60_000);
  afterAll(async () => {
    await cli?.close();
    await t.close();
  });

  it('profile clone copies a stored version to a new one', async () => {
    const cloned = await packctl('profile', 'clone', profile, '1.0.0', '1.1.0');
    expect(cloned.stderr).toBe('');
    expect(cloned.code).toBe(0);
    expect(cloned.stdout.trim()).toBe(`cloned ${profile}:1.0.0 into profile ${profile}:1.1.0 (ADDON, all, 1 layers)`);
    const { body } = await t.gql('query($n: String!) { profile(name: $n, version: "1.1.0") { version layers { pack version registry } } }', { n: profile });
    expect(body.data!.profile).toEqual({ version: '1.1.0', layers: [{ pack, version: '1.0.0', registry }] });

    const missing = await packctl('profile', 'clone', profile, '9.9.9', '9.9.10');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('(NOT_FOUND)');
  });

  it('pack impact lists the saved profile versions using a version, in either argument form', async () => {
    const listed = await packctl('pack', 'impact', pack, '1.0.0');
    expect(listed.code).toBe(0);
    const lines = listed.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^PROFILE\s+VERSION\s+OWNER\s+LAYER$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 2))).toEqual(expect.arrayContaining([[profile, '1.0.0'], [profile, '1.1.0']]));
    expect(listed.stdout).toContain(`#0 ${pack}:1.0.0 (${registry})`);

    const json = await packctl('-o', 'json', 'pack', 'impact', `${pack}:1.0.0`, '--registry', registry);
    const rows = JSON.parse(json.stdout) as Array<{ name: string; version: string }>;
    expect(rows.filter((r) => r.name === profile).map((r) => r.version).sort()).toEqual(['1.0.0', '1.1.0']);

    const none = await packctl('pack', 'impact', pack, '2.0.0');
    expect(none.stdout.trim()).toBe(`No saved profile uses ${pack}:2.0.0.`);
  });

  it('pack lifecycle deprecates a version, names whom it hits, and reactivates it', async () => {
    const deprecated = await packctl('pack', 'lifecycle', pack, '1.0.0', '--state', 'deprecated', '--replaced-by', `${pack}:2.0.0`, '--eol', '2024-01-31', '--registry', registry);
    expect(deprecated.stderr).toBe('');
    expect(deprecated.code).toBe(0);
    const [line, hits] = deprecated.stdout.trim().split('\n');
    expect(line).toBe(`${pack}:1.0.0 in registry ${registry} is DEPRECATED (eol 2024-01-31 (past), replaced by ${pack}:2.0.0)`);
    expect(hits).toMatch(new RegExp(`^2 saved profile version\\(s\\) use it: .*${profile}:1\\.0\\.0.*\\(packctl pack impact ${pack} 1\\.0\\.0\\)$`));
    const state = await t.gql('query($n: String!, $r: String!) { packVersion(name: $n, version: "1.0.0", registry: $r) { lifecycle { state eol replacedBy } } }', { n: pack, r: registry });
    expect(state.body.data!.packVersion.lifecycle).toEqual({ state: 'DEPRECATED', eol: '2024-01-31', replacedBy: `${pack}:2.0.0` });

    const json = JSON.parse((await packctl('-o', 'json', 'pack', 'lifecycle', `${pack}:1.0.0`, '--state', 'DISABLED', '--registry', registry)).stdout);
    expect(json).toMatchObject({ registry, name: pack, version: '1.0.0', lifecycle: { state: 'DISABLED' } });
    expect(json.impact).toEqual(expect.arrayContaining([{ name: profile, version: '1.0.0' }, { name: profile, version: '1.1.0' }]));

    const active = await packctl('pack', 'lifecycle', pack, '1.0.0', '--state', 'ACTIVE', '--registry', registry);
    expect(active.stdout.trim()).toBe(`${pack}:1.0.0 in registry ${registry} is ACTIVE`);

    const bad = await packctl('pack', 'lifecycle', pack, '1.0.0', '--state', 'retired', '--registry', registry);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--state retired: expected one of ACTIVE, DEPRECATED, DISABLED.');
  });
});
