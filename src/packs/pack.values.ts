import { parseDocument, type YAMLError } from 'yaml';
import { PackIssueCode, hasErrors, packError, packWarning, pointerSegment } from './pack.issues.js';
import type { PackIssue, PackPreset, PackValueSchema } from './pack.types.js';
import { describeYamlSyntaxError } from './parse-errors.js';
import { readPlainYaml } from './plain-yaml.js';

type YamlParse = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * One YAML document to plain data. A second document, a duplicate key, a syntax error or an
 * alias bomb (the `yaml` package caps alias expansion) all come back as a message.
 */
function parseYaml(text: string): YamlParse {
  const unmarked = text.replace(/^\uFEFF/, '');
  // Plain YAML (nearly every values file) is read by the fast reader, which answers what `yaml`
  // would or declines; `yaml` reads the rest and words every error.
  const plain = readPlainYaml(unmarked);
  if (plain) return { ok: true, value: plain.value };
  const document = parseDocument(unmarked, { prettyErrors: true });
  if (document.errors.length > 0) return { ok: false, message: describeYamlError(document.errors[0]) };
  try {
    return { ok: true, value: document.toJS() };
  } catch (error) {
    // Never the parser's own words in full: they may quote the input (an alias name...).
    return { ok: false, message: describeYamlSyntaxError(error instanceof Error ? error.message : String(error)) };
  }
}

function describeYamlError(error: YAMLError): string {
  const position = error.linePos?.[0];
  const first = error.code === 'MULTIPLE_DOCS' ? 'a second YAML document starts here; the file must hold one' : describeYamlSyntaxError(error.message);
  return position ? `line ${position.line}, column ${position.col}: ${first.replace(/ at line \d+, column \d+:?$/, '')}` : first;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Check a values.yaml: one YAML document whose top level is a mapping. An empty file (or one of
 * comments only) is valid: OS packs ship empty values. Returns the parsed mapping (`{}` when
 * empty) so callers can read `pack.namespace` and friends without parsing again.
 */
export function parseValuesYaml(
  text: string,
  file = 'values.yaml',
): { values?: Record<string, unknown>; issues: PackIssue[] } {
  const parsed = parseYaml(text);
  if (!parsed.ok) {
    return { issues: [packError(PackIssueCode.VALUES_INVALID_YAML, `${file} is not valid YAML: ${parsed.message}`, file)] };
  }
  if (parsed.value === null || parsed.value === undefined) return { values: {}, issues: [] };
  if (!isMapping(parsed.value)) {
    return {
      issues: [
        packError(PackIssueCode.VALUES_NOT_MAPPING, `${file} must be a mapping of keys to values, not ${describe(parsed.value)}.`, file),
      ],
    };
  }
  return { values: parsed.value, issues: [] };
}

/**
 * Parse presets.yaml (`presets: [{name, displayName, group, remove: string[], add: string}]`).
 * Every bad entry is reported with its path (`presets.yaml#/presets/2/group`); an `add` that is
 * not YAML is refused because it gets merged into the values. `remove` and `add` may be left out
 * (empty). An empty file means no presets. `presets` is present only when nothing is an error.
 */
export function parsePresetsYaml(text: string, file = 'presets.yaml'): { presets?: PackPreset[]; issues: PackIssue[] } {
  const parsed = parseYaml(text);
  if (!parsed.ok) {
    return { issues: [packError(PackIssueCode.PRESETS_INVALID_YAML, `${file} is not valid YAML: ${parsed.message}`, file)] };
  }
  if (parsed.value === null || parsed.value === undefined) return { presets: [], issues: [] };
  if (!isMapping(parsed.value) || !Array.isArray(parsed.value.presets)) {
    return {
      issues: [packError(PackIssueCode.PRESETS_SHAPE, `${file} must hold a "presets" list.`, `${file}#/presets`)],
    };
  }
  const issues: PackIssue[] = [];
  const presets: PackPreset[] = [];
  const seen = new Set<string>();
  parsed.value.presets.forEach((entry: unknown, index: number) => {
    const at = `${file}#/presets/${index}`;
    const preset = readPreset(entry, at, issues);
    if (!preset) return;
    const key = `${preset.group}\u0000${preset.name}`;
    if (seen.has(key)) {
      issues.push(
        packError(PackIssueCode.PRESETS_DUPLICATE, `Preset "${preset.name}" appears twice in group "${preset.group}".`, `${at}/name`),
      );
    }
    seen.add(key);
    presets.push(preset);
  });
  return hasErrors(issues) ? { issues } : { presets, issues };
}

function readPreset(entry: unknown, at: string, issues: PackIssue[]): PackPreset | null {
  if (!isMapping(entry)) {
    issues.push(packError(PackIssueCode.PRESETS_SHAPE, `Preset ${at.split('/').pop()} must be a mapping, not ${describe(entry)}.`, at));
    return null;
  }
  const before = issues.length;
  const text = (key: 'name' | 'displayName' | 'group'): string => {
    const value = entry[key];
    if (typeof value === 'string' && value.trim() !== '') return value;
    issues.push(
      packError(
        PackIssueCode.PRESETS_SHAPE,
        value === undefined ? `Preset is missing "${key}".` : `Preset "${key}" must be a non-empty string, not ${describe(value)}.`,
        `${at}/${key}`,
      ),
    );
    return '';
  };
  const preset: PackPreset = { name: text('name'), displayName: text('displayName'), group: text('group'), remove: [], add: '' };
  const remove = entry.remove ?? [];
  if (Array.isArray(remove) && remove.every((path) => typeof path === 'string')) {
    preset.remove = remove;
  } else {
    issues.push(packError(PackIssueCode.PRESETS_SHAPE, 'Preset "remove" must be a list of value paths (strings).', `${at}/remove`));
  }
  const add = entry.add ?? '';
  if (typeof add !== 'string') {
    issues.push(packError(PackIssueCode.PRESETS_SHAPE, `Preset "add" must be a YAML string, not ${describe(add)}.`, `${at}/add`));
  } else {
    preset.add = add;
    const parsed = parseYaml(add);
    if (!parsed.ok || (parsed.value !== null && !isMapping(parsed.value))) {
      issues.push(
        packError(
          PackIssueCode.PRESET_ADD_INVALID_YAML,
          `Preset "add" must be a YAML mapping to merge into the values: ${parsed.ok ? `got ${describe(parsed.value)}` : parsed.message}.`,
          `${at}/add`,
        ),
      );
    }
  }
  return issues.length === before ? preset : null;
}

/**
 * Parse schema.yaml: a mapping of parameter path (`charts.foo.replicas`) to `{schema: '{{ ... }}'}`.
 * A wrong shape is an error per parameter; an expression not wrapped in `{{ }}` is a warning
 * (the profile validator would ignore it). An empty file means no constraints.
 */
export function parseSchemaYaml(text: string, file = 'schema.yaml'): { schema?: PackValueSchema; issues: PackIssue[] } {
  const parsed = parseYaml(text);
  if (!parsed.ok) {
    return { issues: [packError(PackIssueCode.SCHEMA_INVALID_YAML, `${file} is not valid YAML: ${parsed.message}`, file)] };
  }
  if (parsed.value === null || parsed.value === undefined) return { schema: {}, issues: [] };
  if (!isMapping(parsed.value)) {
    return {
      issues: [
        packError(PackIssueCode.SCHEMA_SHAPE, `${file} must map parameter paths to {schema: ...}, not ${describe(parsed.value)}.`, `${file}#`),
      ],
    };
  }
  const issues: PackIssue[] = [];
  const schema: PackValueSchema = {};
  for (const [parameter, entry] of Object.entries(parsed.value)) {
    const at = `${file}#/${pointerSegment(parameter)}`;
    if (!isMapping(entry) || typeof entry.schema !== 'string') {
      issues.push(
        packError(PackIssueCode.SCHEMA_SHAPE, `Parameter "${parameter}" must be a mapping with a "schema" string.`, isMapping(entry) ? `${at}/schema` : at),
      );
      continue;
    }
    if (!/^\s*\{\{[\s\S]*\}\}\s*$/.test(entry.schema)) {
      issues.push(
        packWarning(PackIssueCode.SCHEMA_EXPRESSION, `Parameter "${parameter}" has a schema that is not a {{ ... }} expression.`, `${at}/schema`),
      );
    }
    schema[parameter] = entry.schema;
  }
  return hasErrors(issues) ? { issues } : { schema, issues };
}

/** A `group:name` pair selected by the `# spectrocloud.com/enabled-presets:` first line of values.yaml. */
export interface EnabledPreset {
  group: string;
  name: string;
}

const ENABLED_PRESETS_LINE = /^#\s*spectrocloud\.com\/enabled-presets:(.*)$/;

/** The presets values.yaml says are enabled, read from its first line (`# spectrocloud.com/enabled-presets: Ingress:enable,Foo:bar`). */
export function readEnabledPresets(values: string): EnabledPreset[] {
  const firstLine = values.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const match = ENABLED_PRESETS_LINE.exec(firstLine.trim());
  if (!match) return [];
  return match[1]
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => {
      const colon = item.lastIndexOf(':');
      return colon < 0 ? { group: '', name: item } : { group: item.slice(0, colon).trim(), name: item.slice(colon + 1).trim() };
    });
}

/**
 * Warn about presets that values.yaml enables but presets.yaml lacks. Only a warning: Palette
 * ignores such a line, and real packs carry copy-pasted ones.
 */
export function checkEnabledPresets(values: string, presets: readonly PackPreset[] | null): PackIssue[] {
  return readEnabledPresets(values)
    .filter((enabled) => !(presets ?? []).some((preset) => preset.group === enabled.group && preset.name === enabled.name))
    .map((enabled) =>
      packWarning(
        PackIssueCode.PRESET_ENABLED_UNKNOWN,
        `values.yaml enables preset "${enabled.group}:${enabled.name}", which presets.yaml does not define.`,
        'values.yaml',
      ),
    );
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `the ${typeof value} ${JSON.stringify(value)}`;
}
