/** A SolverCatalog over candidates in memory: what the service loads for one request, and what tests build by hand. */
import type { PackLayer } from '../../packs/pack.types.js';
import type { CandidateVersion, SolverCatalog } from './solver.model.js';

export function memoryCatalog(candidates: Iterable<CandidateVersion>): SolverCatalog {
  const byPack = new Map<string, CandidateVersion[]>();
  for (const c of candidates) {
    const list = byPack.get(c.pack);
    if (list) list.push(c);
    else byPack.set(c.pack, [c]);
  }
  const byLayer = new Map<PackLayer, string[]>();
  for (const [pack, versions] of [...byPack].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const layer = versions[0].layer;
    byLayer.set(layer, [...(byLayer.get(layer) ?? []), pack]);
  }
  return {
    versionsOf: (pack) => byPack.get(pack) ?? [],
    packsOfLayer: (layer) => byLayer.get(layer) ?? [],
  };
}
