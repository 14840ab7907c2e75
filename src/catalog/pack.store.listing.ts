/**
 * The catalog listing's read path: one page of the merged pack list with every readable source of
 * each name and each source's versions.
 *
 * 1. The page statement (`listingPageSql`): the page's names and, per name, its readable sources
 *    (Pack rows as JSON, one document per name built by PostgreSQL) with each source's
 *    `versionsRevision`, but no version rows; sent at the same time as the read of the registries
 *    the caller may read (through Prisma so registry rows keep their exact shape): the page waits
 *    for the slower of the two, not for both one after the other.
 * 2. Version rows come from the in-process read model (catalog.version-rows.ts) keyed by (pack id,
 *    revision): the revision is the database's, read with this page, so a write to a pack's
 *    versions anywhere (here, another replica, raw SQL) misses its entry and only its rows are read
 *    again, whatever NOTIFY did. Sources it does not hold are read in ONE second statement
 *    (`versionRowsSql`, `"packId" = ANY($1)`), with their revision in the same snapshot, then held.
 *
 * Building JSON for the ~1,000 version rows of a page was most of the page statement's cost (~5 ms
 * of PostgreSQL time) and decoding them most of the rest: a catalog write drops every cached page
 * (catalog.page-cache.ts), but only the written pack's version rows.
 *
 * Why not Prisma for the packs and versions: the profile of the listing under load was dominated by
 * Prisma's row decoding and the garbage it leaves (`@prisma/client` runtime 17%, its WASM 6.5%,
 * GC 32% of the samples); one JSON text parsed by V8 costs a fraction of that. The rows come out
 * exactly as `packRowsByNames` and `versionRowsByPackIds` give them (same columns, same types), so
 * every field resolver works on either; version rows are frozen (shared by every request).
 */
import type { Db } from '../platform/database.js';
import { Prisma } from '../generated/prisma/client.js';
import type { RegistryWhereInput } from '../generated/prisma/models.js';
import { sortSources, type PackRow, type VersionRow } from './catalog.model.js';
import type { RegistryRecord } from '../registries/registry.model.js';
import type { VersionRowCache } from './catalog.version-rows.js';

/** A page of the merged listing: names in order, and for each its readable sources and their versions. */
export interface ListingPage {
  /** At most `limit` names (the caller asks one more than it shows, to know whether a next page exists). */
  names: string[];
  /** Sources of each name, highest priority first (as `sortSources`). */
  sources: Map<string, PackRow[]>;
  /**
   * Every version (removed ones too) of each source, by pack id. The arrays and rows are shared by
   * every request that reads them and frozen (catalog.version-rows.ts): typed as the loaders take them.
   */
  versions: Map<string, VersionRow[]>;
}

/** Positions in a version's compact array (json_build_array below), in this order. */
type VersionTuple = [
  id: string,
  version: string,
  digest: string,
  size: number,
  charts: string[],
  manifests: string[],
  cloudTypes: string[],
  deprecated: boolean,
  removedAt: string | null,
  message: string | null,
  publishedBy: string | null,
  createdAt: string,
  updatedAt: string,
  lifecycle: unknown,
];

/** `to_jsonb` of a Pack row: its timestamps are text. */
type PackJson = Omit<PackRow, 'registry' | 'createdAt' | 'updatedAt'> & { createdAt: string; updatedAt: string };

/** Prisma's DateTime columns are `timestamp(3)` (no zone) holding UTC; JSON renders them without the `Z`. */
function utc(text: string): Date {
  return new Date(`${text}Z`);
}

function utcOrNull(text: string | null): Date | null {
  return text === null ? null : utc(text);
}

/**
 * `packs` is the pack rows to list from (`"Pack"`, or a search's matches), `pageWhere` selects the
 * page's packs among them (alias `p`, registry `r`), `readable` the caller's readable
 * registries (alias `r`): every readable source of a listed name comes along, as `packRowsByNames`
 * would give it, whatever the filter, with its versions' revision (as text: a bigint) beside it.
 */
export function listingPageSql(packs: Prisma.Sql, pageWhere: Prisma.Sql, readable: Prisma.Sql, limit: number): Prisma.Sql {
  return Prisma.sql`
    WITH page AS (
      SELECT p.name FROM ${packs} p JOIN "Registry" r ON r.id = p."registryId"
      WHERE ${pageWhere} GROUP BY p.name ORDER BY p.name LIMIT ${limit}
    )
    SELECT page.name, (
      SELECT json_agg(json_build_array(to_jsonb(s) - 'versionsRevision', s."versionsRevision"::text))::text
      FROM "Pack" s JOIN "Registry" r ON r.id = s."registryId"
      WHERE s.name = page.name AND ${readable}
    ) AS sources
    FROM page ORDER BY page.name`;
}

/**
 * Every version (removed ones too) of the packs `packIds`, one row per pack with its revision, in
 * one statement: the rows and the revision come from the same snapshot, so they belong together.
 */
export function versionRowsSql(packIds: readonly string[]): Prisma.Sql {
  return Prisma.sql`
    SELECT s.id, s."registryId", s."versionsRevision"::text AS revision, (
      SELECT coalesce(json_agg(json_build_array(v.id, v.version, v.digest, v.size, v.charts, v.manifests, v."cloudTypes",
               v.deprecated, v."removedAt", v.message, v."publishedBy", v."createdAt", v."updatedAt", v.lifecycle)), '[]'::json)
      FROM "PackVersion" v WHERE v."packId" = s.id)::text AS versions
    FROM "Pack" s WHERE s.id = ANY(${[...packIds]}::uuid[])`;
}

function versionRow(t: VersionTuple, packId: string, registryId: string): VersionRow {
  return {
    id: t[0],
    packId,
    registryId,
    version: t[1],
    digest: t[2],
    size: BigInt(t[3]),
    charts: t[4],
    manifests: t[5],
    cloudTypes: t[6],
    deprecated: t[7],
    removedAt: utcOrNull(t[8]),
    message: t[9],
    publishedBy: t[10],
    createdAt: utc(t[11]),
    updatedAt: utc(t[12]),
    lifecycle: t[13] ?? null,
  };
}

/**
 * The version rows of `packIds` from `cache`, reading the ones it lacks (at their revision in
 * `revisions`, or newer) in one statement and holding them. A pack deleted since the page
 * statement has no row: it gets none (its source goes unlisted, as a deleted registry's does).
 */
async function versionsOf(prisma: Db, cache: VersionRowCache, revisions: Map<string, bigint>): Promise<Map<string, VersionRow[]>> {
  // Frozen arrays, typed as the loaders take them: nothing writes to them (a write would throw).
  const versions = new Map<string, VersionRow[]>();
  const missing: string[] = [];
  for (const [packId, revision] of revisions) {
    const rows = cache.get(packId, revision);
    if (rows) versions.set(packId, rows as VersionRow[]);
    else missing.push(packId);
  }
  if (missing.length === 0) return versions;
  const rows = await prisma.$queryRaw<Array<{ id: string; registryId: string; revision: string; versions: string }>>(versionRowsSql(missing));
  for (const row of rows) {
    const tuples = JSON.parse(row.versions) as VersionTuple[];
    versions.set(row.id, cache.set(row.id, BigInt(row.revision), tuples.map((t) => versionRow(t, row.id, row.registryId))) as VersionRow[]);
  }
  return versions;
}

/**
 * Runs `listingPageSql` and reads its rows back into pack rows, then the version rows of every
 * source from `cache` or, for those it lacks, one more statement. `readable` selects the registries
 * the statement's `readable` condition lets through (the caller's): every source the page holds is
 * in one of them, so they are read at the same time as the page rather than after it.
 */
export async function readListingPage(prisma: Db, cache: VersionRowCache, statement: Prisma.Sql, readable: RegistryWhereInput): Promise<ListingPage> {
  const [rows, registryRows] = await Promise.all([
    prisma.$queryRaw<Array<{ name: string; sources: string }>>(statement),
    prisma.registry.findMany({ where: readable }),
  ]);
  const decoded = rows.map((row) => ({ name: row.name, sources: JSON.parse(row.sources ?? '[]') as Array<[PackJson, string]> }));
  const registries = new Map<string, RegistryRecord>(registryRows.map((r) => [r.id, r as RegistryRecord]));

  const listed = new Map<string, PackRow[]>();
  const revisions = new Map<string, bigint>();
  for (const row of decoded) {
    const packs: PackRow[] = [];
    for (const [json, revision] of row.sources) {
      const registry = registries.get(json.registryId);
      // Deleted between the two statements: the source is gone, like its registry.
      if (!registry) continue;
      packs.push({ ...json, createdAt: utc(json.createdAt), updatedAt: utc(json.updatedAt), registry });
      revisions.set(json.id, BigInt(revision));
    }
    listed.set(row.name, packs);
  }
  const versions = await versionsOf(prisma, cache, revisions);
  const sources = new Map<string, PackRow[]>();
  for (const [name, packs] of listed) {
    // Deleted between the page statement and the versions' one: gone like a deleted registry's source.
    sources.set(name, sortSources(packs.filter((p) => versions.has(p.id))));
  }
  return { names: decoded.map((r) => r.name), sources, versions };
}
