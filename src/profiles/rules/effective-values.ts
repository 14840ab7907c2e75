/** What a resolved layer deploys with (`effectiveValues`) and where each top-level value came from (`valueSources`). */

import { stringify } from 'yaml';

import type { LayerContext } from './layer-context.js';
import { valueSourcesOf, type ValueSource } from './values-merge.js';

export interface LayerValuesView {
  /** The effective values.yaml text: `values` as written, the pack's own text, or the merge of `valuesOverride` as YAML. */
  effectiveValues: string | null;
  valueSources: ValueSource[];
}

function topLevelKeys(values: unknown): string[] {
  return values !== null && typeof values === 'object' && !Array.isArray(values) ? Object.keys(values) : [];
}

export function layerValuesView(l: LayerContext): LayerValuesView {
  if (l.merged) {
    // Only merged values are written out: the other two cases are texts the caller or the pack already has.
    return { effectiveValues: stringify(l.merged.value, { lineWidth: 0 }), valueSources: valueSourcesOf(l.merged) };
  }
  const source = l.usesOverride ? 'OVERRIDE' : 'PACK_DEFAULT';
  return {
    effectiveValues: l.overrideError !== null ? null : l.valuesText,
    valueSources: l.valuesParsed && l.overrideError === null ? topLevelKeys(l.values).map((path) => ({ path, source })) : [],
  };
}
