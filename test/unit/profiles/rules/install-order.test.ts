/** Install order and install-priority (rules/install-order.ts). */
import { appdOperator, argocd, crossplane, validate } from './validate-helpers.js';

describe('install priority', () => {
  it('INSTALL_PRIORITY_INVALID warns and uses 0; negative priorities go first among add-ons', () => {
    const values = (p: string) => `pack:\n  spectrocloud.com/install-priority: ${p}\n`;
    const result = validate('ADDON', 'all', [
      [crossplane, { values: values('"soon"') }],
      [argocd, { values: values('"-5"'), presets: [] }],
      [appdOperator, { values: values('10') }],
    ]);
    // argo-cd 3.3.5 is `system_state: deprecated` in pack-central (rules/lifecycle.ts).
    expect(result.issues).toEqual([
      expect.objectContaining({ code: 'INSTALL_PRIORITY_INVALID', severity: 'WARNING', layerIndex: 0 }),
      expect.objectContaining({ code: 'PACK_VERSION_DEPRECATED', severity: 'WARNING', layerIndex: 1 }),
    ]);
    expect(result.installOrder).toEqual([
      { layerIndex: 1, pack: 'argo-cd', priority: -5 },
      { layerIndex: 0, pack: 'crossplane', priority: 0 },
      { layerIndex: 2, pack: 'appdynamics-operator', priority: 10 },
    ]);
  });
});
