/**
 * Checking one value against a parsed format template: each placeholder type (free text, number,
 * boolean, IP addresses, CIDR, version, list) and its constraint, and composite templates.
 */

import { isIPv4, isIPv6 } from 'node:net';

import { parseVersion } from '../../../packs/version.js';
import type { FormatConstraint, FormatToken, ParsedFormat } from './expression.js';

const FREE_TEXT_TYPES = new Set(['string', 'password', 'input']);
const NUMBER_PATTERN = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const MACRO_PATTERN = /\{\{[\s\S]*?\}\}/;

export function isScalar(value: unknown): value is string | number | boolean | bigint | null | undefined {
  return value === null || value === undefined || ['string', 'number', 'boolean', 'bigint'].includes(typeof value);
}

export function scalarText(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/** Missing, null or blank text: what `required` refuses. Empty maps and lists count as empty too. */
export function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

/** A `{{ ... }}` macro anywhere in the value: resolved at deploy time, so formats aren't checked. */
export function containsMacro(value: unknown): boolean {
  return typeof value === 'string' && MACRO_PATTERN.test(value);
}

function isIpv4Cidr(text: string): boolean {
  const [ip, bits, extra] = text.split('/');
  return extra === undefined && bits !== undefined && isIPv4(ip) && /^\d{1,2}$/.test(bits) && Number(bits) <= 32;
}

/** Whether `text` is a version in the sense of `${version}`: at least `major.minor`, optional `v`. */
export function isVersionText(text: string): boolean {
  const parsed = parseVersion(text);
  return parsed !== null && parsed.numbers.length >= 2;
}

function describeRange(min?: number, max?: number): string {
  if (min !== undefined && max !== undefined) return `between ${min} and ${max}`;
  if (min !== undefined) return `at least ${min}`;
  return `at most ${max}`;
}

/** Check one piece of text against one placeholder: null when it fits, else why not. */
export function checkPlaceholder(type: string, constraint: FormatConstraint | undefined, text: string): string | null {
  switch (type) {
    case 'number':
      if (!NUMBER_PATTERN.test(text.trim())) return 'must be a number';
      if (constraint?.kind === 'range') {
        const n = Number(text);
        if ((constraint.min !== undefined && n < constraint.min) || (constraint.max !== undefined && n > constraint.max)) {
          return `must be ${describeRange(constraint.min, constraint.max)}`;
        }
      }
      break;
    case 'boolean':
      if (!/^(true|false)$/i.test(text.trim())) return 'must be true or false';
      break;
    case 'ipv4':
      if (!isIPv4(text.trim())) return 'must be an IPv4 address';
      break;
    case 'ipv6':
      if (!isIPv6(text.trim())) return 'must be an IPv6 address';
      break;
    case 'ipv4cidr':
      if (!isIpv4Cidr(text.trim())) return 'must be an IPv4 CIDR (a.b.c.d/n)';
      break;
    case 'version':
      if (!isVersionText(text.trim())) return 'must be a version (x.y.z)';
      break;
    case 'list':
      break;
    default:
      if (!FREE_TEXT_TYPES.has(type)) return `has unsupported format type \${${type}}`;
  }
  if (constraint?.kind === 'list' && !constraint.options.includes(text.trim())) {
    return `must be one of: ${constraint.options.join(', ')}`;
  }
  if (constraint?.kind === 'regex') {
    constraint.pattern.lastIndex = 0;
    if (!constraint.pattern.test(text)) return `must match /${constraint.source}/`;
  }
  return null;
}

/** Can `text` be split so every placeholder gets a non-empty piece that fits it? (memoised backtracking) */
function matchesComposite(tokens: FormatToken[], text: string): boolean {
  const failed = new Set<string>();
  const match = (ti: number, pos: number): boolean => {
    if (ti === tokens.length) return pos === text.length;
    const key = `${ti}:${pos}`;
    if (failed.has(key)) return false;
    const token = tokens[ti];
    let ok = false;
    if (token.kind === 'literal') {
      ok = text.startsWith(token.text, pos) && match(ti + 1, pos + token.text.length);
    } else {
      const next = tokens[ti + 1];
      for (let end = text.length; end > pos && !ok; end--) {
        if (next?.kind === 'literal' && !text.startsWith(next.text, end)) continue;
        if (next === undefined && end !== text.length) continue;
        ok = checkPlaceholder(token.type, token.constraint, text.slice(pos, end)) === null && match(ti + 1, end);
      }
    }
    if (!ok) failed.add(key);
    return ok;
  };
  return match(0, 0);
}

/** Check a value against a parsed format: null when it fits, else a message (without the path). */
export function checkFormat(format: ParsedFormat, value: unknown): string | null {
  if (!isScalar(value)) return `must be a single value matching "${format.source}", not a map or a list`;
  const text = scalarText(value);
  const [only] = format.tokens;
  if (format.tokens.length === 1 && only.kind === 'placeholder') {
    const problem = checkPlaceholder(only.type, only.constraint, text);
    return problem === null ? null : `${problem} (got ${JSON.stringify(text)})`;
  }
  return matchesComposite(format.tokens, text) ? null : `must match format "${format.source}" (got ${JSON.stringify(text)})`;
}
