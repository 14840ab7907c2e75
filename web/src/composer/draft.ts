/**
 * The composer's draft: the profile being edited, its layers in Palette's order, and what is sent
 * as a `ProfileInput`. Each layer's editor holds the pack's whole values (starting from its
 * defaults); in `override` mode only the difference is sent, as `valuesOverride`. Pure: unit-tested.
 */
import type { Layer, ProfileType } from '../generated/graphql.js';
import { applyOverride, applyPreset, overrideOf, type Preset } from './values-doc.js';

export type ValuesMode = 'override' | 'values';

export interface DraftLayer {
  /** Stable across reorders (React keys, focus after a move). */
  key: string;
  layer: Layer;
  pack: string;
  version: string;
  registry: string | null;
  mode: ValuesMode;
  /** The pack version's values.yaml the editor started from ('' until it is loaded). */
  defaults: string;
  /** What the editor holds. */
  text: string;
  /** Chosen presets; null means as the values' enabled-presets comment says. */
  presets: string[] | null;
  /** A saved layer's values, sent as they are until the pack's defaults load into the editor. */
  pending?: { values: string | null; valuesOverride: string | null } | null;
}

/**
 * A profile variable as the editor holds it: text fields as typed ('' is "not set"), the options
 * one per line (so a value may hold a comma). `variableInput` turns it into a ProfileVariableInput.
 */
export interface DraftVariable {
  key: string;
  name: string;
  format: string;
  default: string;
  required: boolean;
  regex: string;
  options: string;
  displayName: string;
  description: string;
  hidden: boolean;
  readonly: boolean;
}

/** The formats the API knows (ProfileVariableInput.format); a saved unknown one is kept as it is. */
export const VARIABLE_FORMATS = ['string', 'number', 'boolean', 'ipv4', 'ipv4cidr', 'ipv6', 'version'] as const;

export interface Draft {
  name: string;
  version: string;
  type: ProfileType;
  cloudType: string;
  description: string;
  layers: DraftLayer[];
  variables: DraftVariable[];
}

/** Palette's layer order; KERNEL is not offered (no default pack uses it) but is ordered if loaded. */
export const LAYER_KINDS: ReadonlyArray<{ layer: Layer; label: string }> = [
  { layer: 'OS', label: 'OS' },
  { layer: 'K8S', label: 'Kubernetes' },
  { layer: 'CNI', label: 'Network (CNI)' },
  { layer: 'CSI', label: 'Storage (CSI)' },
  { layer: 'ADDON', label: 'Add-on' },
];
const ORDER: Layer[] = ['KERNEL', 'OS', 'K8S', 'CNI', 'CSI', 'ADDON'];

export function layerLabel(layer: Layer): string {
  return LAYER_KINDS.find((k) => k.layer === layer)?.label ?? layer;
}

export const CLOUD_TYPES = ['aws', 'azure', 'gcp', 'vsphere', 'maas', 'openstack', 'edge-native', 'eks', 'aks', 'gke', 'all'];
export const PROFILE_TYPES: ProfileType[] = ['CLUSTER', 'INFRA', 'ADDON', 'SYSTEM'];

let counter = 0;
export function newKey(): string {
  counter += 1;
  return `layer-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

export function blankDraft(): Draft {
  return { name: '', version: '1.0.0', type: 'CLUSTER', cloudType: 'aws', description: '', layers: [], variables: [] };
}

export function emptyVariable(): DraftVariable {
  return { key: newKey(), name: '', format: 'string', default: '', required: false, regex: '', options: '', displayName: '', description: '', hidden: false, readonly: false };
}

/** A saved variable (as `profile { variables }` answers) in the editor. */
export function draftVariableOf(v: {
  name: string;
  format?: string | null;
  default?: string | null;
  required?: boolean | null;
  regex?: string | null;
  options?: readonly string[] | null;
  displayName?: string | null;
  description?: string | null;
  hidden?: boolean | null;
  readonly?: boolean | null;
}): DraftVariable {
  return {
    key: newKey(),
    name: v.name,
    format: v.format || 'string',
    default: v.default ?? '',
    required: !!v.required,
    regex: v.regex ?? '',
    options: (v.options ?? []).join('\n'),
    displayName: v.displayName ?? '',
    description: v.description ?? '',
    hidden: !!v.hidden,
    readonly: !!v.readonly,
  };
}

export interface VariableInput {
  name: string;
  format?: string;
  default?: string;
  required?: boolean;
  regex?: string;
  options?: string[];
  displayName?: string;
  description?: string;
  hidden?: boolean;
  readonly?: boolean;
}

/** The options text, one per line, as a list (blank lines dropped). */
export function optionsOf(text: string): string[] {
  return text
    .split('\n')
    .map((o) => o.trim())
    .filter(Boolean);
}

/**
 * What one variable sends: its name and what is set (empty texts and false flags are left out, as
 * the CLI's file format leaves them out, so a file and the API agree on the same variable).
 */
export function variableInput(v: DraftVariable): VariableInput {
  const out: VariableInput = { name: v.name.trim() };
  if (v.format && v.format !== 'string') out.format = v.format;
  if (v.default !== '') out.default = v.default;
  if (v.required) out.required = true;
  if (v.regex !== '') out.regex = v.regex;
  const options = optionsOf(v.options);
  if (options.length) out.options = options;
  if (v.displayName.trim()) out.displayName = v.displayName.trim();
  if (v.description.trim()) out.description = v.description.trim();
  if (v.hidden) out.hidden = true;
  if (v.readonly) out.readonly = true;
  return out;
}

export function emptyLayer(layer: Layer): DraftLayer {
  return { key: newKey(), layer, pack: '', version: 'latest', registry: null, mode: 'override', defaults: '', text: '', presets: null };
}

/** Where a new layer of `layer` goes: after the last layer of its kind or of an earlier kind. */
export function insertIndexFor(layers: readonly DraftLayer[], layer: Layer): number {
  const rank = ORDER.indexOf(layer);
  let at = 0;
  layers.forEach((l, i) => {
    if (ORDER.indexOf(l.layer) <= rank) at = i + 1;
  });
  return at;
}

export function addLayer(layers: readonly DraftLayer[], layer: DraftLayer): DraftLayer[] {
  const at = insertIndexFor(layers, layer.layer);
  return [...layers.slice(0, at), layer, ...layers.slice(at)];
}

/** The layers with the one at `index` moved by `by` (-1 up, +1 down); unchanged at the ends. */
export function moveLayer(layers: readonly DraftLayer[], index: number, by: -1 | 1): DraftLayer[] {
  const to = index + by;
  if (to < 0 || to >= layers.length) return [...layers];
  const next = [...layers];
  [next[index], next[to]] = [next[to], next[index]];
  return next;
}

/** What one layer sends: its override (or whole values), its presets. */
export function layerInput(l: DraftLayer): {
  pack: string;
  version: string;
  registry?: string;
  values?: string;
  valuesOverride?: string;
  presets?: string[];
} {
  const out: ReturnType<typeof layerInput> = { pack: l.pack, version: l.version || 'latest' };
  if (l.registry) out.registry = l.registry;
  if (l.pending) {
    if (l.pending.values !== null) out.values = l.pending.values;
    else if (l.pending.valuesOverride !== null) out.valuesOverride = l.pending.valuesOverride;
  } else if (l.mode === 'values') {
    // Whole values only when they differ from the pack's own (else the pack's values stay in charge).
    if (l.text !== l.defaults) out.values = l.text;
  } else if (l.defaults || l.text) {
    const override = overrideOf(l.defaults, l.text);
    // Not YAML: sent as written, so validation names the line.
    if (override === null) out.valuesOverride = l.text;
    else if (override !== '') out.valuesOverride = override;
  }
  if (l.presets !== null) out.presets = l.presets;
  return out;
}

export type DraftInput = {
  name: string;
  version?: string;
  type: ProfileType;
  cloudType: string;
  description?: string;
  layers: ReturnType<typeof layerInput>[];
  variables?: VariableInput[];
};

/** The draft as a ProfileInput (layers without a pack yet are left out). */
export function profileInputOf(d: Draft): DraftInput {
  const input: DraftInput = {
    name: d.name.trim() || 'untitled',
    type: d.type,
    cloudType: d.cloudType,
    layers: d.layers.filter((l) => l.pack).map(layerInput),
  };
  if (d.version.trim()) input.version = d.version.trim();
  if (d.description.trim()) input.description = d.description.trim();
  // Variables without a name yet are left out, as layers without a pack are.
  const variables = d.variables.filter((v) => v.name.trim()).map(variableInput);
  if (variables.length) input.variables = variables;
  return input;
}

/** `1.2.3` -> `1.2.4`; anything else gets `.1` appended to a best guess. */
export function bumpPatch(version: string): string {
  const m = /^(\d+)\.(\d+)\.(\d+)(.*)$/.exec(version.trim());
  if (!m) return '1.0.1';
  return `${m[1]}.${m[2]}.${Number(m[3]) + 1}`;
}

/** Layer index in the draft -> index in the input sent (layers without a pack are not sent). */
export function sentIndexes(d: Draft): Map<number, number> {
  const map = new Map<number, number>();
  let sent = 0;
  d.layers.forEach((l, i) => {
    if (l.pack) map.set(sent++, i);
  });
  return map;
}

/** Whether a chosen preset (`name` or `group:name`) is this preset. */
export function isPreset(chosen: string, p: Preset): boolean {
  return chosen === p.name || chosen === `${p.group}:${p.name}`;
}

/** The pack's defaults with the chosen presets applied in order (unknown names are skipped). */
export function withPresets(defaults: string, chosen: readonly string[], presets: readonly Preset[]): string {
  let text = defaults;
  for (const name of chosen) {
    const preset = presets.find((p) => isPreset(name, p));
    if (preset) text = applyPreset(text, preset);
  }
  return text;
}

/**
 * A preset chosen (or `null`: "None") in `group`, reversibly: the user's own edits are what the
 * text holds beyond the defaults with the presets chosen so far; the new text is those edits laid
 * onto the defaults with the new choice of presets. So choosing "None" again gives back the values
 * from before the preset, with any edit made since kept. When the text is not YAML (no edits can be
 * told apart) only the choice changes; the text is left as the user wrote it.
 */
export function choosePreset(layer: Pick<DraftLayer, 'defaults' | 'text' | 'presets'>, presets: readonly Preset[], group: string, preset: Preset | null): Pick<DraftLayer, 'presets' | 'text'> {
  const before = layer.presets ?? [];
  const others = before.filter((n) => !presets.some((p) => p.group === group && isPreset(n, p)));
  const chosen = preset ? [...others, preset.group ? `${preset.group}:${preset.name}` : preset.name] : others;
  const edits = overrideOf(withPresets(layer.defaults, before, presets), layer.text);
  if (edits === null) return { presets: chosen, text: layer.text };
  const base = withPresets(layer.defaults, chosen, presets);
  return { presets: chosen, text: edits ? applyOverride(base, edits) : base };
}
