/**
 * The versions nearest to one that does not exist, for "not found" answers: `crossplane:9.9` with
 * 2.1.3, 2.1.2 and 1.0.0 published lists 2.1.3 first. Pure; ordering ties break newest first.
 */
import { compareVersions, parseVersion } from './version.js';

/**
 * Up to `limit` of `available`, closest to `wanted` first: the fewest differing leading numbers,
 * then the smallest difference at the first one that differs. A reference that is no version (a
 * tag, a parent tag `3.x`) counts its numeric prefix; with none, the newest versions come back.
 */
export function closestVersions(wanted: string, available: readonly string[], limit = 5): string[] {
  const target = numericPrefix(wanted);
  const unique = [...new Set(available)];
  const newestFirst = (a: string, b: string) => compareVersions(b, a);
  if (target.length === 0) return unique.sort(newestFirst).slice(0, limit);
  const distance = (version: string): [number, number] => {
    const numbers = parseVersion(version)?.numbers ?? [];
    for (let i = 0; i < target.length; i += 1) {
      const have = numbers[i] ?? 0;
      if (have !== target[i]) return [target.length - i, Math.abs(have - target[i])];
    }
    return [0, 0];
  };
  return unique
    .map((version) => ({ version, distance: distance(version) }))
    .sort((a, b) => a.distance[0] - b.distance[0] || a.distance[1] - b.distance[1] || newestFirst(a.version, b.version))
    .slice(0, limit)
    .map((entry) => entry.version);
}

/** `9.9` -> [9, 9]; `1.31.x` -> [1, 31]; `v2` -> [2]; `lts__1.29.4` -> [] (a tag names no version). */
function numericPrefix(reference: string): number[] {
  const match = /^[vV]?(\d+(?:\.\d+)*)/.exec(reference.trim());
  return match ? match[1].split('.').map(Number).filter(Number.isSafeInteger) : [];
}
