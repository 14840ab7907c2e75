/** The caller's values texts are read once per distinct text (rules/caller-values.ts). */
import { callerValuesCacheStats, clearCallerValuesCache, derivedFromTree, MAX_CACHED_CHARS, MAX_ENTRY_CHARS, readCallerValues } from '../../../../src/profiles/rules/caller-values.js';
import { parseValues } from '../../../../src/profiles/rules/parsed-values.js';
import { codes, crossplane, helloUniverse, karpenter, replaceLine, sedai, sedaiVariables, tektonOperator, validate, type Entry } from './validate-helpers.js';

const INVALID_TEXTS = [
  'pack:\n  namespace: "crossplane-system"\ncharts: [1, 2\n', // a parse error with line and column
  '- just\n- a list\n', // not a mapping
  'a: 1\na: 2\n', // duplicate key (the yaml fallback)
  'key: *nowhere\n', // unknown alias
  '42\n',
];

/** Profiles whose issues cover every way a caller's text is read: invalid, schema violations, macros, overrides. */
function cases(): Array<{ name: string; entries: Entry[]; variables?: typeof sedaiVariables; code?: string }> {
  return [
    ...INVALID_TEXTS.map((values) => ({ name: `invalid values ${JSON.stringify(values)}`, entries: [[crossplane, { values }]] as Entry[], code: 'VALUES_INVALID_YAML' })),
    ...INVALID_TEXTS.map((valuesOverride) => ({ name: `invalid valuesOverride ${JSON.stringify(valuesOverride)}`, entries: [[crossplane, { valuesOverride }]] as Entry[], code: 'VALUES_INVALID_YAML' })),
    { name: 'schema: required left empty', entries: [[karpenter, { values: karpenter.defaultValues }]], code: 'VALUES_SCHEMA' },
    { name: 'schema: readonly changed', entries: [[tektonOperator, { values: replaceLine(tektonOperator.defaultValues, /fullnameOverride: "tekton-operator"/, 'fullnameOverride: "my-tekton"') }]], code: 'VALUES_SCHEMA' },
    { name: 'schema under an override', entries: [[helloUniverse, { valuesOverride: 'manifests:\n  hello-universe:\n    replicas: ""\n' }]], code: 'VALUES_SCHEMA' },
    { name: 'macros without their variables', entries: [[sedai, { values: sedai.defaultValues }]], code: 'VARIABLE_UNDEFINED' },
    { name: 'macros with their variables', entries: [[sedai, { values: sedai.defaultValues }]], variables: sedaiVariables },
  ];
}

describe('caller values cache', () => {
  beforeEach(() => clearCallerValuesCache());

  it('answers what a fresh read answers, deeply frozen, and the same entry on a second read', () => {
    for (const text of [...INVALID_TEXTS, crossplane.defaultValues, '', 'a:\n  b: [1, {c: d}]\n']) {
      const first = readCallerValues(text);
      expect(first).toEqual(parseValues(text));
      expect(readCallerValues(text)).toBe(first);
      expect(Object.isFrozen(first)).toBe(true);
    }
    const nested = readCallerValues('a:\n  b: [1, {c: d}]\n');
    if (!nested.ok) throw new Error('expected a mapping');
    const inner = (nested.value as { a: { b: Array<Record<string, string>> } }).a.b;
    expect(() => inner.push({})).toThrow(TypeError);
    expect(() => {
      inner[1].c = 'changed';
    }).toThrow(TypeError);
    expect(parseValues('a:\n  b: [1, {c: d}]\n')).toEqual(readCallerValues('a:\n  b: [1, {c: d}]\n'));
  });

  it.each(cases().map((c) => [c.name, c] as const))('a cached read gives the same issues as a fresh one: %s', (_name, c) => {
    clearCallerValuesCache();
    const fresh = validate('ADDON', 'all', c.entries, c.variables);
    if (c.code) expect(codes(fresh.issues)).toContain(c.code); // the case exercises what it names
    const stored = callerValuesCacheStats().entries;
    expect(stored).toBeGreaterThan(0);
    const cached = validate('ADDON', 'all', c.entries, c.variables);
    expect(callerValuesCacheStats().entries).toBe(stored); // every text was a hit
    expect(cached).toEqual(fresh);
    // And a third run after the cached one: nothing a validation did changed what the cache holds.
    expect(validate('ADDON', 'all', c.entries, c.variables)).toEqual(fresh);
  });

  it('an editor changing one layer reads only that layer again', () => {
    const a = 'pack:\n  namespace: one\n';
    const b = 'pack:\n  namespace: two\n';
    validate('ADDON', 'all', [[crossplane, { values: a }], [helloUniverse, { values: helloUniverse.defaultValues }]]);
    expect(callerValuesCacheStats().entries).toBe(2);
    validate('ADDON', 'all', [[crossplane, { values: b }], [helloUniverse, { values: helloUniverse.defaultValues }]]);
    expect(callerValuesCacheStats().entries).toBe(3);
  });

  it('holds at most MAX_CACHED_CHARS characters, and never stores a text past MAX_ENTRY_CHARS', () => {
    const filler = 'x'.repeat(MAX_ENTRY_CHARS - 64);
    const count = Math.ceil((2 * MAX_CACHED_CHARS) / MAX_ENTRY_CHARS);
    for (let i = 0; i < count; i++) {
      const text = `key${i}: ${filler}\n`;
      expect(readCallerValues(text)).toEqual({ ok: true, value: { [`key${i}`]: filler } });
      expect(callerValuesCacheStats().chars).toBeLessThanOrEqual(MAX_CACHED_CHARS);
    }
    expect(callerValuesCacheStats().entries).toBeLessThan(count);
    expect(callerValuesCacheStats().chars).toBeGreaterThan(MAX_CACHED_CHARS / 2);

    const small = 'small: text\n';
    readCallerValues(small);
    const before = callerValuesCacheStats();
    const huge = `big: ${'y'.repeat(MAX_ENTRY_CHARS)}\n`;
    const read = readCallerValues(huge);
    expect(read).toEqual(parseValues(huge));
    expect(Object.isFrozen(read)).toBe(true);
    expect(callerValuesCacheStats()).toEqual(before); // not stored, nothing evicted
    expect(readCallerValues(small)).toBe(readCallerValues(small));
  });

  it('derives from a cached (frozen) tree once, and from an unfrozen tree (a merged override) every time', () => {
    const read = readCallerValues('pack:\n  spectrocloud.com/display-name: edge\nx: "{{ .spectro.var.a }}"\n');
    if (!read.ok) throw new Error('expected a mapping');
    let calls = 0;
    const compute = (): string[] => {
      calls++;
      return ['derived'];
    };
    const first = derivedFromTree(read.value, 'test', compute);
    expect(derivedFromTree(read.value, 'test', compute)).toBe(first);
    expect(calls).toBe(1);
    expect(Object.isFrozen(first)).toBe(true);
    const unfrozen = { x: 1 };
    derivedFromTree(unfrozen, 'test', compute);
    derivedFromTree(unfrozen, 'test', compute);
    expect(calls).toBe(3);
  });
});
