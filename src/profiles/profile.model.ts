/** Plain data types of cluster profiles and their validation. No I/O, no GraphQL. */

import type { PackLayer, PackManifest, PackPreset, PackValueSchema } from '../packs/pack.types.js';
import type { ValueSource } from './rules/values-merge.js';

export const PROFILE_TYPES = ['CLUSTER', 'INFRA', 'ADDON', 'SYSTEM'] as const;
/** Palette's `cluster | infra | add-on | system`. */
export type ProfileTypeName = (typeof PROFILE_TYPES)[number];

/** The data formats a profile variable can declare (Palette's variable formats). */
export const PROFILE_VARIABLE_FORMATS = ['string', 'number', 'boolean', 'ipv4', 'ipv4cidr', 'ipv6', 'version'] as const;
export type ProfileVariableFormat = (typeof PROFILE_VARIABLE_FORMATS)[number];

/** A profile as a client submits it: ordered layers, each a pack reference with overrides. */
export interface ProfileDraft {
  name: string;
  /** Semver; the service defaults it to `1.0.0`. */
  version?: string | null;
  type: ProfileTypeName;
  /** A cloud type (`aws`, `vsphere`, `edge-native`, ...) or `all` (add-on profiles only). */
  cloudType: string;
  layers: ProfileLayerDraft[];
  variables?: ProfileVariableDraft[] | null;
}

/** One layer of a draft: which pack, which version (exact, tag, parent tag or `latest`), what overrides. */
export interface ProfileLayerDraft {
  pack: string;
  version: string;
  /** The registry to take the pack from; null/undefined lets the catalog choose. */
  registry?: string | null;
  /** values.yaml override; null/undefined means the pack's own values.yaml. `''` is an (empty) override. */
  values?: string | null;
  /**
   * YAML deep-merged onto the pack's values.yaml (maps merge, lists and scalars replace, `null` deletes
   * the key: rules/values-merge.ts); validated after the merge. A layer gives `values` or this, not both.
   */
  valuesOverride?: string | null;
  /**
   * Selected presets by name (`disable-ingress`) or `group:name`. null/undefined means "as the values'
   * first-line `# spectrocloud.com/enabled-presets:` comment says".
   */
  presets?: string[] | null;
}

/** A profile variable, referenced from values as `{{ .spectro.var.<name> }}`. */
export interface ProfileVariableDraft {
  name: string;
  /** One of PROFILE_VARIABLE_FORMATS; `string` when absent. */
  format?: string | null;
  default?: string | null;
  required?: boolean | null;
  /** A regular expression (RE2 syntax, unanchored like Go's MatchString: write ^...$ to anchor) the value must match. */
  regex?: string | null;
  /** Allowed values (a drop-down); empty or absent means free input. */
  options?: string[] | null;
  displayName?: string | null;
  description?: string | null;
  /** Hidden from the deploy form: the default is what deploys. */
  hidden?: boolean | null;
  /** Shown but not editable at deploy time: the default is what deploys. */
  readonly?: boolean | null;
}

/** What the catalog found for layer i of a draft (the same index). */
export type ResolvedLayer =
  /** suggestions: readable pack names close to the reference ("did you mean"), nearest first. */
  | { status: 'PACK_NOT_FOUND'; suggestions?: string[] }
  | { status: 'VERSION_NOT_FOUND'; availableVersions: string[] }
  | ResolvedPackLayer;

export interface ResolvedPackLayer {
  status: 'OK';
  registry: string;
  /** The exact version the reference resolved to. */
  version: string;
  digest: string;
  manifest: PackManifest;
  /** The pack's own values.yaml text. */
  defaultValues: string;
  presets: PackPreset[] | null;
  schema: PackValueSchema | null;
  /** The version's signature state in its registry, as it is now (UNSIGNED_PACK). */
  signature: LayerSignature;
}

/** Whether a trusted key of the registry verifies a signature of the version, and how strictly the registry's policy asks for one. */
export interface LayerSignature {
  verified: boolean;
  enforce: 'NONE' | 'WARN' | 'REQUIRE';
}

export type IssueSeverity = 'ERROR' | 'WARNING';

/** One problem found in a draft; `code` is a stable string (see the table in rules/issue-codes.ts). */
export interface ValidationIssue {
  code: string;
  severity: IssueSeverity;
  /** Index into the draft's layers, when the issue concerns one layer. */
  layerIndex?: number;
  pack?: string;
  /** A values path (`charts.foo.replicas`), a preset or variable reference, depending on the code. */
  path?: string;
  message: string;
}

/** A layer the catalog resolved, pinned to an exact version and digest. */
export interface ResolvedLayerSummary {
  layerIndex: number;
  pack: string;
  registry: string;
  version: string;
  digest: string;
  layer: PackLayer;
  /** The values the layer deploys with: `values`, the pack's values.yaml, or `valuesOverride` merged onto it (null when that does not parse). */
  effectiveValues: string | null;
  /** Where each top-level value came from (rules/values-merge.ts). */
  valueSources: ValueSource[];
}

export interface InstallStep {
  layerIndex: number;
  pack: string;
  priority: number;
}

/** Sums of the packs' `constraints.resources` minimum limits, in pack.json's units. */
export interface ProfileResources {
  cpuMillicores: number;
  memoryMi: number;
  /** Present only when some pack declares a `diskSize` constraint. */
  diskGi?: number;
}

export interface ProfileValidationResult {
  /** No issue of severity ERROR. */
  valid: boolean;
  /** Every issue: profile-level ones first, then by layer index. */
  issues: ValidationIssue[];
  /** The layers the catalog resolved (unresolved ones are absent), in profile order. */
  resolvedLayers: ResolvedLayerSummary[];
  /** Resolved layers in install order: core layers in profile order, then add-ons by install priority. */
  installOrder: InstallStep[];
  /** Over resolved layers; a pack used twice counts twice. */
  resources: ProfileResources;
}
