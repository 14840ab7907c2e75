import {
  checkEnabledPresets,
  parsePresetsYaml,
  parseSchemaYaml,
  parseValuesYaml,
  readEnabledPresets,
} from '../../../src/packs/pack.values.js';

describe('parseValuesYaml', () => {
  it('accepts a mapping, an empty file and a comments-only file', () => {
    expect(parseValuesYaml('pack:\n  namespace: demo\n')).toEqual({ values: { pack: { namespace: 'demo' } }, issues: [] });
    expect(parseValuesYaml('')).toEqual({ values: {}, issues: [] });
    expect(parseValuesYaml('# spectrocloud.com/enabled-presets: A:b\n')).toEqual({ values: {}, issues: [] });
  });

  it('refuses broken YAML with its line, duplicate keys, several documents and a non-mapping', () => {
    const broken = parseValuesYaml('pack:\n  namespace: [demo\n');
    expect(broken.issues).toMatchObject([{ code: 'VALUES_INVALID_YAML', severity: 'error', path: 'values.yaml' }]);
    expect(broken.issues[0].message).toMatch(/line \d+/);
    expect(parseValuesYaml('a: 1\na: 2\n').issues[0].code).toBe('VALUES_INVALID_YAML');
    expect(parseValuesYaml('a: 1\n---\nb: 2\n').issues[0].code).toBe('VALUES_INVALID_YAML');
    expect(parseValuesYaml('- a\n- b\n').issues[0].code).toBe('VALUES_NOT_MAPPING');
  });

  it('refuses an alias bomb instead of expanding it', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let level = 1; level < 9; level++) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    expect(parseValuesYaml(lines.join('\n')).issues).toMatchObject([{ code: 'VALUES_INVALID_YAML' }]);
  });
});

describe('parsePresetsYaml', () => {
  const good = `presets:
  - name: enable-ingress
    displayName: Enable
    group: Ingress
    remove: []
    add: |
      charts:
        demo:
          ingress:
            enabled: true
  - name: disable-ingress
    displayName: Disable
    group: Ingress
    remove: ["charts.demo.ingress"]
    add: ""
`;

  it('reads presets, and an empty file as none', () => {
    const result = parsePresetsYaml(good);
    expect(result.issues).toEqual([]);
    expect(result.presets).toEqual([
      { name: 'enable-ingress', displayName: 'Enable', group: 'Ingress', remove: [], add: 'charts:\n  demo:\n    ingress:\n      enabled: true\n' },
      { name: 'disable-ingress', displayName: 'Disable', group: 'Ingress', remove: ['charts.demo.ingress'], add: '' },
    ]);
    expect(parsePresetsYaml('')).toEqual({ presets: [], issues: [] });
  });

  it('reports each bad entry with its path', () => {
    const result = parsePresetsYaml(`presets:
  - name: ok
    displayName: OK
    group: G
  - displayName: No name
    group: G
    remove: "charts.x"
  - just a string
  - name: bad-add
    displayName: Bad add
    group: G
    add: "a: [1"
  - name: ok
    displayName: OK again
    group: G
`);
    expect(result.presets).toBeUndefined();
    expect(result.issues.map(({ code, path }) => ({ code, path }))).toEqual([
      { code: 'PRESETS_SHAPE', path: 'presets.yaml#/presets/1/name' },
      { code: 'PRESETS_SHAPE', path: 'presets.yaml#/presets/1/remove' },
      { code: 'PRESETS_SHAPE', path: 'presets.yaml#/presets/2' },
      { code: 'PRESET_ADD_INVALID_YAML', path: 'presets.yaml#/presets/3/add' },
      { code: 'PRESETS_DUPLICATE', path: 'presets.yaml#/presets/4/name' },
    ]);
  });

  it('refuses a file without a presets list', () => {
    expect(parsePresetsYaml('items: []').issues).toMatchObject([{ code: 'PRESETS_SHAPE', path: 'presets.yaml#/presets' }]);
    expect(parsePresetsYaml('presets: [').issues).toMatchObject([{ code: 'PRESETS_INVALID_YAML' }]);
  });
});

describe('parseSchemaYaml', () => {
  it('maps parameter paths to schema expressions', () => {
    const result = parseSchemaYaml(`charts.demo.replicas:
  schema: '{{ required | format "\${number:[1-10]}" | hints "Replicas" }}'
charts.demo.password:
  schema: '{{ format "\${password}" }}'
`);
    expect(result).toEqual({
      schema: {
        'charts.demo.replicas': '{{ required | format "${number:[1-10]}" | hints "Replicas" }}',
        'charts.demo.password': '{{ format "${password}" }}',
      },
      issues: [],
    });
    expect(parseSchemaYaml('')).toEqual({ schema: {}, issues: [] });
  });

  it('reports wrong shapes per parameter and warns about bare expressions', () => {
    const result = parseSchemaYaml(`a.b:
  schema: 3
c/d: "{{ required }}"
e.f:
  schema: required
`);
    expect(result.schema).toBeUndefined();
    expect(result.issues.map(({ code, severity, path }) => ({ code, severity, path }))).toEqual([
      { code: 'SCHEMA_SHAPE', severity: 'error', path: 'schema.yaml#/a.b/schema' },
      { code: 'SCHEMA_SHAPE', severity: 'error', path: 'schema.yaml#/c~1d' },
      { code: 'SCHEMA_EXPRESSION', severity: 'warning', path: 'schema.yaml#/e.f/schema' },
    ]);
    expect(parseSchemaYaml('- a').issues).toMatchObject([{ code: 'SCHEMA_SHAPE' }]);
    expect(parseSchemaYaml('a: {').issues).toMatchObject([{ code: 'SCHEMA_INVALID_YAML' }]);
  });
});

describe('enabled presets', () => {
  it('reads the first-line comment, groups with spaces and comma lists included', () => {
    expect(readEnabledPresets('# spectrocloud.com/enabled-presets: Compactor:enable-compactor,Store Gateway:enable-sg, Object Store:none\na: 1')).toEqual([
      { group: 'Compactor', name: 'enable-compactor' },
      { group: 'Store Gateway', name: 'enable-sg' },
      { group: 'Object Store', name: 'none' },
    ]);
    expect(readEnabledPresets('# spectrocloud.com/enabled-presets:\n')).toEqual([]);
    expect(readEnabledPresets('a: 1\n# spectrocloud.com/enabled-presets: A:b\n')).toEqual([]);
  });

  it('warns about enabled presets that presets.yaml lacks', () => {
    const presets = [{ name: 'on', displayName: 'On', group: 'G', remove: [], add: '' }];
    expect(checkEnabledPresets('# spectrocloud.com/enabled-presets: G:on\n', presets)).toEqual([]);
    expect(checkEnabledPresets('# spectrocloud.com/enabled-presets: G:off\n', presets)).toMatchObject([
      { code: 'PRESET_ENABLED_UNKNOWN', severity: 'warning' },
    ]);
  });
});
