/** Layers the catalog did not resolve (rules/references.ts). */
import { validateProfileDraft } from '../../../../src/profiles/rules/index.js';
import { notFound, versionNotFound } from '../fixture-packs.js';
import { appdCollector, codes, crossplane, refOf, validate } from './validate-helpers.js';

describe('resolution', () => {
  it('PACK_NOT_FOUND names the registry asked', () => {
    const result = validate('ADDON', 'aws', [[notFound(), { pack: 'nope', version: '1.0.0', registry: 'hosted-a' }]]);
    expect(result.issues).toEqual([
      { code: 'PACK_NOT_FOUND', severity: 'ERROR', layerIndex: 0, pack: 'nope', message: 'pack "nope" was not found in registry "hosted-a"' },
    ]);
    expect(result.resolvedLayers).toEqual([]);
    expect(result.installOrder).toEqual([]);
  });

  it('PACK_NOT_FOUND offers the names resolution found close to the reference ("did you mean")', () => {
    const result = validate('ADDON', 'aws', [[{ status: 'PACK_NOT_FOUND', suggestions: ['cert-manager', 'trust-manager'] }, { pack: 'cert-manger', version: '1.16.1' }]]);
    expect(result.issues.map((i) => i.message)).toEqual([
      'pack "cert-manger" was not found in any registry (did you mean "cert-manager" or "trust-manager"?)',
    ]);
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
