/**
 * Why no profile fits, in the style of PubGrub: the chain of facts from the request to a layer
 * left with no candidate ("cni-cilium 1.16.3 requires kubernetes >= 1.29; the request fixes
 * Kubernetes 1.28.x; so no version of cni-cilium fits"). The facts of one emptied layer are read
 * from its removals (propagation.ts, shortest first), versions of one pack that fail for the same
 * reason merged into one fact; among several emptied layers the one with the fewest facts is told.
 */
import { compareVersions } from '../../packs/version.js';
import type { Problem, RawFact, Variable } from './problem.js';
import { factKey, type Domains, type Removal } from './propagation.js';
import type { Explanation, ExplanationFact } from './solver.model.js';

interface Merged {
  raw: RawFact;
  versions: string[];
}

function versionsOfPack(problem: Problem, pack: string): Set<string> {
  const out = new Set<string>();
  for (const v of problem.variables) for (const c of v.values) if (c && c.pack === pack) out.add(c.version);
  return out;
}

function versionsOf(problem: Problem, pack: string, versions: string[]): { sorted: string[]; every: boolean } {
  const sorted = [...new Set(versions)].sort(compareVersions);
  return { sorted, every: sorted.length > 1 && sorted.length === versionsOfPack(problem, pack).size };
}

function render(problem: Problem, m: Merged): ExplanationFact {
  const { raw } = m;
  const base = { pack: raw.pack, relation: raw.relation, otherPack: raw.otherPack, otherRange: raw.otherRange };
  if (raw.standalone !== undefined) return { ...base, versionRange: raw.version || '*', text: raw.standalone };
  const { sorted, every } = versionsOf(problem, raw.pack, m.versions);
  const versionRange = every ? '*' : sorted.length <= 3 ? sorted.join(', ') : `${sorted[0]} - ${sorted[sorted.length - 1]}`;
  const subject = every
    ? `every version of ${raw.pack}`
    : sorted.length <= 3
      ? `${raw.pack} ${sorted.join(', ')}`
      : `${raw.pack} ${sorted[0]} to ${sorted[sorted.length - 1]} (${sorted.length} versions)`;
  return { ...base, versionRange, text: `${subject} ${raw.predicate}` };
}

/**
 * The facts behind these removals, each followed by the facts behind it (a chain reads in order:
 * "x requires y >= 2; the request fixes y 1.x"), one per reason with its versions merged.
 */
function collect(removals: Removal[]): Merged[] {
  const merged = new Map<string, Merged>();
  const seen = new Set<Removal>();
  const visit = (r: Removal): void => {
    if (seen.has(r)) return;
    seen.add(r);
    for (const f of r.facts) {
      const key = factKey(f);
      const m = merged.get(key);
      if (m) m.versions.push(f.version);
      else merged.set(key, { raw: f, versions: [f.version] });
    }
    for (const s of r.supports) visit(s);
  };
  for (const r of removals) visit(r);
  return [...merged.values()];
}

export function conclusionOf(v: Variable): string {
  if (v.origin === 'SLOT') return `so no pack fits ${v.label}`;
  return `so no version of ${v.label} fits`;
}

function layersOf(problem: Problem, facts: ExplanationFact[], extra: string[]): string[] {
  const labels = new Set<string>(extra);
  for (const f of facts) {
    for (const pack of [f.pack, f.otherPack]) {
      if (!pack) continue;
      const holder = problem.variables.find((v) => v.label === pack) ?? problem.variables.find((v) => v.values.some((c) => c?.pack === pack));
      labels.add(holder ? holder.label : pack);
    }
  }
  return [...labels];
}

export function explanationOf(problem: Problem, facts: ExplanationFact[], conclusion: string, involved: string[]): Explanation {
  const sentences = [...facts.map((f) => f.text), ...(conclusion ? [conclusion] : [])];
  return { facts, layers: layersOf(problem, facts, involved), text: sentences.join('; ') };
}

/** The explanation of the variables `wiped` left empty in `d`: the shortest one. */
export function explainWipe(problem: Problem, d: Domains, wiped: number[]): Explanation {
  let best: Explanation | null = null;
  for (const w of wiped) {
    const variable = problem.variables[w];
    const removals = d.removal[w].filter((r): r is Removal => r !== null);
    const facts = collect(removals).map((m) => render(problem, m));
    const found = explanationOf(problem, facts, conclusionOf(variable), [variable.label]);
    if (!best || found.facts.length < best.facts.length) best = found;
  }
  return best!;
}

/** A request impossible whatever the versions (two CNI layers, a pack the catalog lacks). */
export function explainStructure(problem: Problem): Explanation {
  const facts: ExplanationFact[] = problem.structural.map((f) => ({
    pack: f.pack,
    versionRange: '*',
    relation: f.relation,
    otherPack: f.otherPack,
    otherRange: f.otherRange,
    text: f.standalone ?? f.predicate,
  }));
  return explanationOf(problem, facts, 'so no profile fits the request', []);
}
