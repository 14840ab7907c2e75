/**
 * `packFacets`: counts per layer, registry, cloud type and add-on type for the packs a filter
 * matches (pack-facets.store.ts), with the caller's registry read scope applied exactly as `packs`
 * applies it, and cached like listing pages: per read scope and filter, at the catalog generation
 * (catalog.page-cache.ts), so any catalog write drops them.
 */
import { assertCanRead, type AccessPolicy, type Principal } from '../auth/principal.js';
import { CatalogPageCache, readScopeKey } from './catalog.page-cache.js';
import { CatalogChanges } from './catalog.changes.js';
import type { FacetCounts, PackFacetsStore } from './pack-facets.store.js';
import { checkPackFilter, packFilterKey, type PackFilterInput } from './pack.query.service.js';

export interface FacetValueCount {
  value: string;
  count: number;
}

export interface PackFacetCounts {
  layer: FacetValueCount[];
  registry: FacetValueCount[];
  cloudType: FacetValueCount[];
  addonType: FacetValueCount[];
  totalCount: number;
}

/** Palette's layer order, which the console lists them in. */
const LAYER_ORDER = ['KERNEL', 'OS', 'K8S', 'CNI', 'CSI', 'ADDON'];

/**
 * Values by count, most first, then by value; a chosen value the counts lack (nothing matches it
 * now) is kept with 0, so a client can still show it chosen and let the user clear it.
 */
function valuesOf(counts: Map<string, number>, chosen: readonly string[], order?: readonly string[]): FacetValueCount[] {
  const all = new Map(counts);
  for (const value of chosen) if (!all.has(value)) all.set(value, 0);
  const values = [...all].map(([value, count]) => ({ value, count }));
  return order
    ? values.sort((a, b) => order.indexOf(a.value) - order.indexOf(b.value))
    : values.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

export class PackFacetsService {
  constructor(
    private readonly store: PackFacetsStore,
    private readonly policy: AccessPolicy,
    /** Without wiring (a CatalogChanges that hears every write) it never serves. */
    private readonly cache: CatalogPageCache = new CatalogPageCache(new CatalogChanges()),
  ) {}

  async facets(actor: Principal, filter: PackFilterInput = {}): Promise<PackFacetCounts> {
    assertCanRead(actor, this.policy);
    checkPackFilter(filter);
    const counts = await this.cache.get<FacetCounts>(JSON.stringify(['facets', readScopeKey(actor), packFilterKey(filter)]), () =>
      this.store.facetCounts(actor, filter),
    );
    return {
      layer: valuesOf(counts.layer, filter.layer ?? [], LAYER_ORDER),
      registry: valuesOf(counts.registry, filter.registry ?? []),
      cloudType: valuesOf(counts.cloudType, filter.cloudType ? [filter.cloudType] : []),
      addonType: valuesOf(counts.addonType, filter.addonType ? [filter.addonType.toLowerCase()] : []),
      totalCount: counts.total,
    };
  }
}
