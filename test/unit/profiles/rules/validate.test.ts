import { parse } from 'yaml';

import type { ProfileLayerDraft, ProfileTypeName, ProfileVariableDraft, ResolvedLayer, ValidationIssue } from '../../../../src/profiles/profile.model.js';
import { PROFILE_ISSUE_CODES, readPackAnnotation, validateProfileDraft } from '../../../../src/profiles/rules/index.js';
import { kubernetes, loadFixturePack, notFound, syntheticPack, ubuntu, versionNotFound, withManifest } from '../fixture-packs.js';

// Real packs from pack-central, loaded once.
const antrea = loadFixturePack('antrea-1.9.0'); // cni, vsphere only
const nfs = loadFixturePack('csi-driver-nfs'); // csi, all; values carry a stale Cilium enabled-presets comment
const hpeCsi = loadFixturePack('hpe-csi-driver-3.2.0'); // csi, all
const crossplane = loadFixturePack('crossplane-1.20.0'); // optional kubernetes >= 1.27; cpu 100, memory 256
const appdOperator = loadFixturePack('appdynamics-operator-1.14.168');
const appdCollector = loadFixturePack('appdynamics-collectors-1.14.714'); // requires appdynamics-operator >= 1.14.168; priority "1"
const ciscoCollector = loadFixturePack('appdynamics-collectors-1.22.1287'); // requires cisco-appdynamics-operators >= 1.22.0
const ciscoOperatorOld = loadFixturePack('appdynamics-operators-1.21.368');
const argocd = loadFixturePack('argocd-3.3.5'); // presets enable-ingress / disable-ingress, group Ingress
const helloUniverse = loadFixturePack('hello-universe-1.3.1'); // schema: required port/replicas as ${number}
const sedai = loadFixturePack('sedai-smart-agent-1.4.41'); // values use three {{ .spectro.var.* }}
const srIov = loadFixturePack('sr-iov-3.4.0'); // cloudTypes aws, edge; requires cni-multus (layer addon) >= 3.4
const karpenter = loadFixturePack('karpenter-1.5.1'); // schema: awsAccountNumber required, default ""
const tektonOperator = loadFixturePack('tekton-operator-0.61.0'); // schema: charts.tekton-operator.fullnameOverride readonly
const externalSnapshotter = loadFixturePack('external-snapshotter-4.0.1'); // ${list:[Delete,Retain]}, ${boolean}
const oauth2Proxy = loadFixturePack('oauth2-proxy-8.2.0'); // pack.spectrocloud.com/display-name: oauth2-proxy

type Entry = [ResolvedLayer, Partial<ProfileLayerDraft>?];

function refOf(resolved: ResolvedLayer, extra: Partial<ProfileLayerDraft> = {}): ProfileLayerDraft {
  const base = resolved.status === 'OK' ? { pack: resolved.manifest.name, version: resolved.version } : { pack: 'missing', version: '1.0.0' };
  return { ...base, ...extra };
}

function validate(type: ProfileTypeName, cloudType: string, entries: Entry[], variables?: ProfileVariableDraft[]) {
  return validateProfileDraft(
    { name: 'test-profile', version: '1.0.0', type, cloudType, layers: entries.map(([r, extra]) => refOf(r, extra)), variables },
    entries.map(([r]) => r),
  );
}

const core = (): Entry[] => [[ubuntu()], [kubernetes()], [antrea], [nfs]];

function codes(issues: ValidationIssue[]): string[] {
  return issues.map((i) => i.code);
}

function only(issues: ValidationIssue[], code: string): ValidationIssue[] {
  return issues.filter((i) => i.code === code);
}

function replaceLine(text: string, from: RegExp, to: string): string {
  expect(text).toMatch(from);
  return text.replace(from, to);
}

const sedaiVariables: ProfileVariableDraft[] = [
  { name: 'clusterProvider', default: 'AWS' },
  { name: 'sedaiBaseUrl', default: 'https://app.sedai.io' },
  { name: 'sedaiApiToken' },
];

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

  it('has no issue at all', () => {
    expect(result.issues).toEqual([]);
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
    ]);
    expect(result.issues.every((i) => i.severity === 'ERROR')).toBe(true);
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

describe('layer cardinality and order', () => {
  it('MISSING_CORE_LAYER for each core layer a CLUSTER or INFRA profile lacks', () => {
    const result = validate('INFRA', 'vsphere', [[ubuntu()], [kubernetes()]]);
    expect(result.issues.map((i) => [i.code, i.message])).toEqual([
      ['MISSING_CORE_LAYER', 'an INFRA profile needs a CNI layer'],
      ['MISSING_CORE_LAYER', 'an INFRA profile needs a CSI layer'],
    ]);
    expect(codes(validate('CLUSTER', 'vsphere', []).issues)).toEqual(Array(4).fill('MISSING_CORE_LAYER'));
  });

  it('mentions unresolved layers when a core layer may hide among them', () => {
    const result = validate('CLUSTER', 'vsphere', [[ubuntu()], [kubernetes()], [notFound(), { pack: 'calico', version: '3.27.0' }], [nfs]]);
    expect(only(result.issues, 'MISSING_CORE_LAYER')[0].message).toMatch(/needs a CNI layer \(1 layer\(s\) could not be resolved/);
  });

  it('DUPLICATE_CORE_LAYER on the second pack of a core layer (two real CSI packs)', () => {
    const result = validate('CLUSTER', 'vsphere', [...core(), [hpeCsi]]);
    expect(result.issues).toEqual([
      expect.objectContaining({ code: 'DUPLICATE_CORE_LAYER', layerIndex: 4, pack: 'hpe-csi-driver', severity: 'ERROR' }),
    ]);
  });

  it('LAYER_ORDER for an add-on before a core layer', () => {
    const result = validate('CLUSTER', 'vsphere', [[ubuntu()], [kubernetes()], [antrea], [crossplane], [nfs]]);
    expect(result.issues).toEqual([expect.objectContaining({ code: 'LAYER_ORDER', layerIndex: 4, pack: 'csi-driver-nfs' })]);
    expect(result.issues[0].message).toMatch(/after add-on "crossplane" \(layer 3\)/);
  });

  it('accepts a KERNEL layer before OS and refuses it after', () => {
    const kernel = syntheticPack({ name: 'kernel-rt', version: '6.1.0', layer: 'kernel' });
    expect(validate('INFRA', 'vsphere', [[kernel], ...core()]).issues).toEqual([]);
    const late = validate('INFRA', 'vsphere', [[ubuntu()], [kernel], [kubernetes()], [antrea], [nfs]]);
    expect(late.issues).toEqual([expect.objectContaining({ code: 'LAYER_ORDER', layerIndex: 1, pack: 'kernel-rt' })]);
  });

  it('LAYER_NOT_ALLOWED: add-ons in INFRA, core layers in ADDON and SYSTEM', () => {
    const infra = validate('INFRA', 'vsphere', [...core(), [crossplane]]);
    expect(infra.issues).toEqual([expect.objectContaining({ code: 'LAYER_NOT_ALLOWED', layerIndex: 4, pack: 'crossplane' })]);
    const addon = validate('ADDON', 'vsphere', [[crossplane], [antrea]]);
    expect(addon.issues).toEqual([expect.objectContaining({ code: 'LAYER_NOT_ALLOWED', layerIndex: 1, pack: 'antrea' })]);
    expect(addon.issues[0].message).toBe('an ADDON profile holds add-on layers only; "antrea" is a CNI layer');
    expect(codes(validate('SYSTEM', 'vsphere', [[kubernetes()]]).issues)).toEqual(['LAYER_NOT_ALLOWED']);
  });

  it('PROFILE_EMPTY for an ADDON profile without layers', () => {
    expect(codes(validate('ADDON', 'aws', []).issues)).toEqual(['PROFILE_EMPTY']);
  });
});

describe('resolution', () => {
  it('PACK_NOT_FOUND names the registry asked', () => {
    const result = validate('ADDON', 'aws', [[notFound(), { pack: 'nope', version: '1.0.0', registry: 'hosted-a' }]]);
    expect(result.issues).toEqual([
      { code: 'PACK_NOT_FOUND', severity: 'ERROR', layerIndex: 0, pack: 'nope', message: 'pack "nope" was not found in registry "hosted-a"' },
    ]);
    expect(result.resolvedLayers).toEqual([]);
    expect(result.installOrder).toEqual([]);
  });

  it('VERSION_NOT_FOUND lists the available versions, newest first', () => {
    const result = validate('ADDON', 'aws', [[versionNotFound(['1.16.0', '1.20.0', '1.7.0']), { pack: 'crossplane', version: '9.9.9' }]]);
    expect(result.issues).toEqual([
      expect.objectContaining({ code: 'VERSION_NOT_FOUND', layerIndex: 0, pack: 'crossplane' }),
    ]);
    expect(result.issues[0].message).toBe('pack "crossplane" has no version "9.9.9" in any registry; available: 1.20.0, 1.16.0, 1.7.0');
  });

  it('does not report a dependency on a pack whose layer failed to resolve', () => {
    const result = validate('ADDON', 'all', [[appdCollector], [versionNotFound(['1.14.168']), { pack: 'appdynamics-operator', version: '0.1' }]]);
    expect(codes(result.issues)).toEqual(['VERSION_NOT_FOUND']);
  });

  it('throws on a caller bug: one resolution per layer', () => {
    expect(() => validateProfileDraft({ name: 'x', type: 'ADDON', cloudType: 'all', layers: [refOf(crossplane)] }, [])).toThrow(RangeError);
  });
});

describe('cloud types', () => {
  it('CLOUD_TYPE_MISMATCH when cloudTypes hold neither the profile cloud type nor all', () => {
    const result = validate('CLUSTER', 'aws', [[ubuntu()], [kubernetes()], [antrea], [nfs]]);
    // the synthetic ubuntu-vsphere and the real antrea are vsphere-only
    expect(only(result.issues, 'CLOUD_TYPE_MISMATCH').map((i) => i.layerIndex)).toEqual([0, 2]);
  });

  it('an ADDON profile for all clouds refuses a pack restricted to some', () => {
    expect(validate('ADDON', 'all', [[srIov]]).issues.map((i) => i.code)).toContain('CLOUD_TYPE_MISMATCH');
    expect(validate('ADDON', 'all', [[crossplane]]).issues).toEqual([]);
  });

  it('treats an empty cloudTypes list as all', () => {
    const anywhere = syntheticPack({ name: 'anywhere', version: '1.0.0', layer: 'addon', cloudTypes: [] });
    expect(validate('ADDON', 'maas', [[anywhere]]).issues).toEqual([]);
  });

  it('CLOUD_TYPE_ALL_NOT_ADDON for cloudType all on other profile types', () => {
    const result = validate('CLUSTER', 'all', core());
    expect(result.issues[0]).toEqual(expect.objectContaining({ code: 'CLOUD_TYPE_ALL_NOT_ADDON', severity: 'ERROR' }));
    expect(result.issues[0].layerIndex).toBeUndefined();
    expect(codes(validate('SYSTEM', 'all', [[crossplane]]).issues)).toEqual(['CLOUD_TYPE_ALL_NOT_ADDON']);
  });
});

describe('dependencies', () => {
  it('DEPENDENCY_MISSING when a required pack is absent (appdynamics-collector without its operator)', () => {
    const result = validate('ADDON', 'all', [[appdCollector]]);
    expect(result.issues).toEqual([
      expect.objectContaining({ code: 'DEPENDENCY_MISSING', severity: 'ERROR', layerIndex: 0, pack: 'appdynamics-collector' }),
    ]);
    expect(result.issues[0].message).toMatch(/requires ADDON pack "appdynamics-operator" >= 1.14.168/);
    expect(validate('ADDON', 'all', [[appdOperator], [appdCollector]]).issues).toEqual([]);
  });

  it('DEPENDENCY_VERSION when a required pack is below minVersion (cisco collector 1.22 with operator 1.21)', () => {
    const result = validate('ADDON', 'all', [[ciscoOperatorOld], [ciscoCollector]]);
    expect(result.issues).toEqual([expect.objectContaining({ code: 'DEPENDENCY_VERSION', layerIndex: 1, pack: 'cisco-appdynamics-collectors' })]);
    expect(result.issues[0].message).toMatch(/needs "cisco-appdynamics-operators" >= 1.22.0 \(required\); layer 0 has 1.21.368/);
  });

  it('checks an optional dependency only when present (crossplane -> kubernetes >= 1.27)', () => {
    expect(validate('ADDON', 'all', [[crossplane]]).issues).toEqual([]);
    expect(codes(validate('CLUSTER', 'vsphere', [[ubuntu()], [kubernetes('1.26.3')], [antrea], [nfs], [crossplane]]).issues)).toEqual(['DEPENDENCY_VERSION']);
    expect(validate('CLUSTER', 'vsphere', [[ubuntu()], [kubernetes('1.27')], [antrea], [nfs], [crossplane]]).issues).toEqual([]);
  });

  it('DEPENDENCY_NOT_SUPPORTED when a notSupported pack is present within its range', () => {
    // pack-central has no notSupported constraint: add one to the real crossplane manifest.
    const picky = withManifest(crossplane, (m) => ({
      ...m,
      constraints: {
        ...m.constraints,
        dependencies: [...m.constraints.dependencies, { packName: 'argo-cd', layer: 'addon', type: 'notSupported', minVersion: '3.0.0', maxVersion: '3.5.0' }],
      },
    }));
    const result = validate('ADDON', 'all', [[argocd], [picky]]);
    expect(result.issues).toEqual([expect.objectContaining({ code: 'DEPENDENCY_NOT_SUPPORTED', layerIndex: 1, pack: 'crossplane' })]);
    expect(result.issues[0].message).toMatch(/does not support "argo-cd" 3.0.0 to 3.5.0; layer 0 has 3.3.5/);
    expect(validate('ADDON', 'all', [[loadFixturePack('argocd-3.26.7')], [picky]]).issues).toEqual([]);
  });

  it('skips constraints with empty bounds and ignores upgrade constraints', () => {
    // piraeus-operator-addon: optional kubernetes with no bounds; argo-cd: an upgrade constraint on itself
    const piraeus = loadFixturePack('piraeus-operator-addon-2.9.0');
    const ovn = loadFixturePack('ovn-kubernetes-1.2.0');
    const result = validate('CLUSTER', 'edge-native', [[ubuntu()], [kubernetes('1.10.0')], [ovn], [nfs], [piraeus], [argocd]]);
    // only the vsphere-only synthetic OS is in the way
    expect(result.issues.map((i) => [i.code, i.layerIndex])).toEqual([['CLOUD_TYPE_MISMATCH', 0]]);
  });

  it('warns (LAYER_MISMATCH) when the present pack sits in another layer than the dependency says', () => {
    const multusAsCni = syntheticPack({ name: 'cni-multus', version: '3.4.0', layer: 'cni', cloudTypes: ['aws'] });
    const result = validate('ADDON', 'aws', [[multusAsCni], [srIov]]);
    expect(only(result.issues, 'LAYER_MISMATCH')).toEqual([
      expect.objectContaining({ severity: 'WARNING', layerIndex: 1, pack: 'sr-iov' }),
    ]);
    expect(codes(result.issues)).not.toContain('DEPENDENCY_MISSING');
  });

  it('only warns about a missing core-layer dependency in an ADDON profile (the infra profile brings it)', () => {
    const needsK8s = withManifest(crossplane, (m) => ({
      ...m,
      constraints: { ...m.constraints, dependencies: [{ packName: 'kubernetes', layer: 'k8s', type: 'required', minVersion: '1.27' }] },
    }));
    expect(validate('ADDON', 'all', [[needsK8s]]).issues).toEqual([expect.objectContaining({ code: 'DEPENDENCY_MISSING', severity: 'WARNING' })]);
    expect(validate('ADDON', 'all', [[needsK8s]]).valid).toBe(true);
  });
});

describe('duplicate packs', () => {
  it('DUPLICATE_PACK for the same pack twice without display names (crossplane)', () => {
    const result = validate('ADDON', 'all', [[crossplane], [crossplane]]);
    expect(result.issues).toEqual([expect.objectContaining({ code: 'DUPLICATE_PACK', layerIndex: 1, pack: 'crossplane' })]);
  });

  it('DUPLICATE_PACK when both copies keep the same display name (oauth2-proxy defaults)', () => {
    expect(readPackAnnotation(parse(oauth2Proxy.defaultValues), 'display-name')).toBe('oauth2-proxy');
    expect(codes(validate('ADDON', 'all', [[oauth2Proxy], [oauth2Proxy]]).issues)).toEqual(['DUPLICATE_PACK']);
  });

  it('accepts the same pack twice with distinct display names, in either spelling', () => {
    const second = replaceLine(oauth2Proxy.defaultValues, /spectrocloud.com\/display-name: oauth2-proxy/, 'spectrocloud.com/display-name: oauth2-proxy-internal');
    expect(validate('ADDON', 'all', [[oauth2Proxy], [oauth2Proxy, { values: second }]]).issues).toEqual([]);
    const flat = `pack.spectrocloud.com/display-name: crossplane-b\n${crossplane.defaultValues}`;
    const nested = `pack:\n  spectrocloud.com/display-name: crossplane-a\n${crossplane.defaultValues.replace(/^pack:\n/, '')}`;
    expect(validate('ADDON', 'all', [[crossplane, { values: nested }], [crossplane, { values: flat }]]).issues).toEqual([]);
  });
});

describe('values', () => {
  it('VALUES_INVALID_YAML with the line and column of the parse error', () => {
    const result = validate('ADDON', 'all', [[crossplane, { values: 'pack:\n  namespace: "crossplane-system"\ncharts: [1, 2\n' }]]);
    expect(result.issues).toEqual([expect.objectContaining({ code: 'VALUES_INVALID_YAML', layerIndex: 0, pack: 'crossplane' })]);
    expect(result.issues[0].message).toMatch(/line \d+, column \d+/);
    expect(codes(validate('ADDON', 'all', [[crossplane, { values: '- just\n- a list\n' }]]).issues)).toEqual(['VALUES_INVALID_YAML']);
  });

  it('VALUES_SCHEMA for a required value left empty (karpenter awsAccountNumber, real default "")', () => {
    const result = validate('ADDON', 'eks', [[karpenter]]);
    expect(result.issues).toEqual([
      expect.objectContaining({ code: 'VALUES_SCHEMA', layerIndex: 0, pack: 'karpenter', path: 'awsAccountNumber', message: 'awsAccountNumber is required' }),
    ]);
    const filled = replaceLine(karpenter.defaultValues, /awsAccountNumber: ""/, 'awsAccountNumber: "123456789012"');
    expect(validate('ADDON', 'eks', [[karpenter, { values: filled }]]).issues).toEqual([]);
  });

  it('VALUES_SCHEMA for list, boolean and number formats (external-snapshotter, hello-universe)', () => {
    let values = replaceLine(externalSnapshotter.defaultValues, /deletionPolicy: \S+/, 'deletionPolicy: Keep');
    values = replaceLine(values, /isDefaultClass: \S+/, 'isDefaultClass: maybe');
    values = replaceLine(values, /driver: .*/, 'driver: csi.example.com');
    const result = validate('ADDON', 'all', [[externalSnapshotter, { values }]]);
    expect(result.issues.map((i) => [i.code, i.path, i.message])).toEqual([
      ['VALUES_SCHEMA', 'manifests.vsclass.deletionPolicy', 'manifests.vsclass.deletionPolicy must be one of: Delete, Retain (got "Keep")'],
      ['VALUES_SCHEMA', 'manifests.vsclass.isDefaultClass', 'manifests.vsclass.isDefaultClass must be true or false (got "maybe")'],
    ]);
    const replicas = replaceLine(helloUniverse.defaultValues, /replicas: 1/, 'replicas: ""');
    expect(validate('ADDON', 'all', [[helloUniverse, { values: replicas }]]).issues).toEqual([
      expect.objectContaining({ code: 'VALUES_SCHEMA', path: 'manifests.hello-universe.replicas', message: 'manifests.hello-universe.replicas is required' }),
    ]);
  });

  it('VALUES_SCHEMA when a readonly value changes (tekton-operator fullnameOverride)', () => {
    expect(validate('ADDON', 'all', [[tektonOperator]]).issues).toEqual([]);
    const changed = replaceLine(tektonOperator.defaultValues, /fullnameOverride: "tekton-operator"/, 'fullnameOverride: "my-tekton"');
    const result = validate('ADDON', 'all', [[tektonOperator, { values: changed }]]);
    expect(result.issues).toEqual([
      expect.objectContaining({ code: 'VALUES_SCHEMA', severity: 'ERROR', path: 'charts.tekton-operator.fullnameOverride' }),
    ]);
    expect(result.issues[0].message).toMatch(/read-only: keep the pack's value "tekton-operator"/);
  });

  it('skips format checks for values holding a macro, but counts them as present', () => {
    const values = replaceLine(helloUniverse.defaultValues, /port: 8080/, 'port: "{{ .spectro.var.port }}"');
    expect(validate('ADDON', 'all', [[helloUniverse, { values }]], [{ name: 'port', format: 'number', default: '8080' }]).issues).toEqual([]);
  });

  it('VALUES_SCHEMA_UNSUPPORTED warns about schema expressions it cannot read', () => {
    const odd = syntheticPack({
      name: 'odd',
      version: '1.0.0',
      layer: 'addon',
      values: 'a: 1\nb: x\n',
      schema: { a: '{{ required | format "${number:[1-10]}" | frobnicate }}', b: '{{ format "${macaddr}" }}' },
    });
    const result = validate('ADDON', 'all', [[odd]]);
    expect(result.issues.map((i) => [i.code, i.severity, i.path])).toEqual([
      ['VALUES_SCHEMA_UNSUPPORTED', 'WARNING', 'a'],
      ['VALUES_SCHEMA_UNSUPPORTED', 'WARNING', 'b'],
    ]);
    // what was understood is still checked
    expect(only(validate('ADDON', 'all', [[odd, { values: 'a: 11\nb: x\n' }]]).issues, 'VALUES_SCHEMA')[0].message).toBe('a must be between 1 and 10 (got "11")');
  });
});

describe('presets', () => {
  it('PRESET_UNKNOWN for a preset the pack lacks, listing the ones it has', () => {
    const result = validate('ADDON', 'all', [[argocd, { presets: ['enable-grpc'] }]]);
    expect(result.issues).toEqual([expect.objectContaining({ code: 'PRESET_UNKNOWN', severity: 'ERROR', layerIndex: 0, path: 'enable-grpc' })]);
    expect(result.issues[0].message).toMatch(/presets: Ingress:enable-ingress, Ingress:disable-ingress/);
    const none = validate('ADDON', 'all', [[sedai, { presets: ['fast'] }]], sedaiVariables);
    expect(none.issues).toEqual([expect.objectContaining({ code: 'PRESET_UNKNOWN', path: 'fast' })]);
    expect(none.issues[0].message).toMatch(/has no preset "fast"; it has no presets/);
  });

  it('accepts presets by name or group:name', () => {
    expect(validate('ADDON', 'all', [[argocd, { presets: ['Ingress:enable-ingress'] }]]).issues).toEqual([]);
  });

  it('PRESET_GROUP_CONFLICT for two presets of one group', () => {
    const result = validate('ADDON', 'all', [[argocd, { presets: ['enable-ingress', 'Ingress:disable-ingress'] }]]);
    expect(result.issues).toEqual([expect.objectContaining({ code: 'PRESET_GROUP_CONFLICT', severity: 'ERROR', layerIndex: 0 })]);
  });

  it('reads the enabled-presets comment when no presets are given, as warnings', () => {
    const unknown = replaceLine(helloUniverse.defaultValues, /^# spectrocloud.com\/enabled-presets: Backend:disable-api/, '# spectrocloud.com/enabled-presets: Backend:no-such-preset');
    expect(validate('ADDON', 'all', [[helloUniverse, { values: unknown }]]).issues).toEqual([
      expect.objectContaining({ code: 'PRESET_UNKNOWN', severity: 'WARNING', path: 'Backend:no-such-preset' }),
    ]);
    const both = replaceLine(helloUniverse.defaultValues, /^# spectrocloud.com\/enabled-presets: Backend:disable-api/, '# spectrocloud.com/enabled-presets: Backend:disable-api, Backend:enable-api');
    const result = validate('ADDON', 'all', [[helloUniverse, { values: both }]]);
    expect(result.issues).toEqual([expect.objectContaining({ code: 'PRESET_GROUP_CONFLICT', severity: 'WARNING' })]);
    expect(result.valid).toBe(true);
    // an explicit selection wins over the comment
    expect(validate('ADDON', 'all', [[helloUniverse, { values: unknown, presets: ['enable-api'] }]]).issues).toEqual([]);
  });
});

describe('macros and variables', () => {
  it('VARIABLE_UNDEFINED for each {{ .spectro.var.X }} without a variable X (sedai-smart-agent)', () => {
    const result = validate('ADDON', 'all', [[sedai]]);
    expect(result.issues.map((i) => [i.code, i.path])).toEqual([
      ['VARIABLE_UNDEFINED', 'charts.sedai-smart-agent.sedaiIntegrationSettings.clusterProvider'],
      ['VARIABLE_UNDEFINED', 'charts.sedai-smart-agent.sedaiIntegrationSettings.sedaiBaseUrl'],
      ['VARIABLE_UNDEFINED', 'charts.sedai-smart-agent.sedaiIntegrationSettings.sedaiApiToken'],
    ]);
    expect(result.issues[0].message).toMatch(/uses \{\{ \.spectro\.var\.clusterProvider \}\}, but the profile defines no variable "clusterProvider"/);
  });

  it('PACK_REFERENCE_UNKNOWN for {{ .spectro.pack.P.* }} without a layer P; a self reference is fine (karpenter)', () => {
    const filled = replaceLine(karpenter.defaultValues, /awsAccountNumber: ""/, 'awsAccountNumber: "123456789012"');
    expect(validate('ADDON', 'eks', [[karpenter, { values: filled }]]).issues).toEqual([]);
    const values = `${crossplane.defaultValues}\nextra:\n  token: "{{ .spectro.pack.vault.rootToken | default \\"x\\" }}"\n`;
    const result = validate('ADDON', 'all', [[crossplane, { values }]]);
    expect(result.issues).toEqual([
      expect.objectContaining({ code: 'PACK_REFERENCE_UNKNOWN', severity: 'ERROR', layerIndex: 0, path: 'extra.token' }),
    ]);
  });

  it('ignores macros in YAML comments (wordpress documents a pack reference in a comment)', () => {
    const wordpress = loadFixturePack('wordpress-6.4.3');
    expect(wordpress.defaultValues).toContain('# username: {{ .spectro.pack.wordpress-chart');
    expect(codes(validate('ADDON', wordpress.manifest.cloudTypes[0], [[wordpress]]).issues)).not.toContain('PACK_REFERENCE_UNKNOWN');
  });

  it('SYSTEM_MACRO_UNKNOWN warns about undocumented system macros; documented ones pass', () => {
    const values = 'a: "{{ .spectro.system.cluster.name }}-{{ .spectro.system.kubernetes.version | substr 0 4 }}"\nb: "{{ .spectro.system.cluster.flavor }}"\n';
    const result = validate('ADDON', 'all', [[crossplane, { values }]]);
    expect(result.issues).toEqual([expect.objectContaining({ code: 'SYSTEM_MACRO_UNKNOWN', severity: 'WARNING', path: 'b' })]);
    expect(result.valid).toBe(true);
  });

  it('VARIABLE_INVALID for defaults that break their format, regex or options, and other mistakes', () => {
    const variables: ProfileVariableDraft[] = [
      { name: 'clusterProvider', options: ['AWS', 'GCP'], default: 'AZURE' },
      { name: 'sedaiBaseUrl', regex: '^https://', default: 'http://app.sedai.io' },
      { name: 'sedaiApiToken', format: 'number', default: 'abc' },
      { name: 'sedaiApiToken', format: 'string' },
      { name: 'bad name', format: 'string' },
      { name: 'cidr', format: 'ipv4cidr', default: '10.0.0.0/33' },
      { name: 'secret', hidden: true, required: true },
      { name: 'weird', format: 'colour' },
      { name: 'broken', regex: '([a-z' },
    ];
    const result = validate('ADDON', 'all', [[sedai]], variables);
    const invalid = only(result.issues, 'VARIABLE_INVALID');
    expect(invalid.map((i) => i.path)).toEqual(['clusterProvider', 'sedaiBaseUrl', 'sedaiApiToken', 'sedaiApiToken', 'bad name', 'cidr', 'secret', 'weird', 'broken']);
    expect(invalid[1].message).toBe('variable "sedaiBaseUrl": default "http://app.sedai.io" does not match /^https:///');
    expect(codes(result.issues)).not.toContain('VARIABLE_UNDEFINED');
  });

  it('VARIABLE_UNUSED warns about a variable no layer uses', () => {
    const result = validate('ADDON', 'all', [[crossplane]], [{ name: 'unused', default: 'x' }]);
    expect(result.issues).toEqual([expect.objectContaining({ code: 'VARIABLE_UNUSED', severity: 'WARNING', path: 'unused' })]);
  });
});

describe('profile header and install priority', () => {
  it('PROFILE_VERSION_INVALID for a version that is not MAJOR.MINOR.PATCH', () => {
    const result = validateProfileDraft({ name: 'p', version: '1.0', type: 'ADDON', cloudType: 'all', layers: [refOf(crossplane)] }, [crossplane]);
    expect(codes(result.issues)).toEqual(['PROFILE_VERSION_INVALID']);
  });

  it('INSTALL_PRIORITY_INVALID warns and uses 0; negative priorities go first among add-ons', () => {
    const values = (p: string) => `pack:\n  spectrocloud.com/install-priority: ${p}\n`;
    const result = validate('ADDON', 'all', [
      [crossplane, { values: values('"soon"') }],
      [argocd, { values: values('"-5"'), presets: [] }],
      [appdOperator, { values: values('10') }],
    ]);
    expect(result.issues).toEqual([expect.objectContaining({ code: 'INSTALL_PRIORITY_INVALID', severity: 'WARNING', layerIndex: 0 })]);
    expect(result.installOrder).toEqual([
      { layerIndex: 1, pack: 'argo-cd', priority: -5 },
      { layerIndex: 0, pack: 'crossplane', priority: 0 },
      { layerIndex: 2, pack: 'appdynamics-operator', priority: 10 },
    ]);
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
