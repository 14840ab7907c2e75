/**
 * Per-request DataLoaders for the catalog: a page of packs costs a constant number of statements.
 * They answer for one caller: pack rows of registries it may not read are left out, so every path
 * that starts from a pack (merged sources, versions, tags, profile resolution, OCI tags) sees only
 * readable registries. Versions, tags and details are keyed by ids taken from those pack rows.
 */
import DataLoader from 'dataloader';
import type { Principal } from '../auth/principal.js';
import { sortSources, type PackRow, type TrustedVersionRow, type VersionRow } from './catalog.model.js';
import type { VersionDetails } from './pack.store.columns.js';
import type { PackStoreReads } from './pack.store.reads.js';

export type { VersionDetails } from './pack.store.columns.js';

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = grouped.get(k);
    if (list) list.push(row);
    else grouped.set(k, [row]);
  }
  return grouped;
}

export function createCatalogLoaders(store: PackStoreReads, principal: Principal) {
  const packRowsByName = new DataLoader<string, PackRow[]>(async (names) => {
    const grouped = groupBy(await store.packRowsByNames(principal, names), (r) => r.name);
    return names.map((name) => sortSources(grouped.get(name) ?? []));
  });

  const versionsByPackId = new DataLoader<string, VersionRow[]>(async (ids) => {
    const grouped = groupBy(await store.versionRowsByPackIds(ids), (r) => r.packId);
    return ids.map((id) => grouped.get(id) ?? []);
  });

  /** `versionsByPackId` with each version's signature state: what profile resolution loads instead (same one statement). */
  const trustedVersionsByPackId = new DataLoader<string, TrustedVersionRow[]>(async (ids) => {
    const grouped = groupBy(await store.trustedVersionRowsByPackIds(ids), (r) => r.packId);
    return ids.map((id) => grouped.get(id) ?? []);
  });

  const tagsByPackId = new DataLoader<string, Array<{ tag: string; versionId: string }>>(async (ids) => {
    const grouped = groupBy(await store.tagsByPackIds(ids), (r) => r.packId);
    return ids.map((id) => grouped.get(id) ?? []);
  });

  const versionDetailsById = new DataLoader<string, VersionDetails | null>(async (ids) => {
    const byId = new Map((await store.versionDetailsByIds(ids)).map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });

  const packRowById = new DataLoader<string, PackRow | null>(async (ids) => {
    const byId = new Map((await store.packRowsByIds(principal, ids)).map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });

  return { packRowsByName, versionsByPackId, trustedVersionsByPackId, tagsByPackId, versionDetailsById, packRowById };
}

export type CatalogLoaders = ReturnType<typeof createCatalogLoaders>;
