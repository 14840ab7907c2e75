/**
 * The order a variable tries its candidates in: that order is the policy. Ties always break the
 * same way (pack name, then registry priority and name), so one catalog gives one answer.
 *
 * - NEWEST: preferred packs first (a slot's `prefer`), then versions in a good lifecycle state
 *   (DEPRECATED or past `eol` only when nothing else fits), then packs of higher-priority
 *   registries, then the newest version (of one version in several registries, the highest priority's).
 * - CLOSEST: the same, but the pack the base profile has for this layer comes first, and among its
 *   versions the base version, then the nearest newer ones, then the nearest older ones: an upgrade
 *   moves as little as it can.
 */
import { compareVersions } from '../../packs/version.js';
import type { BaseLayer, CandidateVersion, SolverPolicy } from './solver.model.js';

export interface OrderContext {
  policy: SolverPolicy;
  /** A slot's preferred packs, in order. */
  prefer: readonly string[];
  /** The base profile's layer this variable continues (CLOSEST), when there is one. */
  base: BaseLayer | null;
}

function lifecyclePenalty(c: CandidateVersion): number {
  return (c.lifecycle === 'DEPRECATED' ? 2 : 0) + (c.pastEol ? 1 : 0);
}

function preferRank(c: CandidateVersion, prefer: readonly string[]): number {
  const at = prefer.indexOf(c.pack);
  return at === -1 ? prefer.length : at;
}

/** Negative when `a` should be tried before `b`. */
export function compareCandidates(a: CandidateVersion, b: CandidateVersion, context: OrderContext): number {
  const { prefer, base } = context;
  const closest = context.policy.kind === 'CLOSEST' && base !== null;
  const byPrefer = preferRank(a, prefer) - preferRank(b, prefer);
  if (byPrefer !== 0) return byPrefer;
  if (closest) {
    const samePack = Number(b.pack === base.pack) - Number(a.pack === base.pack);
    if (samePack !== 0) return samePack;
  }
  const byLifecycle = lifecyclePenalty(a) - lifecyclePenalty(b);
  if (byLifecycle !== 0) return byLifecycle;
  // Between packs, the higher-priority registry's first (the curated source), then by name.
  if (a.pack !== b.pack) return b.registryPriority - a.registryPriority || (a.pack < b.pack ? -1 : 1);
  if (closest && a.pack === base.pack) {
    const side = (c: CandidateVersion) => Math.sign(compareVersions(c.version, base.version));
    // Same version (0) first, then newer (1), then older (-1).
    const rank = (s: number) => (s === 0 ? 0 : s > 0 ? 1 : 2);
    const bySide = rank(side(a)) - rank(side(b));
    if (bySide !== 0) return bySide;
    const byDistance = side(a) > 0 ? compareVersions(a.version, b.version) : compareVersions(b.version, a.version);
    if (byDistance !== 0) return byDistance;
  } else {
    const byVersion = compareVersions(b.version, a.version);
    if (byVersion !== 0) return byVersion;
  }
  return b.registryPriority - a.registryPriority || (a.registry < b.registry ? -1 : a.registry > b.registry ? 1 : 0);
}

export function orderCandidates(candidates: readonly CandidateVersion[], context: OrderContext): CandidateVersion[] {
  return [...candidates].sort((a, b) => compareCandidates(a, b, context));
}
