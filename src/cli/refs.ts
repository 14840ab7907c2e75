/** Pure parsers for what users type: pack references, layers, durations. */
import { UsageError } from './errors.js';

/** `NAME`, `NAME:VERSION`, `NAME:TAG` or `NAME@sha256:<hex>`. */
export interface PackRef {
  name: string;
  /** The version, tag or parent tag after `:`; undefined when none was given. */
  version?: string;
  /** `sha256:<hex>` when the reference pinned a digest. */
  digest?: string;
}

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

/**
 * Parse a pack reference. `what` names the expected shape in error messages. Names cannot hold
 * `:` or `@`, so the first of them ends the name.
 */
export function parsePackRef(text: string, what = 'NAME[:VERSION|:TAG|@sha256:DIGEST]'): PackRef {
  const raw = text.trim();
  const at = raw.indexOf('@');
  if (at >= 0) {
    const name = raw.slice(0, at);
    const digest = raw.slice(at + 1).toLowerCase();
    checkName(name, raw, what);
    if (!DIGEST_PATTERN.test(digest)) {
      throw new UsageError(`"${raw}": a digest is sha256: followed by 64 hex digits (expected ${what}).`);
    }
    return { name, digest };
  }
  const colon = raw.indexOf(':');
  if (colon < 0) {
    checkName(raw, raw, what);
    return { name: raw };
  }
  const name = raw.slice(0, colon);
  const version = raw.slice(colon + 1);
  checkName(name, raw, what);
  if (version === '' || /[:\s/@]/.test(version)) throw new UsageError(`"${raw}" is not a pack reference (expected ${what}).`);
  return { name, version };
}

/** A reference that must name a version or tag: `NAME:VERSION` (pack rm, tag add) or `NAME:TAG`. */
export function parseVersionedRef(text: string, what = 'NAME:VERSION'): Required<Pick<PackRef, 'name' | 'version'>> {
  const ref = parsePackRef(text, what);
  if (ref.digest || !ref.version) throw new UsageError(`"${text}" must be ${what}.`);
  return { name: ref.name, version: ref.version };
}

/** What `packVersion(version:)` takes for a reference: the version or tag, the digest, or `latest`. */
export function versionQueryOf(ref: PackRef): string {
  return ref.digest ?? ref.version ?? 'latest';
}

/**
 * A publisher tag (`group__label`) close to what was typed, for the hint after a refused one:
 * `stable` on 2.1.3 -> `stable__2.1.3`, `Stable Release` -> `stable-release__2.1.3`,
 * `LTS__1.29` -> `lts__1.29`. The server decides what is valid; this only proposes.
 */
export function suggestPublisherTag(typed: string, version: string): string {
  const split = typed.indexOf('__');
  const [groupText, labelText] = split >= 0 ? [typed.slice(0, split), typed.slice(split + 2)] : [typed, ''];
  const group =
    groupText
      .toLowerCase()
      .replace(/[^a-z0-9.-]+/g, '-')
      .replace(/^[^a-z0-9]+|[-.]+$/g, '')
      .slice(0, 63) || 'stable';
  const label = labelText.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 63) || version;
  return `${group}__${label}`;
}

function checkName(name: string, raw: string, what: string): void {
  if (!NAME_PATTERN.test(name)) throw new UsageError(`"${raw}" is not a pack reference (expected ${what}).`);
}

export const LAYERS = ['KERNEL', 'OS', 'K8S', 'CNI', 'CSI', 'ADDON'] as const;
export type LayerName = (typeof LAYERS)[number];

/** `addon`, `ADDON`, `os,k8s` -> the API's Layer values. */
export function parseLayers(values: readonly string[]): LayerName[] {
  const layers: LayerName[] = [];
  for (const value of values.flatMap((v) => v.split(','))) {
    const upper = value.trim().toUpperCase().replace(/-/g, '') as LayerName;
    if (upper === ('' as LayerName)) continue;
    if (!LAYERS.includes(upper)) throw new UsageError(`Unknown layer "${value}" (one of ${LAYERS.map((l) => l.toLowerCase()).join(', ')}).`);
    if (!layers.includes(upper)) layers.push(upper);
  }
  return layers;
}

const DURATION_UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000, y: 365 * 86_400_000 };

/**
 * When a token given `--expires` ends: a duration from now (`90m`, `12h`, `30d`, `2w`, `1y`) or a
 * date (`2026-01-31`, an ISO date-time). Dates in the past are refused.
 */
export function parseExpiry(text: string, now: Date = new Date()): Date {
  const raw = text.trim();
  const duration = /^(\d+)\s*([mhdwy])$/i.exec(raw);
  let at: Date;
  if (duration) {
    const amount = Number(duration[1]);
    if (amount <= 0) throw new UsageError(`--expires ${raw}: the duration must be positive.`);
    at = new Date(now.getTime() + amount * DURATION_UNITS[duration[2].toLowerCase()]);
  } else if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw)) {
    at = new Date(raw);
    if (Number.isNaN(at.getTime())) throw new UsageError(`--expires ${raw} is not a date.`);
  } else {
    throw new UsageError(`--expires ${raw}: give a duration (30d, 12h, 90m, 2w, 1y) or a date (2026-01-31).`);
  }
  if (at.getTime() <= now.getTime()) throw new UsageError(`--expires ${raw} is in the past.`);
  return at;
}
