/**
 * What a profile request may ask for before anything is resolved (input bounds), and the issue
 * shape refusals carry in `extensions.issues`.
 */
import { InvalidInputError, type InputIssue } from '../errors.js';
import type { ProfileDraft, ProfileValidationResult, ValidationIssue } from './profile.model.js';

/** A profile as the API takes it: the draft plus a free-text description. */
export interface ProfileInputData extends ProfileDraft {
  description?: string | null;
}

/** Input bounds: they cap the work one request can ask for before anything is resolved. */
export const PROFILE_LIMITS = {
  maxLayers: 50,
  maxVariables: 100,
  maxValuesBytes: 1024 * 1024,
  maxNameLength: 100,
  maxReferenceLength: 100,
  maxDescriptionLength: 10_000,
  maxPresetsPerLayer: 50,
  maxOptionsPerVariable: 100,
  maxTextLength: 4096,
} as const;

export const DEFAULT_PROFILE_VERSION = '1.0.0';

const PROFILE_NAME_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;

/**
 * Issues as `extensions.issues` carries them: the shape every BAD_USER_INPUT issue list of the API
 * has (the Severity enum's spelling, as validateProfile answers), plus the layer index and pack.
 */
export function toInputIssues(issues: readonly ValidationIssue[]): InputIssue[] {
  return issues.map((i) => ({
    code: i.code,
    severity: i.severity,
    message: i.message,
    ...(i.path !== undefined ? { path: i.path } : {}),
    ...(i.layerIndex !== undefined ? { layerIndex: i.layerIndex } : {}),
    ...(i.pack !== undefined ? { pack: i.pack } : {}),
  }));
}

/** Every bound the input breaks, each with its argument path; throws BAD_USER_INPUT when there is one. */
export function checkProfileInput(input: ProfileInputData, argument = 'input'): void {
  const L = PROFILE_LIMITS;
  const issues: InputIssue[] = [];
  const problem = (path: string, message: string) => issues.push({ code: 'INVALID_FIELD', path: `${argument}.${path}`, message });
  const text = (path: string, value: string | null | undefined, max: number, required = false) => {
    if (value === null || value === undefined) {
      if (required) problem(path, 'is required');
      return;
    }
    if (required && value.trim() === '') problem(path, 'must not be empty');
    else if (value.length > max) problem(path, `must be at most ${max} characters`);
  };

  if (input.name.length < 1 || input.name.length > L.maxNameLength || !PROFILE_NAME_PATTERN.test(input.name)) {
    problem(
      'name',
      `must be 1-${L.maxNameLength} letters, digits, ".", "_" or "-", starting and ending with a letter or digit`,
    );
  }
  text('version', input.version, L.maxReferenceLength);
  text('cloudType', input.cloudType, L.maxNameLength, true);
  text('description', input.description, L.maxDescriptionLength);

  if (input.layers.length > L.maxLayers) {
    problem('layers', `a profile holds at most ${L.maxLayers} layers, not ${input.layers.length}`);
  } else {
    input.layers.forEach((layer, i) => {
      const at = `layers[${i}]`;
      text(`${at}.pack`, layer.pack, L.maxNameLength, true);
      text(`${at}.version`, layer.version, L.maxReferenceLength, true);
      text(`${at}.registry`, layer.registry, L.maxNameLength);
      if (layer.values !== null && layer.values !== undefined && Buffer.byteLength(layer.values, 'utf8') > L.maxValuesBytes) {
        problem(`${at}.values`, `values are limited to ${L.maxValuesBytes} bytes (1 MiB)`);
      }
      if (layer.valuesOverride !== null && layer.valuesOverride !== undefined) {
        if (layer.values !== null && layer.values !== undefined) {
          problem(`${at}.valuesOverride`, 'give values (replaces the pack\'s values.yaml) or valuesOverride (merged onto it), not both');
        } else if (Buffer.byteLength(layer.valuesOverride, 'utf8') > L.maxValuesBytes) {
          problem(`${at}.valuesOverride`, `valuesOverride is limited to ${L.maxValuesBytes} bytes (1 MiB)`);
        }
      }
      const presets = layer.presets ?? [];
      if (presets.length > L.maxPresetsPerLayer) problem(`${at}.presets`, `at most ${L.maxPresetsPerLayer} presets per layer`);
      else presets.forEach((p, j) => text(`${at}.presets[${j}]`, p, L.maxNameLength * 2, true));
    });
  }

  const variables = input.variables ?? [];
  if (variables.length > L.maxVariables) {
    problem('variables', `a profile holds at most ${L.maxVariables} variables, not ${variables.length}`);
  } else {
    variables.forEach((v, i) => {
      const at = `variables[${i}]`;
      text(`${at}.name`, v.name, L.maxNameLength, true);
      text(`${at}.format`, v.format, L.maxNameLength);
      for (const key of ['default', 'regex', 'displayName', 'description'] as const) text(`${at}.${key}`, v[key], L.maxTextLength);
      const options = v.options ?? [];
      if (options.length > L.maxOptionsPerVariable) problem(`${at}.options`, `at most ${L.maxOptionsPerVariable} options`);
      else options.forEach((o, j) => text(`${at}.options[${j}]`, o, L.maxTextLength));
    });
  }

  if (issues.length > 0) {
    throw new InvalidInputError(`Invalid profile input: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}.`, {
      field: issues[0].path,
      issues,
    });
  }
}

/**
 * The refusal of a draft with ERRORs: the first one in the message, every issue in `extensions.issues`
 * (the message names no API field: packctl and the IDE show it as it is).
 */
export function refusalOf(input: ProfileInputData, version: string, result: ProfileValidationResult): InvalidInputError {
  const errors = result.issues.filter((i) => i.severity === 'ERROR');
  const first = errors[0];
  const where = first.layerIndex !== undefined ? ` (layer ${first.layerIndex})` : '';
  return new InvalidInputError(
    `Profile "${input.name}" ${version} was not saved: ${errors.length} error(s), first ${first.code}${where}: ${first.message}.`,
    { issues: toInputIssues(result.issues) },
  );
}
