/** Cloud types (rules/cloud-types.ts; CLOUD_TYPE_ALL_NOT_ADDON in rules/header.ts). */
import { kubernetes, syntheticPack, ubuntu } from '../fixture-packs.js';
import { antrea, codes, core, crossplane, nfs, only, srIov, validate } from './validate-helpers.js';

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
