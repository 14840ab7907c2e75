/**
 * What validation derives from a pack version alone: its own values.yaml parsed, its schema.yaml
 * expressions compiled, and (computed on first use) the schema check and the macro references of
 * those default values. A pack version's digest names its archive, so these never change for a
 * digest: they are kept in one bounded LRU keyed by digest, and each validation pays only for the
 * caller's own text. Entries are deeply frozen, so no rule can change what another call reads.
 *
 * An entry serves only the inputs it was built from (the same values text, an equal schema): a
 * caller that reuses a digest for other content (a made-up pack in a test) gets a fresh entry, not
 * a wrong one. The comparison is a pointer check when resolution hands out the same frozen
 * objects (profile.resolution.ts does), else a deep comparison with the entry's own frozen copy.
 */
import { LRUCache } from 'lru-cache';

import type { PackValueSchema } from '../../packs/pack.types.js';
import type { ResolvedPackLayer } from '../profile.model.js';
import { findMacroReferences, type MacroReference } from './macros.js';
import { parseValues, readPackAnnotation, type ParsedValues } from './parsed-values.js';
import { checkValuesAgainstCompiledSchema, compileSchema, type CompiledSchemaEntry, type SchemaCheckResult } from './value-schema/index.js';

export interface PackFacts {
  /** The pack's own values.yaml, parsed (frozen). */
  readonly defaults: ParsedValues;
  /** schema.yaml with every expression parsed; null when the pack has none. */
  readonly schema: readonly CompiledSchemaEntry[] | null;
  /** The schema check of the defaults as they are (a layer without an override); null without a schema or parsed defaults. */
  defaultsSchemaCheck(): SchemaCheckResult | null;
  /** Every macro reference in the defaults; empty when they don't parse. */
  defaultMacros(): readonly MacroReference[];
  /** A `pack.spectrocloud.com/<name>` annotation of the defaults (readPackAnnotation); undefined when absent or unparsed. */
  defaultAnnotation(name: string): unknown;
}

/** Entries by total size: values text plus schema text, in characters (the parsed trees are a small multiple); the bound the text-keyed cache it replaces had. */
const MAX_CACHED_CHARS = 8 * 1024 * 1024;
const MAX_ENTRIES = 4096;

interface Entry {
  valuesText: string;
  /** A frozen copy of the schema the facts were built from. */
  schema: PackValueSchema | null;
  /** The caller's schema object, when frozen (it cannot change, so the same object means the same schema). */
  frozenSource: PackValueSchema | null;
  facts: PackFacts;
  size: number;
}

const cache = new LRUCache<string, Entry>({ max: MAX_ENTRIES, maxSize: MAX_CACHED_CHARS, sizeCalculation: (e) => Math.max(1, e.size) });

export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
  return value;
}

/** Equality of JSON data (what a schema is, read from a JSON column or a YAML file). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function sameSchema(entry: Entry, schema: PackValueSchema | null): boolean {
  if (schema === null || entry.schema === null) return schema === entry.schema;
  return schema === entry.frozenSource || sameJson(schema, entry.schema);
}

function schemaSize(schema: PackValueSchema | null): number {
  let size = 0;
  for (const [parameter, expression] of Object.entries(schema ?? {})) size += parameter.length + (typeof expression === 'string' ? expression.length : 16);
  return size;
}

function buildFacts(pack: ResolvedPackLayer): PackFacts {
  const defaults = parseValues(pack.defaultValues);
  if (defaults.ok) deepFreeze(defaults.value);
  const schema = pack.schema ? deepFreeze(compileSchema(pack.schema)) : null;
  let check: SchemaCheckResult | null | undefined;
  let macros: readonly MacroReference[] | undefined;
  const annotations = new Map<string, unknown>();
  return {
    defaults,
    schema,
    defaultsSchemaCheck() {
      if (check === undefined) check = schema && defaults.ok ? deepFreeze(checkValuesAgainstCompiledSchema(defaults.value, schema)) : null;
      return check;
    },
    defaultMacros() {
      if (macros === undefined) macros = defaults.ok ? deepFreeze(findMacroReferences(defaults.value)) : [];
      return macros;
    },
    defaultAnnotation(name) {
      if (!annotations.has(name)) annotations.set(name, defaults.ok ? readPackAnnotation(defaults.value, name) : undefined);
      return annotations.get(name);
    },
  };
}

/** The facts of a resolved pack version, from the cache when this digest was seen with the same content. */
export function packFactsOf(pack: ResolvedPackLayer): PackFacts {
  const hit = cache.get(pack.digest);
  if (hit && hit.valuesText === pack.defaultValues && sameSchema(hit, pack.schema)) return hit.facts;
  const facts = buildFacts(pack);
  const size = pack.defaultValues.length + schemaSize(pack.schema);
  if (size <= MAX_CACHED_CHARS / 16) {
    const schema = pack.schema === null ? null : Object.isFrozen(pack.schema) ? pack.schema : deepFreeze(JSON.parse(JSON.stringify(pack.schema)) as PackValueSchema);
    const frozenSource = pack.schema !== null && Object.isFrozen(pack.schema) ? pack.schema : null;
    cache.set(pack.digest, { valuesText: pack.defaultValues, schema, frozenSource, facts, size });
  }
  return facts;
}
