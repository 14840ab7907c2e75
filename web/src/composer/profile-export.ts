/**
 * The composer's profile as the YAML file `packctl profile apply` takes (src/cli/profile-file.ts):
 * name, version, type, cloudType, description, then layers (pack, version, registry, presets,
 * values, valuesOverride), then variables, with multi-line values as literal blocks so they read as written. A unit
 * test (test/unit/web/composer.test.ts) parses the output with the CLI's own parser, so the two
 * cannot drift.
 */
import YAML from 'yaml';
import type { ProfileLayerInput, ProfileVariableInput } from '../generated/graphql.js';

/** A layer and a variable as the API takes them (createProfile's input), so the file can't drift from it. */
export type ExportLayer = ProfileLayerInput;
export type ExportVariable = ProfileVariableInput;

export interface ExportProfile {
  name: string;
  version?: string | null;
  type: string;
  cloudType: string;
  description?: string | null;
  layers: ExportLayer[];
  variables?: ExportVariable[] | null;
}

/** Leaves out null and undefined fields (an empty presets list is kept: it means "none"). */
function defined(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== null && v !== undefined));
}

export function exportProfileYaml(profile: ExportProfile): string {
  const body = defined({
    name: profile.name,
    version: profile.version || undefined,
    type: profile.type,
    cloudType: profile.cloudType,
    description: profile.description || undefined,
    layers: profile.layers.map((l) =>
      defined({
        pack: l.pack,
        version: l.version,
        registry: l.registry || undefined,
        presets: l.presets ?? undefined,
        values: l.values ?? undefined,
        valuesOverride: l.valuesOverride ?? undefined,
      }),
    ),
    // As formatProfileFile writes them: false flags and empty options left out.
    variables: profile.variables?.length
      ? profile.variables.map((v) =>
          defined({
            name: v.name,
            displayName: v.displayName || undefined,
            description: v.description || undefined,
            format: v.format || undefined,
            default: v.default ?? undefined,
            required: v.required || undefined,
            regex: v.regex || undefined,
            options: v.options?.length ? v.options : undefined,
            hidden: v.hidden || undefined,
            readonly: v.readonly || undefined,
          }),
        )
      : undefined,
  });
  // Versions stay strings (`"1.30"`): the yaml library quotes a string that would read as a number.
  return YAML.stringify(body, { lineWidth: 0, blockQuote: 'literal' });
}

/** A file name for the download: `<name>-<version>.yaml`, safe characters only. */
export function exportFileName(profile: Pick<ExportProfile, 'name' | 'version'>): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-');
  return `${safe(profile.name || 'profile')}${profile.version ? `-${safe(profile.version)}` : ''}.yaml`;
}
