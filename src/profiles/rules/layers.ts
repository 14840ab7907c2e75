/**
 * Layer rules: which layers a profile type allows, core layers present exactly once
 * (MISSING_CORE_LAYER, DUPLICATE_CORE_LAYER, LAYER_NOT_ALLOWED) and in order (LAYER_ORDER).
 */

import type { PackLayer } from '../../packs/pack.types.js';
import type { ProfileTypeName } from '../profile.model.js';
import { aProfile, layerLabel, withArticle } from './labels.js';
import type { IssueSink, KnownLayer, LayerContext } from './layer-context.js';

/** Core layers in the order a CLUSTER/INFRA profile stacks them; KERNEL is optional. */
export const CORE_LAYER_ORDER: readonly PackLayer[] = ['kernel', 'os', 'k8s', 'cni', 'csi'];
/** The core layers a CLUSTER/INFRA profile must hold exactly once. */
export const REQUIRED_CORE_LAYERS: readonly PackLayer[] = ['os', 'k8s', 'cni', 'csi'];

export function isCoreLayer(layer: PackLayer): boolean {
  return layer !== 'addon';
}

/** Returns the layer indexes reported as DUPLICATE_CORE_LAYER (DUPLICATE_PACK doesn't repeat them). */
export function checkLayerStructure(type: ProfileTypeName, layers: LayerContext[], add: IssueSink): Set<number> {
  const duplicates = new Set<number>();
  const known = layers.filter((l) => l.pack !== null) as KnownLayer[];
  const unresolved = layers.length - known.length;

  if (type === 'ADDON' || type === 'SYSTEM') {
    for (const l of known) {
      if (isCoreLayer(l.pack.manifest.layer)) {
        add({
          code: 'LAYER_NOT_ALLOWED',
          severity: 'ERROR',
          layerIndex: l.index,
          pack: l.name,
          message: `${aProfile(type)} holds add-on layers only; "${l.name}" is ${withArticle(layerLabel(l.pack.manifest.layer))} layer`,
        });
      }
    }
    return duplicates;
  }

  const firstOf = new Map<PackLayer, LayerContext>();
  for (const l of known) {
    const kind = l.pack.manifest.layer;
    if (kind === 'addon') {
      if (type === 'INFRA') {
        add({
          code: 'LAYER_NOT_ALLOWED',
          severity: 'ERROR',
          layerIndex: l.index,
          pack: l.name,
          message: `an INFRA profile holds core layers only; "${l.name}" is an add-on (use a CLUSTER or ADDON profile)`,
        });
      }
      continue;
    }
    const first = firstOf.get(kind);
    if (first) {
      duplicates.add(l.index);
      add({
        code: 'DUPLICATE_CORE_LAYER',
        severity: 'ERROR',
        layerIndex: l.index,
        pack: l.name,
        message: `a second ${layerLabel(kind)} layer: "${l.name}" (layer ${first.index} is already "${first.name}")`,
      });
    } else {
      firstOf.set(kind, l);
    }
  }
  for (const kind of REQUIRED_CORE_LAYERS) {
    if (!firstOf.has(kind)) {
      add({
        code: 'MISSING_CORE_LAYER',
        severity: 'ERROR',
        message:
          `${aProfile(type)} needs ${withArticle(layerLabel(kind))} layer` +
          (unresolved > 0 ? ` (${unresolved} layer(s) could not be resolved, so their kind is unknown)` : ''),
      });
    }
  }

  const rank = (layer: PackLayer): number => (layer === 'addon' ? CORE_LAYER_ORDER.length : CORE_LAYER_ORDER.indexOf(layer));
  let highest: KnownLayer | null = null;
  for (const l of known) {
    const kind = l.pack.manifest.layer;
    if (type === 'INFRA' && kind === 'addon') continue;
    if (highest && rank(kind) < rank(highest.pack.manifest.layer)) {
      const before = highest.pack.manifest.layer;
      add({
        code: 'LAYER_ORDER',
        severity: 'ERROR',
        layerIndex: l.index,
        pack: l.name,
        message:
          before === 'addon'
            ? `${layerLabel(kind)} layer "${l.name}" comes after add-on "${highest.name}" (layer ${highest.index}); add-ons go after the core layers`
            : `${layerLabel(kind)} layer "${l.name}" comes after ${layerLabel(before)} layer "${highest.name}" (layer ${highest.index}); core layers go KERNEL, OS, K8S, CNI, CSI`,
      });
    }
    if (!highest || rank(kind) > rank(highest.pack.manifest.layer)) highest = l;
  }
  return duplicates;
}
