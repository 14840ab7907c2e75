/** What `packctl profile validate` prints (issue 20, point 11). */
import { formatValidation, type ProfileValidation } from '../../../src/cli/commands/profile/validation-report.js';
import type { ProfileInput } from '../../../src/cli/profile-file.js';

const DIGEST = (n: number) => `sha256:${String(n).repeat(64)}`;

const input: ProfileInput = {
  name: 'web-cluster',
  version: '1.0.0',
  type: 'CLUSTER',
  cloudType: 'aws',
  layers: [
    { pack: 'ubuntu', version: '22.04' },
    { pack: 'kubernetes', version: '1.31.x' },
    { pack: 'cni-calico', version: '3.28.2' },
    { pack: 'csi-longhorn', version: 'latest' },
  ],
};

const resolved: ProfileValidation['resolvedLayers'] = [
  { layerIndex: 0, pack: 'ubuntu', registry: 'default', version: '22.04', digest: DIGEST(1), layer: 'OS' },
  { layerIndex: 1, pack: 'kubernetes', registry: 'default', version: '1.31.2', digest: DIGEST(2), layer: 'K8S' },
  { layerIndex: 2, pack: 'cni-calico', registry: 'default', version: '3.28.2', digest: DIGEST(3), layer: 'CNI' },
  { layerIndex: 3, pack: 'csi-longhorn', registry: 'team', version: '1.7.2', digest: DIGEST(4), layer: 'CSI' },
];

const installOrder: ProfileValidation['installOrder'] = resolved.map((l) => ({ layerIndex: l.layerIndex, pack: l.pack, priority: 0 }));

describe('formatValidation', () => {
  it('shows what each layer reference resolved to, one line per layer, and the install order', () => {
    const text = formatValidation('web-cluster:1.0.0', input, { valid: true, issues: [], resolvedLayers: resolved, installOrder });
    expect(text).toBe(
      [
        'LAYER  PACK          REFERENCE  RESOLVED  REGISTRY  DIGEST',
        '0      ubuntu        22.04      22.04     default   sha256:111111111111',
        '1      kubernetes    1.31.x     1.31.2    default   sha256:222222222222',
        '2      cni-calico    3.28.2     3.28.2    default   sha256:333333333333',
        '3      csi-longhorn  latest     1.7.2     team      sha256:444444444444',
        '',
        'install order: ubuntu -> kubernetes -> cni-calico -> csi-longhorn',
        '',
        'web-cluster:1.0.0 is valid.',
      ].join('\n'),
    );
  });

  it('adds the warnings of a valid profile and counts them', () => {
    const warning = { code: 'VARIABLE_UNUSED', severity: 'WARNING' as const, layerIndex: null, pack: null, path: 'region', message: 'variable "region" is not used by any layer' };
    const text = formatValidation('web-cluster:1.0.0', input, { valid: true, issues: [warning], resolvedLayers: resolved, installOrder });
    expect(text).toMatch(/^install order: .+\n\nSEVERITY\s+CODE\s+LAYER\s+PACK\s+PATH\s+MESSAGE\nWARNING\s+VARIABLE_UNUSED\s+-\s+-\s+region\s+variable/m);
    expect(text.endsWith('\n\nweb-cluster:1.0.0 is valid (1 warning(s)).')).toBe(true);
  });

  it('lists the issues of an invalid profile and ends with its verdict, once', () => {
    const issues: ProfileValidation['issues'] = [
      { code: 'LAYER_ORDER', severity: 'ERROR', layerIndex: 1, pack: 'ubuntu', path: null, message: 'the OS layer comes first' },
      { code: 'VERSION_NOT_FOUND', severity: 'ERROR', layerIndex: 3, pack: 'csi-longhorn', path: null, message: 'no 9.9.9; available: 1.7.2' },
    ];
    const text = formatValidation('bad-cluster', input, { valid: false, issues, resolvedLayers: resolved.slice(0, 2), installOrder: [] });
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^SEVERITY\s+CODE\s+LAYER\s+PACK\s+PATH\s+MESSAGE$/);
    expect(lines.slice(-2)).toEqual(['', 'bad-cluster is not valid: 2 error(s), 0 warning(s).']);
    expect(text).not.toContain('install order');
    expect(text.match(/not valid/g)).toHaveLength(1);
  });
});
