/**
 * Test and bench helper: the DEFAULT registry's packs (default-packs/) and the 220 pack-central
 * packs (../shared/fixtures/pack-central/meta) as resolved layers and solver candidates, the way
 * the service holds them: default first (priority 100), pack-central second (priority 0).
 */
import { readdirSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ResolvedPackLayer } from '../../../../src/profiles/profile.model.js';
import { candidateOf } from '../../../../src/profiles/solver/candidate.js';
import { memoryCatalog } from '../../../../src/profiles/solver/memory-catalog.js';
import { candidateKey, type CandidateVersion, type SolverCatalog } from '../../../../src/profiles/solver/solver.model.js';
import { loadFixturePack, PACK_CENTRAL } from '../fixture-packs.js';

const DEFAULT_PACKS = fileURLToPath(new URL('../../../../default-packs/', import.meta.url));

export interface RealCatalog {
  catalog: SolverCatalog;
  candidates: CandidateVersion[];
  /** What validation reads of a candidate, by candidateKey. */
  resolved: Map<string, ResolvedPackLayer>;
}

/** Pinned so the lifecycle (past eol) reading does not move with the calendar. */
export const CATALOG_DAY = new Date('2026-06-01T00:00:00Z');

export function loadRealCatalog(options: { packCentral?: boolean } = {}): RealCatalog {
  const packs: Array<{ pack: ResolvedPackLayer; priority: number }> = [];
  for (const folder of readdirSync(DEFAULT_PACKS).sort()) {
    if (folder.startsWith('_') || !existsSync(join(DEFAULT_PACKS, folder, 'pack.json'))) continue;
    // loadFixturePack reads a folder relative to pack-central/meta: the default packs sit elsewhere.
    packs.push({ pack: loadFixturePack(join(relative(PACK_CENTRAL, DEFAULT_PACKS), folder), 'default'), priority: 100 });
  }
  if (options.packCentral !== false) {
    for (const folder of readdirSync(PACK_CENTRAL).sort()) packs.push({ pack: loadFixturePack(folder), priority: 0 });
  }
  const candidates: CandidateVersion[] = [];
  const resolved = new Map<string, ResolvedPackLayer>();
  for (const { pack, priority } of packs) {
    const candidate = candidateOf(pack.manifest, { version: pack.version, registry: pack.registry, registryPriority: priority }, CATALOG_DAY);
    if (resolved.has(candidateKey(candidate))) continue;
    candidates.push(candidate);
    resolved.set(candidateKey(candidate), pack);
  }
  return { catalog: memoryCatalog(candidates), candidates, resolved };
}
