/**
 * The fast values reader (src/packs/plain-yaml.ts) against the `yaml` library it stands in for: whatever
 * it reads, `yaml` reads without error into the same value; what it declines goes to `yaml`. Over
 * every YAML file of the pack fixtures and the shipped packs, seeded mutations of the values files
 * (the broken and odd text callers send), and the known places where the two readers differ.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { parseValues } from '../../../../src/profiles/rules/parsed-values.js';
import { readPlainYaml } from '../../../../src/packs/plain-yaml.js';

const ROOTS = [
  fileURLToPath(new URL('../../../../../shared/fixtures/pack-central/', import.meta.url)),
  fileURLToPath(new URL('../../../../default-packs/', import.meta.url)),
];

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

/** JSON with the numbers JSON can't hold (NaN, infinities, -0) spelled out, so they compare too. */
function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) =>
    typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0)) ? `number:${Object.is(v, -0) ? '-0' : String(v)}` : v,
  );
}

/** What `yaml` reads: the value, or that it refuses the text. */
function viaYaml(text: string): { value: string } | { error: string } {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return { error: doc.errors[0].message };
  return { value: canonical(doc.toJS({ maxAliasCount: 1000 })) };
}

/** Asserts the fast reader agrees with `yaml` on `text`; answers whether it read it (true) or declined. */
function agrees(text: string): boolean {
  const fast = readPlainYaml(text);
  if (fast === undefined) return false;
  const expected = viaYaml(text);
  if ('error' in expected || canonical(fast.value) !== expected.value) {
    throw new Error(`plain reader disagrees with yaml on ${JSON.stringify(text.slice(0, 300))}: ${JSON.stringify(expected).slice(0, 300)} vs ${canonical(fast.value).slice(0, 300)}`);
  }
  return true;
}

/** A small deterministic generator (mulberry32), so a failure names a case that reproduces. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SIGNIFICANT = [':', '-', ' ', '  ', '\n', '"', "'", '[', ']', '{', '}', '#', '|', '>', '&', '*', '!', '?', ',', '\t', '~', '0x', '.', '%', '@', '`', '\\'];

function mutate(text: string, next: () => number): string {
  const at = Math.floor(next() * (text.length + 1));
  const lines = text.split('\n');
  const line = Math.floor(next() * lines.length);
  switch (Math.floor(next() * 5)) {
    case 0:
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 3));
    case 1:
      return text.slice(0, at) + SIGNIFICANT[Math.floor(next() * SIGNIFICANT.length)] + text.slice(at);
    case 2:
      lines.splice(line, 0, lines[line]);
      return lines.join('\n');
    case 3:
      lines[line] = next() < 0.5 ? ` ${lines[line]}` : lines[line].replace(/^ /, '');
      return lines.join('\n');
    default:
      lines.splice(line, 1);
      return lines.join('\n');
  }
}

describe('plain YAML reader', () => {
  const files = ROOTS.flatMap(yamlFiles);

  it('reads every fixture and shipped YAML file as `yaml` does, and most values files itself', () => {
    expect(files.length).toBeGreaterThan(300);
    let valuesFiles = 0;
    let readFast = 0;
    for (const file of files) {
      const fast = agrees(readFileSync(file, 'utf8'));
      if (file.endsWith('/values.yaml')) {
        valuesFiles++;
        if (fast) readFast++;
      }
    }
    expect(readFast / valuesFiles).toBeGreaterThan(0.8);
  });

  it('agrees with `yaml` on mutated values files (or declines)', () => {
    const next = random(13);
    const sources = files.filter((f) => f.endsWith('/values.yaml')).map((f) => readFileSync(f, 'utf8')).filter((t) => t.length <= 3000);
    let cases = 0;
    for (const source of sources) {
      let text = source;
      for (let i = 0; i < 6; i++) {
        text = mutate(text, next);
        agrees(text);
        cases++;
      }
    }
    expect(cases).toBeGreaterThan(500);
  });

  it('declines where the readers differ, so `yaml` answers (its messages included)', () => {
    const differ = [
      'a: [\nb]\n', // a flow sequence not indented enough: yaml refuses
      'a: {x: 1,\ny: 2}\n',
      'a: "x"#c\n', // a comment glued to a scalar: yaml refuses
      `${'k'.repeat(1100)}: 1\n`, // an implicit key over 1024 characters: yaml refuses
      'null: 1\n', // a null key: yaml names it ""
      '~: 1\n',
      ': 1\n',
      '[a]: 1\n', // a flow key: yaml spells it "[ a ]"
      'a: {null}\n', // a null key in a flow map
      'a: {{ .spectro.var.x }}\n', // a flow map as a key of a flow map (an unquoted macro)
      'a:\n  - x\n  -\n- y\n', // after an empty entry js-yaml takes the less indented `- y`, yaml refuses it
      '  - a\n - b\n', // content starting indented: the same
      'a: !!float 1\n', // tags
      'a: !foo x\n',
      'a: &x 1\nb: *x\n', // anchors and aliases
      '? a\n: b\n',
      '%YAML 1.2\n---\na: 1\n',
      'a: 1\n---\nb: 2\n',
      'a:\n\tb: 1\n',
      '\ufeffa: 1\n',
    ];
    for (const text of differ) expect(readPlainYaml(text)).toBeUndefined();
    expect(parseValues('a: [\nb]\n')).toEqual({
      ok: false,
      message: 'line 2, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]',
    });
    expect(parseValues('null: 1\n')).toEqual({ ok: true, value: { '': 1 } });
  });

  it('resolves plain scalars by the YAML 1.2 core schema, as `yaml` does', () => {
    const scalars = [
      'a: 0b101', 'a: 0o17', 'a: 017', 'a: 0x1F', 'a: 1_000', 'a: +12', 'a: -0', 'a: .5', 'a: 1.', 'a: 1e3', 'a: 1E3',
      'a: .inf', 'a: -.Inf', 'a: .NaN', 'a: True', 'a: yes', 'a: on', 'a: NULL', 'a: Null', 'a: ~', 'a:', 'a: 2001-12-14',
      'a: 12:30:00', 'a: 123456789012345678901234567890', "a: 'it''s'", 'a: "\\x41\\u0042"', '1: x', '1.0: x', 'true: x',
      '0x10: x', '.inf: x', '<<: {a: 1}', '__proto__: {x: 1}', 'a: |\n  x\n  y\n', 'a: >-\n  folded\n   more\n  back\n',
    ];
    for (const text of scalars) expect(agrees(`${text}\n`)).toBe(true);
    expect(readPlainYaml('a: 0b101\nb: 017\nc: yes\nd: 1_000\n')).toEqual({ value: { a: '0b101', b: 17, c: 'yes', d: '1_000' } });
  });
});
