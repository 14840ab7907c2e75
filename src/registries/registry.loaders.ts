/**
 * Per-request DataLoaders for registries: one SQL statement per field per page, never per row.
 * They answer for one caller: registries it may not read are absent (null, 0), as if they didn't exist.
 */
import DataLoader from 'dataloader';
import type { Db } from '../platform/database.js';
import { readableRegistryWhere, registryReadScope, type Principal } from '../auth/principal.js';
import type { RegistryRecord, SyncRunRecord } from './registry.model.js';
import { RegistryStore } from './registry.store.js';

/** A sync run as the loaders return it (the stored row). */
export type SyncRunRow = SyncRunRecord;

export function createRegistryLoaders(prisma: Db, principal: Principal) {
  // A stateless view over the request's client: the loaders' SQL on registry tables is the store's.
  const store = new RegistryStore(prisma);
  const readable = readableRegistryWhere(principal);
  // ADMIN reads everything: no relation filter rather than an empty one Prisma still joins.
  const readablePacks = registryReadScope(principal).all ? {} : { registry: readable };
  const registryById = new DataLoader<string, RegistryRecord | null>(async (ids) => {
    const rows = await store.findByIds(ids, readable);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });

  const packCountByRegistryId = new DataLoader<string, number>(async (ids) => {
    const rows = await prisma.pack.groupBy({
      by: ['registryId'],
      where: { registryId: { in: [...ids] }, ...readablePacks, versions: { some: { removedAt: null } } },
      _count: { _all: true },
    });
    const byId = new Map(rows.map((r) => [r.registryId, r._count._all]));
    return ids.map((id) => byId.get(id) ?? 0);
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

  return { registryById, packCountByRegistryId, recentRunsByRegistryId, errorsByRunId };
}

export type RegistryLoaders = ReturnType<typeof createRegistryLoaders>;
