/** Plain data types of the pack format (pack.json, values, presets, schema), shared by every domain. */

export const PACK_LAYERS = ['kernel', 'os', 'k8s', 'cni', 'csi', 'addon'] as const;
export type PackLayer = (typeof PACK_LAYERS)[number];

export const DEPENDENCY_TYPES = ['required', 'optional', 'notSupported', 'upgrade'] as const;
export type DependencyKind = (typeof DEPENDENCY_TYPES)[number];

export interface PackDependencySpec {
  packName: string;
  layer: PackLayer;
  type: DependencyKind;
  minVersion?: string;
  maxVersion?: string;
}

export interface ResourceComponentSpec {
  scheduleType: 'all' | 'master' | 'worker';
  resourceRequestParamRef?: string;
  replicaCountParamRef?: string;
}

export interface ResourceConstraintSpec {
  type: 'cpu' | 'memory' | 'diskSize';
  minLimit?: number;
  components?: ResourceComponentSpec[];
}

export interface PackConstraintsSpec {
  dependencies: PackDependencySpec[];
  resources: ResourceConstraintSpec[];
}

/** pack.json, normalised (legacy `cloudType` folded into `cloudTypes`), with every original key in `raw`. */
export interface PackManifest {
  name: string;
  displayName: string;
  version: string;
  layer: PackLayer;
  group?: string;
  eol?: string;
  addonType?: string;
  addonSubType?: string;
  cloudTypes: string[];
  charts: string[];
  kubeManifests: string[];
  ansibleRoles: string[];
  annotations: Record<string, string>;
  constraints: PackConstraintsSpec;
  raw: Record<string, unknown>;
}

/** One entry of presets.yaml. */
export interface PackPreset {
  name: string;
  displayName: string;
  group: string;
  remove: string[];
  add: string;
}

/** schema.yaml: parameter path (e.g. `charts.foo.replicas`) -> its schema expression string. */
export type PackValueSchema = Record<string, string>;

/** A problem found in a pack: `error` refuses the pack, `warning` is reported and kept. */
export interface PackIssue {
  code: string;
  severity: 'error' | 'warning';
  message: string;
  /** The file (and, where known, the key) the issue concerns, e.g. `pack.json#/layer`. */
  path?: string;
}

/** A pack read from an archive or a folder: its parsed metadata and the list of its files. */
export interface ReadPack {
  manifest: PackManifest;
  /** values.yaml as written (comments such as `# spectrocloud.com/enabled-presets:` matter). */
  values: string;
  /** null when the pack has no presets.yaml. */
  presets: PackPreset[] | null;
  /** null when the pack has no schema.yaml. */
  schema: PackValueSchema | null;
  readme: string | null;
  logo: { fileName: string; bytes: Buffer } | null;
  /** Every regular file, relative to the pack root, sorted. */
  files: string[];
  /** The archive's top folder the pack sits in (`NAME-VERSION`), or null when its files are at the root. */
  rootFolder: string | null;
}

/** Outcome of reading a pack: refused packs carry every problem found, accepted ones their warnings. */
export type PackReadResult =
  | { ok: true; pack: ReadPack; issues: PackIssue[] }
  | { ok: false; issues: PackIssue[] };
