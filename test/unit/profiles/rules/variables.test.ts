/** Profile variable definitions (rules/variables.ts). */
import type { ProfileVariableDraft } from '../../../../src/profiles/profile.model.js';
import { codes, only, sedai, validate } from './validate-helpers.js';

describe('variables', () => {
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
});
