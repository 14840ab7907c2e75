/**
 * The listing's pack and registry rows, kept in process by the version of the row they were read
 * from (PostgreSQL's `xmin`: every UPDATE of a row, by any writer, gives it a new one), so that the
 * page statement sends only the rows that changed since and a page read again hands out the very
 * objects of the page before wherever nothing changed.
 *
 * Why: the resolvers memoize by object (pack.resolver.ts: a version row's PackVersion for its
 * PackRow), which a cached page gets for free and a page read after a catalog write elsewhere
 * lost; and building ~100 rows' JSON text was a third of the page statement's PostgreSQL time.
 * Each page still gets new sources arrays: the per-array memo of merged versions is left to the
 * page cache, because a page whose arrays were part memoized and part not resolves its versions'
 * `tags` in two DataLoader batches instead of one (packs.test.ts counts statements).
 *
 * It also remembers which packs each page listed last, so that the next read of that page can
 * tell the statement which rows it holds (pack.store.listing.ts).
 *
 * Nothing here is trusted without the database: the statement compares each row's current `xmin`
 * with the one an entry was read at, in the same snapshot as everything else it returns. A pack row
 * serves only with the registry record it was made with (a registry that changed gives its packs
 * new rows). Objects are shared between requests like a cached page's (catalog.page-cache.ts):
 * never written to.
 */
import type { PackRow } from './catalog.model.js';
import type { RegistryRecord } from '../registries/registry.model.js';

/** Pack and registry rows held at most, each (least recently used go first): 200 pages of 50 names; a tenth as many pages' members. */
export const MAX_LISTING_ROWS = 10_000;

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

/** A row as read: its `xmin` (as text) and the object made from it. */
export interface HeldRow<T> {
  xmin: string;
  row: T;
}

export class ListingRowCache {
  private readonly registries: Lru<string, HeldRow<RegistryRecord>>;
  private readonly packs: Lru<string, HeldRow<PackRow>>;
  /** The pack ids each page (by its arguments) listed last time: the ones whose rows it sends as known. */
  private readonly pages: Lru<string, string[]>;

  constructor(max = MAX_LISTING_ROWS) {
    this.registries = new Lru(max);
    this.packs = new Lru(max);
    this.pages = new Lru(Math.max(1, Math.floor(max / 10)));
  }

  /** Pack rows held. */
  get size(): number {
    return this.packs.size;
  }

  /** The pack ids the page `key` listed last time (none when unknown): a guess, which the page statement checks. */
  pageMembers(key: string): readonly string[] {
    return this.pages.get(key) ?? [];
  }

  setPageMembers(key: string, packIds: string[]): void {
    this.pages.set(key, packIds);
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
