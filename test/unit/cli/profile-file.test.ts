import YAML from 'yaml';
import { formatProfileFile, parseProfileFile } from '../../../src/cli/profile-file.js';

describe('parseProfileFile', () => {
  it('reads YAML the way people write it: add-on types, unquoted versions, values as a mapping', () => {
    const result = parseProfileFile(`
name: web
version: 1.0.0
type: add-on
cloudType: all
layers:
  - pack: ubuntu
    version: 22.04
  - pack: kubernetes
    version: 1.30
    registry: default
    presets: replicas-3
  - pack: cert-manager
    version: 1.16.1
    values:
      pack:
        namespace: cert-manager
variables:
  - name: replicas
    format: number
    default: 3
    required: true
    options: [1, 3, 5]
`);
    expect(result).toEqual({
      ok: true,
      input: {
        name: 'web',
        version: '1.0.0',
        type: 'ADDON',
        cloudType: 'all',
        layers: [
          { pack: 'ubuntu', version: '22.04' },
          { pack: 'kubernetes', version: '1.30', registry: 'default', presets: ['replicas-3'] },
          { pack: 'cert-manager', version: '1.16.1', values: 'pack:\n  namespace: cert-manager\n' },
        ],
        variables: [{ name: 'replicas', format: 'number', default: '3', required: true, options: ['1', '3', '5'] }],
      },
    });
  });

  it('reads JSON too, keeping values strings as written', () => {
    const json = JSON.stringify({
      name: 'web',
      type: 'CLUSTER',
      cloudType: 'aws',
      layers: [{ pack: 'ubuntu', version: '22.04', values: '# spectrocloud.com/enabled-presets: a:b\npack: {}\n' }],
    });
    const result = parseProfileFile(json);
    expect(result.ok && result.input.layers[0].values).toBe('# spectrocloud.com/enabled-presets: a:b\npack: {}\n');
    expect(result.ok && result.input.type).toBe('CLUSTER');
  });

  it('reports every problem of the file at once, with where it is', () => {
    const result = parseProfileFile(`
name: web
type: cloud
cloudtype: aws
layers:
  - pack: ubuntu
  - just-a-string
`);
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues.map((issue) => issue.path)).toEqual(['cloudType', 'type', 'layers[0].version', 'layers[1]', 'cloudtype']);
    expect(issues.every((issue) => issue.code === 'PROFILE_FILE_INVALID' && issue.severity === 'ERROR')).toBe(true);
  });

  it('refuses what is not YAML or not a mapping', () => {
    expect(parseProfileFile('a: [1, 2', 'p.yaml')).toMatchObject({ ok: false, issues: [{ message: expect.stringContaining('p.yaml is not valid YAML or JSON') }] });
    expect(parseProfileFile('- 1\n- 2\n')).toMatchObject({ ok: false });
  });
});

describe('formatProfileFile', () => {
  it('writes a file that reads back to the same input', () => {
    const stored = {
      name: 'web',
      version: '1.2.0',
      type: 'CLUSTER',
      cloudType: 'aws',
      description: null,
      layers: [
        { pack: 'ubuntu', version: '22.04', registry: null, values: null, presets: null },
        { pack: 'csi-longhorn', version: '1.7.2', registry: 'default', values: '# comment kept\npack:\n  namespace: longhorn\n', presets: ['replicas-3'] },
      ],
      variables: [
        { name: 'ns', format: 'string', default: 'x', required: false, regex: null, options: [], displayName: null, description: null, hidden: false, readonly: false },
      ],
    };
    const text = formatProfileFile(stored);
    expect(text).toContain('version: "22.04"');
    expect(text).toContain('# comment kept');
    expect(YAML.parse(text).layers[0]).toEqual({ pack: 'ubuntu', version: '22.04' });
    const back = parseProfileFile(text);
    expect(back).toEqual({
      ok: true,
      input: {
        name: 'web',
        version: '1.2.0',
        type: 'CLUSTER',
        cloudType: 'aws',
        layers: [
          { pack: 'ubuntu', version: '22.04' },
          { pack: 'csi-longhorn', version: '1.7.2', registry: 'default', presets: ['replicas-3'], values: stored.layers[1].values },
        ],
        variables: [{ name: 'ns', format: 'string', default: 'x' }],
      },
    });
  });
});

describe('profile files: valuesOverride', () => {
  it('reads valuesOverride as a mapping (its nulls kept, they delete keys) or a string, and writes it back', () => {
    const result = parseProfileFile(`
name: mon
type: cluster
cloudType: aws
layers:
  - pack: prometheus-operator
    version: 65.1.1
    valuesOverride:
      charts:
        kube-prometheus-stack:
          grafana: { adminPassword: null }
  - pack: csi-longhorn
    version: 1.7.2
    valuesOverride: "charts:\\n  longhorn: {}\\n"
`);
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.input.layers[0].valuesOverride).toBe('charts:\n  kube-prometheus-stack:\n    grafana:\n      adminPassword: null\n');
    expect(result.input.layers[1]).toEqual({ pack: 'csi-longhorn', version: '1.7.2', valuesOverride: 'charts:\n  longhorn: {}\n' });
    const again = parseProfileFile(formatProfileFile({ ...result.input, version: '1.0.0', variables: [] }));
    if (!again.ok) throw new Error(JSON.stringify(again));
    expect(again.input.layers).toEqual(result.input.layers);
  });
});
