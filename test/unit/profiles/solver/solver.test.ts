import type { PackDependencySpec, PackLayer } from '../../../../src/packs/pack.types.js';
import { solve, type CandidateVersion, type SolveRequest } from '../../../../src/profiles/solver/index.js';
import { memoryCatalog } from '../../../../src/profiles/solver/memory-catalog.js';

function pack(
  name: string,
  version: string,
  layer: PackLayer,
  more: Partial<Omit<CandidateVersion, 'pack' | 'version' | 'layer'>> = {},
): CandidateVersion {
  return {
    pack: name,
    version,
    layer,
    registry: 'r',
    registryPriority: 0,
    cloudTypes: [],
    dependencies: [],
    kubeVersion: null,
    lifecycle: 'ACTIVE',
    pastEol: false,
    tags: [],
    ...more,
  };
}

const dep = (packName: string, type: PackDependencySpec['type'], layer: PackLayer, minVersion = '', maxVersion = ''): PackDependencySpec => ({
  packName,
  type,
  layer,
  minVersion,
  maxVersion,
});

const core = [
  pack('ubuntu', '22.04', 'os'),
  pack('ubuntu', '24.04', 'os'),
  pack('kubernetes', '1.28.9', 'k8s'),
  pack('kubernetes', '1.29.10', 'k8s', { dependencies: [dep('ubuntu', 'notSupported', 'os', '24.04')] }),
  pack('kubernetes', '1.30.6', 'k8s'),
  pack('kubernetes', '1.31.2', 'k8s'),
  pack('cni-calico', '3.28.2', 'cni', { dependencies: [dep('kubernetes', 'optional', 'k8s', '1.27.0')] }),
  pack('cni-cilium', '1.15.0', 'cni', { dependencies: [dep('kubernetes', 'optional', 'k8s', '1.26.0')] }),
  pack('cni-cilium', '1.16.3', 'cni', { dependencies: [dep('kubernetes', 'optional', 'k8s', '1.29.0')] }),
  pack('csi-aws-ebs', '1.36.0', 'csi', { cloudTypes: ['aws', 'eks'] }),
  pack('csi-longhorn', '1.7.2', 'csi'),
];

function request(over: Partial<SolveRequest>): SolveRequest {
  return { type: 'CLUSTER', cloudType: 'aws', fixed: [], slots: [], policy: { kind: 'NEWEST' }, ...over };
}

const chosen = (result: ReturnType<typeof solve>) => (result.ok ? result.layers.map((l) => `${l.pack}@${l.version}`) : result.explanation.text);

describe('solve', () => {
  it('fills the open core layers with the newest versions that fit, honouring prefer and cloud types', () => {
    const result = solve(request({ kubernetes: '1.31.x', slots: [{ layer: 'csi', prefer: ['csi-aws-ebs'] }] }), memoryCatalog(core));
    expect(chosen(result)).toEqual(['ubuntu@24.04', 'kubernetes@1.31.2', 'cni-calico@3.28.2', 'csi-aws-ebs@1.36.0']);
    const vsphere = solve(request({ cloudType: 'vsphere', kubernetes: '1.31.x', slots: [{ layer: 'csi', prefer: ['csi-aws-ebs'] }] }), memoryCatalog(core));
    expect(chosen(vsphere)).toContain('csi-longhorn@1.7.2');
  });

  it('explains with the shortest chain: a dependency against the fixed Kubernetes range', () => {
    const result = solve(request({ kubernetes: '1.28.x', fixed: [{ pack: 'cni-cilium', version: '1.16.x' }] }), memoryCatalog(core));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const { explanation } = result;
    expect(explanation.text).toBe(
      'cni-cilium 1.16.3 requires kubernetes >= 1.29.0; the request fixes Kubernetes 1.28.x; the request fixes cni-cilium 1.16.x; so no version of cni-cilium fits',
    );
    expect(explanation.facts[0]).toMatchObject({ pack: 'cni-cilium', versionRange: '1.16.3', relation: 'REQUIRES', otherPack: 'kubernetes', otherRange: '>= 1.29.0' });
    expect(explanation.layers).toEqual(expect.arrayContaining(['cni-cilium', 'the K8S slot']));
  });

  it('honours notSupported: kubernetes 1.29 does not run on ubuntu 24.04, so ubuntu 22.04 is chosen', () => {
    const result = solve(request({ kubernetes: '1.29.x' }), memoryCatalog(core));
    expect(chosen(result)).toEqual(['ubuntu@22.04', 'kubernetes@1.29.10', 'cni-calico@3.28.2', 'csi-aws-ebs@1.36.0']);
    const fixed = solve(request({ kubernetes: '1.29.x', fixed: [{ pack: 'ubuntu', version: '24.04' }] }), memoryCatalog(core));
    expect(fixed.ok).toBe(false);
    if (!fixed.ok) expect(fixed.explanation.text).toContain('kubernetes 1.29.10 does not support ubuntu >= 24.04');
  });

  it('adds a pack another requires, in the range it requires', () => {
    const catalog = memoryCatalog([
      ...core,
      pack('cert-manager', '1.11.0', 'addon'),
      pack('cert-manager', '1.16.1', 'addon'),
      pack('cert-manager', '1.17.0', 'addon', { lifecycle: 'DISABLED' }),
      pack('trust-manager', '0.12.0', 'addon', { dependencies: [dep('cert-manager', 'required', 'addon', '1.12.0')] }),
    ]);
    const result = solve(request({ fixed: [{ pack: 'trust-manager' }] }), catalog);
    expect(result.ok && result.layers.slice(4)).toEqual([
      expect.objectContaining({ pack: 'trust-manager', version: '0.12.0', origin: 'FIXED' }),
      expect.objectContaining({ pack: 'cert-manager', version: '1.16.1', origin: 'REQUIRED' }),
    ]);
    // An add-on slot preferring the required pack holds it; one that does not takes another pack.
    const preferred = solve(request({ fixed: [{ pack: 'trust-manager' }], slots: [{ layer: 'addon', prefer: ['cert-manager'] }] }), catalog);
    expect(preferred.ok && preferred.layers.slice(4).map((l) => `${l.pack}:${l.origin}`)).toEqual(['trust-manager:FIXED', 'cert-manager:SLOT']);
    const other = solve(request({ fixed: [{ pack: 'trust-manager' }], slots: [{ layer: 'addon' }] }), catalog);
    expect(other.ok).toBe(false);
    if (!other.ok) expect(other.explanation.text).toContain('every version of cert-manager is added to the profile when another pack requires it, so the ADDON slot takes another pack');
    const impossible = solve(request({ fixed: [{ pack: 'trust-manager' }, { pack: 'cert-manager', version: '1.11.0' }] }), catalog);
    expect(impossible.ok).toBe(false);
    if (!impossible.ok) expect(impossible.explanation.text).toContain('trust-manager 0.12.0 requires cert-manager >= 1.12.0');
  });

  it('normalises vendor suffixes when it checks a chart kubeVersion', () => {
    const catalog = memoryCatalog([
      pack('ubuntu', '22.04', 'os'),
      pack('kubernetes-gke', '1.31.2-gke.123', 'k8s'),
      pack('rke2', '1.30.4+rke2r1', 'k8s'),
      pack('cni-calico', '3.28.2', 'cni'),
      pack('csi-longhorn', '1.7.2', 'csi', { kubeVersion: '>= 1.31.0' }),
    ]);
    // Helm reads 1.31.2-gke.123 as a pre-release below 1.31.0-0's peers; the numeric part fits.
    expect(chosen(solve(request({ cloudType: 'gcp' }), catalog))).toContain('kubernetes-gke@1.31.2-gke.123');
    const rke2 = solve(request({ cloudType: 'gcp', fixed: [{ pack: 'rke2' }] }), catalog);
    expect(rke2.ok).toBe(false);
    if (!rke2.ok) expect(rke2.explanation.text).toContain("csi-longhorn 1.7.2 needs Kubernetes >= 1.31.0 (its chart's kubeVersion)");
  });

  it('respects upgrade min/max under CLOSEST and keeps what it can', () => {
    const catalog = memoryCatalog([
      ...core,
      pack('kubernetes', '1.32.0', 'k8s', { dependencies: [dep('kubernetes', 'upgrade', 'k8s', '1.31.0', '1.31.99')] }),
    ]);
    const base = [
      { pack: 'ubuntu', version: '22.04', layer: 'os' as const },
      { pack: 'kubernetes', version: '1.30.6', layer: 'k8s' as const },
      { pack: 'cni-cilium', version: '1.15.0', layer: 'cni' as const },
      { pack: 'csi-longhorn', version: '1.7.2', layer: 'csi' as const },
    ];
    const closest = solve(request({ kubernetes: '1.31.x', policy: { kind: 'CLOSEST', base, baseName: 'p@1.0.0' } }), catalog);
    expect(chosen(closest)).toEqual(['ubuntu@22.04', 'kubernetes@1.31.2', 'cni-cilium@1.15.0', 'csi-longhorn@1.7.2']);
    const jump = solve(request({ kubernetes: '1.32.x', policy: { kind: 'CLOSEST', base, baseName: 'p@1.0.0' } }), catalog);
    expect(jump.ok).toBe(false);
    if (!jump.ok) expect(jump.explanation.text).toContain('kubernetes 1.32.0 can only be reached from kubernetes 1.31.0 to 1.31.99; the profile to upgrade has 1.30.6');
  });

  it('is deterministic: the same catalog in another order gives the same answer', () => {
    const shuffled = [...core].reverse();
    const a = solve(request({ kubernetes: '1.30.x' }), memoryCatalog(core));
    const b = solve(request({ kubernetes: '1.30.x' }), memoryCatalog(shuffled));
    expect(b).toEqual(a);
  });

  it('says what is structurally impossible: two CNI layers', () => {
    const result = solve(request({ fixed: [{ pack: 'cni-calico' }], slots: [{ layer: 'cni' }] }), memoryCatalog(core));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.explanation.facts[0].relation).toBe('LAYER_TAKEN');
  });
  it('explains case by case when every choice ends in a dead end that no single layer shows', () => {
    // Each CNI and CSI candidate fits some Kubernetes and some partner alone; no three fit together.
    const catalog = memoryCatalog([
      pack('ubuntu', '22.04', 'os'),
      pack('kubernetes', '1.30.6', 'k8s'),
      pack('kubernetes', '1.31.2', 'k8s'),
      pack('cni-x', '1.0.0', 'cni', { dependencies: [dep('kubernetes', 'optional', 'k8s', '1.30.0', '1.30.99')] }),
      pack('cni-x', '2.0.0', 'cni', { dependencies: [dep('kubernetes', 'optional', 'k8s', '1.31.0', '1.31.99')] }),
      pack('csi-y', '1.0.0', 'csi', { dependencies: [dep('kubernetes', 'optional', 'k8s', '1.30.0', '1.30.99'), dep('cni-x', 'notSupported', 'cni', '', '1.0.0')] }),
      pack('csi-y', '2.0.0', 'csi', { dependencies: [dep('kubernetes', 'optional', 'k8s', '1.31.0', '1.31.99'), dep('cni-x', 'notSupported', 'cni', '2.0.0')] }),
    ]);
    const result = solve(request({}), catalog);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.explanation.text).toMatch(/^with kubernetes 1\.31\.2: .*\. with kubernetes 1\.30\.6: .*\. So no choice of the K8S slot fits$/);
    expect(result.explanation.facts.length).toBeGreaterThan(0);
    expect(result.decisions).toBeGreaterThan(0);
  });

  it('an ADDON proposal holds add-ons only and adds what they require', () => {
    const catalog = memoryCatalog([
      ...core,
      pack('cert-manager', '1.16.1', 'addon', { dependencies: [dep('kubernetes', 'required', 'k8s', '1.25.0')] }),
      pack('trust-manager', '0.12.0', 'addon', { dependencies: [dep('cert-manager', 'required', 'addon', '1.12.0')] }),
    ]);
    const result = solve(request({ type: 'ADDON', cloudType: 'all', fixed: [{ pack: 'trust-manager' }] }), catalog);
    expect(chosen(result)).toEqual(['trust-manager@0.12.0', 'cert-manager@1.16.1']);
    const core2 = solve(request({ type: 'ADDON', cloudType: 'all', slots: [{ layer: 'cni' }] }), catalog);
    expect(core2.ok).toBe(false);
  });
});
