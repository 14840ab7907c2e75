/**
 * What every rule reads about a layer: the draft, what the catalog resolved, and its effective
 * values parsed once. Built once per validation.
 */

import type { ProfileDraft, ProfileLayerDraft, ResolvedLayer, ResolvedPackLayer, ValidationIssue } from '../profile.model.js';
import { parsePackValues, parseValues } from './parsed-values.js';

export interface LayerContext {
  index: number;
  draft: ProfileLayerDraft;
  resolved: ResolvedLayer;
  /** The resolved pack, when the catalog found it. */
  pack: ResolvedPackLayer | null;
  /** manifest.name when resolved, else the draft's pack reference. */
  name: string;
  usesOverride: boolean;
  valuesText: string | null;
  /** Parsed effective values; undefined when there are none or they don't parse. */
  values: unknown;
  valuesParsed: boolean;
}

/** A layer the catalog resolved. */
export type KnownLayer = LayerContext & { pack: ResolvedPackLayer };

/** Where rules report issues. */
export type IssueSink = (issue: ValidationIssue) => void;

export function buildContexts(draft: ProfileDraft, resolved: readonly ResolvedLayer[]): LayerContext[] {
  return draft.layers.map((layer, index) => {
    const found = resolved[index];
    const pack = found.status === 'OK' ? found : null;
    const usesOverride = layer.values !== null && layer.values !== undefined;
    const valuesText = usesOverride ? (layer.values as string) : (pack?.defaultValues ?? null);
    let values: unknown;
    let valuesParsed = false;
    if (valuesText !== null) {
      const parsed = usesOverride ? parseValues(valuesText) : parsePackValues(valuesText);
      if (parsed.ok) {
        values = parsed.value;
        valuesParsed = true;
      }
    }
    const name = pack?.manifest.name ?? layer.pack;
    return { index, draft: layer, resolved: found, pack, name, usesOverride, valuesText, values, valuesParsed };
  });
}
