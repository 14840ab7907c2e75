/**
 * The catalog listing's read path: one page of the merged pack list with every readable source of
 * each name, their registries and each source's versions, in ONE statement whatever the page size
 * and whatever is cached.
 *
 * The statement (`listingPageSql`) returns the page's names, its sources (Pack rows as JSON text)
 * each with its `versionsRevision`, their registries, and version rows only for the sources whose
 * (id, revision) is not among the `known` pairs the caller sends: the ones the in-process read
 * model (catalog.version-rows.ts) holds for the packs this same page listed last time. PostgreSQL
 * triggers move a pack's revision with every write to its versions (any path, any replica, raw
 * SQL), and the revision is compared in the same snapshot as the rows are read, so rows the read
 * model holds are used only while they are exactly the database's, whatever NOTIFY does; a write to
 * one pack costs the next page that pack's rows, not the page's ~1,000.
 *
 * Why it matters: building JSON for ~1,000 version rows was ~5 ms of PostgreSQL time and decoding
 * them most of the rest of an uncached page; a catalog write drops every cached page
 * (catalog.page-cache.ts). The pack and registry rows are read back through catalog.listing-rows.ts,
 * which hands out the same objects while their text is the same, so the resolvers' per-row memo
 * (a version's PackVersion object) survives too.
 *
 * Why not Prisma's queries: the profile of the listing under load was dominated by Prisma's row
 * decoding and the garbage it leaves (`@prisma/client` runtime 17%, its WASM 6.5%, GC 32% of the
 * samples); one JSON text parsed by V8 costs a fraction of that, and the registries read through
 * Prisma cost a further ~1.3 ms a page. The rows come out exactly as `packRowsByNames` and
 * `versionRowsByPackIds` give them (same columns, same types), so every field resolver works on
 * either; version rows are frozen (shared by every request).
 */
import type { Db } from '../platform/database.js';
import { Prisma } from '../generated/prisma/client.js';
import { sortSources, type PackRow, type VersionRow } from './catalog.model.js';
import type { RegistryRecord } from '../registries/registry.model.js';
import type { VersionRowCache } from './catalog.version-rows.js';
import type { ListingRowCache } from './catalog.listing-rows.js';

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

/** Version rows the caller holds: pack ids and their revisions, in the same order (two arrays: PostgreSQL's `unnest`). */
export interface KnownVersions {
  ids: string[];
  revisions: bigint[];
}

export const NO_KNOWN_VERSIONS: KnownVersions = { ids: [], revisions: [] };

/**
 * `packs` is the pack rows to list from (`"Pack"`, or a search's matches), `pageWhere` selects the
 * page's packs among them (alias `p`, registry `r`), `readable` the caller's readable
 * registries (alias `r`): every readable source of a listed name comes along, as `packRowsByNames`
 * would give it, whatever the filter. One JSON document: `[names, sources, registries]`, each
 * source `[name, id, registry id, row text, revision, versions]` (`versions` null when `known`
 * holds its id at its revision), each registry `[id, row text]`; rows as text, which the read model
 * compares with what made its objects (catalog.listing-rows.ts); revisions as text (bigint).
 */
export function listingPageSql(packs: Prisma.Sql, pageWhere: Prisma.Sql, readable: Prisma.Sql, limit: number, known: KnownVersions = NO_KNOWN_VERSIONS): Prisma.Sql {
  return Prisma.sql`
    WITH page AS (
      SELECT p.name FROM ${packs} p JOIN "Registry" r ON r.id = p."registryId"
      WHERE ${pageWhere} GROUP BY p.name ORDER BY p.name LIMIT ${limit}
    ), known AS (
      SELECT * FROM unnest(${known.ids}::uuid[], ${known.revisions.map(String)}::bigint[]) AS k(id, revision)
    ), sources AS (
      SELECT s.name, s.id, s."registryId", (to_jsonb(s) - 'versionsRevision')::text AS row, s."versionsRevision" AS revision
      FROM page JOIN "Pack" s ON s.name = page.name JOIN "Registry" r ON r.id = s."registryId"
      WHERE ${readable}
    )
    SELECT json_build_array(
      (SELECT coalesce(json_agg(page.name ORDER BY page.name), '[]'::json) FROM page),
      (SELECT coalesce(json_agg(json_build_array(s.name, s.id, s."registryId", s.row, s.revision::text,
        CASE WHEN EXISTS (SELECT 1 FROM known k WHERE k.id = s.id AND k.revision = s.revision) THEN NULL ELSE (
          SELECT coalesce(json_agg(json_build_array(v.id, v.version, v.digest, v.size, v.charts, v.manifests, v."cloudTypes",
                   v.deprecated, v."removedAt", v.message, v."publishedBy", v."createdAt", v."updatedAt", v.lifecycle)), '[]'::json)
          FROM "PackVersion" v WHERE v."packId" = s.id) END)), '[]'::json) FROM sources s),
      (SELECT coalesce(json_agg(json_build_array(g.id, to_jsonb(g)::text)), '[]'::json) FROM "Registry" g WHERE g.id IN (SELECT "registryId" FROM sources))
    )::text AS page`;
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

/** Registry columns that Prisma reads as DateTime (JSON renders them as text). */
const REGISTRY_DATES = ['createdAt', 'updatedAt', 'lastRunAt', 'lastSuccessAt', 'nextSyncAt', 'leaseExpiresAt'] as const;

/** A registry's `to_jsonb` text as Prisma reads the row: dates as Date, `credentials` (bytea, JSON `\\x<hex>`) as bytes. */
function registryRecord(text: string): RegistryRecord {
  const json = JSON.parse(text) as Record<string, unknown>;
  for (const key of REGISTRY_DATES) if (key in json) json[key] = utcOrNull(json[key] as string | null);
  const credentials = json.credentials as string | null;
  json.credentials = credentials === null ? null : new Uint8Array(Buffer.from(credentials.slice(2), 'hex'));
  return json as unknown as RegistryRecord;
}

function packRow(text: string, registry: RegistryRecord): PackRow {
  const json = JSON.parse(text) as PackJson;
  return { ...json, createdAt: utc(json.createdAt), updatedAt: utc(json.updatedAt), registry };
}

type SourceTuple = [name: string, id: string, registryId: string, row: string, revision: string, versions: VersionTuple[] | null];

/** What the listing reads through: the version rows' read model, the row objects' one, and the packs each page listed last. */
export interface ListingReadModel {
  versionRows: VersionRowCache;
  rows: ListingRowCache;
}

/**
 * The `known` pairs for a page whose last answer listed `packIds`: those the read model holds, with
 * their rows taken now (an entry evicted before the answer comes back is still at hand).
 */
export function knownVersions(versionRows: VersionRowCache, packIds: readonly string[]): { known: KnownVersions; rows: Map<string, readonly VersionRow[]> } {
  const known: KnownVersions = { ids: [], revisions: [] };
  const rows = new Map<string, readonly VersionRow[]>();
  for (const id of packIds) {
    const held = versionRows.held(id);
    if (!held) continue;
    known.ids.push(id);
    known.revisions.push(held.revision);
    rows.set(id, held.rows);
  }
  return { known, rows };
}

/**
 * Runs a `listingPageSql` statement made with `known` (whose rows are `knownRows`) and reads it
 * back: registries and packs through `model.rows` (the same objects as before where the texts are
 * the same), versions from `knownRows` where the statement sent none, else decoded and held in
 * `model.versionRows` at the revision read with them.
 */
export async function readListingPage(prisma: Db, model: ListingReadModel, statement: Prisma.Sql, knownRows: Map<string, readonly VersionRow[]>): Promise<ListingPage> {
  const [result] = await prisma.$queryRaw<Array<{ page: string }>>(statement);
  const [names, sourceTuples, registryTuples] = JSON.parse(result!.page) as [string[], SourceTuple[], Array<[id: string, row: string]>];
  const registries = new Map<string, RegistryRecord>(registryTuples.map(([id, text]) => [id, model.rows.registry(id, text, registryRecord)]));

  const listed = new Map<string, PackRow[]>(names.map((name) => [name, []]));
  const versions = new Map<string, VersionRow[]>();
  for (const [name, id, registryId, text, revisionText, tuples] of sourceTuples) {
    // Read in the same statement (one snapshot) as its source: never missing.
    const registry = registries.get(registryId)!;
    listed.get(name)!.push(model.rows.pack(id, text, revisionText, registry, (t) => packRow(t, registry)));
    const revision = BigInt(revisionText);
    // Frozen arrays, typed as the loaders take them: nothing writes to them (a write would throw).
    const rows = tuples === null ? model.versionRows.keep(id, revision, knownRows.get(id)!) : model.versionRows.set(id, revision, tuples.map((t) => versionRow(t, id, registryId)));
    versions.set(id, rows as VersionRow[]);
  }
  const sources = new Map<string, PackRow[]>();
  for (const [name, packs] of listed) sources.set(name, sortSources(packs));
  return { names, sources, versions };
}
