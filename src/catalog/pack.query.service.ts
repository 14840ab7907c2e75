/** Catalog reads: the merged pack list with filters and cursors, and version resolution. */
import { InvalidInputError } from '../errors.js';
import { checkPageSize, decodeCursor, encodeCursor } from '../graphql/pagination.js';
import { assertCanRead, type AccessPolicy, type Principal } from '../auth/principal.js';
import { suggestNames } from '../packs/name-suggestions.js';
import { sortVersionsDescending } from '../packs/version.js';
import type { CatalogLoaders } from './catalog.loaders.js';
import type { PackRow, VersionRow } from './catalog.model.js';
import { needsTags, resolveAmongVersions } from './version-resolution.js';
import type { PackStore } from './pack.store.js';
import type { PackListFilter } from './pack.store.reads.js';
import type { ListingPage } from './pack.store.listing.js';
import { CatalogChanges } from './catalog.changes.js';
import { CatalogPageCache, readScopeKey } from './catalog.page-cache.js';

export type PackFilterInput = PackListFilter;

export interface PackPage {
  names: string[];
  /** Counted only when asked for: the count costs as much as the page itself. */
  totalCount: () => Promise<number>;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  /** Registries the caller restricted the listing to (sources shown are limited to them). */
  registries: string[] | null;
}

export interface ResolvedVersion {
  row: VersionRow;
  pack: PackRow;
}

const MAX_SEARCH_LENGTH = 200;
const CURSOR_PREFIX = 'pack:';

/** The cursor of a pack in the merged listing (paged by name). */
export function packCursor(name: string): string {
  return encodeCursor(`${CURSOR_PREFIX}${name}`);
}

function packNameOfCursor(cursor: string): string {
  return decodeCursor(cursor, (text) => (text.startsWith(CURSOR_PREFIX) ? text.slice(CURSOR_PREFIX.length) : null));
}

/** The listing filter's limits, for every query that takes a PackFilter (packs, packFacets). */
export function checkPackFilter(filter: PackFilterInput): void {
  if (filter.search && filter.search.length > MAX_SEARCH_LENGTH) {
    throw new InvalidInputError(`search is limited to ${MAX_SEARCH_LENGTH} characters.`, { field: 'filter.search' });
  }
}

/** A PackFilter as part of a page-cache key: every field that changes the answer, in a fixed order. */
export function packFilterKey(filter: PackFilterInput): unknown[] {
  return [filter.layer ?? null, filter.addonType ?? null, filter.cloudType ?? null, filter.registry ?? null, filter.search ?? null, !!filter.includeDeprecated, filter.verified ?? null];
}

export class PackQueryService {
  constructor(
    private readonly store: PackStore,
    private readonly policy: AccessPolicy,
    /** Hot pages and counts; without wiring (no CatalogChanges that hears every write) it never serves. */
    private readonly pages: CatalogPageCache = new CatalogPageCache(new CatalogChanges()),
  ) {}

  /**
   * One page of pack names, with their sources and versions primed into the caller's `loaders` (so
   * resolving them costs no further statement): one statement whatever the page size (pack.store.listing.ts), none when
   * the page is cached; the count, when asked for, one more (cached too).
   */
  async listPacks(
    actor: Principal,
    filter: PackFilterInput = {},
    first?: number | null,
    after?: string | null,
    loaders?: CatalogLoaders,
  ): Promise<PackPage> {
    assertCanRead(actor, this.policy);
    const size = checkPageSize(first);
    const afterName = after ? packNameOfCursor(after) : null;
    checkPackFilter(filter);
    const scope = readScopeKey(actor);
    const filterKey = packFilterKey(filter);
    const listing: ListingPage =
      size === 0
        ? { names: [], sources: new Map(), versions: new Map() }
        : await this.pages.get(JSON.stringify(['page', scope, filterKey, afterName, size]), () => this.store.listingPage(actor, filter, afterName, size + 1));
    if (loaders) {
      for (const [name, rows] of listing.sources) loaders.packRowsByName.prime(name, rows);
      for (const [packId, rows] of listing.versions) loaders.versionsByPackId.prime(packId, rows);
    }
    const rows = listing.names;
    let counted: Promise<number> | undefined;
    const totalCount = () =>
      (counted ??= this.pages.get(JSON.stringify(['count', scope, filterKey]), () => this.store.countPackNames(actor, filter)));
    return {
      names: rows.slice(0, size),
      totalCount,
      hasNextPage: rows.length > size,
      hasPreviousPage: afterName !== null,
      registries: filter.registry?.length ? filter.registry : null,
    };
  }

  async versionRowById(id: string): Promise<VersionRow | null> {
    return this.store.versionRowById(id);
  }

  /** One version by id (for `node(id:)`): null when it is gone or its registry is one the caller may not read. */
  async findVersionById(actor: Principal, loaders: CatalogLoaders, id: string): Promise<ResolvedVersion | null> {
    assertCanRead(actor, this.policy);
    const row = await this.store.versionRowById(id);
    const pack = row ? await loaders.packRowById.load(row.packId) : null;
    return row && pack ? { row, pack } : null;
  }

  /**
   * The sources of a pack name (restricted to one registry when given), highest priority first; the
   * loaders answer for their caller, so sources in registries it may not read are absent.
   */
  async findPackRows(actor: Principal, loaders: CatalogLoaders, name: string, registry?: string | null): Promise<PackRow[]> {
    assertCanRead(actor, this.policy);
    const rows = await loaders.packRowsByName.load(name);
    return registry ? rows.filter((r) => r.registry.name === registry) : rows;
  }

  /** Names the caller may read that are close to `name` (a typo, a part of it): nearest first, at most three. */
  async suggestPackNames(actor: Principal, name: string): Promise<string[]> {
    return suggestNames(name, await this.packNames(actor));
  }

  /** Every pack name the caller may read (the candidates of suggestPackNames). */
  async packNames(actor: Principal): Promise<string[]> {
    assertCanRead(actor, this.policy);
    return this.store.packNames(actor);
  }

  /** Live (not removed) versions of one pack row, newest first. */
  async liveVersions(loaders: CatalogLoaders, packId: string): Promise<VersionRow[]> {
    const rows = await loaders.versionsByPackId.load(packId);
    return sortVersionsDescending(
      rows.filter((r) => r.removedAt === null),
      (r) => r.version,
    );
  }

  /**
   * Resolve `reference` (exact version, tag, parent tag, `latest`, or `sha256:<hex>`) in the named
   * registry, or in each source by priority until one resolves.
   */
  async resolveVersion(
    actor: Principal,
    loaders: CatalogLoaders,
    name: string,
    reference: string,
    registry?: string | null,
  ): Promise<ResolvedVersion | null> {
    for (const pack of await this.findPackRows(actor, loaders, name, registry)) {
      const row = await this.resolveInPack(loaders, pack, reference);
      if (row) return { row, pack };
    }
    return null;
  }

  async resolveInPack(loaders: CatalogLoaders, pack: PackRow, reference: string): Promise<VersionRow | null> {
    const all = await loaders.versionsByPackId.load(pack.id);
    // The rule is version-resolution.ts's (PROFILE_INVALIDATED applies it too); tags load only when they can matter.
    const tags = needsTags(all, reference) ? await loaders.tagsByPackId.load(pack.id) : [];
    return resolveAmongVersions(all, reference, tags);
  }
}
