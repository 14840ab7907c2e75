/**
 * What every rule reads about a layer: the draft, what the catalog resolved, and its effective
 * values parsed once. Built once per validation.
 */

import type { ProfileDraft, ProfileLayerDraft, ResolvedLayer, ResolvedPackLayer, ValidationIssue } from '../profile.model.js';
import { packFactsOf, type PackFacts } from './pack-facts.js';
import { derivedFromTree, readCallerValues } from './caller-values.js';
import { readPackAnnotation } from './parsed-values.js';
import { mergeValues, type MergedValues } from './values-merge.js';

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
  /** The `valuesOverride` merged onto the pack's defaults (then usesOverride is true); null without one or when it or the defaults don't parse. */
  merged: MergedValues | null;
  /** Why `valuesOverride` could not be read (VALUES_INVALID_YAML); null when it could or there is none. */
  overrideError: string | null;
  /** The values text as written (`values`), else the pack's values.yaml (also under a `valuesOverride`: its first-line presets comment counts). */
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
    const hasMerge = layer.valuesOverride !== null && layer.valuesOverride !== undefined;
    const usesWhole = layer.values !== null && layer.values !== undefined;
    const valuesText = usesWhole ? (layer.values as string) : (pack?.defaultValues ?? null);
    const facts = pack ? packFactsOf(pack) : null;
    let values: unknown;
    let valuesParsed = false;
    let merged: MergedValues | null = null;
    let overrideError: string | null = null;
    if (hasMerge && !usesWhole) {
      // Read by the same reader as any values text; the pack's defaults come parsed (and frozen) from its facts.
      const override = readCallerValues(layer.valuesOverride as string);
      if (!override.ok) overrideError = override.message;
      else if (facts && facts.defaults.ok) {
        merged = mergeValues(facts.defaults.value, override.value);
        values = merged.value;
        valuesParsed = true;
      }
    } else if (valuesText !== null) {
      // Only the caller's own text is read here (once per distinct text: caller-values.ts); the pack's values come parsed from its facts.
      const parsed = usesWhole ? readCallerValues(valuesText) : facts!.defaults;
      if (parsed.ok) {
        values = parsed.value;
        valuesParsed = true;
      }
    }
    const name = pack?.manifest.name ?? layer.pack;
    const usesOverride = usesWhole || merged !== null;
    return { index, draft: layer, resolved: found, pack, facts, name, usesOverride, merged, overrideError, valuesText, values, valuesParsed };
  });
}

/** A `pack.spectrocloud.com/<name>` annotation of the layer's effective values (the pack's own, read once per version; a caller's cached text, once per text). */
export function annotationOf(l: LayerContext, name: string): unknown {
  if (!l.valuesParsed) return undefined;
  return !l.usesOverride && l.facts ? l.facts.defaultAnnotation(name) : derivedFromTree(l.values, `annotation:${name}`, () => readPackAnnotation(l.values, name));
}
