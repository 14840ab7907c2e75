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
 *
 * Parsing lives in expression.ts; checking in format.ts (one value against a template),
 * values-path.ts (what a parameter path designates) and schema-check.ts (a values tree against a
 * whole schema.yaml).
 */

export {
  compileRe2,
  FORMAT_TYPES,
  parseFormat,
  parseSchemaExpression,
  type FormatConstraint,
  type FormatToken,
  type ParsedFormat,
  type ParsedSchemaExpression,
  type SchemaRule,
} from './expression.js';
export { checkFormat, checkPlaceholder, containsMacro, isEmptyValue, isScalar, isVersionText, scalarText } from './format.js';
export { valuesAtPath, type ValueAtPath } from './values-path.js';
export {
  checkValuesAgainstCompiledSchema,
  checkValuesAgainstSchema,
  compileSchema,
  type CompiledSchemaEntry,
  type SchemaCheckResult,
  type SchemaViolation,
} from './schema-check.js';
