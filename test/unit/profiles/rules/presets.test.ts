/** Selected presets (rules/presets.ts). */
import { argocd, helloUniverse, replaceLine, sedai, sedaiVariables, validate } from './validate-helpers.js';

describe('presets', () => {
  it('PRESET_UNKNOWN for a preset the pack lacks, listing the ones it has', () => {
    const result = validate('ADDON', 'all', [[argocd, { presets: ['enable-grpc'] }]]);
    // argo-cd 3.3.5 is `system_state: deprecated` in pack-central: a warning wherever it is used (rules/lifecycle.ts).
    expect(result.issues).toEqual([expect.objectContaining({ code: 'PRESET_UNKNOWN', severity: 'ERROR', layerIndex: 0, path: 'enable-grpc' }), expect.objectContaining({ code: 'PACK_VERSION_DEPRECATED', severity: 'WARNING', pack: 'argo-cd' })]);
    expect(result.issues[0].message).toMatch(/presets: Ingress:enable-ingress, Ingress:disable-ingress/);
    const none = validate('ADDON', 'all', [[sedai, { presets: ['fast'] }]], sedaiVariables);
    expect(none.issues).toEqual([expect.objectContaining({ code: 'PRESET_UNKNOWN', path: 'fast' })]);
    expect(none.issues[0].message).toMatch(/has no preset "fast"; it has no presets/);
  });

  it('accepts presets by name or group:name', () => {
    expect(validate('ADDON', 'all', [[argocd, { presets: ['Ingress:enable-ingress'] }]]).issues).toEqual([expect.objectContaining({ code: 'PACK_VERSION_DEPRECATED', severity: 'WARNING', pack: 'argo-cd' })]);
  });

  it('PRESET_GROUP_CONFLICT for two presets of one group', () => {
    const result = validate('ADDON', 'all', [[argocd, { presets: ['enable-ingress', 'Ingress:disable-ingress'] }]]);
    expect(result.issues).toEqual([expect.objectContaining({ code: 'PRESET_GROUP_CONFLICT', severity: 'ERROR', layerIndex: 0 }), expect.objectContaining({ code: 'PACK_VERSION_DEPRECATED', severity: 'WARNING', pack: 'argo-cd' })]);
  });

  it('reads the enabled-presets comment when no presets are given, as warnings', () => {
    const unknown = replaceLine(helloUniverse.defaultValues, /^# spectrocloud.com\/enabled-presets: Backend:disable-api/, '# spectrocloud.com/enabled-presets: Backend:no-such-preset');
    expect(validate('ADDON', 'all', [[helloUniverse, { values: unknown }]]).issues).toEqual([
      expect.objectContaining({ code: 'PRESET_UNKNOWN', severity: 'WARNING', path: 'Backend:no-such-preset' }),
    ]);
    const both = replaceLine(helloUniverse.defaultValues, /^# spectrocloud.com\/enabled-presets: Backend:disable-api/, '# spectrocloud.com/enabled-presets: Backend:disable-api, Backend:enable-api');
    const result = validate('ADDON', 'all', [[helloUniverse, { values: both }]]);
    expect(result.issues).toEqual([expect.objectContaining({ code: 'PRESET_GROUP_CONFLICT', severity: 'WARNING' })]);
    expect(result.valid).toBe(true);
    // an explicit selection wins over the comment
    expect(validate('ADDON', 'all', [[helloUniverse, { values: unknown, presets: ['enable-api'] }]]).issues).toEqual([]);
  });

  it('reads the comment on the first line whatever the line ends (CRLF, or no line end at all)', () => {
    const comment = '# spectrocloud.com/enabled-presets: Backend:no-such-preset';
    for (const values of [`${comment}\r\npack:\r\n  namespace: demo\r\n`, comment]) {
      expect(validate('ADDON', 'all', [[helloUniverse, { values }]]).issues).toEqual(
        expect.arrayContaining([expect.objectContaining({ code: 'PRESET_UNKNOWN', severity: 'WARNING', path: 'Backend:no-such-preset' })]),
      );
    }
  });
});
