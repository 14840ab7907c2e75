/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type DependencyType =
  | 'NOT_SUPPORTED'
  | 'OPTIONAL'
  | 'REQUIRED'
  | 'UPGRADE';

/** The layer a pack forms in a cluster profile (pack.json `layer`). */
export type Layer =
  | 'ADDON'
  | 'CNI'
  | 'CSI'
  | 'K8S'
  | 'KERNEL'
  | 'OS';

export type PackFilter = {
  /** pack.json addonType, e.g. `monitoring` (case-insensitive). */
  addonType?: string | null | undefined;
  /** Packs for this cloud, or for `all` clouds. */
  cloudType?: string | null | undefined;
  /** Include packs marked `system_state: deprecated` (default false). */
  includeDeprecated?: boolean | null | undefined;
  layer?: Array<Layer> | null | undefined;
  /** Only packs from these registries. */
  registry?: Array<string> | null | undefined;
  /** Case-insensitive text in the name or display name. */
  search?: string | null | undefined;
  /** true: only packs with a live version signed by a key its registry's trust policy trusts (docs/signatures.md); false: only packs without one. */
  verified?: boolean | null | undefined;
};

/** Where a pack version is in its life: ACTIVE; DEPRECATED (still selectable, profiles warned); DISABLED (no new profiles). Deleted versions are gone. */
export type PackLifecycleState =
  | 'ACTIVE'
  | 'DEPRECATED'
  | 'DISABLED';

/** A cluster profile draft: at most 50 layers and 100 variables. */
export type ProfileInput = {
  /** A cloud type (aws, vsphere, edge-native...) or `all` (ADDON profiles only). */
  cloudType: string;
  description?: string | null | undefined;
  layers: Array<ProfileLayerInput>;
  /** 1-100 letters, digits, ".", "_" or "-". */
  name: string;
  type: ProfileType;
  variables?: Array<ProfileVariableInput> | null | undefined;
  /** MAJOR.MINOR.PATCH; 1.0.0 when omitted on create. */
  version?: string | null | undefined;
};

/** A layer: a pack reference with overrides. */
export type ProfileLayerInput = {
  pack: string;
  /** Presets by name or `group:name`; omitted: the values' enabled-presets comment. */
  presets?: Array<string> | null | undefined;
  /** Take the pack from this registry; omitted: the highest-priority registry holding it. */
  registry?: string | null | undefined;
  /** values.yaml replacing the pack's whole (at most 1 MiB); omitted: the pack's own. */
  values?: string | null | undefined;
  /** YAML deep-merged onto the pack's values.yaml (at most 1 MiB): maps merge, lists and scalars replace, `null` deletes a key; validated after the merge. Give `values` or this, not both. */
  valuesOverride?: string | null | undefined;
  /** An exact version, a tag (`lts__1.29.4`), a parent tag (`1.29.x`, `1.x`) or `latest`. */
  version: string;
};

/** Palette profile types: cluster, infra, add-on, system. */
export type ProfileType =
  | 'ADDON'
  | 'CLUSTER'
  | 'INFRA'
  | 'SYSTEM';

export type ProfileVariableInput = {
  default?: string | null | undefined;
  description?: string | null | undefined;
  displayName?: string | null | undefined;
  /** string (default), number, boolean, ipv4, ipv4cidr, ipv6 or version. */
  format?: string | null | undefined;
  hidden?: boolean | null | undefined;
  name: string;
  /** Allowed values; omitted: free input. */
  options?: Array<string> | null | undefined;
  readonly?: boolean | null | undefined;
  /** RE2 regular expression the value must match (unanchored). */
  regex?: string | null | undefined;
  required?: boolean | null | undefined;
};

/** A saved profile version. */
export type ProfileVersionRefInput = {
  name: string;
  version: string;
};

/** Which versions a proposal prefers. */
export type ProposalPolicy =
  /** The versions nearest to those of a saved profile (`from`): same version, then the nearest newer, then older. */
  | 'CLOSEST'
  /** The newest versions that fit (DEPRECATED or past-eol versions only when nothing else does). */
  | 'NEWEST';

/** A layer the proposal must hold. */
export type ProposeLayerInput = {
  pack: string;
  /** Take the pack from this registry only. */
  registry?: string | null | undefined;
  /** An exact version, a tag, a parent tag (`1.31.x`) or `latest`; omitted: any version. */
  version?: string | null | undefined;
};

/** What proposeProfile is asked: fixed layers, open slots, a cloud type, a Kubernetes range, a policy. */
export type ProposeProfileInput = {
  cloudType: string;
  /** The saved profile CLOSEST stays near (an upgrade of it). */
  from?: ProfileVersionRefInput | null | undefined;
  /** Kubernetes range: `1.31.x`, `1.31.2`, or a constraint (`>=1.30 <1.32`); vendor suffixes are ignored. */
  kubernetes?: string | null | undefined;
  /** Fixed layers (at most 30). */
  layers?: Array<ProposeLayerInput> | null | undefined;
  /** The proposed profile's name (default `proposal`). */
  name?: string | null | undefined;
  /** NEWEST (default) or CLOSEST (needs `from`). */
  policy?: ProposalPolicy | null | undefined;
  /** Open slots (at most 20). */
  slots?: Array<ProposeSlotInput> | null | undefined;
  /** CLUSTER (default) or ADDON. A CLUSTER proposal fills every core layer the request leaves open. */
  type?: ProfileType | null | undefined;
  /** The proposed profile's version (omitted: none, 1.0.0 when saved). */
  version?: string | null | undefined;
};

/** An open layer the solver fills. */
export type ProposeSlotInput = {
  layer: Layer;
  /** Packs to try first, in order (at most 10). */
  prefer?: Array<string> | null | undefined;
};

/** Why a proposed layer is there: the request fixed its pack, a slot chose it, or another layer requires it. */
export type ProposedLayerOrigin =
  | 'FIXED'
  | 'REQUIRED'
  | 'SLOT';

/** Where a registry's packs come from. */
export type RegistryKind =
  | 'CATALOG'
  | 'DEFAULT'
  | 'DIRECTORY'
  | 'HELM'
  | 'HOSTED'
  | 'OCI';

export type Severity =
  | 'ERROR'
  | 'WARNING';

export type ConsoleCatalogPacksQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: PackFilter | null | undefined;
}>;


export type ConsoleCatalogPacksQuery = { packs: { totalCount: number, edges: Array<{ cursor: string, node: { id: string, name: string, displayName: string, layer: Layer, addonType: string | null, cloudTypes: Array<string>, deprecated: boolean, logoUrl: string | null, sources: Array<{ name: string }>, latest: { version: string } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type ConsoleCatalogFacetSampleQueryVariables = Exact<{
  filter?: PackFilter | null | undefined;
}>;


export type ConsoleCatalogFacetSampleQuery = { packs: { totalCount: number, edges: Array<{ node: { id: string, layer: Layer, addonType: string | null, cloudTypes: Array<string>, sources: Array<{ name: string }> } }> } };

export type ComposerProfilesQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type ComposerProfilesQuery = { profilesConnection: { totalCount: number, edges: Array<{ node: { id: string, name: string, version: string, type: ProfileType, cloudType: string, updatedAt: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type ComposerProfileQueryVariables = Exact<{
  name: string;
  version?: string | null | undefined;
}>;


export type ComposerProfileQuery = { profile: { id: string, name: string, version: string, type: ProfileType, cloudType: string, description: string | null, layers: Array<{ index: number, pack: string, version: string, registry: string | null, values: string | null, valuesOverride: string | null, presets: Array<string> | null, resolved: { layer: Layer, version: string, registry: string } | null }> } | null };

export type ComposerPackSearchQueryVariables = Exact<{
  filter?: PackFilter | null | undefined;
}>;


export type ComposerPackSearchQuery = { packs: { totalCount: number, edges: Array<{ node: { id: string, name: string, displayName: string, layer: Layer, cloudTypes: Array<string>, latest: { version: string } | null } }> } };

export type ComposerPackVersionsQueryVariables = Exact<{
  name: string;
}>;


export type ComposerPackVersionsQuery = { pack: { id: string, name: string, displayName: string, layer: Layer, registry: { name: string }, versionsConnection: { edges: Array<{ node: { id: string, version: string, tags: Array<string>, registry: { name: string }, lifecycle: { state: PackLifecycleState } } }> } } | null };

export type ComposerPackVersionValuesQueryVariables = Exact<{
  name: string;
  version: string;
  registry?: string | null | undefined;
}>;


export type ComposerPackVersionValuesQuery = { packVersion: { id: string, version: string, values: string, presets: unknown, registry: { name: string } } | null };

export type ComposerValidateQueryVariables = Exact<{
  input: ProfileInput;
}>;


export type ComposerValidateQuery = { validateProfile: { valid: boolean, errorCount: number, warningCount: number, issues: Array<{ code: string, severity: Severity, message: string, layerIndex: number | null, pack: string | null, path: string | null }>, resolvedLayers: Array<{ layerIndex: number, layer: Layer, pack: string, version: string, registry: string }>, installOrder: Array<{ layerIndex: number, pack: string, priority: number }>, resources: { cpuMillicores: number, memoryMi: number, diskGi: number | null } } };

export type ComposerCreateProfileMutationVariables = Exact<{
  input: ProfileInput;
}>;


export type ComposerCreateProfileMutation = { createProfile: { id: string, name: string, version: string, warnings: Array<{ code: string, message: string, layerIndex: number | null }> } };

export type ComposerCloneProfileMutationVariables = Exact<{
  name: string;
  version: string;
  newVersion: string;
}>;


export type ComposerCloneProfileMutation = { cloneProfile: { id: string, name: string, version: string } };

export type ComposerProposeQueryVariables = Exact<{
  input: ProposeProfileInput;
}>;


export type ComposerProposeQuery = { proposeProfile: { profile: { layers: Array<{ layer: Layer, origin: ProposedLayerOrigin, pack: string, registry: string, version: string }> } | null, validation: { valid: boolean, errorCount: number } | null, explanation: { text: string, layers: Array<string> } | null } };

export type ComposerUpgradeStepsQueryVariables = Exact<{
  name: string;
  version: string;
  toKubernetes: string;
}>;


export type ComposerUpgradeStepsQuery = { profileUpgradeSteps: { complete: boolean, fromKubernetes: string, toKubernetes: string, steps: Array<{ kubernetes: string, moves: Array<{ pack: string, fromVersion: string, toVersion: string }>, proposal: { explanation: { text: string } | null } }> } };

export type ConsolePackQueryVariables = Exact<{
  name: string;
}>;


export type ConsolePackQuery = { pack: { id: string, name: string, displayName: string, layer: Layer, addonType: string | null, addonSubType: string | null, cloudTypes: Array<string>, deprecated: boolean, logoUrl: string | null, registry: { name: string }, sources: Array<{ name: string, kind: RegistryKind }>, versionsConnection: { totalCount: number, edges: Array<{ node: { id: string, version: string, tags: Array<string>, deprecated: boolean, createdAt: string, registry: { name: string }, lifecycle: { state: PackLifecycleState } } }> } } | null };

export type ConsolePackVersionQueryVariables = Exact<{
  name: string;
  version: string;
  registry?: string | null | undefined;
}>;


export type ConsolePackVersionQuery = { packVersion: { id: string, version: string, tags: Array<string>, digest: string, downloadUrl: string | null, size: number | null, readme: string | null, values: string, schema: unknown, presets: unknown, createdAt: string, deprecated: boolean, registry: { name: string }, lifecycle: { state: PackLifecycleState, eol: string | null, pastEol: boolean, replacedBy: string | null }, constraints: { dependencies: Array<{ packName: string, layer: Layer, type: DependencyType, minVersion: string | null, maxVersion: string | null }>, resources: Array<{ type: string, minLimit: number | null }> } | null, signatures: Array<{ verified: boolean, keyName: string | null }> } | null };

export type ConsolePackVersionValuesQueryVariables = Exact<{
  name: string;
  version: string;
  registry?: string | null | undefined;
}>;


export type ConsolePackVersionValuesQuery = { packVersion: { id: string, version: string, values: string } | null };


export const ConsoleCatalogPacksDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleCatalogPacks"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"PackFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"packs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"layer"}},{"kind":"Field","name":{"kind":"Name","value":"addonType"}},{"kind":"Field","name":{"kind":"Name","value":"cloudTypes"}},{"kind":"Field","name":{"kind":"Name","value":"deprecated"}},{"kind":"Field","name":{"kind":"Name","value":"logoUrl"}},{"kind":"Field","name":{"kind":"Name","value":"sources"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"latest"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleCatalogPacksQuery, ConsoleCatalogPacksQueryVariables>;
export const ConsoleCatalogFacetSampleDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsoleCatalogFacetSample"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"PackFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"packs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"layer"}},{"kind":"Field","name":{"kind":"Name","value":"addonType"}},{"kind":"Field","name":{"kind":"Name","value":"cloudTypes"}},{"kind":"Field","name":{"kind":"Name","value":"sources"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ConsoleCatalogFacetSampleQuery, ConsoleCatalogFacetSampleQueryVariables>;
export const ComposerProfilesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ComposerProfiles"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"profilesConnection"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"50"}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"cloudType"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<ComposerProfilesQuery, ComposerProfilesQueryVariables>;
export const ComposerProfileDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ComposerProfile"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"version"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"profile"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}},{"kind":"Argument","name":{"kind":"Name","value":"version"},"value":{"kind":"Variable","name":{"kind":"Name","value":"version"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"cloudType"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"layers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"pack"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"registry"}},{"kind":"Field","name":{"kind":"Name","value":"values"}},{"kind":"Field","name":{"kind":"Name","value":"valuesOverride"}},{"kind":"Field","name":{"kind":"Name","value":"presets"}},{"kind":"Field","name":{"kind":"Name","value":"resolved"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"layer"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"registry"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ComposerProfileQuery, ComposerProfileQueryVariables>;
export const ComposerPackSearchDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ComposerPackSearch"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"PackFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"packs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"50"}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"layer"}},{"kind":"Field","name":{"kind":"Name","value":"cloudTypes"}},{"kind":"Field","name":{"kind":"Name","value":"latest"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ComposerPackSearchQuery, ComposerPackSearchQueryVariables>;
export const ComposerPackVersionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ComposerPackVersions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pack"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"layer"}},{"kind":"Field","name":{"kind":"Name","value":"registry"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"versionsConnection"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"registry"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lifecycle"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"state"}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ComposerPackVersionsQuery, ComposerPackVersionsQueryVariables>;
export const ComposerPackVersionValuesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ComposerPackVersionValues"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"version"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"registry"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"packVersion"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}},{"kind":"Argument","name":{"kind":"Name","value":"version"},"value":{"kind":"Variable","name":{"kind":"Name","value":"version"}}},{"kind":"Argument","name":{"kind":"Name","value":"registry"},"value":{"kind":"Variable","name":{"kind":"Name","value":"registry"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"values"}},{"kind":"Field","name":{"kind":"Name","value":"presets"}},{"kind":"Field","name":{"kind":"Name","value":"registry"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<ComposerPackVersionValuesQuery, ComposerPackVersionValuesQueryVariables>;
export const ComposerValidateDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ComposerValidate"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ProfileInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"validateProfile"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"valid"}},{"kind":"Field","name":{"kind":"Name","value":"errorCount"}},{"kind":"Field","name":{"kind":"Name","value":"warningCount"}},{"kind":"Field","name":{"kind":"Name","value":"issues"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"severity"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"layerIndex"}},{"kind":"Field","name":{"kind":"Name","value":"pack"}},{"kind":"Field","name":{"kind":"Name","value":"path"}}]}},{"kind":"Field","name":{"kind":"Name","value":"resolvedLayers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"layerIndex"}},{"kind":"Field","name":{"kind":"Name","value":"layer"}},{"kind":"Field","name":{"kind":"Name","value":"pack"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"registry"}}]}},{"kind":"Field","name":{"kind":"Name","value":"installOrder"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"layerIndex"}},{"kind":"Field","name":{"kind":"Name","value":"pack"}},{"kind":"Field","name":{"kind":"Name","value":"priority"}}]}},{"kind":"Field","name":{"kind":"Name","value":"resources"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cpuMillicores"}},{"kind":"Field","name":{"kind":"Name","value":"memoryMi"}},{"kind":"Field","name":{"kind":"Name","value":"diskGi"}}]}}]}}]}}]} as unknown as DocumentNode<ComposerValidateQuery, ComposerValidateQueryVariables>;
export const ComposerCreateProfileDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ComposerCreateProfile"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ProfileInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createProfile"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"warnings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"layerIndex"}}]}}]}}]}}]} as unknown as DocumentNode<ComposerCreateProfileMutation, ComposerCreateProfileMutationVariables>;
export const ComposerCloneProfileDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ComposerCloneProfile"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"version"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"newVersion"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cloneProfile"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}},{"kind":"Argument","name":{"kind":"Name","value":"version"},"value":{"kind":"Variable","name":{"kind":"Name","value":"version"}}},{"kind":"Argument","name":{"kind":"Name","value":"newVersion"},"value":{"kind":"Variable","name":{"kind":"Name","value":"newVersion"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]}}]} as unknown as DocumentNode<ComposerCloneProfileMutation, ComposerCloneProfileMutationVariables>;
export const ComposerProposeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ComposerPropose"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ProposeProfileInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"proposeProfile"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"profile"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"layers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"layer"}},{"kind":"Field","name":{"kind":"Name","value":"origin"}},{"kind":"Field","name":{"kind":"Name","value":"pack"}},{"kind":"Field","name":{"kind":"Name","value":"registry"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"validation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"valid"}},{"kind":"Field","name":{"kind":"Name","value":"errorCount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"explanation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"layers"}}]}}]}}]}}]} as unknown as DocumentNode<ComposerProposeQuery, ComposerProposeQueryVariables>;
export const ComposerUpgradeStepsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ComposerUpgradeSteps"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"version"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"toKubernetes"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"profileUpgradeSteps"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}},{"kind":"Argument","name":{"kind":"Name","value":"version"},"value":{"kind":"Variable","name":{"kind":"Name","value":"version"}}},{"kind":"Argument","name":{"kind":"Name","value":"toKubernetes"},"value":{"kind":"Variable","name":{"kind":"Name","value":"toKubernetes"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"complete"}},{"kind":"Field","name":{"kind":"Name","value":"fromKubernetes"}},{"kind":"Field","name":{"kind":"Name","value":"toKubernetes"}},{"kind":"Field","name":{"kind":"Name","value":"steps"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kubernetes"}},{"kind":"Field","name":{"kind":"Name","value":"moves"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pack"}},{"kind":"Field","name":{"kind":"Name","value":"fromVersion"}},{"kind":"Field","name":{"kind":"Name","value":"toVersion"}}]}},{"kind":"Field","name":{"kind":"Name","value":"proposal"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"explanation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"text"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ComposerUpgradeStepsQuery, ComposerUpgradeStepsQueryVariables>;
export const ConsolePackDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsolePack"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pack"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"layer"}},{"kind":"Field","name":{"kind":"Name","value":"addonType"}},{"kind":"Field","name":{"kind":"Name","value":"addonSubType"}},{"kind":"Field","name":{"kind":"Name","value":"cloudTypes"}},{"kind":"Field","name":{"kind":"Name","value":"deprecated"}},{"kind":"Field","name":{"kind":"Name","value":"logoUrl"}},{"kind":"Field","name":{"kind":"Name","value":"registry"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"sources"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}}]}},{"kind":"Field","name":{"kind":"Name","value":"versionsConnection"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"deprecated"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"registry"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lifecycle"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"state"}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ConsolePackQuery, ConsolePackQueryVariables>;
export const ConsolePackVersionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsolePackVersion"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"version"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"registry"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"packVersion"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}},{"kind":"Argument","name":{"kind":"Name","value":"version"},"value":{"kind":"Variable","name":{"kind":"Name","value":"version"}}},{"kind":"Argument","name":{"kind":"Name","value":"registry"},"value":{"kind":"Variable","name":{"kind":"Name","value":"registry"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"digest"}},{"kind":"Field","name":{"kind":"Name","value":"downloadUrl"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"readme"}},{"kind":"Field","name":{"kind":"Name","value":"values"}},{"kind":"Field","name":{"kind":"Name","value":"schema"}},{"kind":"Field","name":{"kind":"Name","value":"presets"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"deprecated"}},{"kind":"Field","name":{"kind":"Name","value":"registry"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lifecycle"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"eol"}},{"kind":"Field","name":{"kind":"Name","value":"pastEol"}},{"kind":"Field","name":{"kind":"Name","value":"replacedBy"}}]}},{"kind":"Field","name":{"kind":"Name","value":"constraints"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dependencies"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"packName"}},{"kind":"Field","name":{"kind":"Name","value":"layer"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"minVersion"}},{"kind":"Field","name":{"kind":"Name","value":"maxVersion"}}]}},{"kind":"Field","name":{"kind":"Name","value":"resources"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"minLimit"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"signatures"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"verified"}},{"kind":"Field","name":{"kind":"Name","value":"keyName"}}]}}]}}]}}]} as unknown as DocumentNode<ConsolePackVersionQuery, ConsolePackVersionQueryVariables>;
export const ConsolePackVersionValuesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConsolePackVersionValues"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"version"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"registry"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"packVersion"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}},{"kind":"Argument","name":{"kind":"Name","value":"version"},"value":{"kind":"Variable","name":{"kind":"Name","value":"version"}}},{"kind":"Argument","name":{"kind":"Name","value":"registry"},"value":{"kind":"Variable","name":{"kind":"Name","value":"registry"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"values"}}]}}]}}]} as unknown as DocumentNode<ConsolePackVersionValuesQuery, ConsolePackVersionValuesQueryVariables>;