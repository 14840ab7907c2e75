/**
 * The search problem built from a request: one variable per layer the profile will hold (a fixed
 * pack, an open slot, or a pack some candidate requires), each with its candidates in policy
 * order, and the facts that rule candidates out before any choice (unary facts).
 */
import type { PackLayer } from '../../packs/pack.types.js';
import type { CandidateVersion, FactRelation } from './solver.model.js';

/** A fact as the search records it: `version` is the one candidate version it concerns. */
export interface RawFact {
  pack: string;
  /** The candidate's exact version, or the request's range for REQUEST_FIXES. */
  version: string;
  relation: FactRelation;
  otherPack: string | null;
  otherRange: string | null;
  /** The sentence after "<pack> <versions>": `requires kubernetes >= 1.29`. */
  predicate: string;
  /** Set when the sentence stands alone (`the request fixes kubernetes 1.28.x`). */
  standalone?: string;
}

/** A value of a variable: a candidate version, or null for "this layer is left out" (REQUIRED variables only). */
export type Value = CandidateVersion | null;

export interface Variable {
  index: number;
  /** How facts and explanations name it: the pack name, or `the CNI slot`. */
  label: string;
  origin: 'FIXED' | 'SLOT' | 'REQUIRED';
  /** The layer kind it fills. */
  layer: PackLayer;
  /** The Kubernetes layer: charts' kubeVersion and the request's range apply to it. */
  isKubernetes: boolean;
  /** Candidates in policy order; a REQUIRED variable starts with null (left out unless needed). */
  values: Value[];
  /** Unary facts: `initialFacts[i]` rules out `values[i]` before any choice. */
  initialFacts: Array<RawFact[] | null>;
}

export interface Problem {
  variables: Variable[];
  /** The variable that must hold pack `name` when a candidate requires it (a fixed layer, the core layer of its kind, or a REQUIRED one). */
  holderOf: Map<string, number>;
  /** Whether a required dependency must be present (false for core layers in an ADDON profile: the infrastructure profile brings them). */
  mustHold(packName: string, dependencyLayer: PackLayer | undefined): boolean;
  /** Structural facts that make the request impossible whatever the versions (two CNI layers). */
  structural: RawFact[];
}
