/** Signature state of each layer's pack version (rules/signatures.ts: UNSIGNED_PACK). */
import type { LayerSignature, ResolvedPackLayer } from '../../../../src/profiles/profile.model.js';
import { syntheticPack } from '../fixture-packs.js';
import { only, validate } from './validate-helpers.js';

function addon(name: string, signature: LayerSignature): ResolvedPackLayer {
  return { ...syntheticPack({ name, version: '1.16.1', layer: 'addon' }), registry: 'team', signature };
}

describe('UNSIGNED_PACK', () => {
  it('warns for a layer without a verified signature in a WARN or REQUIRE registry, naming the layer, version and registry', () => {
    const result = validate('ADDON', 'all', [
      [addon('cert-manager', { verified: false, enforce: 'WARN' })],
      [addon('trust-manager', { verified: true, enforce: 'WARN' })],
      [addon('external-dns', { verified: false, enforce: 'REQUIRE' })],
    ]);
    expect(only(result.issues, 'UNSIGNED_PACK')).toEqual([
      {
        code: 'UNSIGNED_PACK',
        severity: 'WARNING',
        layerIndex: 0,
        pack: 'cert-manager',
        path: 'layers[0]',
        message: 'cert-manager 1.16.1 from registry "team" has no signature verified by its trust policy (WARN)',
      },
      expect.objectContaining({ code: 'UNSIGNED_PACK', severity: 'WARNING', layerIndex: 2, path: 'layers[2]', message: expect.stringContaining('(REQUIRE)') }),
    ]);
    // A warning: the profile stays valid.
    expect(result.valid).toBe(true);
  });

  it('says nothing where the registry expects no signature (NONE, or no policy)', () => {
    const result = validate('ADDON', 'all', [[addon('cert-manager', { verified: false, enforce: 'NONE' })]]);
    expect(result.issues).toEqual([]);
  });
});
