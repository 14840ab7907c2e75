/**
 * Facet values and counts for the catalog. Counted in the page from a sample of the packs that
 * match the search (see CatalogFacetSample); `partial` says the sample is not every match.
 */
import { useMemo } from 'react';
import { useQuery } from 'urql';
import { packFilterOf, type CatalogState } from './catalog-state';
import { countFacets, type Facets } from './facets';
import { CatalogFacetSample } from './queries';

export interface FacetResult {
  facets: Facets | null;
  partial: boolean;
  error: string | null;
}

export function useFacets(state: CatalogState): FacetResult {
  const base = packFilterOf({ ...state, layers: [], registries: [], cloudType: null, addonType: null });
  const [result] = useQuery({ query: CatalogFacetSample, variables: { filter: base } });
  const data = result.data?.packs;
  const facets = useMemo(() => {
    if (!data) return null;
    const packs = data.edges.map(({ node }) => ({
      layer: node.layer,
      addonType: node.addonType ?? null,
      cloudTypes: node.cloudTypes,
      sources: node.sources.map((s) => s.name),
    }));
    return countFacets(packs, state);
  }, [data, state]);
  return { facets, partial: !!data && data.totalCount > data.edges.length, error: result.error?.message ?? null };
}
