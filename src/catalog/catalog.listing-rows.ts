/**
 * The listing's pack and registry rows, kept in process so that a page read again from the
 * database hands out the very objects of the page before wherever nothing changed: the same
 * registry record for the same registry text, the same PackRow for the same pack text at the same
 * `versionsRevision` in the same registry record.
 *
 * Why identity: the resolvers memoize by object (pack.resolver.ts: a version row's PackVersion
 * for its PackRow), which a cached page gets for free and a page read after a catalog write
 * elsewhere lost. Each page still gets new sources arrays: the per-array memo of merged versions
 * is left to the page cache, because a page whose arrays were part memoized and part not resolves
 * its versions' `tags` in two DataLoader batches instead of one (packs.test.ts counts statements).
 *
 * It also remembers which packs each page listed last, so that the next read of that page can
 * tell the statement which version rows the read model holds (pack.store.listing.ts).
 *
 * Nothing here is trusted without the database: every page statement returns each row's full
 * text (and revision), and an object is reused only when that text is exactly what made it.
 * Objects are shared between requests like a cached page's (catalog.page-cache.ts): never
 * written to.
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

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }

  clear(): void {
    this.entries.clear();
  }
}

export class ListingRowCache {
  private readonly registries: Lru<string, { text: string; record: RegistryRecord }>;
  private readonly packs: Lru<string, { text: string; revision: string; registry: RegistryRecord; row: PackRow }>;
  /** The pack ids each page (by its arguments) listed last time: the ones whose version rows it sends as known. */
  private readonly pages: Lru<string, string[]>;

  constructor(max = MAX_LISTING_ROWS) {
    this.registries = new Lru(max);
    this.packs = new Lru(max);
    this.pages = new Lru(Math.max(1, Math.floor(max / 10)));
  }

  /** The pack ids the page `key` listed last time (none when unknown): a guess, which the page statement checks. */
  pageMembers(key: string): readonly string[] {
    return this.pages.get(key) ?? [];
  }

  setPageMembers(key: string, packIds: string[]): void {
    this.pages.set(key, packIds);
  }

  /** Pack rows held. */
  get size(): number {
    return this.packs.size;
  }

  /** The registry record of `text` (its row as JSON): the one made before from the same text, else `decode(text)`'s. */
  registry(id: string, text: string, decode: (text: string) => RegistryRecord): RegistryRecord {
    const held = this.registries.get(id);
    if (held && held.text === text) return held.record;
    const record = decode(text);
    this.registries.set(id, { text, record });
    return record;
  }

  /** The pack row of `text` at `revision` in `registry`: the one made before from the same three, else `decode(text)`'s. */
  pack(id: string, text: string, revision: string, registry: RegistryRecord, decode: (text: string) => PackRow): PackRow {
    const held = this.packs.get(id);
    if (held && held.text === text && held.revision === revision && held.registry === registry) return held.row;
    const row = decode(text);
    this.packs.set(id, { text, revision, registry, row });
    return row;
  }

  /** Drops everything (the catalog bench's cold figure). */
  clear(): void {
    this.registries.clear();
    this.packs.clear();
    this.pages.clear();
  }
}
