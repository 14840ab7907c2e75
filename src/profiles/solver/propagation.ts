/**
 * The domains of the search and their propagation. A candidate leaves a domain with the reason it
 * left (a Removal: the facts that rule it out, and the removals of the other side's candidates that
 * would have fitted it), so a dead end can be explained and its cause (the choices it derives
 * from) read back for backjumping.
 *
 * Propagation is arc consistency in rounds: round k removes what the domains at the end of round
 * k-1 no longer support. A candidate therefore leaves at the earliest round it can, with the
 * shortest chain of reasons: the explanation of a dead end is the shortest the rules give.
 */
import { conflictOf, canInteract } from './compatibility.js';
import type { Problem, RawFact } from './problem.js';

export interface Removal {
  variable: number;
  value: number;
  facts: RawFact[];
  /** Removals of the other variable's candidates that would have fitted this one. */
  supports: Removal[];
  /** The variable whose choice removed it (a search decision), else null. */
  decision: number | null;
}

export interface Domains {
  alive: boolean[][];
  removal: Array<Array<Removal | null>>;
  count: number[];
}

export function factKey(f: RawFact): string {
  return `${f.relation}|${f.pack}|${f.standalone ?? f.predicate}|${f.otherPack ?? ''}|${f.otherRange ?? ''}`;
}

export function cloneDomains(d: Domains): Domains {
  return { alive: d.alive.map((a) => [...a]), removal: d.removal.map((r) => [...r]), count: [...d.count] };
}

/** Thrown when a request's solving passes its deadline (search.ts turns it into an answer). */
export class BudgetExhausted extends Error {}

/** What stays fixed while one request is solved: the problem, which variables interact, conflicts met so far. */
export class Network {
  readonly neighbours: number[][];
  private readonly memo = new Map<number, RawFact[] | null>();
  private readonly width: number;

  /** `deadline` (performance.now() time): propagation and search stop there, since they hold the event loop. */
  constructor(
    readonly problem: Problem,
    private readonly deadline = Infinity,
  ) {
    const vars = problem.variables;
    this.neighbours = vars.map(() => []);
    for (let i = 0; i < vars.length; i++) {
      for (let j = i + 1; j < vars.length; j++) {
        if (canInteract(problem, vars[i], vars[j])) {
          this.neighbours[i].push(j);
          this.neighbours[j].push(i);
        }
      }
    }
    this.width = Math.max(1, ...vars.map((v) => v.values.length));
  }

  /** Throws BudgetExhausted past the deadline; called between candidates, so the overrun is one candidate's work. */
  checkDeadline(): void {
    if (performance.now() > this.deadline) throw new BudgetExhausted();
  }

  conflict(x: number, xi: number, y: number, yi: number): RawFact[] | null {
    const n = this.problem.variables.length;
    const key = ((x * this.width + xi) * n + y) * this.width + yi;
    let found = this.memo.get(key);
    if (found === undefined) {
      const vars = this.problem.variables;
      found = conflictOf(this.problem, vars[x], vars[x].values[xi], vars[y], vars[y].values[yi]);
      this.memo.set(key, found);
    }
    return found;
  }

  /** The starting domains: every candidate, less those a unary fact rules out. */
  initialDomains(): Domains {
    const vars = this.problem.variables;
    const d: Domains = { alive: [], removal: [], count: [] };
    for (const v of vars) {
      d.alive.push(v.values.map((_, i) => v.initialFacts[i] === null));
      d.removal.push(v.values.map((_, i) => (v.initialFacts[i] ? { variable: v.index, value: i, facts: v.initialFacts[i]!, supports: [], decision: null } : null)));
      d.count.push(v.initialFacts.filter((f) => f === null).length);
    }
    return d;
  }

  /**
   * Arc consistency in rounds from the variables in `changed`. Returns the variables left with no
   * candidate (empty when none): propagation stops at the first round that empties one.
   */
  propagate(d: Domains, changed: Iterable<number>): number[] {
    let touched = new Set(changed);
    const empty = d.count.flatMap((c, i) => (c === 0 ? [i] : []));
    if (empty.length > 0) return empty;
    while (touched.size > 0) {
      const pending = new Map<number, Removal>();
      const keyOf = (x: number, xi: number) => x * this.width + xi;
      const candidates = new Set<number>();
      for (const y of touched) for (const x of this.neighbours[y]) candidates.add(x);
      for (const x of [...candidates].sort((a, b) => a - b)) {
        for (const y of this.neighbours[x]) {
          if (!touched.has(y)) continue;
          const xs = d.alive[x];
          for (let xi = 0; xi < xs.length; xi++) {
            if (!xs[xi] || pending.has(keyOf(x, xi))) continue;
            this.checkDeadline();
            const removal = this.unsupported(d, x, xi, y);
            if (removal) pending.set(keyOf(x, xi), removal);
          }
        }
      }
      touched = new Set();
      for (const r of pending.values()) {
        d.alive[r.variable][r.value] = false;
        d.removal[r.variable][r.value] = r;
        d.count[r.variable]--;
        touched.add(r.variable);
      }
      const wiped = [...touched].filter((v) => d.count[v] === 0).sort((a, b) => a - b);
      if (wiped.length > 0) return wiped;
    }
    return [];
  }

  /** The removal of x's candidate xi when no live candidate of y fits it; null when one does. */
  private unsupported(d: Domains, x: number, xi: number, y: number): Removal | null {
    const ys = d.alive[y];
    for (let yi = 0; yi < ys.length; yi++) if (ys[yi] && this.conflict(x, xi, y, yi) === null) return null;
    const facts = new Map<string, RawFact>();
    const supports: Removal[] = [];
    for (let yi = 0; yi < ys.length; yi++) {
      const against = this.conflict(x, xi, y, yi);
      if (against) {
        for (const f of against) {
          // The facts as x's: a fact the other side states (y requires x's pack) stays as it is.
          const k = factKey(f);
          if (!facts.has(k)) facts.set(k, f);
        }
      } else {
        supports.push(d.removal[y][yi]!);
      }
    }
    return { variable: x, value: xi, facts: [...facts.values()], supports, decision: null };
  }
}

/** Remove every live candidate of `variable` but `keep`: a search decision. */
export function decide(d: Domains, variable: number, keep: number): void {
  d.alive[variable].forEach((alive, i) => {
    if (!alive || i === keep) return;
    d.alive[variable][i] = false;
    d.removal[variable][i] = { variable, value: i, facts: [], supports: [], decision: variable };
    d.count[variable]--;
  });
}

/** The decisions a set of removals derives from (the cause of a dead end). */
export function decisionsBehind(removals: Iterable<Removal>): Set<number> {
  const out = new Set<number>();
  const seen = new Set<Removal>();
  const stack = [...removals];
  while (stack.length > 0) {
    const r = stack.pop()!;
    if (seen.has(r)) continue;
    seen.add(r);
    if (r.decision !== null) out.add(r.decision);
    stack.push(...r.supports);
  }
  return out;
}
