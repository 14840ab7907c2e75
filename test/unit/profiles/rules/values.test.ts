/** Layer values: YAML and schema.yaml (rules/values.ts). */
import { syntheticPack } from '../fixture-packs.js';
import { codes, crossplane, externalSnapshotter, helloUniverse, karpenter, only, replaceLine, tektonOperator, validate } from './validate-helpers.js';

describe('values', () => {
  it('VALUES_INVALID_YAML with the line and column of the parse error', () => {
    const result = validate('ADDON', 'all', [[crossplane, { values: 'pack:\n  namespace: "crossplane-system"\ncharts: [1, 2\n' }]]);
    expect(result.issues).toEqual([expect.objectContaining({ code: 'VALUES_INVALID_YAML', layerIndex: 0, pack: 'crossplane' })]);
    expect(result.issues[0].message).toMatch(/line \d+, column \d+/);
    expect(codes(validate('ADDON', 'all', [[crossplane, { values: '- just\n- a list\n' }]]).issues)).toEqual(['VALUES_INVALID_YAML']);
  });

  it('VALUES_SCHEMA for a required value left empty (karpenter awsAccountNumber, real default "")', () => {
    const result = validate('ADDON', 'eks', [[karpenter]]);
    expect(result.issues).toEqual([
      expect.objectContaining({ code: 'VALUES_SCHEMA', layerIndex: 0, pack: 'karpenter', path: 'awsAccountNumber', message: 'awsAccountNumber is required' }),
    ]);
    const filled = replaceLine(karpenter.defaultValues, /awsAccountNumber: ""/, 'awsAccountNumber: "123456789012"');
    expect(validate('ADDON', 'eks', [[karpenter, { values: filled }]]).issues).toEqual([]);
  });

  it('VALUES_SCHEMA for list, boolean and number formats (external-snapshotter, hello-universe)', () => {
    let values = replaceLine(externalSnapshotter.defaultValues, /deletionPolicy: \S+/, 'deletionPolicy: Keep');
    values = replaceLine(values, /isDefaultClass: \S+/, 'isDefaultClass: maybe');
    values = replaceLine(values, /driver: .*/, 'driver: csi.example.com');
    const result = validate('ADDON', 'all', [[externalSnapshotter, { values }]]);
    expect(result.issues.map((i) => [i.code, i.path, i.message])).toEqual([
      ['VALUES_SCHEMA', 'manifests.vsclass.deletionPolicy', 'manifests.vsclass.deletionPolicy must be one of: Delete, Retain (got "Keep")'],
      ['VALUES_SCHEMA', 'manifests.vsclass.isDefaultClass', 'manifests.vsclass.isDefaultClass must be true or false (got "maybe")'],
    ]);
    const replicas = replaceLine(helloUniverse.defaultValues, /replicas: 1/, 'replicas: ""');
    expect(validate('ADDON', 'all', [[helloUniverse, { values: replicas }]]).issues).toEqual([
      expect.objectContaining({ code: 'VALUES_SCHEMA', path: 'manifests.hello-universe.replicas', message: 'manifests.hello-universe.replicas is required' }),
    ]);
  });

  it('VALUES_SCHEMA when a readonly value changes (tekton-operator fullnameOverride)', () => {
    expect(validate('ADDON', 'all', [[tektonOperator]]).issues).toEqual([]);
    const changed = replaceLine(tektonOperator.defaultValues, /fullnameOverride: "tekton-operator"/, 'fullnameOverride: "my-tekton"');
    const result = validate('ADDON', 'all', [[tektonOperator, { values: changed }]]);
    expect(result.issues).toEqual([
      expect.objectContaining({ code: 'VALUES_SCHEMA', severity: 'ERROR', path: 'charts.tekton-operator.fullnameOverride' }),
    ]);
    expect(result.issues[0].message).toMatch(/read-only: keep the pack's value "tekton-operator"/);
  });

  it('skips format checks for values holding a macro, but counts them as present', () => {
    const values = replaceLine(helloUniverse.defaultValues, /port: 8080/, 'port: "{{ .spectro.var.port }}"');
    expect(validate('ADDON', 'all', [[helloUniverse, { values }]], [{ name: 'port', format: 'number', default: '8080' }]).issues).toEqual([]);
  });

  it('VALUES_SCHEMA_UNSUPPORTED warns about schema expressions it cannot read', () => {
    const odd = syntheticPack({
      name: 'odd',
      version: '1.0.0',
      layer: 'addon',
      values: 'a: 1\nb: x\n',
      schema: { a: '{{ required | format "${number:[1-10]}" | frobnicate }}', b: '{{ format "${macaddr}" }}' },
    });
    const result = validate('ADDON', 'all', [[odd]]);
    expect(result.issues.map((i) => [i.code, i.severity, i.path])).toEqual([
      ['VALUES_SCHEMA_UNSUPPORTED', 'WARNING', 'a'],
      ['VALUES_SCHEMA_UNSUPPORTED', 'WARNING', 'b'],
    ]);
    // what was understood is still checked
    expect(only(validate('ADDON', 'all', [[odd, { values: 'a: 11\nb: x\n' }]]).issues, 'VALUES_SCHEMA')[0].message).toBe('a must be between 1 and 10 (got "11")');
  });
});
