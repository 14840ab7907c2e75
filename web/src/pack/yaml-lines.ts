/**
 * A small YAML highlighter for a read-only view: each line split into typed tokens, and the dotted
 * key path each key line sets (`manifests.metallb-config.mode`), which is how schema.yaml names
 * its parameters, so a rule can be shown next to its line. Line based on purpose (values.yaml files
 * are block-style YAML); no DOM: unit-tested in test/unit/web/yaml-lines.test.ts.
 */
export type TokenType = 'key' | 'punct' | 'string' | 'number' | 'bool' | 'null' | 'comment' | 'text';

export interface Token {
  type: TokenType;
  text: string;
}

export interface YamlLine {
  tokens: Token[];
  /** The key path this line sets, or null (comments, list scalars, block text). */
  path: string | null;
}

const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"\-?:,[\]{}][^#]*?|-[^\s#][^#]*?)(\s*:)(?=\s|$)/;

function scalarType(value: string): TokenType {
  const v = value.trim();
  if (/^(["']).*\1$/.test(v)) return 'string';
  if (/^(true|false|yes|no|on|off)$/i.test(v)) return 'bool';
  if (/^(null|~)$/i.test(v)) return 'null';
  if (/^[-+]?(\d[\d_]*)(\.\d+)?([eE][-+]?\d+)?$/.test(v) || /^0x[0-9a-fA-F]+$/.test(v)) return 'number';
  if (/^[|>][-+0-9]*$/.test(v)) return 'punct';
  if (/^[[{]/.test(v)) return 'text';
  return 'string';
}

/** Splits a value from its trailing comment (` # …` outside quotes). */
function splitComment(rest: string): [string, string] {
  let quote: string | null = null;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(rest[i - 1]))) return [rest.slice(0, i), rest.slice(i)];
  }
  return [rest, ''];
}

function valueTokens(rest: string): Token[] {
  const tokens: Token[] = [];
  const [value, comment] = splitComment(rest);
  const lead = /^\s*/.exec(value)![0];
  const body = value.slice(lead.length);
  const trail = /\s*$/.exec(body)![0];
  const core = body.slice(0, body.length - trail.length);
  if (lead) tokens.push({ type: 'text', text: lead });
  if (core) tokens.push({ type: scalarType(core), text: core });
  if (trail) tokens.push({ type: 'text', text: trail });
  if (comment) tokens.push({ type: 'comment', text: comment });
  return tokens;
}

const unquote = (key: string) => (/^(["']).*\1$/.test(key) ? key.slice(1, -1) : key);

export function yamlLines(text: string): YamlLine[] {
  const stack: { indent: number; key: string }[] = [];
  let blockIndent: number | null = null; // inside a `|` or `>` scalar started by a key at this indent
  const out: YamlLine[] = [];
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const indent = /^ */.exec(line)![0].length;
    if (blockIndent !== null) {
      if (line.trim() === '' || indent > blockIndent) {
        out.push({ tokens: line ? [{ type: 'string', text: line }] : [], path: null });
        continue;
      }
      blockIndent = null;
    }
    const tokens: Token[] = [];
    let rest = line.slice(indent);
    if (indent) tokens.push({ type: 'text', text: line.slice(0, indent) });
    if (rest.startsWith('#') || rest === '') {
      if (rest) tokens.push({ type: 'comment', text: rest });
      out.push({ tokens, path: null });
      continue;
    }
    if (rest === '---' || rest === '...') {
      tokens.push({ type: 'punct', text: rest });
      out.push({ tokens, path: null });
      continue;
    }
    // `- ` list markers: the item's keys sit at the column after the marker.
    let keyIndent = indent;
    let inList = false;
    const dash = /^(-\s+)+/.exec(rest) ?? (rest === '-' ? ['-'] : null);
    if (dash) {
      tokens.push({ type: 'punct', text: dash[0] });
      keyIndent += dash[0].length;
      rest = rest.slice(dash[0].length);
      inList = true;
    }
    const key = KEY.exec(rest);
    let path: string | null = null;
    if (key) {
      const name = unquote(key[1].trim());
      while (stack.length && stack[stack.length - 1].indent >= keyIndent) stack.pop();
      // A key in a list item is addressed under the list's key (schema.yaml does not index lists).
      if (inList) while (stack.length && stack[stack.length - 1].indent >= indent) stack.pop();
      stack.push({ indent: keyIndent, key: name });
      path = stack.map((s) => s.key).join('.');
      tokens.push({ type: 'key', text: key[1] }, { type: 'punct', text: key[2] });
      const value = rest.slice(key[0].length);
      const [bare] = splitComment(value);
      if (/^\s*[|>][-+0-9]*\s*$/.test(bare)) blockIndent = indent;
      tokens.push(...valueTokens(value));
    } else {
      tokens.push(...valueTokens(rest));
    }
    out.push({ tokens, path });
  }
  return out;
}
