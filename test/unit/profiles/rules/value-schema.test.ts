import { checkFormat, checkValuesAgainstSchema, parseFormat, parseSchemaExpression, valuesAtPath } from '../../../../src/profiles/rules/value-schema/index.js';
import type { ParsedFormat } from '../../../../src/profiles/rules/value-schema/index.js';

function format(source: string): ParsedFormat {
  const parsed = parseFormat(source);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

describe('parseSchemaExpression', () => {
  it('reads the pipelines real packs use', () => {
    const { rule, problems } = parseSchemaExpression('{{ required | format "${list:[PreferNoSchedule,NoSchedule,NoExecute]}"  | hints "Enter the effect."}}');
    expect(problems).toEqual([]);
    expect(rule).toMatchObject({ required: true, readonly: false, hints: ['Enter the effect.'] });
    expect(rule.format?.tokens).toEqual([{ kind: 'placeholder', type: 'list', constraint: { kind: 'list', options: ['PreferNoSchedule', 'NoSchedule', 'NoExecute'] } }]);
    expect(parseSchemaExpression('{{ readonly }}').rule.readonly).toBe(true);
    expect(parseSchemaExpression(' {{ required }}').rule.required).toBe(true);
    expect(parseSchemaExpression('{{ hints "a" "b" }}').rule.hints).toEqual(['a', 'b']);
  });

  it('reads ranges, regexes and composite templates', () => {
    expect(format('${number:[5000-5005]}').tokens[0]).toEqual({ kind: 'placeholder', type: 'number', constraint: { kind: 'range', min: 5000, max: 5005 } });
    expect(format('${number:[-5-5]}').tokens[0]).toMatchObject({ constraint: { min: -5, max: 5 } });
    expect(format('${string:/^([a-z0-9].*)$/}').tokens[0]).toMatchObject({ constraint: { kind: 'regex', source: '^([a-z0-9].*)$' } });
    expect(format('${string}/${string}:${version}').tokens.map((t) => t.kind)).toEqual(['placeholder', 'literal', 'placeholder', 'literal', 'placeholder']);
    expect(format('${string:/\\d{3}/}').tokens[0]).toMatchObject({ constraint: { source: '\\d{3}' } });
  });

  it('lists what it cannot read instead of throwing', () => {
    expect(parseSchemaExpression('{{ format "${mac}" }}').problems).toEqual(['unsupported format type ${mac}']);
    expect(parseSchemaExpression('{{ format "${string:/([a-z/}" }}').problems[0]).toMatch(/invalid regular expression/);
    expect(parseSchemaExpression('{{ required | shout }}')).toMatchObject({ rule: { required: true }, problems: ['unknown schema function "shout"'] });
    expect(parseSchemaExpression('{{ format "${string}').problems).toEqual(['unterminated string']);
  });
});

describe('checkFormat', () => {
  it.each([
    ['${number}', 8080, null],
    ['${number}', '0.28', null],
    ['${number}', 'eighty', 'must be a number (got "eighty")'],
    ['${number:[1-10]}', 10, null],
    ['${number:[1-10]}', 11, 'must be between 1 and 10 (got "11")'],
    ['${number:/^(500[0-5])$/}', 5003, null],
    ['${number:/^(500[0-5])$/}', 5006, 'must match /^(500[0-5])$/ (got "5006")'],
    ['${boolean}', true, null],
    ['${boolean}', 'False', null],
    ['${boolean}', 'yes', 'must be true or false (got "yes")'],
    ['${ipv4}', '10.10.10.255', null],
    ['${ipv4}', '10.10.10.256', 'must be an IPv4 address (got "10.10.10.256")'],
    ['${version}', 'v1.29.4', null],
    ['${version}', 'latest', 'must be a version (x.y.z) (got "latest")'],
    ['${list:[Delete,Retain]}', 'Retain', null],
    ['${string}', 42, null],
    ['${password:/^.{8,}$/}', 'short', 'must match /^.{8,}$/ (got "short")'],
    ['${input}', 'anything', null],
  ])('%s with %p', (source, value, expected) => {
    expect(checkFormat(format(source), value)).toBe(expected);
  });

  it('splits composite values (documented examples and hello-universe 1.1.1)', () => {
    const range = format('${ipv4} - ${ipv4}');
    expect(checkFormat(range, '10.10.10.10 - 10.10.10.255')).toBeNull();
    expect(checkFormat(range, '10.10.10.10')).toMatch(/must match format/);
    expect(checkFormat(range, '10.10.10.10-10.10.10.255')).toMatch(/must match format/);
    const storage = format('${string}, ${string:/size=\\d+/}');
    expect(checkFormat(storage, 'type-zeroedthick, size=150')).toBeNull();
    expect(checkFormat(storage, 'type-zeroedthick, size=s')).toMatch(/must match format/);
    const image = format('${string}/${string}:${version}');
    expect(checkFormat(image, 'ghcr.io/spectrocloud/hello-universe:1.1.1')).toBeNull();
    expect(checkFormat(image, 'ghcr.io/spectrocloud/hello-universe:latest')).toMatch(/must match format/);
  });

  it('refuses maps and lists', () => {
    expect(checkFormat(format('${string}'), { a: 1 })).toMatch(/not a map or a list/);
  });
});

describe('valuesAtPath', () => {
  const values = { pack: { 'spectrocloud.com/display-name': 'x' }, charts: { 'nim-llm': { enabled: true } }, pools: [{ ip: '1.1.1.1' }, { ip: 'bad' }] };

  it('follows keys that contain dots and dashes', () => {
    expect(valuesAtPath(values, 'pack.spectrocloud.com/display-name')).toEqual([{ path: 'pack.spectrocloud.com/display-name', found: true, value: 'x' }]);
    expect(valuesAtPath(values, 'charts.nim-llm.enabled')[0]).toMatchObject({ found: true, value: true });
    expect(valuesAtPath(values, 'charts.missing.enabled')[0]).toMatchObject({ found: false });
  });

  it('expands $[] and numeric indexes', () => {
    expect(valuesAtPath(values, 'pools.$[].ip').map((v) => [v.path, v.value])).toEqual([['pools[0].ip', '1.1.1.1'], ['pools[1].ip', 'bad']]);
    expect(valuesAtPath(values, 'pools[1].ip')[0]).toMatchObject({ found: true, value: 'bad' });
  });
});

describe('checkValuesAgainstSchema', () => {
  it('checks each element of a list and reports its concrete path', () => {
    const result = checkValuesAgainstSchema({ pools: [{ ip: '1.1.1.1' }, { ip: 'bad' }] }, { 'pools.$[].ip': '{{ required | format "${ipv4}" }}' });
    expect(result.violations).toEqual([{ path: 'pools[1].ip', kind: 'format', message: 'pools[1].ip must be an IPv4 address (got "bad")' }]);
    expect(checkValuesAgainstSchema({ pools: [] }, { 'pools.$[].ip': '{{ required }}' }).violations).toHaveLength(1);
  });

  it('lets optional empty values pass and macros skip formats', () => {
    const schema = { a: '{{ format "${number}" }}', b: '{{ required | format "${number}" }}' };
    expect(checkValuesAgainstSchema({ a: '', b: '{{ .spectro.var.n }}' }, schema).violations).toEqual([]);
  });

  it('compares readonly values with the defaults only when given', () => {
    const schema = { 'pack.namespace': '{{ readonly }}' };
    expect(checkValuesAgainstSchema({ pack: { namespace: 'b' } }, schema).violations).toEqual([]);
    expect(checkValuesAgainstSchema({ pack: { namespace: 'b' } }, schema, { pack: { namespace: 'a' } }).violations[0].kind).toBe('readonly');
    expect(checkValuesAgainstSchema({ pack: { namespace: 'a' } }, schema, { pack: { namespace: 'a' } }).violations).toEqual([]);
  });
});
