/**
 * Plain data of the profile solver (issue 16, section 2): what it is asked, the catalog it reads
 * (every candidate version with the facts the rules look at), and what it answers. No I/O.
 */
import type { PackDependencySpec, PackLayer } from '../../packs/pack.types.js';
import type { PackLifecycleState } from '../../packs/pack-lifecycle.js';

/** One pack version from one registry, as the solver weighs it. */
export interface CandidateVersion {
  pack: string;
  version: string;
  registry: string;
  /** The registry's priority: among sources of one version, the highest wins (as resolution picks). */
  registryPriority: number;
  layer: PackLayer;
  /** Lower-cased; empty means every cloud. */
  cloudTypes: string[];
  dependencies: PackDependencySpec[];
  /** A Helm `kubeVersion` constraint (Chart.yaml, or pack.json's `kubeVersion`); null when there is none. */
  kubeVersion: string | null;
  lifecycle: PackLifecycleState;
  pastEol: boolean;
  /** What a reference resolves to in this pack's source: tags (`lts__1.29.4`) naming this version. */
  tags: string[];
}

/** The catalog the solver reads: every version of the packs it may need, and the pack names of each layer. */
export interface SolverCatalog {
  /** Live versions of a pack name from every readable source; empty when the catalog lacks it. */
  versionsOf(pack: string): readonly CandidateVersion[];
  /** Pack names whose layer is `layer`, in a stable order. */
  packsOfLayer(layer: PackLayer): readonly string[];
}

export type SolverProfileType = 'CLUSTER' | 'ADDON';

export interface FixedLayerRequest {
  pack: string;
  /** Exact version, tag, parent tag (`1.31.x`), `latest`; omitted: any version. */
  version?: string | null;
  registry?: string | null;
}

export interface SlotRequest {
  layer: PackLayer;
  /** Packs to try first, in this order. */
  prefer?: string[] | null;
}

/** A layer of the profile an upgrade starts from (CLOSEST policy), resolved to its exact version. */
export interface BaseLayer {
  pack: string;
  version: string;
  layer: PackLayer;
}

export type SolverPolicy = { kind: 'NEWEST' } | { kind: 'CLOSEST'; base: BaseLayer[]; baseName: string };

export interface SolveRequest {
  type: SolverProfileType;
  cloudType: string;
  /** A Kubernetes range: `1.31.x`, an exact version or a Helm-style constraint (`>=1.30 <1.32`); omitted: any. */
  kubernetes?: string | null;
  fixed: FixedLayerRequest[];
  slots: SlotRequest[];
  policy: SolverPolicy;
  /** (pack, version, registry) keys the caller rules out (what validation refused on an earlier try), with why. */
  excluded?: ReadonlyMap<string, string>;
}

/** How one fact relates its pack to the other side. */
export type FactRelation =
  | 'REQUIRES'
  | 'NOT_SUPPORTED_WITH'
  | 'NEEDS_KUBERNETES'
  | 'REQUEST_FIXES'
  | 'CLOUD_TYPE'
  | 'DISABLED'
  | 'NOT_IN_CATALOG'
  | 'UPGRADE_FROM'
  | 'SAME_PACK'
  | 'LAYER_TAKEN'
  | 'REFUSED_BY_VALIDATION'
  | 'NO_CANDIDATE';

/** One fact of an explanation: `pack versionRange relation otherPack otherRange`, and the sentence. */
export interface ExplanationFact {
  pack: string;
  versionRange: string;
  relation: FactRelation;
  otherPack: string | null;
  otherRange: string | null;
  text: string;
}

export interface Explanation {
  facts: ExplanationFact[];
  /** The layers involved: the request's packs and slots named in the facts. */
  layers: string[];
  text: string;
}

export interface SolvedLayer {
  pack: string;
  version: string;
  registry: string;
  layer: PackLayer;
  /** Why the layer is there: the request fixed it, a slot chose it, or a pack required it. */
  origin: 'FIXED' | 'SLOT' | 'REQUIRED';
}

export type SolveResult =
  | { ok: true; layers: SolvedLayer[]; decisions: number }
  | { ok: false; explanation: Explanation; decisions: number };

/** The key of a candidate in `excluded` and in memo tables. */
export function candidateKey(c: Pick<CandidateVersion, 'pack' | 'version' | 'registry'>): string {
  return `${c.registry}/${c.pack}@${c.version}`;
}
