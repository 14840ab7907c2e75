/** Profile-level rules (rules/header.ts). */
import { validateProfileDraft } from '../../../../src/profiles/rules/index.js';
import { codes, crossplane, refOf } from './validate-helpers.js';

describe('profile header', () => {
  it('PROFILE_VERSION_INVALID for a version that is not MAJOR.MINOR.PATCH', () => {
    const result = validateProfileDraft({ name: 'p', version: '1.0', type: 'ADDON', cloudType: 'all', layers: [refOf(crossplane)] }, [crossplane]);
    expect(codes(result.issues)).toEqual(['PROFILE_VERSION_INVALID']);
  });
});
