/**
 * schema.yaml expressions (Palette "pack values constraints") and the checks they imply, as pure
 * functions over parsed values.
 *
 * An expression is a Go-template-like pipeline: `{{ required | format "${number:[1-10]}" | hints "..." }}`.
 * Functions: `required`, `readonly`, `format "<template>"`, `hints "a" "b" ...`. A format template
 * is literal text with placeholders `${TYPE}` or `${TYPE:CONSTRAINT}`, where CONSTRAINT is `/REGEX/`
 * (RE2 syntax, unanchored like Go's MatchString), `[MIN-MAX]` (number) or `[A,B,C]` (list options).
 * Several placeholders combine (`${string}/${string}:${version}`, `${ipv4} - ${ipv4}`); the value
 * must split into pieces that each satisfy their placeholder.
 *
 * Types: `string`, `password`, `input` (free text; `input` is undocumented but used by real packs),
 * `number`, `boolean`, `ipv4`, `ipv6`, `ipv4cidr`, `version`, `list`. Free-text types accept any
 * scalar (a YAML number is fine for `${string}`), since Palette checks the text the user typed.
 *
 * Parameter paths are dotted (`charts.foo.replicas`); a key that itself contains dots is found by
 * joining segments, `$[]` stands for every element of a list and a numeric segment for one.
 */

import { isIPv4, isIPv6 } from 'node:net';

import type { PackValueSchema } from '../packs/pack.types.js';
import { parseVersion } from '../packs/version.js';

export type FormatConstraint =
  | { kind: 'regex'; source: string; pattern: RegExp }
  | { kind: 'range'; min?: number; max?: number }
  | { kind: 'list'; options: string[] };

export type FormatToken =
  | { kind: 'literal'; text: string }
  | { kind: 'placeholder'; type: string; constraint?: FormatConstraint };

export interface ParsedFormat {
  source: string;
  tokens: FormatToken[];
}

export interface SchemaRule {
  required: boolean;
  readonly: boolean;
  /** null when the expression has no `format` or its format could not be understood. */
  format: ParsedFormat | null;
  hints: string[];
}

export interface ParsedSchemaExpression {
  rule: SchemaRule;
  /** Parts of the expression that were not understood (and so are not checked). */
  problems: string[];
}

export const FORMAT_TYPES = [
  'string',
  'password',
  'input',
  'number',
  'boolean',
  'ipv4',
  'ipv6',
  'ipv4cidr',
  'version',
  'list',
] as const;

const FREE_TEXT_TYPES = new Set(['string', 'password', 'input']);
const NUMBER_PATTERN = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const MACRO_PATTERN = /\{\{[\s\S]*?\}\}/;

type ExpressionToken = { kind: 'word'; text: string } | { kind: 'string'; text: string } | { kind: 'pipe' };

function tokenizeExpression(inner: string): ExpressionToken[] | string {
  const tokens: ExpressionToken[] = [];
  let i = 0;
  while (i < inner.length) {
    const ch = inner[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '|') {
      tokens.push({ kind: 'pipe' });
      i++;
    } else if (ch === '"') {
      let text = '';
      i++;
      while (i < inner.length && inner[i] !== '"') {
        // Only \" and \\ are unescaped, so a regex written `\d` or `\\d` means the same thing.
        if (inner[i] === '\\' && (inner[i + 1] === '"' || inner[i + 1] === '\\')) {
          text += inner[i + 1];
          i += 2;
        } else {
          text += inner[i++];
        }
      }
      if (i >= inner.length) return 'unterminated string';
      i++;
      tokens.push({ kind: 'string', text });
    } else if (ch === '`') {
      const end = inner.indexOf('`', i + 1);
      if (end < 0) return 'unterminated raw string';
      tokens.push({ kind: 'string', text: inner.slice(i + 1, end) });
      i = end + 1;
    } else {
      let text = '';
      while (i < inner.length && !/[\s|"`]/.test(inner[i])) text += inner[i++];
      tokens.push({ kind: 'word', text });
    }
  }
  return tokens;
}

/** Translate the RE2 spellings JavaScript lacks: `(?P<name>` and leading inline flags. */
export function compileRe2(source: string): RegExp {
  let body = source.replace(/\(\?P</g, '(?<');
  let flags = '';
  const inline = /^\(\?([imsU]+)\)/.exec(body);
  if (inline) {
    flags = [...new Set(inline[1].replace(/U/g, '').split(''))].join('');
    body = body.slice(inline[0].length);
  }
  return new RegExp(body, flags);
}

function parseConstraint(type: string, raw: string): FormatConstraint | string {
  if (raw.startsWith('/') && raw.endsWith('/') && raw.length >= 2) {
    const source = raw.slice(1, -1);
    try {
      return { kind: 'regex', source, pattern: compileRe2(source) };
    } catch {
      return `invalid regular expression /${source}/`;
    }
  }
  if (raw.startsWith('[') && raw.endsWith(']')) {
    const inner = raw.slice(1, -1);
    if (type === 'number') {
      const text = inner.trim();
      if (/^[+-]?\d+(?:\.\d+)?$/.test(text)) return { kind: 'range', min: Number(text), max: Number(text) };
      const range = /^([+-]?\d+(?:\.\d+)?)?\s*-\s*([+-]?\d+(?:\.\d+)?)?$/.exec(text);
      if (!range || (range[1] === undefined && range[2] === undefined)) return `invalid number range [${inner}]`;
      return {
        kind: 'range',
        min: range[1] === undefined ? undefined : Number(range[1]),
        max: range[2] === undefined ? undefined : Number(range[2]),
      };
    }
    return { kind: 'list', options: inner.split(',').map((o) => o.trim()) };
  }
  return `unsupported constraint "${raw}" for \${${type}}`;
}

/** Parse a format template (`${string}/${string}:${version}`) into literal and placeholder tokens. */
export function parseFormat(source: string): ParsedFormat | string {
  const tokens: FormatToken[] = [];
  let literal = '';
  let i = 0;
  while (i < source.length) {
    if (source[i] !== '$' || source[i + 1] !== '{') {
      literal += source[i++];
      continue;
    }
    const name = /^[A-Za-z0-9_]+/.exec(source.slice(i + 2));
    if (!name) return `invalid placeholder at "${source.slice(i)}"`;
    const type = name[0].toLowerCase();
    if (!(FORMAT_TYPES as readonly string[]).includes(type)) return `unsupported format type \${${name[0]}}`;
    let j = i + 2 + name[0].length;
    let constraint: FormatConstraint | undefined;
    if (source[j] === ':') {
      const rest = source.slice(j + 1);
      let end: number;
      if (rest.startsWith('/')) end = rest.indexOf('/}', 1) + 1;
      else if (rest.startsWith('[')) end = rest.indexOf(']}') + 1;
      else end = rest.indexOf('}');
      if (end <= 0) return `unterminated placeholder "${source.slice(i)}"`;
      const parsed = parseConstraint(type, rest.slice(0, end));
      if (typeof parsed === 'string') return parsed;
      constraint = parsed;
      j = j + 1 + end;
    }
    if (source[j] !== '}') return `unterminated placeholder "${source.slice(i)}"`;
    if (type === 'list' && constraint?.kind !== 'list') return '${list} needs options: ${list:[a,b]}';
    if (literal) tokens.push({ kind: 'literal', text: literal });
    literal = '';
    tokens.push({ kind: 'placeholder', type, constraint });
    i = j + 1;
  }
  if (literal) tokens.push({ kind: 'literal', text: literal });
  if (!tokens.some((t) => t.kind === 'placeholder')) return `format "${source}" has no \${type} placeholder`;
  return { source, tokens };
}

/** Parse one schema.yaml expression. Never throws: what isn't understood is listed in `problems`. */
export function parseSchemaExpression(expression: string): ParsedSchemaExpression {
  const rule: SchemaRule = { required: false, readonly: false, format: null, hints: [] };
  const problems: string[] = [];
  const trimmed = expression.trim();
  const wrapped = /^\{\{-?([\s\S]*?)-?\}\}$/.exec(trimmed);
  const tokens = tokenizeExpression(wrapped ? wrapped[1] : trimmed);
  if (typeof tokens === 'string') return { rule, problems: [tokens] };
  const commands: ExpressionToken[][] = [[]];
  for (const token of tokens) {
    if (token.kind === 'pipe') commands.push([]);
    else commands[commands.length - 1].push(token);
  }
  for (const command of commands) {
    if (command.length === 0) continue;
    const [head, ...args] = command;
    const name = head.kind === 'word' ? head.text : '';
    const strings = args.filter((a) => a.kind === 'string').map((a) => (a as { text: string }).text);
    switch (name) {
      case 'required':
        rule.required = true;
        break;
      case 'readonly':
        rule.readonly = true;
        break;
      case 'hints':
        rule.hints.push(...strings);
        break;
      case 'format': {
        if (strings.length !== 1) {
          problems.push('format takes one quoted template');
          break;
        }
        const parsed = parseFormat(strings[0]);
        if (typeof parsed === 'string') problems.push(parsed);
        else rule.format = parsed;
        break;
      }
      default:
        problems.push(`unknown schema function "${head.kind === 'word' ? head.text : JSON.stringify(head)}"`);
    }
  }
  return { rule, problems };
}

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

export interface ValueAtPath {
  /** The concrete path (`a.b[2].c` for `a.b.$[].c`). */
  path: string;
  found: boolean;
  value?: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function splitPath(path: string): string[] {
  // `a.b[0]` and `a.b$[]` are spelled `a.b.0` and `a.b.$[]` internally.
  return path
    .replace(/\$?\[(\d*)\]/g, (_m, index: string) => (index === '' ? '.$[]' : `.${index}`))
    .split('.')
    .filter((s) => s !== '');
}

function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base === '' ? key : `${base}.${key}`;
}

/**
 * Every value a parameter path designates in a values tree. A path that leads nowhere gives one
 * entry with `found: false`; `$[]` over an empty list gives none.
 */
export function valuesAtPath(root: unknown, path: string): ValueAtPath[] {
  const segments = splitPath(path);
  const walk = (node: unknown, i: number, at: string): ValueAtPath[] => {
    if (i === segments.length) return [{ path: at, found: true, value: node }];
    const segment = segments[i];
    if (Array.isArray(node)) {
      if (segment === '$[]') return node.flatMap((item, index) => walk(item, i + 1, joinPath(at, index)));
      if (/^\d+$/.test(segment) && Number(segment) < node.length) {
        return walk(node[Number(segment)], i + 1, joinPath(at, Number(segment)));
      }
      return [{ path: joinPath(at, segments.slice(i).join('.')), found: false }];
    }
    if (isPlainObject(node)) {
      // Keys may contain dots (`spectrocloud.com/display-name`): try `a`, then `a.b`, ...
      for (let j = i + 1; j <= segments.length; j++) {
        const key = segments.slice(i, j).join('.');
        if (Object.prototype.hasOwnProperty.call(node, key)) {
          const found = walk(node[key], j, joinPath(at, key));
          if (found.length === 0 || found.some((f) => f.found) || j === segments.length) return found;
        }
      }
    }
    return [{ path: joinPath(at, segments.slice(i).join('.')), found: false }];
  };
  return walk(root, 0, '');
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => deepEqual(a[k], b[k]));
  }
  // A value retyped by hand ("8080" for 8080) is the same value to Palette's text editor.
  return isScalar(a) && isScalar(b) && a !== undefined && b !== undefined && scalarText(a) === scalarText(b);
}

export interface SchemaViolation {
  /** The concrete values path. */
  path: string;
  kind: 'required' | 'format' | 'readonly';
  message: string;
}

export interface SchemaCheckResult {
  violations: SchemaViolation[];
  /** Schema entries (by parameter path) that could not be understood, with why. */
  unsupported: Array<{ path: string; message: string }>;
}

/**
 * Check parsed values against a pack's schema. `defaults` are the pack's own parsed values: given,
 * they make `readonly` parameters comparable (pass undefined when the layer uses the defaults as is).
 */
export function checkValuesAgainstSchema(values: unknown, schema: PackValueSchema, defaults?: unknown): SchemaCheckResult {
  const result: SchemaCheckResult = { violations: [], unsupported: [] };
  for (const [parameter, expression] of Object.entries(schema)) {
    if (typeof expression !== 'string') {
      result.unsupported.push({ path: parameter, message: 'schema entry is not an expression string' });
      continue;
    }
    const { rule, problems } = parseSchemaExpression(expression);
    for (const problem of problems) result.unsupported.push({ path: parameter, message: problem });
    const found = valuesAtPath(values, parameter);
    if (rule.required) {
      // `$[]` over an empty list designates nothing, which `required` refuses as well.
      const missing = found.length === 0 ? [{ path: parameter }] : found.filter((f) => !f.found || isEmptyValue(f.value));
      for (const m of missing) result.violations.push({ path: m.path, kind: 'required', message: `${m.path} is required` });
    }
    if (rule.format) {
      for (const f of found) {
        if (!f.found || isEmptyValue(f.value) || containsMacro(f.value)) continue;
        const problem = checkFormat(rule.format, f.value);
        if (problem) result.violations.push({ path: f.path, kind: 'format', message: `${f.path} ${problem}` });
      }
    }
    if (rule.readonly && defaults !== undefined) {
      const original = valuesAtPath(defaults, parameter);
      const same =
        original.length === found.length &&
        original.every((o, i) => o.found === found[i].found && (!o.found || deepEqual(o.value, found[i].value)));
      if (!same) {
        const kept = original.find((o) => o.found)?.value;
        result.violations.push({
          path: parameter,
          kind: 'readonly',
          message: `${parameter} is read-only: keep the pack's value ${JSON.stringify(kept ?? null)}`,
        });
      }
    }
  }
  return result;
}
