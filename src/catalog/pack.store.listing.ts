/**
 * The catalog listing's read path: one page of the merged pack list with every readable source of
 * each name, their registries and each source's versions, in ONE statement whatever the page size
 * and whatever is cached.
 *
 * The statement (`listingPageSql`) returns the page's names and its sources, each with its row
 * version (`xmin`) and `versionsRevision`, and their registries; but a source's Pack row only when
 * the caller does not hold it at that `xmin`, its version rows only when the caller does not hold
 * them at that revision, a registry's row likewise. What the caller holds is the in-process read
 * model: version rows by (pack id, revision) in catalog.version-rows.ts, pack and registry rows by
 * (id, xmin) in catalog.listing-rows.ts; it tells the statement about the packs this same page
 * listed last time (`KnownRows`). PostgreSQL triggers move a pack's revision with every write to
 * its versions, and any UPDATE gives a row a new `xmin`, whoever writes (any path, any replica, raw
 * SQL); both are compared in the same snapshot the rows are read in, so held rows are used only
 * while they are exactly the database's, whatever NOTIFY does. A write to one pack costs the next
 * page that pack's rows, not the page's ~1,000 version rows.
 *
 * Why it matters: building JSON for ~1,000 version rows was ~5 ms of PostgreSQL time and decoding
 * them most of the rest of a page read after a catalog write, which drops every cached page
 * (catalog.page-cache.ts). Held pack rows also keep their identity, so the resolvers' per-row memo
 * (a version's PackVersion object) survives too.
 *
 * Why not Prisma's queries: the profile of the listing under load was dominated by Prisma's row
 * decoding and the garbage it leaves (`@prisma/client` runtime 17%, its WASM 6.5%, GC 32% of the
 * samples); one JSON text parsed by V8 costs a fraction of that, and the registries read through
 * Prisma cost a further ~1.3 ms a page. The rows come out exactly as `packRowsByNames` and
 * `versionRowsByPackIds` give them (same columns, same types), so every field resolver works on
 * either; version rows are frozen (shared by every request).
 */
import { sqlReaderOf, type Db } from '../platform/database.js';
import { Prisma } from '../generated/prisma/client.js';
import { sortSources, type PackRow, type VersionRow } from './catalog.model.js';
import type { RegistryRecord } from '../registries/registry.model.js';
import type { VersionRowCache } from './catalog.version-rows.js';
import { compareVersions } from '../packs/version.js';
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

/**
 * Rows the caller holds, which the page statement leaves out while they are still the database's:
 * packs by id with the `xmin` of the row it holds ('' when none) and the `versionsRevision` of its
 * version rows (-1 when none), registries by id and `xmin`. Parallel arrays: PostgreSQL's `unnest`.
 */
export interface KnownRows {
  packIds: string[];
  packXmins: string[];
  revisions: bigint[];
  registryIds: string[];
  registryXmins: string[];
}

export const NO_KNOWN_ROWS: KnownRows = { packIds: [], packXmins: [], revisions: [], registryIds: [], registryXmins: [] };

/**
 * `packs` is the pack rows to list from (`"Pack"`, or a search's matches), `pageWhere` selects the
 * page's packs among them (alias `p`, registry `r`), `readable` the caller's readable
 * registries (alias `r`): every readable source of a listed name comes along, as `packRowsByNames`
 * would give it, whatever the filter. One JSON document: `[names, sources, registries]`, each
 * source `[name, id, registry id, xmin, revision, row, versions]` (`row` null when `known` holds
 * it at this `xmin`, `versions` null when it holds them at this revision), each registry
 * `[id, xmin, row]` (`row` null likewise); revisions as text (bigint).
 */
export function listingPageSql(packs: Prisma.Sql, pageWhere: Prisma.Sql, readable: Prisma.Sql, limit: number, known: KnownRows = NO_KNOWN_ROWS): Prisma.Sql {
  return Prisma.sql`
    WITH page AS (
      SELECT p.name FROM ${packs} p JOIN "Registry" r ON r.id = p."registryId"
      WHERE ${pageWhere} GROUP BY p.name ORDER BY p.name LIMIT ${limit}
    ), known AS (
      SELECT * FROM unnest(${known.packIds}::uuid[], ${known.packXmins}::text[], ${known.revisions.map(String)}::bigint[]) AS k(id, xmin, revision)
    ), known_registries AS (
      SELECT * FROM unnest(${known.registryIds}::uuid[], ${known.registryXmins}::text[]) AS k(id, xmin)
    ), sources AS (
      SELECT s.name, s.id, s."registryId", s.xmin::text AS xmin, s."versionsRevision" AS revision
      FROM page JOIN "Pack" s ON s.name = page.name JOIN "Registry" r ON r.id = s."registryId"
      WHERE ${readable}
    )
    SELECT json_build_array(
      (SELECT coalesce(json_agg(page.name ORDER BY page.name), '[]'::json) FROM page),
      (SELECT coalesce(json_agg(json_build_array(s.name, s.id, s."registryId", s.xmin, s.revision::text,
        CASE WHEN k.xmin = s.xmin THEN NULL ELSE (SELECT to_jsonb(x) - 'versionsRevision' FROM "Pack" x WHERE x.id = s.id) END,
        CASE WHEN k.revision = s.revision THEN NULL ELSE (
          SELECT coalesce(json_agg(json_build_array(v.id, v.version, v.digest, v.size, v.charts, v.manifests, v."cloudTypes",
                   v.deprecated, v."removedAt", v.message, v."publishedBy", v."createdAt", v."updatedAt", v.lifecycle)), '[]'::json)
          FROM "PackVersion" v WHERE v."packId" = s.id) END)), '[]'::json)
        FROM sources s LEFT JOIN known k ON k.id = s.id),
      (SELECT coalesce(json_agg(json_build_array(g.id, g.xmin::text, CASE WHEN kg.xmin = g.xmin::text THEN NULL ELSE to_jsonb(g) END)), '[]'::json)
        FROM "Registry" g LEFT JOIN known_registries kg ON kg.id = g.id WHERE g.id IN (SELECT "registryId" FROM sources))
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

/** A registry's `to_jsonb` as Prisma reads the row: dates as Date, `credentials` (bytea, JSON `\\x<hex>`) as bytes. */
function registryRecord(json: Record<string, unknown>): RegistryRecord {
  for (const key of REGISTRY_DATES) if (key in json) json[key] = utcOrNull(json[key] as string | null);
  const credentials = json.credentials as string | null;
  json.credentials = credentials === null ? null : new Uint8Array(Buffer.from(credentials.slice(2), 'hex'));
  return json as unknown as RegistryRecord;
}

function packRow(json: PackJson, registry: RegistryRecord): PackRow {
  return { ...json, createdAt: utc(json.createdAt), updatedAt: utc(json.updatedAt), registry };
}

type SourceTuple = [name: string, id: string, registryId: string, xmin: string, revision: string, row: PackJson | null, versions: VersionTuple[] | null];
type RegistryTuple = [id: string, xmin: string, row: Record<string, unknown> | null];

/** What the listing reads through: the version rows' read model and the pack and registry rows' one. */
export interface ListingReadModel {
  versionRows: VersionRowCache;
  rows: ListingRowCache;
}

/** `KnownRows` and the objects they stand for, taken together (an entry evicted before the answer comes back is still at hand). */
export interface KnownSnapshot {
  known: KnownRows;
  packs: Map<string, PackRow>;
  versions: Map<string, readonly VersionRow[]>;
  registries: Map<string, RegistryRecord>;
}

/** What the read model holds of `packIds` (the packs a page listed last time) and of every registry. */
export function knownRows(model: ListingReadModel, packIds: readonly string[]): KnownSnapshot {
  const known: KnownRows = { packIds: [], packXmins: [], revisions: [], registryIds: [], registryXmins: [] };
  const snapshot: KnownSnapshot = { known, packs: new Map(), versions: new Map(), registries: new Map() };
  for (const id of packIds) {
    const pack = model.rows.heldPack(id);
    const versions = model.versionRows.held(id);
    if (!pack && !versions) continue;
    known.packIds.push(id);
    known.packXmins.push(pack?.xmin ?? '');
    known.revisions.push(versions?.revision ?? -1n);
    if (pack) snapshot.packs.set(id, pack.row);
    if (versions) snapshot.versions.set(id, versions.rows);
  }
  for (const [id, held] of model.rows.heldRegistries()) {
    known.registryIds.push(id);
    known.registryXmins.push(held.xmin);
    snapshot.registries.set(id, held.row);
  }
  return snapshot;
}

/**
 * Runs a `listingPageSql` statement made with `held.known` and reads it back: rows the statement
 * left out from `held`, the others decoded; every row held in `model` at the `xmin` or revision it
 * was read with, and the page as page `pageKey`'s (its sources arrays the last read's when no row
 * changed). Version rows are sorted newest first (each source's list is then one run for the
 * resolvers' merge sort).
 */
export async function readListingPage(prisma: Db, model: ListingReadModel, statement: Prisma.Sql, held: KnownSnapshot, pageKey: string): Promise<ListingPage> {
  // Plain pg where the client has it: the answer is one JSON text that Prisma would only pass through.
  const reader = sqlReaderOf(prisma);
  const [result] = reader ? await reader<{ page: string }>(statement) : await prisma.$queryRaw<Array<{ page: string }>>(statement);
  const [names, sourceTuples, registryTuples] = JSON.parse(result!.page) as [string[], SourceTuple[], RegistryTuple[]];
  const registries = new Map<string, RegistryRecord>();
  for (const [id, xmin, json] of registryTuples) {
    registries.set(id, model.rows.keepRegistry(id, xmin, json === null ? held.registries.get(id)! : registryRecord(json)));
  }

  const listed = new Map<string, PackRow[]>(names.map((name) => [name, []]));
  const versions = new Map<string, VersionRow[]>();
  for (const [name, id, registryId, xmin, revisionText, json, tuples] of sourceTuples) {
    // Read in the same statement (one snapshot) as its source: never missing.
    const registry = registries.get(registryId)!;
    const heldRow = json === null ? held.packs.get(id)! : undefined;
    listed.get(name)!.push(model.rows.keepPack(id, xmin, registry, heldRow, () => (json === null ? { ...heldRow!, registry } : packRow(json, registry))));
    const revision = BigInt(revisionText);
    const rows =
      tuples === null
        ? model.versionRows.keep(id, revision, held.versions.get(id)!)
        : model.versionRows.set(id, revision, tuples.map((t) => versionRow(t, id, registryId)).sort((a, b) => compareVersions(b.version, a.version)));
    // Frozen arrays, typed as the loaders take them: nothing writes to them (a write would throw).
    versions.set(id, rows as VersionRow[]);
  }
  const sorted = new Map<string, PackRow[]>();
  for (const [name, packs] of listed) sorted.set(name, sortSources(packs));
  return { names, sources: model.rows.pageSources(pageKey, [...versions.keys()], sorted), versions };
}
