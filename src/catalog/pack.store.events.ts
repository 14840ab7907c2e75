/**
 * The catalog's events (src/events/): what each catalog write records in its own transaction, and
 * the versions whose change may break saved profiles (PROFILE_INVALIDATED, looked up by the
 * recorder). Only the writers in pack.store.ts and pack.store.batch.ts call these.
 */
import { Prisma } from '../generated/prisma/client.js';
import type { CatalogEventInput, InvalidatedVersion } from '../events/event.model.js';

/** A version a write deleted, disabled or deprecated, before its registry's name and tags are read. */
export interface InvalidatedRow {
  versionId: string;
  registryId: string;
  pack: string;
  version: string;
  reason: 'DELETED' | 'REMOVED_UPSTREAM' | 'DEPRECATED' | 'DISABLED';
}

/**
 * The invalidated versions with their registry's name and publisher tags (a profile layer may name a
 * version by either): one statement for the lot, run only when a write invalidated something.
 * Must run before the rows are deleted (the tags go with the version).
 */
export async function invalidatedVersions(tx: Prisma.TransactionClient, rows: readonly InvalidatedRow[]): Promise<InvalidatedVersion[]> {
  if (rows.length === 0) return [];
  const found = await tx.$queryRaw<Array<{ versionId: string; registryName: string; tags: string[] }>>`
    SELECT v.id::text AS "versionId", r.name AS "registryName",
      COALESCE(array_agg(t.tag) FILTER (WHERE t.tag IS NOT NULL), '{}') AS tags
    FROM "PackVersion" v JOIN "Registry" r ON r.id = v."registryId" LEFT JOIN "PackTag" t ON t."versionId" = v.id
    WHERE v.id = ANY(${rows.map((r) => r.versionId)}::uuid[])
    GROUP BY v.id, r.name`;
  const byId = new Map(found.map((f) => [f.versionId, f]));
  return rows.flatMap((row) => {
    const f = byId.get(row.versionId);
    return f ? [{ registryId: row.registryId, registryName: f.registryName, pack: row.pack, version: row.version, tags: f.tags, reason: row.reason }] : [];
  });
}

export function publishedEvent(
  registryId: string,
  pack: string,
  version: string,
  data: { digest: string; status: 'created' | 'updated' | 'revived'; publishedBy?: string | null; message?: string | null; deprecated?: boolean },
): CatalogEventInput {
  return { type: 'PACK_VERSION_PUBLISHED', registryId, pack, version, data };
}

export function lifecycleEvent(registryId: string, pack: string, version: string, from: string, to: string, extra: Record<string, unknown> = {}): CatalogEventInput {
  return { type: 'PACK_LIFECYCLE_CHANGED', registryId, pack, version, data: { from, to, ...extra } };
}
