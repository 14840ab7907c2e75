/** Checking parsed values against a pack's schema.yaml: required, format and readonly parameters. */

import type { PackValueSchema } from '../../../packs/pack.types.js';
import { parseSchemaExpression, type SchemaRule } from './expression.js';
import { checkFormat, containsMacro, isEmptyValue, isScalar, scalarText } from './format.js';
import { isPlainObject, valuesAtPath } from './values-path.js';

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

/** One schema.yaml entry, its expression parsed once: `rule` is null when the entry is not an expression string. */
export interface CompiledSchemaEntry {
  parameter: string;
  rule: SchemaRule | null;
  problems: string[];
}

/**
 * A pack's schema with every expression parsed: it depends only on the pack version, so validation
 * compiles it once per version (rules/pack-facts.ts) instead of once per layer and call.
 */
export function compileSchema(schema: PackValueSchema): CompiledSchemaEntry[] {
  return Object.entries(schema).map(([parameter, expression]) => {
    if (typeof expression !== 'string') return { parameter, rule: null, problems: [] };
    const { rule, problems } = parseSchemaExpression(expression);
    return { parameter, rule, problems };
  });
}

/**
 * Check parsed values against a pack's schema. `defaults` are the pack's own parsed values: given,
 * they make `readonly` parameters comparable (pass undefined when the layer uses the defaults as is).
 */
export function checkValuesAgainstSchema(values: unknown, schema: PackValueSchema, defaults?: unknown): SchemaCheckResult {
  return checkValuesAgainstCompiledSchema(values, compileSchema(schema), defaults);
}

/** checkValuesAgainstSchema over a schema compiled beforehand (compileSchema). */
export function checkValuesAgainstCompiledSchema(values: unknown, schema: readonly CompiledSchemaEntry[], defaults?: unknown): SchemaCheckResult {
  const result: SchemaCheckResult = { violations: [], unsupported: [] };
  for (const { parameter, rule, problems } of schema) {
    if (rule === null) {
      result.unsupported.push({ path: parameter, message: 'schema entry is not an expression string' });
      continue;
    }
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
