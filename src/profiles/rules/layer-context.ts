/**
 * What every rule reads about a layer: the draft, what the catalog resolved, and its effective
 * values parsed once. Built once per validation.
 */

import type { ProfileDraft, ProfileLayerDraft, ResolvedLayer, ResolvedPackLayer, ValidationIssue } from '../profile.model.js';
import { packFactsOf, type PackFacts } from './pack-facts.js';
import { parseValues, readPackAnnotation } from './parsed-values.js';

export interface LayerContext {
  index: number;
  draft: ProfileLayerDraft;
  resolved: ResolvedLayer;
  /** The resolved pack, when the catalog found it. */
  pack: ResolvedPackLayer | null;
  /** What depends on the pack version alone (parsed defaults, compiled schema), cached by digest. */
  facts: PackFacts | null;
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
    const facts = pack ? packFactsOf(pack) : null;
    let values: unknown;
    let valuesParsed = false;
    if (valuesText !== null) {
      // Only the caller's own text is parsed here; the pack's values come parsed from its facts.
      const parsed = usesOverride ? parseValues(valuesText) : facts!.defaults;
      if (parsed.ok) {
        values = parsed.value;
        valuesParsed = true;
      }
    }
    const name = pack?.manifest.name ?? layer.pack;
    return { index, draft: layer, resolved: found, pack, facts, name, usesOverride, valuesText, values, valuesParsed };
  });
}

/** A `pack.spectrocloud.com/<name>` annotation of the layer's effective values (the pack's own, read once per version). */
export function annotationOf(l: LayerContext, name: string): unknown {
  if (!l.valuesParsed) return undefined;
  return !l.usesOverride && l.facts ? l.facts.defaultAnnotation(name) : readPackAnnotation(l.values, name);
}
