/**
 * Facet values with counts for the four dimensions of the catalog filter, as the API's
 * `packFacets(filter)` counts them: each dimension with the other dimensions' choices applied.
 */
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

/** A selected value stays listed (with 0) so it can be unselected even when nothing matches it. */
export function withSelected(values: FacetValue[], selected: string[]): FacetValue[] {
  const missing = selected.filter((s) => !values.some((v) => v.value === s)).map((value) => ({ value, count: 0 }));
  return [...values, ...missing];
}
