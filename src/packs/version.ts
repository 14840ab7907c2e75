/**
 * Version ordering with the leniency real packs need: `1.27` (missing parts are 0), a leading `v`,
 * more than three numeric parts, pre-releases such as `0.30.0-5.5.2026` or `2.0.1-up.1` (below the
 * release), build metadata ignored. Strings that are not versions at all sort below every version,
 * alphabetically among themselves, so ordering is total and never throws.
 */

export interface ParsedVersion {
  numbers: number[];
  prerelease: Array<string | number>;
}

const VERSION_PATTERN = /^[vV]?(\d+(?:\.\d+)*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/** Sorting compares the same strings over and over: remember recent parses (bounded). */
const parsed = new Map<string, ParsedVersion | null>();
const PARSE_CACHE_SIZE = 10_000;

/** Strips one leading `v` from a version that otherwise starts with a digit (`v1.2.3` -> `1.2.3`). */
export function stripLeadingV(version: string): string {
  return /^v\d/.test(version) ? version.slice(1) : version;
}

export function parseVersion(input: string): ParsedVersion | null {
  let result = parsed.get(input);
  if (result === undefined) {
    result = parseVersionText(input);
    if (parsed.size >= PARSE_CACHE_SIZE) parsed.clear();
    parsed.set(input, result);
  }
  return result;
}

function parseVersionText(input: string): ParsedVersion | null {
  const match = VERSION_PATTERN.exec(input.trim());
  if (!match) return null;
  const numbers = match[1].split('.').map(Number);
  if (numbers.some((n) => !Number.isSafeInteger(n))) return null;
  const prerelease = match[2]
    ? match[2].split('.').filter((p) => p !== '').map((p) => (/^\d+$/.test(p) ? Number(p) : p))
    : [];
  return { numbers, prerelease };
}

function compareIdentifiers(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return Math.sign(a - b);
  if (typeof a === 'number') return -1; // numeric identifiers have lower precedence (semver 11.4.3)
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareParsed(a: ParsedVersion, b: ParsedVersion): number {
  const length = Math.max(a.numbers.length, b.numbers.length);
  for (let i = 0; i < length; i++) {
    const diff = (a.numbers[i] ?? 0) - (b.numbers[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return Math.sign(b.prerelease.length - a.prerelease.length);
  }
  const count = Math.max(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < count; i++) {
    if (a.prerelease[i] === undefined) return -1;
    if (b.prerelease[i] === undefined) return 1;
    const diff = compareIdentifiers(a.prerelease[i], b.prerelease[i]);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** Total order: negative when a < b, 0 when equal, positive when a > b. */
export function compareVersions(a: string, b: string): number {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  if (pa && pb) return compareParsed(pa, pb);
  if (pa) return 1;
  if (pb) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Newest first. */
export function sortVersionsDescending<T>(items: readonly T[], versionOf: (item: T) => string): T[] {
  return [...items].sort((x, y) => compareVersions(versionOf(y), versionOf(x)));
}

export function isValidVersion(input: string): boolean {
  return parseVersion(input) !== null;
}

/** Whether `version` lies in `min..max`, both inclusive; an empty or missing bound is open. */
export function isVersionInRange(version: string, min?: string | null, max?: string | null): boolean {
  if (min && min.trim() !== '' && compareVersions(version, min) < 0) return false;
  if (max && max.trim() !== '' && compareVersions(version, max) > 0) return false;
  return true;
}

/** A `min..max` range in words for messages: `1.27 to 1.30`, `>= 1.27`, `<= 1.30`. */
export function describeVersionRange(min?: string | null, max?: string | null): string {
  const lo = min?.trim() ?? '';
  const hi = max?.trim() ?? '';
  if (lo && hi) return `${lo} to ${hi}`;
  return lo ? `>= ${lo}` : `<= ${hi}`;
}

const PARENT_TAG_PATTERN = /^[vV]?(\d+(?:\.\d+)*)\.x$/;

/** Parent tags (`1.x`, `1.29.x`) name the newest version under a numeric prefix. */
export function isParentTag(tag: string): boolean {
  return PARENT_TAG_PATTERN.test(tag);
}

/** Whether `version` falls under the parent tag (`1.29.x` matches `1.29.4`, not `1.290.0`). */
export function matchesParentTag(version: string, parentTag: string): boolean {
  const match = PARENT_TAG_PATTERN.exec(parentTag);
  const parsed = parseVersion(version);
  if (!match || !parsed) return false;
  const prefix = match[1].split('.').map(Number);
  return prefix.every((n, i) => parsed.numbers[i] === n);
}

/** The parent tags a version belongs to: `1.29.4` -> [`1.x`, `1.29.x`]. */
export function parentTagsOf(version: string): string[] {
  const parsed = parseVersion(version);
  if (!parsed || parsed.numbers.length < 2) return [];
  const tags: string[] = [];
  for (let i = 1; i < parsed.numbers.length; i++) tags.push(`${parsed.numbers.slice(0, i).join('.')}.x`);
  return tags;
}

/**
 * Resolve a reference against a pack's versions: an exact version, a publisher tag, a parent tag
 * (newest matching release, or newest pre-release if no release matches) or `latest`.
 * Returns the matching version string or null.
 */
export function resolveVersionReference(
  reference: string,
  versions: readonly string[],
  tags: ReadonlyMap<string, string> = new Map(),
): string | null {
  const ref = reference.trim();
  if (versions.includes(ref)) return ref;
  const tagged = tags.get(ref);
  if (tagged !== undefined && versions.includes(tagged)) return tagged;
  const newestOf = (candidates: string[]): string | null => {
    // A string that is not a version (a mirrored `not-a-version`) is never the newest: only an exact reference or a tag names it.
    const ordered = candidates.filter((v) => parseVersion(v) !== null);
    if (ordered.length === 0) return null;
    const releases = ordered.filter((v) => parseVersion(v)!.prerelease.length === 0);
    const pool = releases.length > 0 ? releases : ordered;
    return sortVersionsDescending(pool, (v) => v)[0];
  };
  if (ref === 'latest' || ref === '') return newestOf([...versions]);
  if (isParentTag(ref)) return newestOf(versions.filter((v) => matchesParentTag(v, ref)));
  // A leading `v` on an otherwise exact version (`v1.2.3` for `1.2.3`) is accepted.
  const withoutV = ref.replace(/^[vV]/, '');
  if (withoutV !== ref && versions.includes(withoutV)) return withoutV;
  return null;
}
