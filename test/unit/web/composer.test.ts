/**
 * The profile composer's pure parts: the export read back by packctl's own profile-file parser (so
 * the two cannot drift), variables and registries kept from a saved profile through the draft to
 * the input and the export, the override kept from an edited copy of the defaults and laid back onto
 * them, presets applied to the values and undone, issue paths found on their lines, Palette's layer order.
 */
import { describe, expect, it } from '@jest/globals';
import { parseProfileFile } from '../../../src/cli/profile-file.js';
import {
  addLayer,
  bumpPatch,
  choosePreset,
  draftVariableOf,
  emptyLayer,
  emptyVariable,
  layerInput,
  moveLayer,
  profileInputOf,
  variableInput,
  type Draft,
  type DraftLayer,
} from '../../../web/src/composer/draft.js';
import { exportFileName, exportProfileYaml } from '../../../web/src/composer/profile-export.js';
import { applyOverride, applyPreset, lineOfMessage, lineOfPath, overrideOf, readYaml, type Preset } from '../../../web/src/composer/values-doc.js';

const K8S_DEFAULTS = [
  '# Kubernetes pack values',
  'pack:',
  '  k8sHardening: true',
  '  podCIDR: "192.168.0.0/16"',
  '  # the service network',
  '  serviceClusterIpRange: "10.96.0.0/12"',
  'kubeadmconfig:',
  '  apiServer:',
  '    extraArgs:',
  '      secure-port: "6443"',
  '  files:',
  '    - a',
  '    - b',
  '',
].join('\n');

function layer(partial: Partial<DraftLayer>): DraftLayer {
  return { ...emptyLayer(partial.layer ?? 'ADDON'), ...partial };
}

describe('profile export', () => {
  it('is read back by packctl profile apply as the same ProfileInput', () => {
    const draft: Draft = {
      name: 'web-aws',
      version: '1.30.0',
      type: 'CLUSTER',
      cloudType: 'aws',
      description: 'AWS web cluster',
      layers: [
        layer({ layer: 'OS', pack: 'ubuntu', version: '22.04' }),
        layer({ layer: 'K8S', pack: 'kubernetes', version: '1.31.x', defaults: K8S_DEFAULTS, text: K8S_DEFAULTS.replace('k8sHardening: true', 'k8sHardening: false') }),
        layer({ layer: 'CNI', pack: 'cni-calico', version: '3.28.2', registry: 'default', presets: [] }),
        layer({ layer: 'CSI', pack: 'csi-aws-ebs', version: 'latest', mode: 'values', defaults: 'a: 1\n', text: '# mine\na: 2\n' }),
        layer({ layer: 'ADDON', pack: 'cert-manager', version: '1.16.1', presets: ['group:one'] }),
      ],
      variables: [],
    };
    const input = profileInputOf(draft);
    const text = exportProfileYaml(input);
    const parsed = parseProfileFile(text, 'export.yaml');
    expect(parsed).toEqual({ ok: true, input });
    // Versions that look like numbers stay strings; multi-line values are literal blocks.
    expect(text).toContain('version: "22.04"');
    expect(text).toMatch(/valuesOverride: \|/);
    expect(input.layers[1].valuesOverride).toBe('pack:\n  k8sHardening: false\n');
    expect(input.layers[3].values).toBe('# mine\na: 2\n');
  });

  it('writes a minimal profile packctl reads, and a safe file name', () => {
    const input = profileInputOf({ name: 'addons', version: '', type: 'ADDON', cloudType: 'all', description: '', layers: [layer({ pack: 'cert-manager', version: '1.x' })], variables: [] });
    const parsed = parseProfileFile(exportProfileYaml(input));
    expect(parsed).toEqual({ ok: true, input: { name: 'addons', type: 'ADDON', cloudType: 'all', layers: [{ pack: 'cert-manager', version: '1.x' }] } });
    expect(exportFileName({ name: 'my profile', version: '1.0.0' })).toBe('my-profile-1.0.0.yaml');
  });
});

describe('profile variables', () => {
  // As `profile { variables }` answers: every field, false flags and empty options included.
  const saved = [
    { name: 'domain', format: 'string', default: 'example.com', required: true, regex: '^[a-z.]+$', options: [], displayName: 'Domain', description: 'The cluster domain', hidden: false, readonly: false },
    { name: 'k8sMinor', format: 'version', default: '1.30', required: false, regex: null, options: ['1.30', '1.31', 'a, b'], displayName: null, description: null, hidden: true, readonly: true },
  ];

  it('are carried from a saved profile to the ProfileInput and the export, which packctl reads back the same', () => {
    const draft: Draft = {
      name: 'with-vars',
      version: '1.0.1',
      type: 'ADDON',
      cloudType: 'all',
      description: '',
      layers: [layer({ pack: 'cert-manager', version: '1.16.1', registry: 'mirror' })],
      // One not named yet: not sent (the user is still typing it).
      variables: [...saved.map(draftVariableOf), emptyVariable()],
    };
    const input = profileInputOf(draft);
    expect(input.variables).toEqual([
      { name: 'domain', default: 'example.com', required: true, regex: '^[a-z.]+$', displayName: 'Domain', description: 'The cluster domain' },
      { name: 'k8sMinor', format: 'version', default: '1.30', options: ['1.30', '1.31', 'a, b'], hidden: true, readonly: true },
    ]);
    expect(input.layers).toEqual([{ pack: 'cert-manager', version: '1.16.1', registry: 'mirror' }]);
    const text = exportProfileYaml(input);
    expect(parseProfileFile(text, 'export.yaml')).toEqual({ ok: true, input });
    // Version-like defaults and options stay strings.
    expect(text).toContain('default: "1.30"');
    expect(text).toMatch(/registry: mirror/);
  });

  it('are edited as typed: options one per line, empty texts and false flags left out', () => {
    const v = { ...emptyVariable(), name: ' region ', format: 'string', options: 'eu-west-1\n\n  us-east-1 \n', default: '' };
    expect(variableInput(v)).toEqual({ name: 'region', options: ['eu-west-1', 'us-east-1'] });
    expect(variableInput(draftVariableOf(saved[1]))).toEqual({ name: 'k8sMinor', format: 'version', default: '1.30', options: ['1.30', '1.31', 'a, b'], hidden: true, readonly: true });
  });
});

describe('presets, reversibly', () => {
  const presets: Preset[] = [
    { name: 'soft', displayName: 'Soft', group: 'hardening', remove: ['pack.podCIDR'], add: 'pack:\n  k8sHardening: false\n' },
    { name: 'strict', displayName: 'Strict', group: 'hardening', remove: [], add: 'pack:\n  strict: true\n' },
    { name: 'extra', displayName: 'Extra', group: 'other', remove: [], add: 'extra: 1\n' },
  ];
  const soft = presets[0];

  it('gives back the values from before a preset when it is set back to None', () => {
    const start = { defaults: K8S_DEFAULTS, text: K8S_DEFAULTS, presets: null };
    const chosen = choosePreset(start, presets, 'hardening', soft);
    expect(chosen.presets).toEqual(['hardening:soft']);
    expect(readYaml(chosen.text)).toEqual(readYaml(applyPreset(K8S_DEFAULTS, soft)));
    const none = choosePreset({ ...start, ...chosen }, presets, 'hardening', null);
    expect(none).toEqual({ presets: [], text: K8S_DEFAULTS });
  });

  it('keeps the edits made before and after choosing, and swaps presets of a group', () => {
    // An edit before the preset, another after it.
    const edited = K8S_DEFAULTS.replace('secure-port: "6443"', 'secure-port: "7443"');
    const withSoft = choosePreset({ defaults: K8S_DEFAULTS, text: edited, presets: null }, presets, 'hardening', soft);
    const editedAgain = withSoft.text.replace('serviceClusterIpRange: "10.96.0.0/12"', 'serviceClusterIpRange: "10.100.0.0/16"');
    const layerNow = { defaults: K8S_DEFAULTS, text: editedAgain, presets: withSoft.presets };
    // Another preset of the same group replaces soft: podCIDR and k8sHardening come back, strict is added.
    const strict = choosePreset(layerNow, presets, 'hardening', presets[1]);
    expect(strict.presets).toEqual(['hardening:strict']);
    const both = K8S_DEFAULTS.replace('secure-port: "6443"', 'secure-port: "7443"').replace('serviceClusterIpRange: "10.96.0.0/12"', 'serviceClusterIpRange: "10.100.0.0/16"');
    expect(readYaml(strict.text)).toEqual(readYaml(applyOverride(both, 'pack:\n  strict: true\n')));
    // A preset of another group stays chosen when this group goes back to None.
    const extra = choosePreset({ ...layerNow, ...strict }, presets, 'other', presets[2]);
    const none = choosePreset({ ...layerNow, ...extra }, presets, 'hardening', null);
    expect(none.presets).toEqual(['other:extra']);
    expect(readYaml(none.text)).toEqual(readYaml(applyOverride(both, 'extra: 1\n')));
    expect(none.text).toContain('# the service network');
  });

  it('changes only the choice when the values are not YAML', () => {
    expect(choosePreset({ defaults: K8S_DEFAULTS, text: 'pack: [', presets: ['hardening:soft'] }, presets, 'hardening', null)).toEqual({ presets: [], text: 'pack: [' });
  });
});

describe('values as an override of the defaults', () => {
  it('keeps only what changed: new keys, changed scalars, replaced lists, null for removed keys', () => {
    const edited = K8S_DEFAULTS.replace('k8sHardening: true', 'k8sHardening: "maybe"').replace('    - b\n', '').replace('  podCIDR: "192.168.0.0/16"\n', '') + 'extra:\n  on: 1\n';
    expect(readYaml(overrideOf(K8S_DEFAULTS, edited)!)).toEqual({
      ok: true,
      value: { pack: { k8sHardening: 'maybe', podCIDR: null }, kubeadmconfig: { files: ['a'] }, extra: { on: 1 } },
    });
    expect(overrideOf(K8S_DEFAULTS, K8S_DEFAULTS.replace('# the service network', '# reworded'))).toBe('');
    expect(overrideOf(K8S_DEFAULTS, 'pack: [unclosed')).toBeNull();
  });

  it('lays a saved override back onto the defaults with their comments', () => {
    const merged = applyOverride(K8S_DEFAULTS, 'pack:\n  k8sHardening: false\n  podCIDR: null\nnewKey: 3\n');
    expect(merged).toContain('# the service network');
    expect(readYaml(merged)).toEqual(
      readYaml('pack:\n  k8sHardening: false\n  serviceClusterIpRange: "10.96.0.0/12"\nkubeadmconfig:\n  apiServer:\n    extraArgs:\n      secure-port: "6443"\n  files: [a, b]\nnewKey: 3\n'),
    );
    // And back: the same override again.
    expect(readYaml(overrideOf(K8S_DEFAULTS, merged)!)).toEqual(readYaml('pack:\n  k8sHardening: false\n  podCIDR: null\nnewKey: 3\n'));
  });

  it('sends the editor text as written when it is not YAML, and nothing when unchanged', () => {
    expect(layerInput(layer({ pack: 'p', defaults: K8S_DEFAULTS, text: 'pack: [' })).valuesOverride).toBe('pack: [');
    expect(layerInput(layer({ pack: 'p', defaults: K8S_DEFAULTS, text: K8S_DEFAULTS }))).toEqual({ pack: 'p', version: 'latest' });
    expect(layerInput(layer({ pack: 'p', mode: 'values', defaults: K8S_DEFAULTS, text: K8S_DEFAULTS }))).toEqual({ pack: 'p', version: 'latest' });
  });

  it('applies a preset: removes its paths and merges what it adds', () => {
    const text = applyPreset(K8S_DEFAULTS, { name: 'soft', displayName: 'Soft', group: 'g', remove: ['kubeadmconfig.files', 'pack.podCIDR'], add: 'pack:\n  k8sHardening: false\n' });
    expect(readYaml(text)).toEqual(readYaml('pack:\n  k8sHardening: false\n  serviceClusterIpRange: "10.96.0.0/12"\nkubeadmconfig:\n  apiServer:\n    extraArgs:\n      secure-port: "6443"\n'));
    expect(text).toContain('# Kubernetes pack values');
  });
});

describe('issue lines', () => {
  it('finds a path on its line, a missing key at its parent, list items by index', () => {
    expect(lineOfPath(K8S_DEFAULTS, 'pack.k8sHardening')).toBe(3);
    expect(lineOfPath(K8S_DEFAULTS, 'kubeadmconfig.apiServer.extraArgs.secure-port')).toBe(10);
    expect(lineOfPath(K8S_DEFAULTS, 'pack.missing')).toBe(2);
    expect(lineOfPath(K8S_DEFAULTS, 'kubeadmconfig.files[1]')).toBe(13);
    expect(lineOfPath(K8S_DEFAULTS, 'nowhere.at.all')).toBeNull();
    expect(lineOfPath('pack: [', 'pack')).toBeNull();
    expect(lineOfMessage('valuesOverride is not valid YAML: Unexpected flow-seq-end at line 4, column 2')).toBe(4);
  });
});

describe('layers in Palette order', () => {
  it('adds a layer after its kind and earlier kinds, moves layers within bounds', () => {
    let layers: DraftLayer[] = [];
    for (const kind of ['ADDON', 'CNI', 'OS', 'K8S', 'ADDON', 'CSI'] as const) layers = addLayer(layers, layer({ layer: kind, pack: kind.toLowerCase() }));
    expect(layers.map((l) => l.layer)).toEqual(['OS', 'K8S', 'CNI', 'CSI', 'ADDON', 'ADDON']);
    expect(moveLayer(layers, 0, -1).map((l) => l.layer)).toEqual(layers.map((l) => l.layer));
    expect(moveLayer(layers, 4, 1).map((l) => l.key)).toEqual([...layers.slice(0, 4), layers[5], layers[4]].map((l) => l.key));
    expect(bumpPatch('1.2.9')).toBe('1.2.10');
  });
});
