/**
 * Kubernetes versions as charts compare them. A chart's `kubeVersion` (Chart.yaml) is a Masterminds
 * semver constraint (`>= 1.21.0-0`, `^1.28`, `>=1.25 <1.32 || 1.33.x`, `1.26 - 1.30`); a cluster's
 * version often carries a vendor suffix (`1.31.2-gke.123`, `1.30.4+rke2r1`, `1.29.8-eks-1-29-20`)
 * that makes Helm read it as a pre-release below every plain constraint: the pitfall Helm users hit.
 * We compare the numeric part only.
 */
import { compareVersions, isParentTag, matchesParentTag, parseVersion } from '../../packs/version.js';

/** `1.31.2-gke.123` -> `1.31.2`, `v1.30.4+rke2r1` -> `1.30.4`; null when there is no leading MAJOR.MINOR. */
export function normaliseKubernetesVersion(version: string): string | null {
  const match = /^[vV]?(\d+)\.(\d+)(?:\.(\d+))?/.exec(version.trim());
  if (!match) return null;
  return `${match[1]}.${match[2]}.${match[3] ?? '0'}`;
}

type Comparator = (version: string) => boolean;

/** `1.2.x`, `1.*`, `1.2` as [numbers given, wildcard?]. */
function partsOf(text: string): { numbers: number[]; wildcard: boolean } | null {
  const bare = text.replace(/^[vV=]/, '').replace(/[-+].*$/, '');
  const pieces = bare.split('.');
  const numbers: number[] = [];
  let wildcard = false;
  for (const p of pieces) {
    if (p === 'x' || p === 'X' || p === '*') {
      wildcard = true;
      break;
    }
    if (!/^\d+$/.test(p)) return null;
    numbers.push(Number(p));
  }
  return numbers.length === 0 && !wildcard ? null : { numbers, wildcard };
}

const joined = (numbers: number[]) => [...numbers, 0, 0, 0].slice(0, Math.max(3, numbers.length)).join('.');
/** The first version above every version starting with `numbers` (`1.2` -> `1.3.0`). */
const nextOf = (numbers: number[]) => joined([...numbers.slice(0, -1), numbers[numbers.length - 1] + 1]);

function comparatorOf(op: string, operand: string): Comparator | null {
  const parts = partsOf(operand);
  if (!parts) return null;
  const { numbers } = parts;
  const partial = parts.wildcard || numbers.length < 3;
  const low = joined(numbers);
  const ge = (v: string) => compareVersions(v, low) >= 0;
  if (numbers.length === 0) return op === '<' || op === '!=' ? () => false : () => true;
  switch (op) {
    case '':
    case '=':
      return partial ? (v) => ge(v) && compareVersions(v, nextOf(numbers)) < 0 : (v) => compareVersions(v, low) === 0;
    case '!=':
      return partial ? (v) => !(ge(v) && compareVersions(v, nextOf(numbers)) < 0) : (v) => compareVersions(v, low) !== 0;
    case '>':
      return partial ? (v) => compareVersions(v, nextOf(numbers)) >= 0 : (v) => compareVersions(v, low) > 0;
    case '>=':
      return ge;
    case '<':
      return (v) => compareVersions(v, low) < 0;
    case '<=':
      return partial ? (v) => compareVersions(v, nextOf(numbers)) < 0 : (v) => compareVersions(v, low) <= 0;
    case '~':
    case '~>': {
      const upper = numbers.length >= 2 ? nextOf(numbers.slice(0, 2)) : nextOf(numbers.slice(0, 1));
      return (v) => ge(v) && compareVersions(v, upper) < 0;
    }
    case '^': {
      const firstNonZero = numbers.findIndex((n) => n !== 0);
      const upTo = firstNonZero === -1 ? numbers.length : firstNonZero + 1;
      const upper = nextOf(numbers.slice(0, Math.max(1, upTo)));
      return (v) => ge(v) && compareVersions(v, upper) < 0;
    }
    default:
      return null;
  }
}

/** One `||` alternative: comparators joined by spaces or commas, or a hyphen range. */
function alternativeOf(text: string): Comparator[] | null {
  const hyphen = /^\s*(\S+)\s+-\s+(\S+)\s*$/.exec(text);
  if (hyphen) {
    const low = comparatorOf('>=', hyphen[1]);
    const high = comparatorOf('<=', hyphen[2]);
    return low && high ? [low, high] : null;
  }
  const tokens = text.replace(/,/g, ' ').replace(/(>=|<=|!=|~>|>|<|=|~|\^)\s+/g, '$1').trim().split(/\s+/).filter(Boolean);
  if (tokens.length === 0) return [() => true];
  const comparators: Comparator[] = [];
  for (const token of tokens) {
    const match = /^(>=|<=|!=|~>|>|<|=|~|\^)?(.+)$/.exec(token)!;
    const comparator = comparatorOf(match[1] ?? '', match[2]);
    if (!comparator) return null;
    comparators.push(comparator);
  }
  return comparators;
}

/** A parsed constraint: `matches(version)` on the normalised version; null when the text is not a constraint. */
export function parseKubeVersionConstraint(text: string): ((version: string) => boolean) | null {
  const alternatives = text.split('||').map(alternativeOf);
  if (alternatives.some((a) => a === null)) return null;
  return (version) => {
    const normal = normaliseKubernetesVersion(version);
    if (normal === null) return false;
    return alternatives.some((a) => a!.every((c) => c(normal)));
  };
}

const parsedConstraints = new Map<string, ((version: string) => boolean) | null>();

/**
 * Whether a Kubernetes version (vendor suffix and all) satisfies a chart's `kubeVersion`. An
 * unreadable constraint restricts nothing (Helm would refuse the chart; validation is not ours to
 * redo here).
 */
export function satisfiesKubeVersion(version: string, constraint: string): boolean {
  let matcher = parsedConstraints.get(constraint);
  if (matcher === undefined) {
    matcher = parseKubeVersionConstraint(constraint);
    if (parsedConstraints.size > 1000) parsedConstraints.clear();
    parsedConstraints.set(constraint, matcher);
  }
  return matcher === null || matcher(version);
}

/**
 * Whether a Kubernetes version lies in the request's range: a parent tag (`1.31.x`), an exact
 * version (`1.31.2`, suffix ignored) or a constraint. Null range: any version.
 */
export function inKubernetesRange(version: string, range: string | null | undefined): boolean {
  const wanted = range?.trim();
  if (!wanted) return true;
  const normal = normaliseKubernetesVersion(version);
  if (normal === null) return false;
  if (isParentTag(wanted)) return matchesParentTag(normal, wanted);
  if (parseVersion(wanted) !== null) {
    const exact = normaliseKubernetesVersion(wanted);
    return exact !== null && (/^[vV]?\d+\.\d+$/.test(wanted) ? normal.startsWith(`${exact.slice(0, -2)}.`) : exact === normal);
  }
  return satisfiesKubeVersion(version, wanted);
}

/** Whether `range` is something inKubernetesRange reads (the input check). */
export function isKubernetesRange(range: string): boolean {
  const wanted = range.trim();
  return isParentTag(wanted) || parseVersion(wanted) !== null || parseKubeVersionConstraint(wanted) !== null;
}
