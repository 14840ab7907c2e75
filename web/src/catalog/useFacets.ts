/** Facet values and counts for the catalog's state, from the API's `packFacets`. */
import { useMemo, useRef } from 'react';
import { useQuery } from 'urql';
import { packFilterOf, type CatalogState } from './catalog-state';
import type { Facets } from './facets';
import { CatalogFacets } from './queries';

export interface FacetResult {
  facets: Facets | null;
  error: string | null;
}

export function useFacets(state: CatalogState): FacetResult {
  const [result] = useQuery({ query: CatalogFacets, variables: { filter: packFilterOf(state) } });
  // The previous counts stay while new ones load, so the panel does not collapse on each key.
  const last = useRef(result.data);
  if (result.data) last.current = result.data;
  const data = result.data ?? last.current;
  const facets = useMemo<Facets | null>(() => {
    if (!data) return null;
    const f = data.packFacets;
    return {
      layer: f.layer.map((l) => ({ value: l.layer, count: l.count })),
      registry: f.registry,
      cloudType: f.cloudType,
      addonType: f.addonType,
    };
  }, [data]);
  return { facets, error: result.error?.message ?? null };
}
