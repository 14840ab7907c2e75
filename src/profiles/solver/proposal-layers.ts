/**
 * The chosen candidates as profile layers, in the order validation asks for (rules/layers.ts):
 * core layers KERNEL, OS, K8S, CNI, CSI, then add-ons in request order (fixed, then slots, then
 * packs added because another requires them). A REQUIRED variable left out is not a layer.
 */
import { CORE_LAYER_ORDER } from '../rules/layers.js';
import type { Problem } from './problem.js';
import type { SolvedLayer } from './solver.model.js';

export function proposalLayers(problem: Problem, choice: number[]): SolvedLayer[] {
  const rank = (layer: string) => (layer === 'addon' ? CORE_LAYER_ORDER.length : CORE_LAYER_ORDER.indexOf(layer as (typeof CORE_LAYER_ORDER)[number]));
  const origin = { FIXED: 0, SLOT: 1, REQUIRED: 2 } as const;
  return problem.variables
    .flatMap((v) => {
      const c = v.values[choice[v.index]];
      return c ? [{ v, c }] : [];
    })
    .sort((a, b) => rank(a.c.layer) - rank(b.c.layer) || origin[a.v.origin] - origin[b.v.origin] || a.v.index - b.v.index)
    .map(({ v, c }) => ({ pack: c.pack, version: c.version, registry: c.registry, layer: c.layer, origin: v.origin }));
}
