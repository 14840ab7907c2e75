/**
 * Issue 16 (3), pack lifecycle in validation, through /graphql on PostgreSQL: a default pack past
 * its pack.json `eol` (kubernetes 1.29.10, eol 2025-02-28), packs pushed with Palette's
 * `system_state` annotation (deprecated, disabled) and a version the catalog marked deprecated.
 */
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';
import { pushArchive } from '../helpers/packs.js';
import { buildTarGz, minimalPackEntries } from '../helpers/tar-builder.js';

const VALIDATE = 'query($i: ProfileInput!) { validateProfile(input: $i) { valid issues { code severity layerIndex pack path message } } }';
const CREATE = 'mutation($i: ProfileInput!) { createProfile(input: $i) { name warnings { code } } }';
const LIFECYCLE = `query($n: String!, $v: String!, $r: String) {
  packVersion(name: $n, version: $v, registry: $r) { deprecated lifecycle { state eol pastEol replacedBy } }
}`;
const SET = `mutation($r: String!, $n: String!, $s: PackLifecycleState!, $e: String, $b: String) {
  setPackVersionLifecycle(registry: $r, name: $n, version: "1.0.0", state: $s, eol: $e, replacedBy: $b) {
    version deprecated lifecycle { state eol pastEol replacedBy deprecatedAt }
  }
}`;

const CORE = [
  { pack: 'ubuntu', version: '22.04' },
  { pack: 'kubernetes', version: '1.31.2' },
  { pack: 'cni-calico', version: '3.28.2' },
  { pack: 'csi-longhorn', version: '1.7.2' },
];
const profile = (layers: Array<{ pack: string; version: string; registry?: string }>) => ({
  name: uniqueName('life'),
  type: 'CLUSTER',
  cloudType: 'aws',
  layers,
});

describe('pack lifecycle in profile validation', () => {
  let t: TestApp;
  let registry: string;
  beforeAll(async () => {
    t = await createTestApp({ s3: false, seed: true });
    registry = uniqueName('life');
    const made = await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name: registry, kind: 'HOSTED' } });
    expect(made.body.errors).toBeUndefined();
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  /** An add-on pack `name`@1.0.0 with these pack.json annotations, pushed to the hosted registry. */
  const push = async (name: string, annotations: Record<string, string> = {}) => {
    const packJson = JSON.stringify({ name, displayName: name, version: '1.0.0', layer: 'addon', cloudTypes: ['all'], charts: [`charts/${name}-1.0.0.tgz`], annotations });
    const entries = minimalPackEntries(`${name}-1.0.0`, { 'pack.json': packJson, [`charts/${name}-1.0.0.tgz`]: 'chart bytes' });
    const pushed = await pushArchive(t.app, t.adminToken, registry, buildTarGz(entries));
    expect(pushed.body.errors).toBeUndefined();
  };
  const issuesOf = async (layers: Array<{ pack: string; version: string; registry?: string }>) => {
    const { body } = await t.gql(VALIDATE, { i: profile(layers) });
    expect(body.errors).toBeUndefined();
    return body.data!.validateProfile as { valid: boolean; issues: Array<Record<string, unknown>> };
  };

  it('warns on a default pack past its eol date, and not on one without', async () => {
    const past = await issuesOf([CORE[0], { pack: 'kubernetes', version: '1.29.10' }, ...CORE.slice(2)]);
    expect(past.valid).toBe(true);
    expect(past.issues.filter((i) => i.code === 'PACK_VERSION_PAST_EOL')).toEqual([
      {
        code: 'PACK_VERSION_PAST_EOL',
        severity: 'WARNING',
        layerIndex: 1,
        pack: 'kubernetes',
        path: 'layers[1].version',
        message: 'kubernetes 1.29.10 from registry "default" reached its end of life on 2025-02-28; choose a newer version',
      },
    ]);
    const current = await issuesOf(CORE);
    expect(current.issues.map((i) => i.code)).not.toContain('PACK_VERSION_PAST_EOL');

    // The catalog shows it.
    const old = await t.gql(LIFECYCLE, { n: 'kubernetes', v: '1.29.10' });
    expect(old.body.data!.packVersion).toEqual({ deprecated: false, lifecycle: { state: 'ACTIVE', eol: '2025-02-28', pastEol: true, replacedBy: null } });
    const fresh = await t.gql(LIFECYCLE, { n: 'kubernetes', v: '1.31.2' });
    expect(fresh.body.data!.packVersion.lifecycle).toEqual({ state: 'ACTIVE', eol: null, pastEol: false, replacedBy: null });
  });

  it('warns on a deprecated version (annotation or catalog flag), naming its replacement, and refuses a disabled one', async () => {
    const deprecated = uniqueName('old');
    const disabled = uniqueName('off');
    const flagged = uniqueName('dropped');
    await push(deprecated, { system_state: 'deprecated', replacedBy: 'cert-manager:1.16.1' });
    await push(disabled, { system_state: 'disabled' });
    await push(flagged);
    // What the DEFAULT seeding does to a version dropped from the shipped set.
    await t.database.prisma.packVersion.updateMany({ where: { pack: { name: flagged } }, data: { deprecated: true } });

    const warned = await issuesOf([...CORE, { pack: deprecated, version: '1.0.0' }, { pack: flagged, version: '1.0.0' }]);
    expect(warned.valid).toBe(true);
    expect(warned.issues.filter((i) => i.code === 'PACK_VERSION_DEPRECATED')).toEqual([
      expect.objectContaining({ severity: 'WARNING', layerIndex: 4, path: 'layers[4].version', message: `${deprecated} 1.0.0 from registry "${registry}" is deprecated; use cert-manager:1.16.1 instead` }),
      expect.objectContaining({ severity: 'WARNING', layerIndex: 5, message: `${flagged} 1.0.0 from registry "${registry}" is deprecated; choose a newer version` }),
    ]);

    const refused = await t.gql(CREATE, { i: profile([...CORE, { pack: disabled, version: '1.0.0' }]) });
    expect(refused.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(refused.body.errors![0].extensions!.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'PACK_VERSION_DISABLED', severity: 'ERROR', path: 'layers[4].version' })]),
    );
    // The catalog shows each state.
    const stateOf = async (n: string) => (await t.gql(LIFECYCLE, { n, v: '1.0.0', r: registry })).body.data!.packVersion;
    expect(await stateOf(deprecated)).toEqual({ deprecated: true, lifecycle: { state: 'DEPRECATED', eol: null, pastEol: false, replacedBy: 'cert-manager:1.16.1' } });
    expect((await stateOf(disabled)).lifecycle.state).toBe('DISABLED');
    expect(await stateOf(flagged)).toEqual({ deprecated: true, lifecycle: { state: 'DEPRECATED', eol: null, pastEol: false, replacedBy: null } });

    const saved = await t.gql(CREATE, { i: profile([...CORE, { pack: deprecated, version: '1.0.0' }]) });
    expect(saved.body.errors).toBeUndefined();
    expect(saved.body.data!.createProfile.warnings.map((w: { code: string }) => w.code)).toContain('PACK_VERSION_DEPRECATED');
  });

  it('lets a publisher deprecate, disable and reactivate a version (what it sets wins over pack.json), audited', async () => {
    const name = uniqueName('set');
    const annotated = uniqueName('annotated');
    await push(name);
    await push(annotated, { system_state: 'deprecated' });
    const codesOf = async (pack: string) =>
      (await issuesOf([...CORE, { pack, version: '1.0.0' }])).issues.filter((i) => String(i.code).startsWith('PACK_VERSION_')).map((i) => `${i.code} ${i.severity}`);
    expect(await codesOf(name)).toEqual([]);

    const deprecated = await t.gql(SET, { r: registry, n: name, s: 'DEPRECATED', e: '2024-06-30', b: `${name}:2.0.0` });
    expect(deprecated.body.errors).toBeUndefined();
    const first = deprecated.body.data!.setPackVersionLifecycle;
    expect(first).toMatchObject({ version: '1.0.0', deprecated: true, lifecycle: { state: 'DEPRECATED', eol: '2024-06-30', pastEol: true, replacedBy: `${name}:2.0.0` } });
    expect(Date.now() - Date.parse(first.lifecycle.deprecatedAt)).toBeLessThan(60_000);
    expect(await codesOf(name)).toEqual(['PACK_VERSION_DEPRECATED WARNING', 'PACK_VERSION_PAST_EOL WARNING']);

    const disabled = await t.gql(SET, { r: registry, n: name, s: 'DISABLED' });
    expect(disabled.body.data!.setPackVersionLifecycle.lifecycle).toEqual({ state: 'DISABLED', eol: null, pastEol: false, replacedBy: null, deprecatedAt: first.lifecycle.deprecatedAt });
    expect(await codesOf(name)).toEqual(['PACK_VERSION_DISABLED ERROR']);

    const active = await t.gql(SET, { r: registry, n: name, s: 'ACTIVE' });
    expect(active.body.data!.setPackVersionLifecycle).toMatchObject({ deprecated: false, lifecycle: { state: 'ACTIVE', deprecatedAt: null } });
    expect(await codesOf(name)).toEqual([]);
    // A version pack.json deprecates is made ACTIVE by its publisher.
    expect(await codesOf(annotated)).toEqual(['PACK_VERSION_DEPRECATED WARNING']);
    await t.gql(SET, { r: registry, n: annotated, s: 'ACTIVE' });
    expect(await codesOf(annotated)).toEqual([]);

    // Bad input names the field; a missing version names the closest; a publisher of another registry is refused.
    const badEol = await t.gql(SET, { r: registry, n: name, s: 'DEPRECATED', e: 'next year' });
    expect(badEol.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'eol' });
    const missing = await t.gql(SET.replace('version: "1.0.0"', 'version: "9.9.9"'), { r: registry, n: name, s: 'DEPRECATED' });
    expect(missing.body.errors![0].extensions!.code).toBe('NOT_FOUND');
    const elsewhere = (await t.gql('mutation($n: String!, $g: [String!]) { createApiToken(name: $n, role: PUBLISHER, registries: $g) { token } }', {
      n: uniqueName('pub'),
      g: [uniqueName('other')],
    })).body.data!.createApiToken.token;
    expect((await t.gql(SET, { r: registry, n: name, s: 'DISABLED' }, elsewhere)).body.errors![0].extensions!.code).toBe('FORBIDDEN');

    const audit = await t.gql('query($f: AuditEventFilter) { auditEvents(first: 20, filter: $f) { edges { node { action outcome } } } }', {
      // This file's registry only: other files (the operations examples) set lifecycles in the same database.
      f: { action: 'setPackVersionLifecycle', target: `${registry}/` },
    });
    const outcomes = audit.body.data!.auditEvents.edges.map((e: { node: { outcome: string } }) => e.node.outcome);
    expect(outcomes.filter((o: string) => o === 'SUCCESS')).toHaveLength(4);
    expect(outcomes.filter((o: string) => o === 'FAILURE')).toHaveLength(3);
  });
});
