/**
 * Facet values with counts, for the four dimensions of the catalog filter. Until the API answers
 * them itself (`packFacets`), they are counted here from a sample of matching packs: each
 * dimension counts the packs that match every *other* selected facet, the usual faceted-search
 * rule, so choosing a layer does not make the other layers vanish.
 */
import type { CatalogState, LayerName } from './catalog-state.js';

export interface FacetPack {
  layer: string;
  addonType: string | null;
  cloudTypes: string[];
  sources: string[];
}

export interface FacetValue {
  value: string;
  count: number;
}

export interface Facets {
  layer: FacetValue[];
  registry: FacetValue[];
  cloudType: FacetValue[];
  addonType: FacetValue[];
}

type Dimension = keyof Facets;

function matches(pack: FacetPack, state: CatalogState, except: Dimension): boolean {
  if (except !== 'layer' && state.layers.length && !state.layers.includes(pack.layer as LayerName)) return false;
  if (except !== 'registry' && state.registries.length && !pack.sources.some((s) => state.registries.includes(s))) return false;
  if (except !== 'cloudType' && state.cloudType && !pack.cloudTypes.includes(state.cloudType)) return false;
  if (except !== 'addonType' && state.addonType && pack.addonType !== state.addonType) return false;
  return true;
}

function count(values: string[][]): FacetValue[] {
  const counts = new Map<string, number>();
  for (const list of values) for (const value of new Set(list)) counts.set(value, (counts.get(value) ?? 0) + 1);
  // Most common first; ties by name, so the order does not jump between renders.
  return [...counts].map(([value, n]) => ({ value, count: n })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

export function countFacets(packs: FacetPack[], state: CatalogState): Facets {
  const within = (dimension: Dimension) => packs.filter((p) => matches(p, state, dimension));
  return {
    layer: count(within('layer').map((p) => [p.layer])),
    registry: count(within('registry').map((p) => p.sources)),
    cloudType: count(within('cloudType').map((p) => p.cloudTypes)),
    addonType: count(within('addonType').map((p) => (p.addonType ? [p.addonType] : []))),
  };
}

/** A selected value stays listed (with 0) so it can be unselected even when nothing matches it. */
export function withSelected(values: FacetValue[], selected: string[]): FacetValue[] {
  const missing = selected.filter((s) => !values.some((v) => v.value === s)).map((value) => ({ value, count: 0 }));
  return [...values, ...missing];
}
