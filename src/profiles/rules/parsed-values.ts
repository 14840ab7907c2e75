/** Layer values as YAML text -> parsed mapping, with a bounded cache for packs' own values. */

import { parseDocument } from 'yaml';

import { valuesAtPath } from './value-schema/index.js';

export type ParsedValues = { ok: true; value: unknown } | { ok: false; message: string };

export function parseValues(text: string): ParsedValues {
  const doc = parseDocument(text);
  const error = doc.errors[0];
  if (error) {
    const pos = error.linePos?.[0];
    const where = pos ? `line ${pos.line}, column ${pos.col}: ` : '';
    const reason = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    return { ok: false, message: `${where}${reason}` };
  }
  try {
    const value = doc.toJS({ maxAliasCount: 1000 }) as unknown;
    if (value !== null && value !== undefined && (typeof value !== 'object' || Array.isArray(value))) {
      return { ok: false, message: 'values must be a YAML mapping (key: value), not a single value or a list' };
    }
    return { ok: true, value: value ?? {} };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}

/**
 * Parsed pack values (a pack's own values.yaml) by their text. They are catalog data that every
 * validation of a profile using the pack parses again, and YAML parsing is most of a validation's
 * cost (about 85% for a 12-layer profile). Memoising keeps the function pure: the same text always
 * parses to the same value, and entries are deeply frozen, so no rule can change what another call
 * reads. Bounded by total text size, least recently used out first. Override values (user input) are
 * not cached.
 */
const parsedPackValues = new Map<string, ParsedValues>();
const PACK_VALUES_CACHE_CHARS = 8 * 1024 * 1024;
let cachedChars = 0;

export function parsePackValues(text: string): ParsedValues {
  const hit = parsedPackValues.get(text);
  if (hit) {
    parsedPackValues.delete(text);
    parsedPackValues.set(text, hit);
    return hit;
  }
  const parsed = parseValues(text);
  if (text.length > PACK_VALUES_CACHE_CHARS / 8) return parsed;
  if (parsed.ok) deepFreeze(parsed.value);
  parsedPackValues.set(text, parsed);
  cachedChars += text.length;
  for (const oldest of parsedPackValues.keys()) {
    if (cachedChars <= PACK_VALUES_CACHE_CHARS) break;
    parsedPackValues.delete(oldest);
    cachedChars -= oldest.length;
  }
  return parsed;
}

/**
 * A `pack.*` annotation of the values. Real packs write `pack: { spectrocloud.com/<name>: ... }`;
 * the spelling `pack.spectrocloud.com/<name>` (flat, or inside `pack:`) is accepted as well.
 */
export function readPackAnnotation(values: unknown, name: string): unknown {
  for (const path of [`pack.spectrocloud.com/${name}`, `pack.pack.spectrocloud.com/${name}`]) {
    const [hit] = valuesAtPath(values, path);
    if (hit?.found && hit.value !== null && hit.value !== undefined) return hit.value;
  }
  return undefined;
}
