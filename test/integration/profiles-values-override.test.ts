/**
 * valuesOverride through /graphql on the DEFAULT registry's prometheus-operator (issue 16, section 1):
 * one key overridden validates with the pack's other values and install priority kept, where the
 * same key given as `values` (Palette's whole replacement) does not; stored and read back.
 */
import { parse } from 'yaml';
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';

const ISSUE = 'code severity layerIndex pack path message';
const VALIDATE = `query($input: ProfileInput!) {
  validateProfile(input: $input) {
    valid issues { ${ISSUE} }
    resolvedLayers { layerIndex pack effectiveValues valueSources { path source } }
    installOrder { layerIndex pack priority }
  }
}`;
const CREATE = `mutation($input: ProfileInput!) {
  createProfile(input: $input) { name version layers { index pack values valuesOverride } }
}`;
const PROFILE = `query($name: String!, $version: String) {
  profile(name: $name, version: $version) {
    layers { index pack valuesOverride }
    validation { valid resolvedLayers { layerIndex effectiveValues } installOrder { pack priority } }
  }
}`;

const RETENTION = 'charts:\n  kube-prometheus-stack:\n    prometheus:\n      prometheusSpec:\n        retention: 30d\n';
const BASE = [
  { pack: 'ubuntu', version: '22.04' },
  { pack: 'kubernetes', version: '1.31.2' },
  { pack: 'cni-calico', version: '3.28.2' },
  { pack: 'csi-longhorn', version: '1.7.2' },
];

function profile(name: string, prometheus: Record<string, unknown>) {
  return { name, type: 'CLUSTER', cloudType: 'aws', layers: [...BASE, { pack: 'prometheus-operator', version: '65.1.1', ...prometheus }] };
}

describe('valuesOverride through /graphql (DEFAULT registry prometheus-operator)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ s3: false, seed: true });
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  it('one key overridden: valid, merged onto the defaults, install priority 30 kept, sources named', async () => {
    const { body } = await t.gql(VALIDATE, { input: profile(uniqueName('mon'), { valuesOverride: RETENTION }) });
    expect(body.errors).toBeUndefined();
    const v = body.data!.validateProfile;
    expect(v.issues.filter((i: { severity: string }) => i.severity === 'ERROR')).toEqual([]);
    expect(v.valid).toBe(true);
    expect(v.installOrder.at(-1)).toEqual({ layerIndex: 4, pack: 'prometheus-operator', priority: 30 });
    const layer = v.resolvedLayers[4];
    const effective = parse(layer.effectiveValues);
    const spec = effective.charts['kube-prometheus-stack'].prometheus.prometheusSpec;
    expect(spec.retention).toBe('30d');
    expect(spec.replicas).toBe(1);
    expect(effective.charts['kube-prometheus-stack'].grafana.adminPassword).toBe('prom-operator');
    expect(layer.valueSources).toEqual([
      { path: 'pack', source: 'PACK_DEFAULT' },
      { path: 'charts', source: 'MERGED' },
      { path: 'charts.kube-prometheus-stack.prometheus.prometheusSpec.retention', source: 'OVERRIDE' },
    ]);
  });

  it('the same key as `values` replaces the whole values.yaml (Palette): required keys missing, priority 0', async () => {
    const { body } = await t.gql(VALIDATE, { input: profile(uniqueName('mon'), { values: RETENTION }) });
    const v = body.data!.validateProfile;
    expect(v.valid).toBe(false);
    expect(v.issues.filter((i: { code: string }) => i.code === 'VALUES_SCHEMA').length).toBeGreaterThanOrEqual(5);
    expect(v.installOrder.at(-1)).toEqual({ layerIndex: 4, pack: 'prometheus-operator', priority: 0 });
    expect(v.resolvedLayers[4].effectiveValues).toBe(RETENTION);
  });

  it('a null deletes a key, and the merged values are validated: a required key deleted is an ERROR at its path', async () => {
    const override = 'charts:\n  kube-prometheus-stack:\n    grafana:\n      adminPassword: null\n';
    const { body } = await t.gql(VALIDATE, { input: profile(uniqueName('mon'), { valuesOverride: override }) });
    const v = body.data!.validateProfile;
    expect(v.issues).toEqual([
      expect.objectContaining({
        code: 'VALUES_SCHEMA',
        layerIndex: 4,
        path: 'charts.kube-prometheus-stack.grafana.adminPassword',
        message: 'charts.kube-prometheus-stack.grafana.adminPassword is required',
      }),
    ]);
    expect(parse(v.resolvedLayers[4].effectiveValues).charts['kube-prometheus-stack'].grafana).not.toHaveProperty('adminPassword');
  });

  it('values and valuesOverride together: BAD_USER_INPUT naming the field', async () => {
    const { body } = await t.gql(VALIDATE, { input: profile(uniqueName('mon'), { values: RETENTION, valuesOverride: RETENTION }) });
    expect(body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.layers[4].valuesOverride' });
    expect(body.errors![0].message).toContain('not both');
  });

  it('an override that is not YAML: VALUES_INVALID_YAML naming valuesOverride', async () => {
    const { body } = await t.gql(VALIDATE, { input: profile(uniqueName('mon'), { valuesOverride: 'charts: [1, 2\n' }) });
    const v = body.data!.validateProfile;
    expect(v.issues).toEqual([expect.objectContaining({ code: 'VALUES_INVALID_YAML', layerIndex: 4, pack: 'prometheus-operator' })]);
    expect(v.issues[0].message).toMatch(/^valuesOverride is not valid YAML/);
  });

  it("the README's profile (csi-longhorn with a valuesOverride, presets from the pack's values) is valid", async () => {
    const longhorn = { pack: 'csi-longhorn', version: '1.7.2', valuesOverride: 'charts:\n  longhorn:\n    defaultSettings:\n      defaultDataPath: /mnt/longhorn/\n' };
    const input = { name: uniqueName('web'), type: 'CLUSTER', cloudType: 'aws', layers: [...BASE.slice(0, 3), longhorn] };
    const { body } = await t.gql(VALIDATE, { input });
    expect(body.data!.validateProfile.issues).toEqual([]);
    expect(body.data!.validateProfile.resolvedLayers[3].valueSources).toContainEqual({
      path: 'charts.longhorn.defaultSettings.defaultDataPath',
      source: 'OVERRIDE',
    });
  });

  it('is stored with the profile and read back; the stored profile validates with the merge', async () => {
    const name = uniqueName('mon');
    const created = await t.gql(CREATE, { input: profile(name, { valuesOverride: RETENTION }) }, t.adminToken);
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data!.createProfile.layers[4]).toEqual({ index: 4, pack: 'prometheus-operator', values: null, valuesOverride: RETENTION });
    const row = await t.database.prisma.profileLayer.findFirst({ where: { profile: { name }, position: 4 } });
    expect(row).toMatchObject({ values: null, valuesOverride: RETENTION });
    const read = await t.gql(PROFILE, { name, version: '1.0.0' });
    expect(read.body.errors).toBeUndefined();
    const p = read.body.data!.profile;
    expect(p.layers[4].valuesOverride).toBe(RETENTION);
    expect(p.validation.valid).toBe(true);
    expect(p.validation.installOrder.at(-1)).toEqual({ pack: 'prometheus-operator', priority: 30 });
    expect(parse(p.validation.resolvedLayers[4].effectiveValues).charts['kube-prometheus-stack'].prometheus.prometheusSpec.retention).toBe('30d');
  });

  it('is content of the version: the same again is a no-op, another override is PROFILE_VERSION_IMMUTABLE at its path, a clone keeps it', async () => {
    const name = uniqueName('mon');
    const first = await t.gql(CREATE, { input: profile(name, { valuesOverride: RETENTION }) }, t.adminToken);
    expect(first.body.errors).toBeUndefined();
    const again = await t.gql(CREATE, { input: profile(name, { valuesOverride: RETENTION }) }, t.adminToken);
    expect(again.body.errors).toBeUndefined();
    const other = await t.gql(CREATE, { input: profile(name, { valuesOverride: RETENTION.replace('30d', '60d') }) }, t.adminToken);
    expect(other.body.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'PROFILE_VERSION_IMMUTABLE', field: 'input.layers[4].valuesOverride' });
    const clone = await t.gql(
      'mutation($n: String!) { cloneProfile(name: $n, version: "1.0.0", newVersion: "1.1.0") { version layers { index valuesOverride } } }',
      { n: name },
      t.adminToken,
    );
    expect(clone.body.errors).toBeUndefined();
    expect(clone.body.data!.cloneProfile.layers[4]).toEqual({ index: 4, valuesOverride: RETENTION });
  });
});
