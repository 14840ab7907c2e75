/** A profile between its shapes: stored rows -> draft (to validate again), API input -> repository write. */
import type { ProfileDraft, ProfileVariableDraft } from './profile.model.js';
import type { ProfileWrite, StoredProfile } from './profile.repository.js';
import type { ProfileInputData } from './profile.input.js';

/** The stored profile as a draft again (for re-validation and upgrade plans). */
export function draftOf(profile: StoredProfile): ProfileDraft {
  return {
    name: profile.name,
    version: profile.version,
    type: profile.type,
    cloudType: profile.cloudType,
    layers: profile.layers.map((l) => ({
      pack: l.packName,
      version: l.versionRef,
      registry: l.registryName,
      values: l.values,
      valuesOverride: l.valuesOverride,
      presets: l.presets.length > 0 ? l.presets : null,
    })),
    variables: profile.variables.map((v) => ({
      name: v.name,
      format: v.format,
      default: v.defaultValue,
      required: v.required,
      regex: v.regex,
      options: v.options,
      displayName: v.displayName,
      description: v.description,
      hidden: v.hidden,
      readonly: v.readonly,
    })),
  };
}

/** The input as the repository writes it: references and cloud type trimmed, variable formats lower-cased. */
export function writeOf(input: ProfileInputData, version: string): ProfileWrite {
  return {
    name: input.name,
    version,
    type: input.type,
    cloudType: input.cloudType.trim(),
    description: input.description ?? null,
    layers: input.layers.map((l) => ({
      packName: l.pack.trim(),
      versionRef: l.version.trim(),
      registryName: l.registry?.trim() || null,
      values: l.values ?? null,
      valuesOverride: l.valuesOverride ?? null,
      presets: l.presets ?? [],
    })),
    variables: (input.variables ?? []).map((v: ProfileVariableDraft) => ({
      name: v.name,
      displayName: v.displayName ?? null,
      description: v.description ?? null,
      format: (v.format ?? 'string').trim().toLowerCase() || 'string',
      defaultValue: v.default ?? null,
      required: v.required ?? false,
      regex: v.regex || null,
      options: v.options ?? [],
      hidden: v.hidden ?? false,
      readonly: v.readonly ?? false,
    })),
  };
}
