/** Layer cardinality, order and allowed layers per profile type (rules/layers.ts). */
import { kubernetes, notFound, syntheticPack, ubuntu } from '../fixture-packs.js';
import { antrea, codes, core, crossplane, hpeCsi, nfs, only, validate } from './validate-helpers.js';

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
