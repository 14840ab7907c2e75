/**
 * validateProfileDraft as a whole (rules/index.ts): a valid profile, every issue of a broken one in
 * one answer, and the issue codes (rules/issue-codes.ts).
 */
import type { ProfileVariableDraft } from '../../../../src/profiles/profile.model.js';
import { PROFILE_ISSUE_CODES } from '../../../../src/profiles/rules/index.js';
import { kubernetes, ubuntu } from '../fixture-packs.js';
import { antrea, appdCollector, appdOperator, argocd, core, crossplane, helloUniverse, nfs, replaceLine, sedai, srIov, validate, type Entry } from './validate-helpers.js';

describe('validateProfileDraft: a valid CLUSTER profile of real packs', () => {
  const variables: ProfileVariableDraft[] = [
    { name: 'clusterProvider', format: 'string', default: 'SELF_MANAGED', options: ['AWS', 'AZURE', 'GCP', 'SELF_MANAGED'] },
    { name: 'sedaiBaseUrl', format: 'string', required: true, regex: '^https://' , default: 'https://app.sedai.io' },
    { name: 'sedaiApiToken', format: 'string', hidden: true, default: 'token' },
  ];
  const entries: Entry[] = [
    ...core(),
    [crossplane],
    [appdOperator],
    [appdCollector],
    [argocd, { presets: ['disable-ingress'] }],
    [helloUniverse],
    [sedai],
  ];
  const result = validate('CLUSTER', 'vsphere', entries, variables);

  it('has no issue but the deprecation of argo-cd 3.3.5 (`system_state: deprecated` in pack-central)', () => {
    expect(result.issues).toEqual([expect.objectContaining({ code: 'PACK_VERSION_DEPRECATED', severity: 'WARNING', pack: 'argo-cd' })]);
    expect(result.valid).toBe(true);
  });

  it('pins every layer to its registry, exact version, digest and layer kind', () => {
    expect(result.resolvedLayers).toHaveLength(entries.length);
    expect(result.resolvedLayers[2]).toEqual({
      layerIndex: 2,
      pack: 'antrea',
      registry: 'pack-central',
      version: '1.9.0',
      digest: antrea.digest,
      layer: 'cni',
      effectiveValues: antrea.defaultValues,
      valueSources: [{ path: 'pack', source: 'PACK_DEFAULT' }, { path: 'charts', source: 'PACK_DEFAULT' }],
    });
    expect(result.resolvedLayers.map((l) => l.layer)).toEqual(['os', 'k8s', 'cni', 'csi', 'addon', 'addon', 'addon', 'addon', 'addon', 'addon']);
  });

  it('installs core layers first, then add-ons by install-priority (appdynamics-collector says "1")', () => {
    expect(result.installOrder.map((s) => s.layerIndex)).toEqual([0, 1, 2, 3, 4, 5, 7, 8, 9, 6]);
    expect(result.installOrder.at(-1)).toEqual({ layerIndex: 6, pack: 'appdynamics-collector', priority: 1 });
  });

  it('sums resource minimums: cpu millicores, memory MiB, disk GiB', () => {
    // synthetic kubernetes: 2000m / 4096Mi / 60Gi; crossplane-1.20.0: 100m / 256Mi
    expect(result.resources).toEqual({ cpuMillicores: 2100, memoryMi: 4352, diskGi: 60 });
  });

  it('leaves diskGi out when no pack declares a disk size', () => {
    expect(validate('ADDON', 'all', [[crossplane]]).resources).toEqual({ cpuMillicores: 100, memoryMi: 256 });
  });
});

describe('validateProfileDraft: a broken draft gets every issue in one answer', () => {
  const brokenHello = replaceLine(helloUniverse.defaultValues, /port: 8080/, 'port: eighty');
  const result = validate('CLUSTER', 'vsphere', [
    [ubuntu()],
    [antrea],
    [kubernetes('1.26.3')],
    [nfs],
    [srIov],
    [crossplane],
    [helloUniverse, { values: brokenHello }],
    [argocd, { presets: ['enable-ingress', 'disable-ingress'] }],
  ]);

  it('reports order, cloud type, dependencies, schema and presets together', () => {
    const summary = result.issues.map((i) => [i.code, i.layerIndex, i.path]);
    expect(summary).toEqual([
      ['LAYER_ORDER', 2, undefined],
      ['CLOUD_TYPE_MISMATCH', 4, undefined],
      ['DEPENDENCY_MISSING', 4, undefined],
      ['DEPENDENCY_VERSION', 5, undefined],
      ['VALUES_SCHEMA', 6, 'manifests.hello-universe.port'],
      ['PRESET_GROUP_CONFLICT', 7, 'disable-ingress'],
      ['PACK_VERSION_DEPRECATED', 7, 'layers[7].version'],
    ]);
    // Every issue is an ERROR but the deprecation warning of argo-cd 3.3.5 (rules/lifecycle.ts).
    expect(result.issues.filter((i) => i.severity !== 'ERROR').map((i) => i.code)).toEqual(['PACK_VERSION_DEPRECATED']);
    expect(result.valid).toBe(false);
  });

  it('names the packs and explains each issue', () => {
    const [order, cloud, missing, version, schema, preset] = result.issues;
    expect(order).toMatchObject({ pack: 'kubernetes' });
    expect(order.message).toMatch(/K8S layer "kubernetes" comes after CNI layer "antrea"/);
    expect(cloud).toMatchObject({ pack: 'sr-iov' });
    expect(cloud.message).toMatch(/aws, edge, not "vsphere"/);
    expect(missing.message).toMatch(/"cni-multus" >= 3.4/);
    expect(version.message).toMatch(/crossplane 1.20.0 needs "kubernetes" >= 1.27 \(optional\); layer 2 has 1.26.3/);
    expect(schema.message).toMatch(/must be a number \(got "eighty"\)/);
    expect(preset.message).toMatch(/"enable-ingress" and "disable-ingress" are both in group "Ingress"/);
  });

  it('still resolves and orders what it can', () => {
    expect(result.resolvedLayers).toHaveLength(8);
    expect(result.installOrder).toHaveLength(8);
  });
});

describe('issue codes', () => {
  it('covers the API contract table', () => {
    const contract = [
      'MISSING_CORE_LAYER', 'DUPLICATE_CORE_LAYER', 'LAYER_ORDER', 'LAYER_NOT_ALLOWED', 'PACK_NOT_FOUND', 'VERSION_NOT_FOUND',
      'CLOUD_TYPE_MISMATCH', 'DEPENDENCY_MISSING', 'DEPENDENCY_VERSION', 'DEPENDENCY_NOT_SUPPORTED', 'DUPLICATE_PACK',
      'VALUES_INVALID_YAML', 'VALUES_SCHEMA', 'PRESET_UNKNOWN', 'PRESET_GROUP_CONFLICT', 'VARIABLE_UNDEFINED',
      'PACK_REFERENCE_UNKNOWN', 'CLOUD_TYPE_ALL_NOT_ADDON',
    ];
    expect(PROFILE_ISSUE_CODES).toEqual(expect.arrayContaining(contract));
  });
});
