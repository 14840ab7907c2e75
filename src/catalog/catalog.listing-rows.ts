/**
 * The listing's pack and registry rows, kept in process by the version of the row they were read
 * from (PostgreSQL's `xmin`: every UPDATE of a row, by any writer, gives it a new one), so that the
 * page statement sends only the rows that changed since and a page read again hands out the very
 * objects of the page before wherever nothing changed.
 *
 * Why: the resolvers memoize by object (pack.resolver.ts: a version row's PackVersion for its
 * PackRow), which a cached page gets for free and a page read after a catalog write elsewhere
 * lost; and building ~100 rows' JSON text was a third of the page statement's PostgreSQL time.
 * A page whose rows are all the same objects as the last time it was read gets the same sources
 * arrays too, so the resolvers' memo of each name's merged, sorted versions serves as on a cached
 * page; when any row changed, every array of the page is new (see `pageSources`).
 *
 * It remembers which packs each page listed last, so that the next read of that page can tell the
 * statement which rows it holds (pack.store.listing.ts).
 *
 * Nothing here is trusted without the database: the statement compares each row's current `xmin`
 * with the one an entry was read at, in the same snapshot as everything else it returns. A pack row
 * serves only with the registry record it was made with (a registry that changed gives its packs
 * new rows). Objects are shared between requests like a cached page's (catalog.page-cache.ts):
 * never written to.
 */
import type { PackRow } from './catalog.model.js';
import type { RegistryRecord } from '../registries/registry.model.js';
import { MAX_CACHED_PAGES } from './catalog.page-cache.js';

/** Pack and registry rows held at most, each (least recently used go first): 200 pages of 50 names. */
export const MAX_LISTING_ROWS = 10_000;

/**
 * Pages remembered at most: as many as the page cache holds. A page's sources arrays keep the
 * resolvers' memo of their merged versions alive (PackVersion objects, ~1,000 a page), as a cached
 * page does: the same bound keeps the same worst case (and the two mostly hold the same arrays).
 */
export const MAX_LISTING_PAGES = MAX_CACHED_PAGES;

/** A Map in least recently used order, at most `max` entries. */
class Lru<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  /** Without touching recency. */
  peek(key: K): V | undefined {
    return this.entries.get(key);
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }

  values(): IterableIterator<[K, V]> {
    return this.entries.entries();
  }

  clear(): void {
    this.entries.clear();
  }
}

interface HeldPage {
  packIds: string[];
  sources: Map<string, PackRow[]>;
}

/** A row as read: its `xmin` (as text) and the object made from it. */
export interface HeldRow<T> {
  xmin: string;
  row: T;
}

export class ListingRowCache {
  private readonly registries: Lru<string, HeldRow<RegistryRecord>>;
  private readonly packs: Lru<string, HeldRow<PackRow>>;
  /** What each page (by its arguments) listed last time: the packs whose rows it sends as known, and its sources arrays. */
  private readonly pages: Lru<string, HeldPage>;

  constructor(max = MAX_LISTING_ROWS, maxPages = MAX_LISTING_PAGES) {
    this.registries = new Lru(max);
    this.packs = new Lru(max);
    this.pages = new Lru(maxPages);
  }

  /** Pack rows held. */
  get size(): number {
    return this.packs.size;
  }

  /** The pack ids the page `key` listed last time (none when unknown): a guess, which the page statement checks. */
  pageMembers(key: string): readonly string[] {
    return this.pages.peek(key)?.packIds ?? [];
  }

  /**
   * The page `key`'s sources by name: the arrays it had last time when every name holds the very
   * same rows as then (in the same order), else `sources` (sorted), which are held for next time.
   * All or none: a page whose arrays were part new and part reused would resolve its versions'
   * `tags` in two DataLoader batches (the resolvers' memo on the arrays answers some at once).
   */
  pageSources(key: string, packIds: string[], sources: Map<string, PackRow[]>): Map<string, PackRow[]> {
    const held = this.pages.get(key);
    const same =
      held !== undefined &&
      held.sources.size === sources.size &&
      [...sources].every(([name, rows]) => {
        const before = held.sources.get(name);
        return before !== undefined && before.length === rows.length && before.every((row, i) => row === rows[i]);
      });
    if (same) return held.sources;
    this.pages.set(key, { packIds, sources });
    return sources;
  }

  /** Every registry held (there are few): the statement leaves out those whose `xmin` is still this. */
  heldRegistries(): Array<[string, HeldRow<RegistryRecord>]> {
    return [...this.registries.values()];
  }

  heldPack(id: string): HeldRow<PackRow> | undefined {
    return this.packs.peek(id);
  }

  /** Holds registry `id` as read at `xmin`; answers the record. */
  keepRegistry(id: string, xmin: string, record: RegistryRecord): RegistryRecord {
    this.registries.set(id, { xmin, row: record });
    return record;
  }

  /**
   * Pack `id` at `xmin` in `registry`: `held` (what the statement was told of, still this row) when
   * its registry record is the same, else `make()`'s, held from now on.
   */
  keepPack(id: string, xmin: string, registry: RegistryRecord, held: PackRow | undefined, make: () => PackRow): PackRow {
    const row = held && held.registry === registry ? held : make();
    this.packs.set(id, { xmin, row });
    return row;
  }

  /** Drops everything (the catalog bench's cold figure). */
  clear(): void {
    this.registries.clear();
    this.packs.clear();
    this.pages.clear();
  }
}
