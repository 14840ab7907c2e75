/** Layer values as YAML text -> parsed mapping (packs' own values are parsed once per version: pack-facts.ts). */

import { parseDocument } from 'yaml';

import { readPlainYaml } from '../../packs/plain-yaml.js';
import { valuesAtPath } from './value-schema/index.js';

export type ParsedValues = { ok: true; value: unknown } | { ok: false; message: string };

/** The text as a mapping: a single value or a list is refused (null, an empty text, reads as no values). */
function asMapping(value: unknown): ParsedValues {
  if (value !== null && value !== undefined && (typeof value !== 'object' || Array.isArray(value))) {
    return { ok: false, message: 'values must be a YAML mapping (key: value), not a single value or a list' };
  }
  return { ok: true, value: value ?? {} };
}

export function parseValues(text: string): ParsedValues {
  // Plain values text (nearly all of it) is read by the fast reader, which answers what `yaml` would or declines.
  const plain = readPlainYaml(text);
  if (plain) return asMapping(plain.value);
  const doc = parseDocument(text);
  const error = doc.errors[0];
  if (error) {
    const pos = error.linePos?.[0];
    const where = pos ? `line ${pos.line}, column ${pos.col}: ` : '';
    const reason = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    return { ok: false, message: `${where}${reason}` };
  }
  try {
    return asMapping(doc.toJS({ maxAliasCount: 1000 }) as unknown);
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
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
