/**
 * JSON and YAML parse failures described without quoting the input. V8's JSON messages embed a
 * snippet of the text (`Unexpected token 'r', "root:x:0:0:"... is not valid JSON`) and the `yaml`
 * package quotes tokens (`Unexpected scalar token in YAML stream: "..."`): text read from an
 * upstream or a folder (a pack.json linked to /etc/passwd) would then show in sync errors every
 * reader sees. Only positions and the parsers' fixed wording are kept.
 */

/** Fixed V8 wordings (`Expected ',' or '}' after property value`...); `Unexpected token` names input and is left out. */
const FIXED_REASON = /^(Expected|Unexpected (end|number|string|non-whitespace)|Bad (control|escaped|Unicode)|Unterminated|Exponent|No number)[^"]*$/;

/**
 * Where and (when V8's wording is fixed text) why `text` is not JSON, as a suffix for a sentence:
 * ` at line 3, column 9 (expected double-quoted property name)`, ` (it ends too early)` or ``.
 */
export function describeJsonSyntaxError(text: string, error: unknown): string {
  const detail = error instanceof Error ? error.message : '';
  const located = /^(.*?) in JSON at position (\d+)/.exec(detail);
  if (!located) return /^Unexpected end of JSON input/.test(detail) ? ' (it ends too early)' : '';
  const before = text.slice(0, Number(located[2]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  const reason = FIXED_REASON.test(located[1]) ? ` (${located[1].charAt(0).toLowerCase()}${located[1].slice(1)})` : '';
  return ` at line ${line}, column ${column}${reason}`;
}

/**
 * The first line of a `yaml` package error without what it quotes from the input: quoted tokens
 * and, after `: `, alias or tag names (`Unresolved alias (...): name`). Positions stay.
 */
export function describeYamlSyntaxError(message: string): string {
  const first = message.split('\n')[0];
  const position = / at line \d+, column \d+:?$/.exec(first)?.[0] ?? '';
  const text = first.slice(0, first.length - position.length).replace(/:\s*"(?:[^"\\]|\\.)*"?/g, '').replace(/:\s.*$/, '');
  return `${text}${position}`;
}
