/**
 * A fast reader for the plain YAML that values files are written in, answering exactly what the
 * `yaml` library (YAML 1.2, core schema) would, or declining.
 *
 * Used by profile validation (a caller's values), the pack reader (parseValuesYaml: values,
 * presets, schema) and the Helm chart conversion; `yaml` stays the reader of everything declined.
 *
 * Why: reading a caller's values text is most of a validation (the `yaml` library builds a full
 * document model: about 0.5 ms per KB here, twenty times js-yaml's reader), and it is the one cost
 * no cache can take away. js-yaml reads the same text into the same values when (1) plain scalars
 * resolve by the core schema's rules (the types below copy the `yaml` library's own patterns), and
 * (2) the text stays inside the subset where the two readers agree. `readPlainYaml` declines
 * (answers undefined) whenever the text may leave that subset, and whenever js-yaml refuses it:
 * the caller then reads it with the `yaml` library, whose answer and error messages are the ones
 * VALUES_INVALID_YAML has always carried. test/unit/profiles/rules/plain-yaml.test.ts compares both
 * readers over every YAML file of the pack fixtures and over mutated copies of them.
 *
 * Declined (read by the `yaml` library instead), each a place where the readers differ:
 * - tags, anchors and aliases (`!t`, `&a`, `*a`), complex keys (`? `), directives and document markers;
 * - keys that are null (`null:`, `~:`, `:`, `{null}`) or flow collections (`[a]: 1`): `yaml` names them differently;
 * - content that starts indented, and empty sequence entries (a bare `-`): after either, js-yaml accepts a
 *   less indented line that `yaml` refuses;
 * - a flow collection left open at the end of a line (`yaml` checks its indentation, js-yaml doesn't),
 *   or holding another one (either may be a key); a quoted scalar left open at the end of a line;
 * - a comment glued to a quoted scalar or flow collection (`"x"#c`): `yaml` refuses it;
 * - a line over 1,000 characters (`yaml` limits implicit keys to 1,024), tabs, carriage returns, a BOM.
 * Block scalar content (the lines under `key: |`) is literal text to both readers: it is not examined.
 */
import jsyaml from 'js-yaml';

/** YAML 1.2 core schema scalars, with the `yaml` library's patterns and conversions (yaml/dist/schema/core). */
const NULL_PATTERN = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL_PATTERN = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_PATTERN = /^(?:0o[0-7]+|[-+]?[0-9]+|0x[0-9a-fA-F]+)$/;
const FLOAT_NAN_PATTERN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_PATTERN = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$|^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** Every plain scalar (keys included) is offered to each type: a first-character test keeps words cheap. */
function startsNumeric(data: string): boolean {
  const c = data.charCodeAt(0);
  return (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e;
}

const coreScalars = [
  new jsyaml.Type('tag:yaml.org,2002:null', {
    kind: 'scalar',
    resolve: (data: string) => data.length <= 4 && NULL_PATTERN.test(data),
    construct: () => null,
  }),
  new jsyaml.Type('tag:yaml.org,2002:bool', {
    kind: 'scalar',
    resolve: (data: string) => (data.length === 4 || data.length === 5) && BOOL_PATTERN.test(data),
    construct: (data: string) => data[0] === 't' || data[0] === 'T',
  }),
  new jsyaml.Type('tag:yaml.org,2002:int', {
    kind: 'scalar',
    resolve: (data: string) => startsNumeric(data) && INT_PATTERN.test(data),
    construct: (data: string) =>
      data.startsWith('0o') ? parseInt(data.substring(2), 8) : data.startsWith('0x') ? parseInt(data.substring(2), 16) : parseInt(data, 10),
  }),
  new jsyaml.Type('tag:yaml.org,2002:float', {
    kind: 'scalar',
    resolve: (data: string) => startsNumeric(data) && (FLOAT_NAN_PATTERN.test(data) || FLOAT_PATTERN.test(data)),
    construct: (data: string) => {
      if (FLOAT_NAN_PATTERN.test(data)) {
        return data.slice(-3).toLowerCase() === 'nan' ? NaN : data[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
      }
      return parseFloat(data);
    },
  }),
];

/** Strings, sequences and mappings (js-yaml's failsafe schema) plus the core scalars: no timestamps, merge keys or binary. */
const CORE_AS_YAML_READS_IT = jsyaml.FAILSAFE_SCHEMA.extend({ implicit: coreScalars });

/** A node starting with a tag, anchor or alias indicator: at a line's start, after `- `, `: `, `[`, `{` or `,`. */
const NODE_PROPERTY = /(?:^[ ]*(?:-[ ]+)*|:[ ]+|[[{,][ ]*)[!&*]/;
/** A null key in a flow collection (`{null}`, `{~: 1}`, `[: 1]`). */
const FLOW_NULL_KEY = /[[{,][ ]*(?:(?:~|null|Null|NULL)[ ]*[:,}]|:)/;
/** A block key that is null (`null:`, `~:`) or a flow collection (`[a]: 1`), after the line's indentation and `- `s. */
const NULL_KEY = /^(?:~|null|Null|NULL)[ ]*:(?:[ ]|$)/;
const FLOW_KEY = /^[[{].*[\]}][ ]*:(?:[ ]|$)/;
/** The first line of content indented: a root collection there reads differently when a later line is less indented. */
const INDENTED_ROOT = /^(?:[ ]*(?:#.*)?\n)*[ ]+[^ \n#]/;
/** A comment glued to what precedes it. */
const GLUED_COMMENT = /["'\]}]#/;
const UNSUPPORTED_CHARACTERS = /[\t\r\uFEFF]/;
/** Characters that make a line worth a closer look. */
const NOTABLE = /[!&*#[\]{}"'|>]/;
const MAX_LINE = 1000;

/** `key: |`, `- >-`...: a block scalar starts; an explicit indentation indicator (`|2`) is declined. */
const BLOCK_SCALAR_START = /(?:^[ ]*(?:-[ ]+)*|:[ ]+)[|>][-+]?[ ]*(?:#.*)?$/;
const BLOCK_INDENT_INDICATOR = /(?:^[ ]*(?:-[ ]+)*|:[ ]+)[|>][-+]?[0-9]/;

/**
 * One line of YAML structure (not block scalar content): false when its flow collections leave the
 * subset (left open at the end of the line, nested, or holding a multi-line quoted scalar). Quoted
 * scalars are skipped, so a `{{ macro }}` inside quotes stays in the subset; a quote only opens a
 * scalar where a node starts (a plain scalar may hold quote characters).
 */
function lineInsideSubset(line: string): boolean {
  let depth = 0;
  let nodeStart = true;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === ' ') continue;
    if (nodeStart && (c === '"' || c === "'")) {
      let j = i + 1;
      while (j < line.length) {
        if (c === '"' && line[j] === '\\') j += 2;
        else if (c === "'" && line[j] === "'" && line[j + 1] === "'") j += 2;
        else if (line[j] === c) break;
        else j++;
      }
      if (j >= line.length) return false;
      i = j;
      nodeStart = false;
      continue;
    }
    if (c === '#' && (i === 0 || line[i - 1] === ' ')) break;
    if (c === '[' || c === '{') {
      // A collection inside a flow collection may be a key (`{{ x }}`, `[{a: 1}: b]`), named differently by each reader.
      if (depth > 0) return false;
      depth++;
      nodeStart = true;
    } else if (c === ']' || c === '}') {
      depth--;
      nodeStart = false;
    } else if (c === ',') {
      nodeStart = true;
    } else if (c === '-' || c === ':' || c === '?') {
      // An indicator only when a space or the line's end follows (`a-b`, `a:b` are plain text).
      nodeStart = i + 1 === line.length || line[i + 1] === ' ';
    } else {
      nodeStart = false;
    }
  }
  return depth === 0;
}

/**
 * What a structure line (not block scalar content) must not start with, after its indentation and
 * `- `s (from `from` to `to` in `text`, `at` the first character after them): document markers and
 * directives, complex keys, null keys, flow collections as keys, and empty sequence entries.
 */
function lineStartInsideSubset(text: string, from: number, to: number, at: number): boolean {
  const c = text.charCodeAt(from);
  if (c === 0x25 /* % */ || (to - from >= 3 && (text.startsWith('---', from) || text.startsWith('...', from)))) return false;
  // An empty sequence entry (a bare `-`): js-yaml then takes a less indented `- ` line that `yaml` refuses.
  if (at === to) return !/-[ ]*$/.test(text.slice(from, to));
  const first = text.charCodeAt(at);
  const next = at + 1 < to ? text.charCodeAt(at + 1) : -1;
  if (first === 0x2d /* - */ && next === -1) return false;
  if ((first === 0x3f /* ? */ || first === 0x3a /* : */) && (next === -1 || next === 0x20)) return false;
  if ((first === 0x7e /* ~ */ || first === 0x6e /* n */ || first === 0x4e) /* N */ && NULL_KEY.test(text.slice(at, to))) return false;
  if ((first === 0x5b /* [ */ || first === 0x7b) /* { */ && FLOW_KEY.test(text.slice(at, to))) return false;
  return true;
}

/** A line holding a notable character (NOTABLE): tags and anchors, comments, flow collections, quotes, block scalars. */
function notableLineInsideSubset(line: string): boolean {
  // Each pattern only where its characters are: most notable lines hold just a comment or quotes.
  if (/[!&*]/.test(line) && NODE_PROPERTY.test(line)) return false;
  if (line.includes('#') && GLUED_COMMENT.test(line)) return false;
  const flow = line.includes('[') || line.includes('{');
  if (flow && FLOW_NULL_KEY.test(line)) return false;
  if ((flow || /[\]}"']/.test(line)) && !lineInsideSubset(line)) return false;
  return !(/[|>]/.test(line) && BLOCK_INDENT_INDICATOR.test(line));
}

const NOTABLE_ANYWHERE = new RegExp(NOTABLE.source, 'g');

function insideSubset(text: string): boolean {
  if (UNSUPPORTED_CHARACTERS.test(text) || INDENTED_ROOT.test(text)) return false;
  /** Inside a block scalar: lines indented deeper than this (or blank) are its content, not structure. */
  let blockIndent = -1;
  /** Where the next notable character is (one scan over the text, not one per line). */
  let notableAt = -1;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end - start > MAX_LINE) return false;
    let indentEnd = start;
    while (text.charCodeAt(indentEnd) === 0x20) indentEnd++;
    if (blockIndent >= 0) {
      if (indentEnd === end || indentEnd - start > blockIndent) {
        start = end + 1;
        continue;
      }
      blockIndent = -1;
    }
    let at = indentEnd;
    while (text.charCodeAt(at) === 0x2d && text.charCodeAt(at + 1) === 0x20) {
      at += 2;
      while (text.charCodeAt(at) === 0x20) at++;
    }
    if (!lineStartInsideSubset(text, start, end, at)) return false;
    if (notableAt < start) {
      NOTABLE_ANYWHERE.lastIndex = start;
      notableAt = NOTABLE_ANYWHERE.exec(text)?.index ?? Infinity;
    }
    if (notableAt < end) {
      const line = text.slice(start, end);
      if (!notableLineInsideSubset(line)) return false;
      // The longest `  - - ` prefix: a stricter bound than YAML's, so no structure line is ever skipped.
      if ((line.includes('|') || line.includes('>')) && BLOCK_SCALAR_START.test(line)) blockIndent = at - start;
    }
    start = end + 1;
  }
  return true;
}

/**
 * The value the `yaml` library would read from `text` (as `parseDocument(text).toJS()`), when the
 * text is in the plain subset and js-yaml reads it; undefined otherwise (read it with `yaml`).
 */
export function readPlainYaml(text: string): { value: unknown } | undefined {
  if (!insideSubset(text)) return undefined;
  try {
    // An empty document: `yaml` reads null, js-yaml undefined.
    return { value: jsyaml.load(text, { schema: CORE_AS_YAML_READS_IT }) ?? null };
  } catch {
    return undefined;
  }
}
