/**
 * Reads of the catalog's tables (Pack, PackVersion, PackTag): the only SQL that reads them, besides
 * the writes in pack.store.ts. Other features read through `CatalogReader`; the catalog's own
 * services and loaders use the whole store. Reads that answer for a caller take its principal and
 * leave out rows of registries it may not read, in the same statement.
 */
import type { Db } from '../platform/database.js';
import { Prisma } from '../generated/prisma/client.js';
import type { Layer } from '../generated/prisma/enums.js';
import type { PackWhereInput } from '../generated/prisma/models.js';
import { readableRegistryWhere, registryReadScope, type Principal } from '../auth/principal.js';
import { VERSION_ROW_SELECT, type PackRow, type TrustedVersionRow, type VersionRow } from './catalog.model.js';
import { versionVerifiedSql } from './referrer.store.js';
import { registryEnforceSql } from '../registries/trust-policy.store.js';
import type { VersionDetails } from './pack.store.columns.js';
import { knownRows, listingPageSql, readListingPage, type KnownRows, type ListingPage } from './pack.store.listing.js';
import { VersionRowCache } from './catalog.version-rows.js';
import { ListingRowCache } from './catalog.listing-rows.js';
import { readScopeKey } from './catalog.page-cache.js';

/** Filters of the merged pack listing (validated by the query service before they get here). */
export interface PackListFilter {
  layer?: Layer[] | null;
  addonType?: string | null;
  cloudType?: string | null;
  registry?: string[] | null;
  search?: string | null;
  includeDeprecated?: boolean | null;
  /** Packs with (true) or without (false) a live version that has a verified signature. */
  verified?: boolean | null;
}

/** A version as the OCI API serves it: enough to build its manifest. */
export interface VersionBlobRow {
  version: string;
  digest: string;
  size: bigint;
  removedAt: Date | null;
}

/** A version that carries Helm charts, as the Helm repository lists them. */
export interface ChartVersionRow {
  digest: string;
  charts: string[];
  createdAt: Date;
}

/** The catalog as other features (OCI, Helm, registries) read it: rows, never tables. */
export interface CatalogReader {
  /** Packs with a live version in registries the caller may read: pack and registry names. */
  repositoryPacks(actor: Principal): Promise<Array<{ name: string; registryName: string }>>;
  /** The pack `name` of registry `registryName`, when the caller may read it and it has a version (removed ones count). */
  findReadablePack(actor: Principal, registryName: string, name: string): Promise<{ id: string; name: string } | null>;
  /** Every version of a pack (removed ones too), with its tarball's digest and size. */
  versionBlobs(packId: string): Promise<VersionBlobRow[]>;
  /** The version names of a pack's live versions. */
  liveVersionNames(packId: string): Promise<string[]>;
  /** Live add-on versions of a registry that name charts, oldest first. */
  liveChartVersions(registryId: string): Promise<ChartVersionRow[]>;
  /** Per registry id: its packs with a live version that the caller may read. */
  livePackCounts(actor: Principal, registryIds: readonly string[]): Promise<Map<string, number>>;
  /** Per registry id: its live versions that the caller may read. */
  liveVersionCounts(actor: Principal, registryIds: readonly string[]): Promise<Map<string, number>>;
}

/**
 * `canReadRegistry` as SQL on the joined registry `r`: the listing filters in the same statement,
 * with no extra query and no per-row check.
 */
export function readableRegistrySql(actor: Principal): Prisma.Sql {
  const scope = registryReadScope(actor);
  if (scope.all) return Prisma.sql`TRUE`;
  if (scope.named.length === 0) return Prisma.sql`r.visibility = 'PUBLIC'::"RegistryVisibility"`;
  return Prisma.sql`(r.visibility = 'PUBLIC'::"RegistryVisibility" OR r.name IN (${Prisma.join([...scope.named])}))`;
}

/** A trigram index finds nothing shorter than a trigram: shorter searches filter the walk in name order. */
const TRIGRAM_MIN_LENGTH = 3;

function searchPattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The pack rows a listing starts from (aliased `p` by the caller). A search of a trigram or more
 * starts from the rows its trigram indexes find (Pack_name_trgm_idx, Pack_displayName_trgm_idx),
 * so its cost follows the matches, not the catalog; left to itself, the planner walked the name
 * index in order and filtered every row (LIMIT makes that look cheap; 'pack-079' read 9,951 of
 * 10,000). `OFFSET 0` keeps the subquery whole so the planner cannot fold it back into that walk;
 * its name order lets the page stop checking for live versions once it has its names (2,000
 * matches of 'pack-00' cost 2,000 version probes before, 101 now).
 */
export function packsFrom(filter: PackListFilter): Prisma.Sql {
  if (!filter.search || filter.search.length < TRIGRAM_MIN_LENGTH) return Prisma.sql`"Pack"`;
  const pattern = searchPattern(filter.search);
  return Prisma.sql`(SELECT * FROM "Pack" WHERE name ILIKE ${pattern} OR "displayName" ILIKE ${pattern} ORDER BY name OFFSET 0)`;
}

/** What `addonType` compares (case-insensitive): the add-on type facet groups by it too. */
export const ADDON_TYPE_KEY = Prisma.sql`lower(p."addonType")`;

/** Pack `p` runs on cloud `cloudType` (an SQL value): it names it, or `all`, or none. */
export function cloudTypeMatchSql(cloudType: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(${cloudType} = ANY(p."cloudTypes") OR 'all' = ANY(p."cloudTypes") OR cardinality(p."cloudTypes") = 0)`;
}

/**
 * The listing filter as conditions on pack `p` and registry `r`: one per facet dimension (null when
 * the filter leaves it open) and the rest. The listing joins them all; the facet counts
 * (pack-facets.store.ts) leave out one dimension at a time, so both read the same rules.
 */
export interface FilterConditions {
  layer: Prisma.Sql | null;
  registry: Prisma.Sql | null;
  cloudType: Prisma.Sql | null;
  addonType: Prisma.Sql | null;
  rest: Prisma.Sql[];
}

export function filterConditions(filter: PackListFilter): FilterConditions {
  const rest: Prisma.Sql[] = [Prisma.sql`EXISTS (SELECT 1 FROM "PackVersion" v WHERE v."packId" = p.id AND v."removedAt" IS NULL)`];
  if (filter.search && filter.search.length < TRIGRAM_MIN_LENGTH) {
    const pattern = searchPattern(filter.search);
    rest.push(Prisma.sql`(p.name ILIKE ${pattern} OR p."displayName" ILIKE ${pattern})`);
  }
  if (!filter.includeDeprecated) rest.push(Prisma.sql`NOT p.deprecated`);
  if (filter.verified === true || filter.verified === false) {
    // referrer.store.ts keeps verifiedKey current (push, sync, policy change) and signals a catalog change when it moves.
    const signed = Prisma.sql`EXISTS (SELECT 1 FROM "PackVersion" v WHERE v."packId" = p.id AND v."removedAt" IS NULL AND ${versionVerifiedSql(Prisma.sql`p.name`)})`;
    rest.push(filter.verified ? signed : Prisma.sql`NOT ${signed}`);
  }
  return {
    // Compare as the enum, not as text: a cast column can't use the (layer, name) index.
    layer: filter.layer?.length ? Prisma.sql`p.layer IN (${Prisma.join(filter.layer.map((l) => Prisma.sql`${l}::"Layer"`))})` : null,
    registry: filter.registry?.length ? Prisma.sql`r.name IN (${Prisma.join(filter.registry)})` : null,
    // A pack for `all` clouds (or naming none) runs on every cloud.
    cloudType: filter.cloudType ? cloudTypeMatchSql(Prisma.sql`${filter.cloudType}`) : null,
    addonType: filter.addonType ? Prisma.sql`${ADDON_TYPE_KEY} = lower(${filter.addonType})` : null,
    rest,
  };
}

function filterSql(filter: PackListFilter): Prisma.Sql {
  const c = filterConditions(filter);
  const dimensions = [c.layer, c.addonType, c.cloudType, c.registry].filter((x): x is Prisma.Sql => x !== null);
  return Prisma.join([...c.rest, ...dimensions], ' AND ');
}

/** The listing page's statement (pack.store.listing.ts), also what the catalog bench EXPLAINs. */
export function listingStatement(actor: Principal, filter: PackListFilter, afterName: string | null, limit: number, known?: KnownRows): Prisma.Sql {
  const readable = readableRegistrySql(actor);
  const where = Prisma.sql`${readable} AND ${filterSql(filter)}`;
  const pageWhere = afterName === null ? where : Prisma.sql`${where} AND p.name > ${afterName}`;
  return listingPageSql(packsFrom(filter), pageWhere, readable, limit, known);
}

export class PackStoreReads implements CatalogReader {
  /**
   * The listing's version rows by (pack id, versionsRevision), kept across catalog writes: the page
   * reads the revision from the database, so an entry never serves rows older than it (pack.store.listing.ts).
   */
  readonly versionRows = new VersionRowCache();
  /** The listing's pack and registry rows by the row version (`xmin`) they were read at (catalog.listing-rows.ts). */
  readonly listingRows = new ListingRowCache();

  constructor(protected readonly prisma: Db) {}

  /** ADMIN reads everything: no relation filter at all rather than an empty one Prisma still joins. */
  private readablePacks(actor: Principal, where: PackWhereInput): PackWhereInput {
    return registryReadScope(actor).all ? where : { ...where, registry: readableRegistryWhere(actor) };
  }

  /** Pack names of the merged listing after `afterName`, in order, at most `limit`: one statement. */
  async packNamesPage(actor: Principal, filter: PackListFilter, afterName: string | null, limit: number): Promise<string[]> {
    const where = Prisma.sql`${readableRegistrySql(actor)} AND ${filterSql(filter)}`;
    const pageWhere = afterName === null ? where : Prisma.sql`${where} AND p.name > ${afterName}`;
    const rows = await this.prisma.$queryRaw<Array<{ name: string }>>`
      SELECT p.name FROM ${packsFrom(filter)} p JOIN "Registry" r ON r.id = p."registryId"
      WHERE ${pageWhere} GROUP BY p.name ORDER BY p.name LIMIT ${limit}`;
    return rows.map((r) => r.name);
  }

  /**
   * The page `packNamesPage` would answer, with each name's readable sources and their versions
   * (what `packRowsByNames` and `versionRowsByPackIds` would give): one statement whatever the page
   * size, which sends pack rows and version rows only for the sources the read model does not hold
   * as they are now (pack.store.listing.ts).
   */
  async listingPage(actor: Principal, filter: PackListFilter, afterName: string | null, limit: number): Promise<ListingPage> {
    // Any key will do for correctness (the statement checks every known revision); the same page's gets the most hits.
    const key = JSON.stringify([readScopeKey(actor), filter, afterName, limit]);
    const model = { versionRows: this.versionRows, rows: this.listingRows };
    const held = knownRows(model, this.listingRows.pageMembers(key));
    return readListingPage(this.prisma, model, listingStatement(actor, filter, afterName, limit, held.known), held, key);
  }

  /** How many pack names the merged listing has: one statement. */
  async countPackNames(actor: Principal, filter: PackListFilter): Promise<number> {
    const where = Prisma.sql`${readableRegistrySql(actor)} AND ${filterSql(filter)}`;
    const rows = await this.prisma.$queryRaw<Array<{ count: bigint }>>`
      SELECT count(DISTINCT p.name) AS count FROM ${packsFrom(filter)} p JOIN "Registry" r ON r.id = p."registryId" WHERE ${where}`;
    return Number(rows[0]?.count ?? 0);
  }

  async packRowsByNames(actor: Principal, names: readonly string[]): Promise<PackRow[]> {
    return (await this.prisma.pack.findMany({
      where: this.readablePacks(actor, { name: { in: [...names] } }),
      include: { registry: true },
    })) as PackRow[];
  }

  /** Every pack name the caller may read, once each (for "did you mean" on an unknown name): one statement. */
  async packNames(actor: Principal): Promise<string[]> {
    const rows = await this.prisma.pack.findMany({ where: this.readablePacks(actor, {}), select: { name: true }, distinct: ['name'] });
    return rows.map((r) => r.name);
  }

  async packRowsByIds(actor: Principal, ids: readonly string[]): Promise<PackRow[]> {
    return (await this.prisma.pack.findMany({ where: this.readablePacks(actor, { id: { in: [...ids] } }), include: { registry: true } })) as PackRow[];
  }

  async versionRowsByPackIds(packIds: readonly string[]): Promise<VersionRow[]> {
    return (await this.prisma.packVersion.findMany({ where: { packId: { in: [...packIds] } }, select: VERSION_ROW_SELECT })) as VersionRow[];
  }

  /**
   * `versionRowsByPackIds` with each version's signature state (profile validation's UNSIGNED_PACK),
   * in the same one statement: the verified check is the listing filter's, the enforce its registry's policy's.
   */
  async trustedVersionRowsByPackIds(packIds: readonly string[]): Promise<TrustedVersionRow[]> {
    if (packIds.length === 0) return [];
    const rows = await this.prisma.$queryRaw<Array<VersionRow & { verified: boolean; enforce: TrustedVersionRow['trust']['enforce'] }>>`
      SELECT v.id, v."packId", v."registryId", v.version, v.digest, v.size, v.charts, v.manifests, v."cloudTypes", v.deprecated,
             v."removedAt", v.message, v."publishedBy", v."createdAt", v."updatedAt", v.lifecycle,
             ${versionVerifiedSql(Prisma.sql`p.name`)} AS verified, ${registryEnforceSql(Prisma.sql`v."registryId"`)} AS enforce
      FROM "PackVersion" v JOIN "Pack" p ON p.id = v."packId"
      WHERE v."packId" = ANY(${[...packIds]}::uuid[])`;
    return rows.map(({ verified, enforce, ...row }) => ({ ...row, trust: { verified, enforce } }));
  }

  async versionRowById(id: string): Promise<VersionRow | null> {
    return (await this.prisma.packVersion.findUnique({ where: { id }, select: VERSION_ROW_SELECT })) as VersionRow | null;
  }

  async tagsByPackIds(packIds: readonly string[]): Promise<Array<{ tag: string; versionId: string; packId: string }>> {
    return this.prisma.packTag.findMany({ where: { packId: { in: [...packIds] } }, select: { tag: true, versionId: true, packId: true } });
  }

  async versionDetailsByIds(ids: readonly string[]): Promise<Array<VersionDetails & { id: string }>> {
    return this.prisma.packVersion.findMany({
      where: { id: { in: [...ids] } },
      select: { id: true, values: true, presets: true, schema: true, readme: true, packJson: true, constraints: true, annotations: true },
    });
  }

  async repositoryPacks(actor: Principal): Promise<Array<{ name: string; registryName: string }>> {
    const rows = await this.prisma.pack.findMany({
      where: { versions: { some: { removedAt: null } }, registry: readableRegistryWhere(actor) },
      select: { name: true, registry: { select: { name: true } } },
    });
    return rows.map((r) => ({ name: r.name, registryName: r.registry.name }));
  }

  async findReadablePack(actor: Principal, registryName: string, name: string): Promise<{ id: string; name: string } | null> {
    return this.prisma.pack.findFirst({
      where: { name, registry: { AND: [{ name: registryName }, readableRegistryWhere(actor)] }, versions: { some: {} } },
      select: { id: true, name: true },
    });
  }

  async versionBlobs(packId: string): Promise<VersionBlobRow[]> {
    return this.prisma.packVersion.findMany({ where: { packId }, select: { version: true, digest: true, size: true, removedAt: true } });
  }

  async liveVersionNames(packId: string): Promise<string[]> {
    const rows = await this.prisma.packVersion.findMany({ where: { packId, removedAt: null }, select: { version: true } });
    return rows.map((r) => r.version);
  }

  async liveChartVersions(registryId: string): Promise<ChartVersionRow[]> {
    return this.prisma.packVersion.findMany({
      where: { registryId, removedAt: null, pack: { layer: 'ADDON' }, NOT: { charts: { isEmpty: true } } },
      select: { digest: true, charts: true, createdAt: true },
      orderBy: { createdAt: 'asc' },
    });
  }

  async livePackCounts(actor: Principal, registryIds: readonly string[]): Promise<Map<string, number>> {
    // ADMIN reads everything: no relation filter rather than an empty one Prisma still joins.
    const readable = registryReadScope(actor).all ? {} : { registry: readableRegistryWhere(actor) };
    const rows = await this.prisma.pack.groupBy({
      by: ['registryId'],
      where: { registryId: { in: [...registryIds] }, ...readable, versions: { some: { removedAt: null } } },
      _count: { _all: true },
    });
    return new Map(rows.map((r) => [r.registryId, r._count._all]));
  }

  async liveVersionCounts(actor: Principal, registryIds: readonly string[]): Promise<Map<string, number>> {
    const readable = registryReadScope(actor).all ? {} : { registry: readableRegistryWhere(actor) };
    const rows = await this.prisma.packVersion.groupBy({
      by: ['registryId'],
      where: { registryId: { in: [...registryIds] }, removedAt: null, ...readable },
      _count: { _all: true },
    });
    return new Map(rows.map((r) => [r.registryId, r._count._all]));
  }
}
