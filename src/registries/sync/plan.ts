/** The pure core of a sync: what to fetch, what is unchanged, what is gone. No I/O. */
import type { UpstreamItem, UpstreamListing } from '../adapters/adapter.js';

/** What the catalog holds for a registry (the ingest service's `listVersionMarkers`). */
export interface StoredVersion {
  name: string;
  version: string;
  upstreamMarker: string | null;
  removedAt: Date | null;
}

export interface SyncPlan<Ref = unknown> {
  /** New items, changed ones (marker differs), ones back after removal; everything when forced. */
  fetch: Array<UpstreamItem<Ref>>;
  /** Items whose stored marker equals the upstream one. */
  unchanged: number;
  /** Stored versions the upstream no longer lists (only when the listing is whole). */
  removed: Array<{ name: string; version: string }>;
}

export function versionKey(name: string, version: string): string {
  return `${name}\u0000${version}`;
}

/**
 * Diffs an upstream listing against the stored versions by change marker.
 *
 * - `force`: every listed item is fetched again.
 * - `listing.unchanged` (the whole upstream's marker is the same, not forced): nothing to fetch and
 *   nothing removed; every stored, non-removed version counts as unchanged.
 * - A stored version missing from the listing is removed, unless `keep` names it (listing problems:
 *   an entry we could not read is not an entry that is gone).
 */
export function planSync<Ref>(
  listing: UpstreamListing<Ref>,
  stored: readonly StoredVersion[],
  options: { force?: boolean; keep?: Iterable<string> } = {},
): SyncPlan<Ref> {
  const present = stored.filter((row) => row.removedAt === null);
  if (listing.unchanged && !options.force) return { fetch: [], unchanged: present.length, removed: [] };
  const byKey = new Map(stored.map((row) => [versionKey(row.name, row.version), row]));
  const fetch: Array<UpstreamItem<Ref>> = [];
  let unchanged = 0;
  const seen = new Set<string>();
  for (const item of listing.items) {
    const key = versionKey(item.name, item.version);
    if (seen.has(key)) continue; // adapters dedupe; a second entry for one version is ignored
    seen.add(key);
    const row = byKey.get(key);
    if (!options.force && row && row.removedAt === null && row.upstreamMarker === item.marker) unchanged++;
    else fetch.push(item);
  }
  const keep = new Set(options.keep ?? []);
  const removed = present
    .filter((row) => !seen.has(versionKey(row.name, row.version)) && !keep.has(versionKey(row.name, row.version)))
    .map(({ name, version }) => ({ name, version }));
  return { fetch, unchanged, removed };
}
