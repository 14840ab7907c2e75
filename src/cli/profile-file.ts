/**
 * Profile files: YAML (or JSON, which is YAML too) in the shape of the API's `ProfileInput`.
 * Reading is forgiving where people write naturally (`type: add-on`, `version: 1.30` unquoted,
 * `values` as a mapping); every problem of the file's shape is reported at once. Exporting gives
 * a file `profile apply` takes back unchanged.
 */
import YAML, { isScalar, type Pair } from 'yaml';
import type { CliIssue } from './errors.js';
import type { ProfileType } from './generated/graphql.js';
import type { ProfileLayerDraft, ProfileVariableDraft } from '../profiles/profile.model.js';

/** A file's layers and variables have the shapes the server's profile rules read: one definition. */
export type ProfileLayerInput = ProfileLayerDraft;
export type ProfileVariableInput = ProfileVariableDraft;

export interface ProfileInput {
  name: string;
  version?: string | null;
  type: ProfileType;
  cloudType: string;
  description?: string | null;
  layers: ProfileLayerInput[];
  variables?: ProfileVariableInput[] | null;
}

export type ProfileFileResult = { ok: true; input: ProfileInput } | { ok: false; issues: CliIssue[] };

const TYPES: Record<string, ProfileType> = { cluster: 'CLUSTER', infra: 'INFRA', addon: 'ADDON', 'add-on': 'ADDON', system: 'SYSTEM' };
// Keys whose values are versions: `1.30` must stay "1.30", not become the number 1.3.
const VERSION_KEYS = new Set(['version', 'default']);

function issue(message: string, path?: string): CliIssue {
  return { code: 'PROFILE_FILE_INVALID', severity: 'ERROR', message, path: path ?? null };
}

/** Parse a profile file's text. `fileName` only words the messages. */
export function parseProfileFile(text: string, fileName = 'profile'): ProfileFileResult {
  const document = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    return { ok: false, issues: document.errors.map((error) => issue(`${fileName} is not valid YAML or JSON: ${error.message.split('\n')[0]}`)) };
  }
  YAML.visit(document, {
    Pair(_key, pair: Pair) {
      // Numbers written as versions keep their source text (`1.30`, `22.04`).
      if (isScalar(pair.key) && VERSION_KEYS.has(String(pair.key.value)) && isScalar(pair.value) && typeof pair.value.value === 'number') {
        pair.value.value = pair.value.source ?? String(pair.value.value);
      }
    },
  });
  const raw: unknown = document.toJS();
  const issues: CliIssue[] = [];
  if (!isRecord(raw)) return { ok: false, issues: [issue(`${fileName} must hold a profile mapping (name, type, cloudType, layers).`)] };

  const name = stringField(raw, 'name', '', issues, true);
  const version = stringField(raw, 'version', '', issues, false);
  const cloudType = stringField(raw, 'cloudType', '', issues, true);
  const description = stringField(raw, 'description', '', issues, false);
  const typeText = stringField(raw, 'type', '', issues, true);
  let type: ProfileType | undefined;
  if (typeText) {
    type = TYPES[typeText.toLowerCase()] as ProfileType | undefined;
    if (!type) issues.push(issue(`type "${typeText}" is not one of cluster, infra, add-on, system.`, 'type'));
  }

  const layers: ProfileLayerInput[] = [];
  if (!Array.isArray(raw.layers)) {
    issues.push(issue('layers must be a list of pack references (pack, version, registry, values, presets).', 'layers'));
  } else {
    raw.layers.forEach((entry: unknown, index: number) => {
      const where = `layers[${index}]`;
      if (!isRecord(entry)) {
        issues.push(issue(`${where} must be a mapping with pack and version.`, where));
        return;
      }
      const layer: ProfileLayerInput = {
        pack: stringField(entry, 'pack', where, issues, true) ?? '',
        version: stringField(entry, 'version', where, issues, true) ?? '',
      };
      const registry = stringField(entry, 'registry', where, issues, false);
      if (registry !== undefined) layer.registry = registry;
      if (entry.values !== undefined && entry.values !== null) {
        // A mapping is taken as the values themselves; a string is kept as written (comments matter).
        layer.values = typeof entry.values === 'string' ? entry.values : YAML.stringify(entry.values);
      }
      if (entry.valuesOverride !== undefined && entry.valuesOverride !== null) {
        // As `values`: a mapping is the override itself (its nulls delete keys), a string is kept as written.
        layer.valuesOverride = typeof entry.valuesOverride === 'string' ? entry.valuesOverride : YAML.stringify(entry.valuesOverride);
      }
      const presets = stringList(entry, 'presets', where, issues);
      if (presets !== undefined) layer.presets = presets;
      checkUnknownKeys(entry, ['pack', 'version', 'registry', 'values', 'valuesOverride', 'presets'], where, issues);
      layers.push(layer);
    });
  }

  let variables: ProfileVariableInput[] | undefined;
  if (raw.variables !== undefined && raw.variables !== null) {
    if (!Array.isArray(raw.variables)) {
      issues.push(issue('variables must be a list.', 'variables'));
    } else {
      variables = [];
      raw.variables.forEach((entry: unknown, index: number) => {
        const where = `variables[${index}]`;
        if (!isRecord(entry)) {
          issues.push(issue(`${where} must be a mapping with a name.`, where));
          return;
        }
        const variable: ProfileVariableInput = { name: stringField(entry, 'name', where, issues, true) ?? '' };
        for (const key of ['format', 'regex', 'displayName', 'description'] as const) {
          const value = stringField(entry, key, where, issues, false);
          if (value !== undefined) variable[key] = value;
        }
        if (entry.default !== undefined && entry.default !== null) variable.default = scalarText(entry.default);
        for (const key of ['required', 'hidden', 'readonly'] as const) {
          if (entry[key] === undefined || entry[key] === null) continue;
          if (typeof entry[key] !== 'boolean') issues.push(issue(`${where}.${key} must be true or false.`, `${where}.${key}`));
          else variable[key] = entry[key] as boolean;
        }
        if (entry.options !== undefined && entry.options !== null) {
          if (!Array.isArray(entry.options)) issues.push(issue(`${where}.options must be a list.`, `${where}.options`));
          else variable.options = entry.options.map(scalarText);
        }
        checkUnknownKeys(
          entry,
          ['name', 'format', 'default', 'required', 'regex', 'options', 'displayName', 'description', 'hidden', 'readonly'],
          where,
          issues,
        );
        variables!.push(variable);
      });
    }
  }
  checkUnknownKeys(raw, ['name', 'version', 'type', 'cloudType', 'description', 'layers', 'variables'], '', issues);

  if (issues.length > 0) return { ok: false, issues };
  const input: ProfileInput = { name: name!, type: type!, cloudType: cloudType!, layers };
  if (version !== undefined) input.version = version;
  if (description !== undefined) input.description = description;
  if (variables !== undefined) input.variables = variables;
  return { ok: true, input };
}

/** A stored profile (as `profile(name, version)` answers) as a file `profile apply` takes back. */
export function formatProfileFile(profile: {
  name: string;
  version: string;
  type: string;
  cloudType: string;
  description?: string | null;
  layers: Array<{ pack: string; version: string; registry?: string | null; values?: string | null; valuesOverride?: string | null; presets?: string[] | null }>;
  variables?: Array<Record<string, unknown>> | null;
}): string {
  const layers = profile.layers.map((layer) =>
    dropEmpty({ pack: layer.pack, version: layer.version, registry: layer.registry, presets: layer.presets, values: layer.values, valuesOverride: layer.valuesOverride }),
  );
  const variables = (profile.variables ?? []).map((variable) =>
    dropEmpty({
      name: variable.name,
      displayName: variable.displayName,
      description: variable.description,
      format: variable.format,
      default: variable.default,
      required: variable.required || undefined,
      regex: variable.regex,
      options: variable.options,
      hidden: variable.hidden || undefined,
      readonly: variable.readonly || undefined,
    }),
  );
  const body = dropEmpty({
    name: profile.name,
    version: profile.version,
    type: profile.type,
    cloudType: profile.cloudType,
    description: profile.description,
    layers,
    variables: variables.length > 0 ? variables : undefined,
  });
  return YAML.stringify(body, { lineWidth: 0, blockQuote: 'literal' });
}

function dropEmpty(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(object).filter(([, value]) => value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0)),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalarText(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function stringField(object: Record<string, unknown>, key: string, where: string, issues: CliIssue[], required: boolean): string | undefined {
  const path = where ? `${where}.${key}` : key;
  const value = object[key];
  if (value === undefined || value === null || value === '') {
    if (required) issues.push(issue(`${path} is required.`, path));
    return undefined;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') {
    issues.push(issue(`${path} must be a string.`, path));
    return undefined;
  }
  return value;
}

function stringList(object: Record<string, unknown>, key: string, where: string, issues: CliIssue[]): string[] | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    issues.push(issue(`${where}.${key} must be a list of strings.`, `${where}.${key}`));
    return undefined;
  }
  return value as string[];
}

function checkUnknownKeys(object: Record<string, unknown>, known: string[], where: string, issues: CliIssue[]): void {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) {
      const path = where ? `${where}.${key}` : key;
      issues.push(issue(`${path} is not a profile field (known: ${known.join(', ')}).`, path));
    }
  }
}
