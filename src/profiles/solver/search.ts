/**
 * The search: decide the most constrained variable first (fewest live candidates; packs only
 * required by others last), try its candidates in policy order, propagate after each decision,
 * and on a dead end learn its cause (the decisions the emptied domain derives from) and jump back
 * to the latest of them: a decision that played no part is not retried with another candidate.
 * A budget bounds the work one request can cost: MAX_DECISIONS, and MAX_SOLVE_MS of time (the
 * Network's deadline, which propagation checks too: one decision's propagation can be long).
 */
import { BudgetExhausted, cloneDomains, decide, decisionsBehind, type Domains, type Network, type Removal } from './propagation.js';

export const MAX_DECISIONS = 20_000;
/**
 * Milliseconds one solve may take (propagation and search run on the event loop). 20 add-on slots
 * over the real catalog take ~0.6 s on a loaded machine: the bound leaves them room.
 */
export const MAX_SOLVE_MS = 2_000;

export type SearchOutcome =
  | { ok: true; choice: number[] }
  | { ok: false; cause: Set<number> }
  | { ok: false; exhausted: true };

/** The next variable to decide; null when every variable has one candidate left. */
export function nextVariable(network: Network, d: Domains, decided: ReadonlySet<number>): number | null {
  let best: number | null = null;
  const rank = (v: number) => [network.problem.variables[v].origin === 'REQUIRED' ? 1 : 0, d.count[v], v];
  for (let v = 0; v < d.count.length; v++) {
    if (decided.has(v) || d.count[v] <= 1) continue;
    if (best === null) {
      best = v;
      continue;
    }
    const [a1, a2, a3] = rank(v);
    const [b1, b2, b3] = rank(best);
    if (a1 < b1 || (a1 === b1 && (a2 < b2 || (a2 === b2 && a3 < b3)))) best = v;
  }
  return best;
}

export class Search {
  decisions = 0;

  constructor(private readonly network: Network) {}

  run(root: Domains): SearchOutcome {
    try {
      return this.step(root, new Set());
    } catch (error) {
      if (error instanceof BudgetExhausted) return { ok: false, exhausted: true };
      throw error;
    }
  }

  private step(d: Domains, decided: Set<number>): { ok: true; choice: number[] } | { ok: false; cause: Set<number> } {
    const v = nextVariable(this.network, d, decided);
    if (v === null) return { ok: true, choice: d.alive.map((a) => a.indexOf(true)) };
    // What emptied earlier candidates of v is part of any dead end of v.
    const before: Removal[] = d.removal[v].filter((r): r is Removal => r !== null);
    const cause = decisionsBehind(before);
    const nowDecided = new Set(decided).add(v);
    for (let i = 0; i < d.alive[v].length; i++) {
      if (!d.alive[v][i]) continue;
      if (++this.decisions > MAX_DECISIONS) throw new BudgetExhausted();
      this.network.checkDeadline();
      const next = cloneDomains(d);
      decide(next, v, i);
      const wiped = this.network.propagate(next, [v]);
      let found: Set<number>;
      if (wiped.length > 0) {
        found = decisionsBehind(wiped.flatMap((w) => next.removal[w].filter((r): r is Removal => r !== null)));
      } else {
        const deeper = this.step(next, nowDecided);
        if (deeper.ok) return deeper;
        found = deeper.cause;
      }
      // The dead end does not depend on v: no other candidate of v can help, jump back.
      if (!found.has(v)) return { ok: false, cause: found };
      for (const c of found) if (c !== v) cause.add(c);
    }
    return { ok: false, cause };
  }
}
