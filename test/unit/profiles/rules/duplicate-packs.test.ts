/** The same pack twice (rules/duplicate-packs.ts). */
import { parse } from 'yaml';

import { readPackAnnotation } from '../../../../src/profiles/rules/index.js';
import { codes, crossplane, oauth2Proxy, replaceLine, validate } from './validate-helpers.js';

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
