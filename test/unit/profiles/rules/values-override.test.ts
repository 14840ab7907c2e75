/** valuesOverride through validation (rules/layer-context.ts, values.ts, effective-values.ts) on real pack-central packs. */
import { parse } from 'yaml';
import { appdCollector, appdOperator, karpenter, tektonOperator, validate } from './validate-helpers.js';

describe('valuesOverride in validation', () => {
  it('validates the merge: keys the caller did not write keep the pack\'s values (tekton readonly fullnameOverride untouched)', () => {
    const override = 'charts:\n  tekton-operator:\n    replicaCount: 2\n';
    const result = validate('ADDON', 'all', [[tektonOperator, { valuesOverride: override }]]);
    expect(result.issues).toEqual([]);
    const effective = parse(result.resolvedLayers[0].effectiveValues!) as { charts: Record<string, Record<string, unknown>> };
    expect(effective.charts['tekton-operator'].replicaCount).toBe(2);
    expect(effective.charts['tekton-operator'].fullnameOverride).toBe('tekton-operator');
    expect(result.resolvedLayers[0].valueSources).toEqual(
      expect.arrayContaining([
        { path: 'charts', source: 'MERGED' },
        { path: 'charts.tekton-operator.replicaCount', source: 'OVERRIDE' },
        { path: 'pack', source: 'PACK_DEFAULT' },
      ]),
    );
  });

  it("says when an issue comes from the pack's defaults, not the override (karpenter's empty awsAccountNumber)", () => {
    const result = validate('ADDON', 'eks', [[karpenter, { valuesOverride: 'charts:\n  karpenter:\n    replicas: 1\n' }]]);
    expect(result.issues).toEqual([
      expect.objectContaining({
        code: 'VALUES_SCHEMA',
        path: 'awsAccountNumber',
        message: "awsAccountNumber is required (from the pack's defaults, not your override)",
      }),
    ]);
    // Written by the caller: no such note; filled in: no issue.
    const own = validate('ADDON', 'eks', [[karpenter, { valuesOverride: 'awsAccountNumber: ""\n' }]]);
    expect(own.issues.map((i) => i.message)).toEqual(['awsAccountNumber is required']);
    expect(validate('ADDON', 'eks', [[karpenter, { valuesOverride: 'awsAccountNumber: "123456789012"\n' }]]).issues).toEqual([]);
  });

  it('keeps the install priority of the pack\'s values (appdynamics-collectors "1"); a null deletes it', () => {
    const kept = validate('ADDON', 'all', [[appdOperator], [appdCollector, { valuesOverride: 'pack:\n  namespace: other\n' }]]);
    expect(kept.installOrder.find((s) => s.layerIndex === 1)).toEqual({ layerIndex: 1, pack: 'appdynamics-collector', priority: 1 });
    const deleted = validate('ADDON', 'all', [
      [appdOperator],
      [appdCollector, { valuesOverride: 'pack:\n  spectrocloud.com/install-priority: null\n' }],
    ]);
    expect(deleted.installOrder.find((s) => s.layerIndex === 1)?.priority).toBe(0);
  });

  it('VALUES_INVALID_YAML names valuesOverride when the override does not read', () => {
    const result = validate('ADDON', 'eks', [[karpenter, { valuesOverride: 'charts: [1, 2\n' }]]);
    expect(result.issues).toEqual([expect.objectContaining({ code: 'VALUES_INVALID_YAML', layerIndex: 0, pack: 'karpenter' })]);
    expect(result.issues[0].message).toMatch(/^valuesOverride is not valid YAML: line \d+, column \d+/);
    expect(result.resolvedLayers[0].effectiveValues).toBeNull();
  });

  it('without valuesOverride: effectiveValues is the text used and every top-level key has one source', () => {
    const own = validate('ADDON', 'eks', [[karpenter]]);
    expect(own.resolvedLayers[0].effectiveValues).toBe(karpenter.defaultValues);
    expect(own.resolvedLayers[0].valueSources).toContainEqual({ path: 'awsAccountNumber', source: 'PACK_DEFAULT' });
    const whole = validate('ADDON', 'eks', [[karpenter, { values: 'awsAccountNumber: "1"\n' }]]);
    expect(whole.resolvedLayers[0].effectiveValues).toBe('awsAccountNumber: "1"\n');
    expect(whole.resolvedLayers[0].valueSources).toEqual([{ path: 'awsAccountNumber', source: 'OVERRIDE' }]);
  });
});
