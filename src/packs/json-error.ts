/**
 * `JSON.parse` failures described without quoting the input. V8's messages embed a snippet of the
 * text (`Unexpected token 'r', "root:x:0:0:"... is not valid JSON`): a file read from an upstream
 * or a folder (a pack.json linked to /etc/passwd) would then show in sync errors every reader
 * sees. Only the position and V8's fixed wording are kept.
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
