/**
 * The catalog listing's read model: one page of the merged pack list with every readable source of
 * each name and each source's versions, as one JSON document per name built by PostgreSQL (one
 * statement), plus the registries the caller may read (a second one, through Prisma so registry
 * rows keep their exact shape), sent at the same time: the page waits for the slower of the two,
 * not for both one after the other (the registry read through Prisma's query compiler took a
 * third of the page statement's time in the profile of an uncached page).
 *
 * Why not Prisma for the packs and versions: a page carries ~1,000 version rows, and the profile of
 * the listing under load was dominated by Prisma's row decoding and the garbage it leaves
 * (`@prisma/client` runtime 17%, its WASM 6.5%, GC 32% of the samples); one JSON text per name
 * parsed by V8 costs a fraction of that. The rows come out exactly as `packRowsByNames` and
 * `versionRowsByPackIds` give them (same columns, same types), so every field resolver works on
 * either.
 */
import type { Db } from '../platform/database.js';
import { Prisma } from '../generated/prisma/client.js';
import type { RegistryWhereInput } from '../generated/prisma/models.js';
import { sortSources, type PackRow, type VersionRow } from './catalog.model.js';
import type { RegistryRecord } from '../registries/registry.model.js';

/** A page of the merged listing: names in order, and for each its readable sources and their versions. */
export interface ListingPage {
  /** At most `limit` names (the caller asks one more than it shows, to know whether a next page exists). */
  names: string[];
  /** Sources of each name, highest priority first (as `sortSources`). */
  sources: Map<string, PackRow[]>;
  /** Every version (removed ones too) of each source, by pack id. */
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
 * would give it, whatever the filter.
 */
export function listingPageSql(packs: Prisma.Sql, pageWhere: Prisma.Sql, readable: Prisma.Sql, limit: number): Prisma.Sql {
  return Prisma.sql`
    WITH page AS (
      SELECT p.name FROM ${packs} p JOIN "Registry" r ON r.id = p."registryId"
      WHERE ${pageWhere} GROUP BY p.name ORDER BY p.name LIMIT ${limit}
    )
    SELECT page.name, (
      SELECT json_agg(json_build_array(to_jsonb(s), (
        SELECT coalesce(json_agg(json_build_array(v.id, v.version, v.digest, v.size, v.charts, v.manifests, v."cloudTypes",
                 v.deprecated, v."removedAt", v.message, v."publishedBy", v."createdAt", v."updatedAt", v.lifecycle)), '[]'::json)
        FROM "PackVersion" v WHERE v."packId" = s.id)))::text
      FROM "Pack" s JOIN "Registry" r ON r.id = s."registryId"
      WHERE s.name = page.name AND ${readable}
    ) AS sources
    FROM page ORDER BY page.name`;
}

/**
 * Runs `listingPageSql` and reads its rows back into pack and version rows. `readable` selects the
 * registries the statement's `readable` condition lets through (the caller's): every source the page
 * holds is in one of them, so they are read at the same time as the page rather than after it.
 */
export async function readListingPage(prisma: Db, statement: Prisma.Sql, readable: RegistryWhereInput): Promise<ListingPage> {
  const [rows, registryRows] = await Promise.all([
    prisma.$queryRaw<Array<{ name: string; sources: string }>>(statement),
    prisma.registry.findMany({ where: readable }),
  ]);
  const decoded = rows.map((row) => ({ name: row.name, sources: JSON.parse(row.sources ?? '[]') as Array<[PackJson, VersionTuple[]]> }));
  const registries = new Map<string, RegistryRecord>(registryRows.map((r) => [r.id, r as RegistryRecord]));

  const sources = new Map<string, PackRow[]>();
  const versions = new Map<string, VersionRow[]>();
  for (const row of decoded) {
    const packs: PackRow[] = [];
    for (const [json, tuples] of row.sources) {
      const registry = registries.get(json.registryId);
      // Deleted between the two statements: the source is gone, like its registry.
      if (!registry) continue;
      packs.push({ ...json, createdAt: utc(json.createdAt), updatedAt: utc(json.updatedAt), registry });
      versions.set(
        json.id,
        tuples.map((t) => ({
          id: t[0],
          packId: json.id,
          registryId: json.registryId,
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
        })),
      );
    }
    sources.set(row.name, sortSources(packs));
  }
  return { names: decoded.map((r) => r.name), sources, versions };
}
