/** Pack dependency constraints between layers (rules/dependencies.ts). */
import { kubernetes, loadFixturePack, syntheticPack, ubuntu, withManifest } from '../fixture-packs.js';
import { antrea, appdCollector, appdOperator, argocd, ciscoCollector, ciscoOperatorOld, codes, crossplane, nfs, only, srIov, validate } from './validate-helpers.js';

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
    // argo-cd 3.3.5 is `system_state: deprecated` in pack-central (rules/lifecycle.ts): issues come by layer.
    expect(result.issues).toEqual([
      expect.objectContaining({ code: 'PACK_VERSION_DEPRECATED', layerIndex: 0, pack: 'argo-cd' }),
      expect.objectContaining({ code: 'DEPENDENCY_NOT_SUPPORTED', layerIndex: 1, pack: 'crossplane' }),
    ]);
    expect(result.issues[1].message).toMatch(/does not support "argo-cd" 3.0.0 to 3.5.0; layer 0 has 3.3.5/);
    // 3.26.7 is outside the range (and deprecated in pack-central too).
    expect(validate('ADDON', 'all', [[loadFixturePack('argocd-3.26.7')], [picky]]).issues.map((i) => i.code)).toEqual(['PACK_VERSION_DEPRECATED']);
  });

  it('skips constraints with empty bounds and ignores upgrade constraints', () => {
    // piraeus-operator-addon: optional kubernetes with no bounds; argo-cd: an upgrade constraint on itself
    const piraeus = loadFixturePack('piraeus-operator-addon-2.9.0');
    const ovn = loadFixturePack('ovn-kubernetes-1.2.0');
    const result = validate('CLUSTER', 'edge-native', [[ubuntu()], [kubernetes('1.10.0')], [ovn], [nfs], [piraeus], [argocd]]);
    // only the vsphere-only synthetic OS is in the way
    expect(result.issues.map((i) => [i.code, i.layerIndex])).toEqual([['CLOUD_TYPE_MISMATCH', 0], ['PACK_VERSION_DEPRECATED', 5]]);
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
