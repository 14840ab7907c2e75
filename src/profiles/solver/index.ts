/**
 * The profile solver (issue 16, section 2): given fixed layers, open slots, a cloud type, a
 * Kubernetes range and a policy, find exact pack versions that validation accepts, or explain why
 * none exist. Pure and deterministic: the same catalog and request give the same answer.
 *
 * Files: solver.model.ts (data), kube-version.ts (chart kubeVersion, vendor suffixes),
 * candidate-order.ts (the policy), build-problem.ts (variables and unary facts),
 * compatibility.ts (pairwise rules), propagation.ts (domains, reasons), search.ts (decisions,
 * backjumping), explanation.ts (the shortest chain of facts), proposal-layers.ts (the answer's order).
 */
import { buildProblem } from './build-problem.js';
import { explainStructure, explainWipe, explanationOf } from './explanation.js';
import type { Problem } from './problem.js';
import { BudgetExhausted, cloneDomains, decide, Network } from './propagation.js';
import { proposalLayers } from './proposal-layers.js';
import { MAX_DECISIONS, MAX_SOLVE_MS, nextVariable, Search } from './search.js';
import type { Explanation, ExplanationFact, SolveRequest, SolveResult, SolverCatalog } from './solver.model.js';

export * from './solver.model.js';
export { MAX_DECISIONS, MAX_SOLVE_MS } from './search.js';
export { inKubernetesRange, isKubernetesRange, normaliseKubernetesVersion, satisfiesKubeVersion } from './kube-version.js';

export function solve(request: SolveRequest, catalog: SolverCatalog): SolveResult {
  const problem = buildProblem(request, catalog);
  if (problem.structural.length > 0) return { ok: false, explanation: explainStructure(problem), decisions: 0 };
  const network = new Network(problem, performance.now() + MAX_SOLVE_MS);
  const search = new Search(network);
  try {
    const root = network.initialDomains();
    const wiped = network.propagate(root, problem.variables.map((v) => v.index));
    if (wiped.length > 0) return { ok: false, explanation: explainWipe(problem, root, wiped), decisions: 0 };

    const outcome = search.run(root);
    if (outcome.ok) return { ok: true, layers: proposalLayers(problem, outcome.choice), decisions: search.decisions };
    if ('exhausted' in outcome) return exhausted(problem, search.decisions);
    return { ok: false, explanation: explainByCases(network, root), decisions: search.decisions };
  } catch (error) {
    // The deadline passed outside the search (the first propagation, the explanation by cases).
    if (error instanceof BudgetExhausted) return exhausted(problem, search.decisions);
    throw error;
  }
}

function exhausted(problem: Problem, decisions: number): SolveResult {
  const fact: ExplanationFact = {
    pack: problem.variables[0]?.label ?? '',
    versionRange: '*',
    relation: 'NO_CANDIDATE',
    otherPack: null,
    otherRange: null,
    text: `the search stopped at its budget (${MAX_DECISIONS} decisions or ${MAX_SOLVE_MS} ms) without finding a profile; fix more layers or versions`,
  };
  return { ok: false, explanation: explanationOf(problem, [fact], '', []), decisions };
}

/**
 * No single layer is ruled out before a choice, yet every choice ends in a dead end: tell it case
 * by case over the first variable the search decides ("with kubernetes 1.31.2: ...").
 */
function explainByCases(network: Network, root: ReturnType<Network['initialDomains']>): Explanation {
  const { problem } = network;
  const v = nextVariable(network, root, new Set())!;
  const variable = problem.variables[v];
  const facts: ExplanationFact[] = [];
  const cases: string[] = [];
  root.alive[v].forEach((alive, i) => {
    if (!alive) return;
    const candidate = variable.values[i];
    const name = candidate ? `${candidate.pack} ${candidate.version}` : `no ${variable.label}`;
    const d = cloneDomains(root);
    decide(d, v, i);
    const wiped = network.propagate(d, [v]);
    if (wiped.length > 0) {
      const e = explainWipe(problem, d, wiped);
      facts.push(...e.facts);
      cases.push(`with ${name}: ${e.text}`);
    } else {
      cases.push(`with ${name}: no combination of the other layers fits`);
    }
  });
  const e = explanationOf(problem, facts, '', [variable.label]);
  return { ...e, text: `${cases.join('. ')}. So no choice of ${variable.label} fits` };
}
