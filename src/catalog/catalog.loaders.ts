/**
 * Per-request DataLoaders for the catalog: a page of packs costs a constant number of statements.
 * They answer for one caller: pack rows of registries it may not read are left out, so every path
 * that starts from a pack (merged sources, versions, tags, profile resolution, OCI tags) sees only
 * readable registries. Versions, tags and details are keyed by ids taken from those pack rows.
 */
import DataLoader from 'dataloader';
import type { Db } from '../platform/database.js';
import { readableRegistryWhere, registryReadScope, type Principal } from '../auth/principal.js';
import type { PackWhereInput } from '../generated/prisma/models.js';
import { VERSION_ROW_SELECT, sortSources, type PackRow, type VersionRow } from './catalog.model.js';

export interface VersionDetails {
  values: string;
  presets: unknown;
  schema: unknown;
  readme: string | null;
  packJson: unknown;
  constraints: unknown;
  annotations: unknown;
}

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

export function createCatalogLoaders(prisma: Db, principal: Principal) {
  // ADMIN reads everything: no relation filter at all rather than an empty one Prisma still joins.
  const readablePacks = (where: PackWhereInput): PackWhereInput =>
    registryReadScope(principal).all ? where : { ...where, registry: readableRegistryWhere(principal) };

  const packRowsByName = new DataLoader<string, PackRow[]>(async (names) => {
    const rows = (await prisma.pack.findMany({ where: readablePacks({ name: { in: [...names] } }), include: { registry: true } })) as PackRow[];
    const grouped = groupBy(rows, (r) => r.name);
    return names.map((name) => sortSources(grouped.get(name) ?? []));
  });

  const versionsByPackId = new DataLoader<string, VersionRow[]>(async (ids) => {
    const rows = (await prisma.packVersion.findMany({ where: { packId: { in: [...ids] } }, select: VERSION_ROW_SELECT })) as VersionRow[];
    const grouped = groupBy(rows, (r) => r.packId);
    return ids.map((id) => grouped.get(id) ?? []);
  });

  const tagsByPackId = new DataLoader<string, Array<{ tag: string; versionId: string }>>(async (ids) => {
    const rows = await prisma.packTag.findMany({ where: { packId: { in: [...ids] } }, select: { tag: true, versionId: true, packId: true } });
    const grouped = groupBy(rows, (r) => r.packId);
    return ids.map((id) => grouped.get(id) ?? []);
  });

  const versionDetailsById = new DataLoader<string, VersionDetails | null>(async (ids) => {
    const rows = await prisma.packVersion.findMany({
      where: { id: { in: [...ids] } },
      select: { id: true, values: true, presets: true, schema: true, readme: true, packJson: true, constraints: true, annotations: true },
    });
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });

  const packRowById = new DataLoader<string, PackRow | null>(async (ids) => {
    const rows = (await prisma.pack.findMany({ where: readablePacks({ id: { in: [...ids] } }), include: { registry: true } })) as PackRow[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });

  return { packRowsByName, versionsByPackId, tagsByPackId, versionDetailsById, packRowById };
}

export type CatalogLoaders = ReturnType<typeof createCatalogLoaders>;
