/**
 * The caller's own values texts (`values`, `valuesOverride`), read once per distinct text.
 *
 * Pack-side facts are cached by digest (pack-facts.ts); what is left on every validation is
 * reading the caller's text, and callers send the same texts again and again: a CI or GitOps loop
 * re-validates the same profile, an editor re-validates one where a single layer changed. The
 * answer depends on the text alone, so it is kept in a bounded LRU keyed by the exact text (a Map
 * compares the whole string, so two texts never share an entry) and bounded by total characters
 * too, so one huge text can neither evict everything nor hold memory: a text past
 * MAX_ENTRY_CHARS is read fresh every time and never stored.
 *
 * Entries are deeply frozen, so no rule can change what another validation reads. The rules only
 * read these trees (macros.ts walks them, value-schema/* looks paths up, values-merge.ts copies
 * into new objects, install-order.ts/presets.ts read annotations and text), the same trees they
 * already read frozen from pack-facts.ts for layers without an override.
 */
import { LRUCache } from 'lru-cache';

import { deepFreeze } from './pack-facts.js';
import { parseValues, type ParsedValues } from './parsed-values.js';

/** Total characters of cached texts (a parsed tree is a small multiple of its text). */
export const MAX_CACHED_CHARS = 4 * 1024 * 1024;
/** A bigger text is not cached: it would push out many ordinary ones for one caller. */
export const MAX_ENTRY_CHARS = MAX_CACHED_CHARS / 16;
const MAX_ENTRIES = 4096;

const cache = new LRUCache<string, ParsedValues>({
  max: MAX_ENTRIES,
  maxSize: MAX_CACHED_CHARS,
  maxEntrySize: MAX_ENTRY_CHARS,
  // The key is the text: count it (at least 1, as lru-cache wants a positive size for an empty text).
  sizeCalculation: (_value, text) => Math.max(1, text.length),
});

/** parseValues(text), deeply frozen, from the cache when this exact text was read before. */
export function readCallerValues(text: string): ParsedValues {
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  const parsed = deepFreeze(parseValues(text));
  if (text.length <= MAX_ENTRY_CHARS) cache.set(text, parsed);
  return parsed;
}

/** What the cache holds now (for tests of its bound). */
export function callerValuesCacheStats(): { entries: number; chars: number } {
  return { entries: cache.size, chars: cache.calculatedSize };
}

/** Forget every cached read (tests). */
export function clearCallerValuesCache(): void {
  cache.clear();
}

/**
 * What the rules derive from a cached tree alone (its macro references, a `pack.*` annotation) is
 * kept with the tree: an entry read again is walked once, not on every validation. Keyed weakly by
 * the frozen tree itself, so it goes when the cache drops the tree; an unfrozen tree (a merged
 * `valuesOverride`, new on each validation) is computed every time, as it may be another tree next time.
 */
const derived = new WeakMap<object, Map<string, unknown>>();

export function derivedFromTree<T>(tree: unknown, what: string, compute: () => T): T {
  if (tree === null || typeof tree !== 'object' || !Object.isFrozen(tree)) return compute();
  let known = derived.get(tree);
  if (known === undefined) derived.set(tree, (known = new Map()));
  if (!known.has(what)) known.set(what, deepFreeze(compute()));
  return known.get(what) as T;
}
