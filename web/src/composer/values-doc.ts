/**
 * A layer's values as the composer edits them: the user edits the pack's whole values.yaml (its
 * comments and all), and the composer keeps only what changed as a `valuesOverride` (the server's
 * merge: maps merge, lists and scalars replace, `null` deletes a key). The reverse, a saved
 * override laid back onto the defaults, edits the defaults' YAML document so its comments stay.
 * Presets are applied the same way (remove paths, merge `add`). Issue paths (`pack.podCIDR`) are
 * found on their line. No DOM: unit-tested in test/unit/web/composer.test.ts.
 */
import YAML, { isMap, isScalar, isSeq, LineCounter, type Document, type Node as YamlNode } from 'yaml';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The text as data, or an error message when it is not YAML. An empty text is an empty mapping. */
export function readYaml(text: string): { ok: true; value: Json } | { ok: false; message: string } {
  const doc = YAML.parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length) return { ok: false, message: doc.errors[0].message.split('\n')[0] };
  const value = doc.toJS() as Json | undefined;
  return { ok: true, value: value === undefined ? {} : value };
}

function equal(a: Json, b: Json): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** What turns `base` into `edited` under the server's merge; undefined when nothing differs. */
function diff(base: Json, edited: Json): Json | undefined {
  if (isObject(base) && isObject(edited)) {
    const out: Record<string, Json> = {};
    for (const key of Object.keys(edited)) {
      if (!(key in base)) out[key] = edited[key];
      else {
        const d = diff(base[key], edited[key]);
        if (d !== undefined) out[key] = d;
      }
    }
    for (const key of Object.keys(base)) if (!(key in edited)) out[key] = null;
    return Object.keys(out).length ? out : undefined;
  }
  // A map that became a scalar or list must not merge into the old map: replace is only possible at its key.
  return equal(base, edited) ? undefined : edited;
}

/**
 * The override that makes `defaults` into `edited`: '' when they are equal as data, null when
 * either text is not YAML (the caller then sends the text as it is, and validation says where).
 */
export function overrideOf(defaults: string, edited: string): string | null {
  const base = readYaml(defaults);
  const mine = readYaml(edited);
  if (!base.ok || !mine.ok) return null;
  if (!isObject(mine.value)) return null;
  const d = diff(isObject(base.value) ? base.value : {}, mine.value);
  return d === undefined ? '' : YAML.stringify(d, { lineWidth: 0 });
}

function mergeInto(doc: Document, path: string[], value: Json): void {
  if (value === null) {
    if (doc.hasIn(path)) doc.deleteIn(path);
    return;
  }
  if (isObject(value)) {
    const here = path.length ? doc.getIn(path, true) : doc.contents;
    if (isMap(here)) {
      for (const [k, v] of Object.entries(value)) mergeInto(doc, [...path, k], v);
      return;
    }
  }
  if (path.length) doc.setIn(path, doc.createNode(value));
  else doc.contents = doc.createNode(value) as unknown as typeof doc.contents;
}

/** `defaults` with `override` merged onto it as the server merges, the defaults' comments kept. */
export function applyOverride(defaults: string, override: string): string {
  const parsed = readYaml(override);
  if (!parsed.ok || !isObject(parsed.value)) return defaults;
  const doc = YAML.parseDocument(defaults);
  if (doc.errors.length) return defaults;
  if (!isMap(doc.contents)) doc.contents = doc.createNode({}) as unknown as typeof doc.contents;
  mergeInto(doc, [], parsed.value);
  return doc.toString({ lineWidth: 0 });
}

export interface Preset {
  name: string;
  displayName: string;
  group: string;
  remove: string[];
  add: string;
}

/** presets.yaml as the API answers it (a list, or `{ presets: [...] }`). */
export function presetsOf(raw: unknown): Preset[] {
  const list = Array.isArray(raw) ? raw : isObject(raw) && Array.isArray(raw.presets) ? raw.presets : [];
  return list.filter(isObject).map((p) => ({
    name: String(p.name ?? ''),
    displayName: String(p.displayName ?? p.name ?? ''),
    group: String(p.group ?? ''),
    remove: Array.isArray(p.remove) ? p.remove.map(String) : [],
    add: typeof p.add === 'string' ? p.add : '',
  }));
}

/** The values with a preset applied: its `remove` paths deleted, its `add` merged in; comments kept. */
export function applyPreset(text: string, preset: Preset): string {
  const doc = YAML.parseDocument(text);
  if (doc.errors.length) return text;
  for (const path of preset.remove) {
    const keys = pathKeys(path);
    if (doc.hasIn(keys)) doc.deleteIn(keys);
  }
  const withRemovals = doc.toString({ lineWidth: 0 });
  return preset.add.trim() ? applyOverride(withRemovals, preset.add) : withRemovals;
}

/** `a.b[0].c` -> ['a', 'b', 0, 'c']. */
export function pathKeys(path: string): Array<string | number> {
  const keys: Array<string | number> = [];
  for (const part of path.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      keys.push(part);
      continue;
    }
    if (m[1]) keys.push(m[1]);
    for (const index of m[2].matchAll(/\[(\d+)\]/g)) keys.push(Number(index[1]));
  }
  return keys;
}

/**
 * The 1-based line an issue path names in `text`: the deepest key of the path the text holds (a
 * missing required key points at its parent), or null when not even the first key is there.
 */
export function lineOfPath(text: string, path: string | null | undefined): number | null {
  if (!path) return null;
  const lineCounter = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter });
  if (doc.errors.length) return null;
  let node: YamlNode | null | undefined = doc.contents as YamlNode | null;
  let offset: number | null = null;
  for (const key of pathKeys(path)) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(key));
      if (!pair) break;
      offset = isScalar(pair.key) && pair.key.range ? pair.key.range[0] : offset;
      node = pair.value as YamlNode | null;
    } else if (isSeq(node) && typeof key === 'number' && node.items[key]) {
      const item = node.items[key] as YamlNode;
      offset = item.range ? item.range[0] : offset;
      node = item;
    } else break;
  }
  return offset === null ? null : lineCounter.linePos(offset).line;
}

/** The line a YAML error message names (`at line 3, column 5`), for VALUES_INVALID_YAML. */
export function lineOfMessage(message: string): number | null {
  const m = /line (\d+)/i.exec(message);
  return m ? Number(m[1]) : null;
}
