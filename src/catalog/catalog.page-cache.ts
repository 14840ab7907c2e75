/**
 * An in-process cache of hot catalog listing pages (and their counts), dropped whole on every
 * catalog change seen by `CatalogChanges` (here or, by NOTIFY, in another replica).
 *
 * Keys carry the caller's readable-registry scope (`registryReadScope`: everything, or PUBLIC plus
 * the PRIVATE registries its token names) next to the query's arguments, so a page read for one
 * scope is never served to another: callers with the same scope see the same rows by the rules of
 * src/auth/principal.ts, which is why they may share it.
 *
 * An entry is the load's promise, so concurrent misses on one key share one database read. It
 * serves only while `CatalogChanges.coherent` (otherwise another replica's writes could go unseen)
 * and only at the generation it was loaded at: a load that overlaps a change is never served.
 */
import { registryReadScope, type Principal } from '../auth/principal.js';
import type { CatalogChanges } from './catalog.changes.js';

/** Pages held at most (least recently used go first): ~1,000 version rows each at 50 packs a page. */
export const MAX_CACHED_PAGES = 256;

interface Entry {
  generation: number;
  value: Promise<unknown>;
}

/** The part of a cache key that says what the caller may read. */
export function readScopeKey(actor: Principal): string {
  const scope = registryReadScope(actor);
  return scope.all ? '*' : JSON.stringify([...scope.named].sort());
}

export class CatalogPageCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly changes: CatalogChanges,
    private readonly maxEntries = MAX_CACHED_PAGES,
  ) {
    changes.onChange(() => this.entries.clear());
  }

  get size(): number {
    return this.entries.size;
  }

  /** The value cached for `key` at the current generation, else `load()`'s (cached when coherent). */
  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (!this.changes.coherent) return load();
    const generation = this.changes.generation;
    const hit = this.entries.get(key);
    if (hit && hit.generation === generation) {
      // Least recently used order: a hit moves to the end.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value as Promise<T>;
    }
    const value = load();
    this.entries.set(key, { generation, value });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    // A failed read is not an answer to keep.
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }
}
