/** Macros in values and the variables they use (rules/macros.ts). */
import { loadFixturePack } from '../fixture-packs.js';
import { codes, crossplane, karpenter, replaceLine, sedai, validate } from './validate-helpers.js';

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

  it('VARIABLE_UNUSED warns about a variable no layer uses', () => {
    const result = validate('ADDON', 'all', [[crossplane]], [{ name: 'unused', default: 'x' }]);
    expect(result.issues).toEqual([expect.objectContaining({ code: 'VARIABLE_UNUSED', severity: 'WARNING', path: 'unused' })]);
  });
});
