/** The resources a profile needs: sums of its packs' `constraints.resources`. */

import type { ProfileResources } from '../profile.model.js';
import type { LayerContext } from './layer-context.js';

/** Sums of `constraints.resources[].minLimit`: cpu in millicores, memory in MiB, diskSize in GiB. */
export function sumResources(layers: LayerContext[]): ProfileResources {
  const resources: ProfileResources = { cpuMillicores: 0, memoryMi: 0 };
  for (const l of layers) {
    for (const r of l.pack?.manifest.constraints.resources ?? []) {
      const limit = typeof r.minLimit === 'number' && Number.isFinite(r.minLimit) ? r.minLimit : 0;
      if (r.type === 'cpu') resources.cpuMillicores += limit;
      else if (r.type === 'memory') resources.memoryMi += limit;
      else if (r.type === 'diskSize') resources.diskGi = (resources.diskGi ?? 0) + limit;
    }
  }
  return resources;
}
