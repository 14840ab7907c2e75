/**
 * The listing's read model of version rows: each pack's PackVersion rows as the listing decoded
 * them, kept in process across catalog writes and keyed by (pack id, `versionsRevision`).
 *
 * Why a revision and not the catalog's change feed: PostgreSQL triggers move a pack's
 * `versionsRevision` in the same transaction as any write to its versions (migration
 * versions_revision: push, sync, delete, lifecycle, deprecate, another replica, raw SQL), and the
 * listing reads the revision with every page. An entry serves only for the revision the page just
 * read, so it can never be older than the database, whatever NOTIFY does (lost, late, or a replica
 * not listening): a write to one pack costs the next page one pack's rows, not the whole page's.
 *
 * Entries are shared by every request that reads the same revision: the rows and their arrays are
 * frozen (a resolver that tried to change one would throw, not corrupt another request's answer).
 *
 * Bounded by version rows, not packs (a pack may have 10 versions or 5,000): least recently used
 * packs go first. 100,000 rows hold a 10,000-pack x 10-version catalog whole, or 100 pages of
 * 50 packs x 20 versions, and cost ~45 MB of heap (~430 bytes a decoded row, measured with
 * realistic rows), plus the PackVersion object the resolvers memoize per row while it lives
 * (pack.resolver.ts, ~20 MB more at the bound); the page cache (catalog.page-cache.ts) references
 * the same row objects.
 */
import type { VersionRow } from './catalog.model.js';

/** Version rows held at most, over every pack (see the header for why this number). */
export const MAX_CACHED_VERSION_ROWS = 100_000;

interface Entry {
  revision: bigint;
  rows: readonly VersionRow[];
}

export class VersionRowCache {
  /** By pack id, in least recently used order (a hit moves to the end). */
  private readonly entries = new Map<string, Entry>();
  private rowCount = 0;

  constructor(readonly maxRows = MAX_CACHED_VERSION_ROWS) {}

  /** Version rows held, over every pack (an empty pack counts one: its entry costs memory too). */
  get rows(): number {
    return this.rowCount;
  }

  /** Packs held. */
  get size(): number {
    return this.entries.size;
  }

  /** The rows of pack `packId` at `revision`, when held; an older revision's entry is dropped (it never serves again). */
  get(packId: string, revision: bigint): readonly VersionRow[] | undefined {
    const entry = this.entries.get(packId);
    if (!entry) return undefined;
    if (entry.revision !== revision) {
      // Revisions only grow: an entry from before is dead. One from after (this page's statement saw an
      // older snapshot than the load that made it) stays for the pages that come next.
      if (entry.revision < revision) this.drop(packId, entry);
      return undefined;
    }
    this.entries.delete(packId);
    this.entries.set(packId, entry);
    return entry.rows;
  }

  /** What is held for pack `packId`, at whatever revision (the page statement then checks the revision), without touching its recency. */
  held(packId: string): { revision: bigint; rows: readonly VersionRow[] } | undefined {
    return this.entries.get(packId);
  }

  /** `get`, or when the entry went meanwhile (evicted by another page), `rows` held again: rows read at `revision`. */
  keep(packId: string, revision: bigint, rows: readonly VersionRow[]): readonly VersionRow[] {
    return this.get(packId, revision) ?? this.set(packId, revision, rows as VersionRow[]);
  }

  /**
   * Holds `rows` as pack `packId`'s at `revision` (read in one statement with it), frozen; a newer
   * revision already held stays. Returns the frozen rows.
   */
  set(packId: string, revision: bigint, rows: VersionRow[]): readonly VersionRow[] {
    for (const row of rows) {
      Object.freeze(row.charts);
      Object.freeze(row.manifests);
      Object.freeze(row.cloudTypes);
      Object.freeze(row);
    }
    const frozen = Object.freeze(rows);
    const held = this.entries.get(packId);
    if (held && held.revision > revision) return frozen;
    if (held) this.drop(packId, held);
    const weight = Math.max(1, frozen.length);
    // A pack larger than the whole bound would only evict everything else and then itself.
    if (weight > this.maxRows) return frozen;
    this.entries.set(packId, { revision, rows: frozen });
    this.rowCount += weight;
    for (const [oldest, entry] of this.entries) {
      if (this.rowCount <= this.maxRows) break;
      this.drop(oldest, entry);
    }
    return frozen;
  }

  /** Drops every entry (the catalog bench's "cold" figure: a process that just started). */
  clear(): void {
    this.entries.clear();
    this.rowCount = 0;
  }

  private drop(packId: string, entry: Entry): void {
    this.entries.delete(packId);
    this.rowCount -= Math.max(1, entry.rows.length);
  }
}
