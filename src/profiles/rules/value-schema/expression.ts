/**
 * Parsing schema.yaml expressions (Palette "pack values constraints"): the pipeline
 * `{{ required | format "${number:[1-10]}" | hints "..." }}` into a SchemaRule, and format
 * templates into literal and placeholder tokens. What is not understood is reported, never thrown.
 */

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
