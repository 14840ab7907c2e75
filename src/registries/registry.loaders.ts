/**
 * Per-request DataLoaders for registries: one SQL statement per field per page, never per row.
 * They answer for one caller: registries it may not read are absent (null, 0), as if they didn't exist.
 */
import DataLoader from 'dataloader';
import { readableRegistryWhere, type Principal } from '../auth/principal.js';
import type { RegistryRecord, SyncRunRecord } from './registry.model.js';
import type { RegistryStore } from './registry.store.js';

/** A sync run as the loaders return it (the stored row). */
export type SyncRunRow = SyncRunRecord;

/**
 * How many packs with a live version (and live versions) each registry holds, among those the caller may read: the
 * catalog's store answers (registries reads no catalog table and imports nothing from catalog).
 */
export interface LivePackCounts {
  livePackCounts(actor: Principal, registryIds: readonly string[]): Promise<Map<string, number>>;
  liveVersionCounts(actor: Principal, registryIds: readonly string[]): Promise<Map<string, number>>;
}

/** The loaders' SQL on registry tables is the store's; the composition root hands it in with the catalog's counts. */
export function createRegistryLoaders(store: RegistryStore, principal: Principal, packs: LivePackCounts) {
  const readable = readableRegistryWhere(principal);
  const registryById = new DataLoader<string, RegistryRecord | null>(async (ids) => {
    const rows = await store.findByIds(ids, readable);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });

  const packCountByRegistryId = new DataLoader<string, number>(async (ids) => {
    const counts = await packs.livePackCounts(principal, ids);
    return ids.map((id) => counts.get(id) ?? 0);
  });

  const versionCountByRegistryId = new DataLoader<string, number>(async (ids) => {
    const counts = await packs.liveVersionCounts(principal, ids);
    return ids.map((id) => counts.get(id) ?? 0);
  });

  // One loader per `last` value asked for in this request (usually just one).
  const runLoaders = new Map<number, DataLoader<string, SyncRunRow[]>>();
  const recentRunsByRegistryId = (last: number) => {
    let loader = runLoaders.get(last);
    if (!loader) {
      loader = new DataLoader<string, SyncRunRow[]>(async (ids) => {
        const rows = await store.recentRuns(ids, last);
        const grouped = new Map<string, SyncRunRow[]>();
        for (const row of rows) {
          const list = grouped.get(row.registryId) ?? [];
          list.push(row);
          grouped.set(row.registryId, list);
        }
        return ids.map((id) => grouped.get(id) ?? []);
      });
      runLoaders.set(last, loader);
    }
    return loader;
  };

  const errorsByRunId = new DataLoader<string, Array<{ item: string; message: string }>>(async (ids) => {
    const rows = await store.itemErrors(ids);
    const grouped = new Map<string, Array<{ item: string; message: string }>>();
    for (const row of rows) {
      const list = grouped.get(row.runId) ?? [];
      list.push({ item: row.item, message: row.message });
      grouped.set(row.runId, list);
    }
    return ids.map((id) => grouped.get(id) ?? []);
  });

  return { registryById, packCountByRegistryId, versionCountByRegistryId, recentRunsByRegistryId, errorsByRunId };
}

export type RegistryLoaders = ReturnType<typeof createRegistryLoaders>;
