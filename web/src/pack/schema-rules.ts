/**
 * A pack's schema.yaml rules, read for people: each parameter path with its expression
 * (`{{ required | format "${list:[l2,bgp]}" | hints "…" }}`) split into what it asks. The API
 * gives `PackVersion.schema` as parsed YAML: path -> { schema: expression } (or the expression).
 */
export interface SchemaRule {
  path: string;
  expression: string;
  required: boolean;
  readonly: boolean;
  hidden: boolean;
  format: string | null;
  hints: string | null;
  /** Other pipe steps, kept as written. */
  other: string[];
}

function expressionOf(entry: unknown): string | null {
  if (typeof entry === 'string') return entry;
  if (entry && typeof entry === 'object' && typeof (entry as { schema?: unknown }).schema === 'string') return (entry as { schema: string }).schema;
  return null;
}

const quoted = (step: string, word: string): string | null => {
  const match = new RegExp(`^${word}\\s+"((?:[^"\\\\]|\\\\.)*)"`).exec(step);
  return match ? match[1].replace(/\\"/g, '"') : null;
};

/** Splits on `|` outside double quotes. */
function steps(body: string): string[] {
  const out: string[] = [];
  let current = '';
  let inQuotes = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '"' && body[i - 1] !== '\\') inQuotes = !inQuotes;
    if (c === '|' && !inQuotes) {
      out.push(current.trim());
      current = '';
    } else current += c;
  }
  out.push(current.trim());
  return out.filter(Boolean);
}

export function parseRule(path: string, expression: string): SchemaRule {
  const body = expression.trim().replace(/^\{\{/, '').replace(/\}\}$/, '').trim();
  const rule: SchemaRule = { path, expression, required: false, readonly: false, hidden: false, format: null, hints: null, other: [] };
  for (const step of steps(body)) {
    if (step === 'required') rule.required = true;
    else if (step === 'readonly') rule.readonly = true;
    else if (step === 'hidden') rule.hidden = true;
    else if (quoted(step, 'format') !== null) rule.format = quoted(step, 'format');
    else if (quoted(step, 'hints') !== null) rule.hints = quoted(step, 'hints');
    else rule.other.push(step);
  }
  return rule;
}

export function schemaRules(schema: unknown): SchemaRule[] {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return [];
  const rules: SchemaRule[] = [];
  for (const [path, entry] of Object.entries(schema as Record<string, unknown>)) {
    const expression = expressionOf(entry);
    if (expression !== null) rules.push(parseRule(path, expression));
  }
  return rules.sort((a, b) => a.path.localeCompare(b.path));
}

/** `${list:[l2,bgp]}` -> "one of l2, bgp"; `${boolean}` -> "boolean"; anything else as written. */
export function describeFormat(format: string): string {
  const list = /^\$\{list:\[(.*)\]\}$/.exec(format);
  if (list) return `one of ${list[1].split(',').map((s) => s.trim()).join(', ')}`;
  const simple = /^\$\{(\w+)\}$/.exec(format);
  if (simple) return simple[1];
  return format;
}
