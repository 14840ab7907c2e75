/**
 * Whether two candidates can stand in one profile, and if not, the facts why: the dependency rules
 * validation applies (rules/dependencies.ts: required, optional and notSupported with min/max,
 * compared the same way), a chart's `kubeVersion` against the Kubernetes layer (vendor suffixes
 * normalised: kube-version.ts), and one pack once (DUPLICATE_PACK).
 */
import { isVersionInRange } from '../../packs/version.js';
import { hasBounds, rangeText } from './build-problem.js';
import { satisfiesKubeVersion } from './kube-version.js';
import type { Problem, RawFact, Value, Variable } from './problem.js';

function oneWay(problem: Problem, x: NonNullable<Value>, Y: Variable, y: Value, out: RawFact[]): void {
  for (const dep of x.dependencies) {
    if (dep.type !== 'required' && dep.type !== 'optional' && dep.type !== 'notSupported') continue;
    const range = rangeText(dep);
    const base = { pack: x.pack, version: x.version, otherPack: dep.packName, otherRange: range };
    if (y !== null && y.pack === dep.packName) {
      if (!hasBounds(dep)) continue;
      const inRange = isVersionInRange(y.version, dep.minVersion, dep.maxVersion);
      if (dep.type === 'notSupported' && inRange) {
        out.push({ ...base, relation: 'NOT_SUPPORTED_WITH', predicate: `does not support ${dep.packName} ${range}` });
      } else if (dep.type !== 'notSupported' && !inRange) {
        out.push({ ...base, relation: 'REQUIRES', predicate: `requires ${dep.packName} ${range}` });
      }
    } else if (dep.type === 'required' && problem.holderOf.get(dep.packName) === Y.index && problem.mustHold(dep.packName, dep.layer)) {
      out.push({ ...base, relation: 'REQUIRES', predicate: `requires ${dep.packName}${hasBounds(dep) ? ` ${range}` : ''}` });
    }
  }
  if (Y.isKubernetes && y !== null && x.kubeVersion && !satisfiesKubeVersion(y.version, x.kubeVersion)) {
    out.push({
      pack: x.pack,
      version: x.version,
      relation: 'NEEDS_KUBERNETES',
      otherPack: y.pack,
      otherRange: x.kubeVersion,
      predicate: `needs Kubernetes ${x.kubeVersion} (its chart's kubeVersion)`,
    });
  }
}

/** The facts that keep X=x and Y=y apart; null when they fit together. */
export function conflictOf(problem: Problem, X: Variable, x: Value, Y: Variable, y: Value): RawFact[] | null {
  const out: RawFact[] = [];
  if (x !== null) oneWay(problem, x, Y, y, out);
  if (y !== null) oneWay(problem, y, X, x, out);
  if (x !== null && y !== null && x.pack === y.pack) {
    out.push({ pack: x.pack, version: x.version, relation: 'SAME_PACK', otherPack: y.pack, otherRange: null, predicate: `would be in the profile twice (${X.label} and ${Y.label})` });
  }
  return out.length > 0 ? out : null;
}

/** Whether any pair of values of X and Y can conflict: the search revises only such pairs. */
export function canInteract(problem: Problem, X: Variable, Y: Variable): boolean {
  const packsOf = (V: Variable) => new Set(V.values.flatMap((v) => (v ? [v.pack] : [])));
  const px = packsOf(X);
  const py = packsOf(Y);
  for (const p of px) if (py.has(p)) return true;
  const reaches = (A: Variable, pa: Set<string>, B: Variable, pb: Set<string>) =>
    A.values.some(
      (v) =>
        v !== null &&
        ((B.isKubernetes && v.kubeVersion !== null) ||
          v.dependencies.some((d) => pb.has(d.packName) || (d.type === 'required' && problem.holderOf.get(d.packName) === B.index))),
    ) && pa.size > 0;
  return reaches(X, px, Y, py) || reaches(Y, py, X, px);
}
