/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Which events; an absent or empty list matches all. */
export type CatalogEventFilterInput = {
  /** Pack names. */
  packs?: Array<string> | null | undefined;
  /** Registry names. */
  registries?: Array<string> | null | undefined;
  types?: Array<CatalogEventType> | null | undefined;
};

/** What a catalog event says happened (see docs/webhooks.md for each type's `data`). */
export type CatalogEventType =
  | 'PACK_LIFECYCLE_CHANGED'
  | 'PACK_TAG_MOVED'
  | 'PACK_VERSION_DELETED'
  | 'PACK_VERSION_PUBLISHED'
  | 'PROFILE_INVALIDATED'
  | 'SYNC_FAILED'
  | 'SYNC_RECOVERED';

export type CreateRegistryInput = {
  /** OCI, HELM, CATALOG: origins (`scheme://host[:port]`) besides the endpoint's own that pagination links, download URLs and redirects may point to, e.g. the CDN a registry redirects blob downloads to. They never receive the credentials. */
  allowedOrigins?: Array<string> | null | undefined;
  /** OCI: the path under the registry host where `spectro-packs/` lives. */
  basePath?: string | null | undefined;
  credentials?: RegistryCredentialsInput | null | undefined;
  /** URL of an upstream (OCI, HELM, CATALOG) or a path (DIRECTORY). */
  endpoint?: string | null | undefined;
  /** Plain HTTP or unverified TLS. */
  insecure?: boolean | null | undefined;
  kind: RegistryKind;
  name: string;
  priority?: number | null | undefined;
  /** OCI: repositories to sync when the registry offers no `_catalog`. */
  repositories?: Array<string> | null | undefined;
  /** Default 86400 (daily, as Palette). */
  syncIntervalSeconds?: number | null | undefined;
  /** Default PUBLIC. */
  visibility?: RegistryVisibility | null | undefined;
};

export type CreateWebhookInput = {
  /** Event types to deliver; absent or empty: all. */
  events?: Array<CatalogEventType> | null | undefined;
  /** Default JSON. */
  format?: WebhookFormat | null | undefined;
  insecure?: boolean | null | undefined;
  /** Pack names; absent or empty: all. */
  packs?: Array<string> | null | undefined;
  /** Registry names; absent or empty: all (ADMIN only: a PUBLISHER names registries it may publish to). */
  registries?: Array<string> | null | undefined;
  /** The HMAC-SHA256 signing secret (16 to 256 characters): stored encrypted, never returned. */
  secret: string;
  /** http(s) URL; private addresses only with WEBHOOK_ALLOW_PRIVATE_ADDRESSES, plain HTTP only to loopback unless insecure. */
  url: string;
};

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

/** How a fact of an explanation relates its pack to the other side. */
export type ProposalFactRelation =
  | 'CLOUD_TYPE'
  | 'DISABLED'
  | 'LAYER_TAKEN'
  | 'NEEDS_KUBERNETES'
  | 'NOT_IN_CATALOG'
  | 'NOT_SUPPORTED_WITH'
  | 'NO_CANDIDATE'
  | 'REFUSED_BY_VALIDATION'
  | 'REQUEST_FIXES'
  | 'REQUIRES'
  | 'SAME_PACK'
  | 'UPGRADE_FROM';

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

/** Credentials for an upstream registry: stored encrypted, never returned. */
export type RegistryCredentialsInput = {
  password?: string | null | undefined;
  token?: string | null | undefined;
  username?: string | null | undefined;
};

/** Where a registry's packs come from. */
export type RegistryKind =
  | 'CATALOG'
  | 'DEFAULT'
  | 'DIRECTORY'
  | 'HELM'
  | 'HOSTED'
  | 'OCI';

/** PUBLIC: every caller who may read the catalog sees the registry. PRIVATE: only ADMINs and tokens that name it. */
export type RegistryVisibility =
  | 'PRIVATE'
  | 'PUBLIC';

/** VIEWER reads; PUBLISHER also pushes and tags; ADMIN does everything. */
export type Role =
  | 'ADMIN'
  | 'PUBLISHER'
  | 'VIEWER';

export type Severity =
  | 'ERROR'
  | 'WARNING';

export type SyncState =
  | 'FAILED'
  | 'NEVER'
  | 'PARTIAL'
  | 'QUEUED'
  | 'RUNNING'
  | 'SUCCEEDED';

export type UpdateRegistryInput = {
  /** Replaces the allowed origins; null or [] clears them. */
  allowedOrigins?: Array<string> | null | undefined;
  basePath?: string | null | undefined;
  /** Replaces stored credentials; null clears them. */
  credentials?: RegistryCredentialsInput | null | undefined;
  endpoint?: string | null | undefined;
  insecure?: boolean | null | undefined;
  priority?: number | null | undefined;
  repositories?: Array<string> | null | undefined;
  syncIntervalSeconds?: number | null | undefined;
  /** The DEFAULT registry stays PUBLIC. */
  visibility?: RegistryVisibility | null | undefined;
};

/** PENDING: waiting for its turn or a retry, or being sent. DELIVERED: a 2xx answer. FAILED: every attempt failed. SKIPPED: not sent and not retried, because the webhook's owner may no longer read the event's registry (no active token of it may; error says which). */
export type WebhookDeliveryStatus =
  | 'DELIVERED'
  | 'FAILED'
  | 'PENDING'
  | 'SKIPPED';

/** JSON: the event as JSON. CLOUDEVENTS: a CloudEvents 1.0 structured event (application/cloudevents+json) around it. */
export type WebhookFormat =
  | 'CLOUDEVENTS'
  | 'JSON';

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { name: string, role: Role, registries: Array<string> } | null };

export type CatalogEventFieldsFragment = { id: string, type: CatalogEventType, occurredAt: string, registry: string | null, pack: string | null, version: string | null, data: unknown };

export type RecentEventsQueryVariables = Exact<{
  filter?: CatalogEventFilterInput | null | undefined;
  last?: number | null | undefined;
}>;


export type RecentEventsQuery = { catalogEvents: { edges: Array<{ node: { id: string, type: CatalogEventType, occurredAt: string, registry: string | null, pack: string | null, version: string | null, data: unknown } }> } };

export type FollowEventsSubscriptionVariables = Exact<{
  filter?: CatalogEventFilterInput | null | undefined;
  after?: string | null | undefined;
}>;


export type FollowEventsSubscription = { catalogEvents: { id: string, type: CatalogEventType, occurredAt: string, registry: string | null, pack: string | null, version: string | null, data: unknown } };

export type PackImpactOfVersionQueryVariables = Exact<{
  name: string;
  version: string;
  registry?: string | null | undefined;
}>;


export type PackImpactOfVersionQuery = { packImpact: Array<{ name: string, version: string, owner: string | null, layers: Array<{ index: number, pack: string, version: string, registry: string | null }> }> };

export type SetLifecycleMutationVariables = Exact<{
  registry: string;
  name: string;
  version: string;
  state: PackLifecycleState;
  eol?: string | null | undefined;
  replacedBy?: string | null | undefined;
}>;


export type SetLifecycleMutation = { setPackVersionLifecycle: { version: string, lifecycle: { state: PackLifecycleState, eol: string | null, pastEol: boolean, replacedBy: string | null, deprecatedAt: string | null } } };

export type ListPacksQueryVariables = Exact<{
  filter?: PackFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ListPacksQuery = { packs: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { name: string, displayName: string, layer: Layer, addonType: string | null, cloudTypes: Array<string>, deprecated: boolean, sources: Array<{ name: string }>, latest: { version: string } | null } }> } };

export type PackNameSuggestionsQueryVariables = Exact<{
  name: string;
}>;


export type PackNameSuggestionsQuery = { packNameSuggestions: Array<string> };

export type RegistryNamesQueryVariables = Exact<{ [key: string]: never; }>;


export type RegistryNamesQuery = { registries: Array<{ name: string }> };

export type PullVersionQueryVariables = Exact<{
  name: string;
  version: string;
  registry?: string | null | undefined;
}>;


export type PullVersionQuery = { packVersion: { version: string, digest: string, size: number | null, downloadUrl: string | null, pack: { name: string }, registry: { name: string } } | null };

export type PushPackMutationVariables = Exact<{
  registry: string;
  archive: null;
  force?: boolean | null | undefined;
  message?: string | null | undefined;
  digest?: string | null | undefined;
  size?: number | null | undefined;
}>;


export type PushPackMutation = { pushPack: { version: string, digest: string, size: number | null, tags: Array<string>, pack: { name: string }, registry: { name: string } } };

export type ExistingVersionQueryVariables = Exact<{
  name: string;
  version: string;
  registry?: string | null | undefined;
}>;


export type ExistingVersionQuery = { packVersion: { version: string, digest: string } | null };

export type DeleteVersionMutationVariables = Exact<{
  registry: string;
  name: string;
  version: string;
}>;


export type DeleteVersionMutation = { deletePackVersion: boolean };

export type ShowPackQueryVariables = Exact<{
  name: string;
  registry?: string | null | undefined;
}>;


export type ShowPackQuery = { pack: { name: string, displayName: string, layer: Layer, addonType: string | null, addonSubType: string | null, cloudTypes: Array<string>, deprecated: boolean, logoUrl: string | null, registry: { name: string }, sources: Array<{ name: string }>, latest: { version: string } | null, versions: Array<{ version: string, tags: Array<string>, digest: string, size: number | null, deprecated: boolean, createdAt: string, registry: { name: string } }> } | null };

export type ShowVersionQueryVariables = Exact<{
  name: string;
  version: string;
  registry?: string | null | undefined;
}>;


export type ShowVersionQuery = { packVersion: { version: string, tags: Array<string>, digest: string, size: number | null, deprecated: boolean, createdAt: string, cloudTypes: Array<string>, charts: Array<string>, manifests: Array<string>, downloadUrl: string | null, message: string | null, annotations: unknown, registry: { name: string }, pack: { name: string, displayName: string, layer: Layer, addonType: string | null }, constraints: { dependencies: Array<{ packName: string, layer: Layer, type: DependencyType, minVersion: string | null, maxVersion: string | null }>, resources: Array<{ type: string, minLimit: number | null }> } | null } | null };

export type SignedVersionQueryVariables = Exact<{
  name: string;
  version: string;
  registry?: string | null | undefined;
}>;


export type SignedVersionQuery = { packVersion: { version: string, digest: string, size: number | null, pack: { name: string }, registry: { name: string }, signatures: Array<{ keyName: string | null, algorithm: string | null, verified: boolean, failure: string | null, signedAt: string }> } | null };

export type AddTagMutationVariables = Exact<{
  registry: string;
  name: string;
  version: string;
  tag: string;
}>;


export type AddTagMutation = { addPackTag: { version: string, tags: Array<string> } };

export type DeleteTagMutationVariables = Exact<{
  registry: string;
  name: string;
  tag: string;
}>;


export type DeleteTagMutation = { deletePackTag: boolean };

export type PackVersionsNearQueryVariables = Exact<{
  name: string;
  registry?: string | null | undefined;
  first?: number | null | undefined;
}>;


export type PackVersionsNearQuery = { pack: { versionsConnection: { totalCount: number, edges: Array<{ node: { version: string } }> } } | null };

export type ExistingProfileQueryVariables = Exact<{
  name: string;
  version?: string | null | undefined;
}>;


export type ExistingProfileQuery = { profile: { version: string } | null };

export type CreateProfileMutationVariables = Exact<{
  input: ProfileInput;
}>;


export type CreateProfileMutation = { createProfile: { name: string, version: string, type: ProfileType, cloudType: string, description: string | null, createdAt: string, updatedAt: string, warnings: Array<{ code: string, severity: Severity, layerIndex: number | null, pack: string | null, path: string | null, message: string }>, layers: Array<{ pack: string, version: string, registry: string | null, values: string | null, valuesOverride: string | null, presets: Array<string> | null }>, variables: Array<{ name: string, displayName: string | null, description: string | null, format: string, default: string | null, required: boolean, regex: string | null, options: Array<string>, hidden: boolean, readonly: boolean }> } };

export type CloneProfileVersionMutationVariables = Exact<{
  name: string;
  version: string;
  newVersion: string;
}>;


export type CloneProfileVersionMutation = { cloneProfile: { name: string, version: string, type: ProfileType, cloudType: string, description: string | null, createdAt: string, updatedAt: string, warnings: Array<{ code: string, severity: Severity, layerIndex: number | null, pack: string | null, path: string | null, message: string }>, layers: Array<{ pack: string, version: string, registry: string | null, values: string | null, valuesOverride: string | null, presets: Array<string> | null }>, variables: Array<{ name: string, displayName: string | null, description: string | null, format: string, default: string | null, required: boolean, regex: string | null, options: Array<string>, hidden: boolean, readonly: boolean }> } };

export type ExportProfileQueryVariables = Exact<{
  name: string;
  version?: string | null | undefined;
}>;


export type ExportProfileQuery = { profile: { name: string, version: string, type: ProfileType, cloudType: string, description: string | null, createdAt: string, updatedAt: string, layers: Array<{ pack: string, version: string, registry: string | null, values: string | null, valuesOverride: string | null, presets: Array<string> | null }>, variables: Array<{ name: string, displayName: string | null, description: string | null, format: string, default: string | null, required: boolean, regex: string | null, options: Array<string>, hidden: boolean, readonly: boolean }> } | null };

export type ProfilesQueryVariables = Exact<{
  name?: string | null | undefined;
}>;


export type ProfilesQuery = { profiles: Array<{ name: string, version: string, type: ProfileType, cloudType: string, description: string | null, createdAt: string, updatedAt: string, layers: Array<{ pack: string, version: string, registry: string | null, values: string | null, valuesOverride: string | null, presets: Array<string> | null }>, variables: Array<{ name: string, displayName: string | null, description: string | null, format: string, default: string | null, required: boolean, regex: string | null, options: Array<string>, hidden: boolean, readonly: boolean }> }> };

export type IssueFieldsFragment = { code: string, severity: Severity, layerIndex: number | null, pack: string | null, path: string | null, message: string };

export type ProfileFieldsFragment = { name: string, version: string, type: ProfileType, cloudType: string, description: string | null, createdAt: string, updatedAt: string, layers: Array<{ pack: string, version: string, registry: string | null, values: string | null, valuesOverride: string | null, presets: Array<string> | null }>, variables: Array<{ name: string, displayName: string | null, description: string | null, format: string, default: string | null, required: boolean, regex: string | null, options: Array<string>, hidden: boolean, readonly: boolean }> };

export type ProposeProfileQueryVariables = Exact<{
  input: ProposeProfileInput;
}>;


export type ProposeProfileQuery = { proposeProfile: { profile: { name: string, version: string | null, type: ProfileType, cloudType: string, layers: Array<{ pack: string, version: string, registry: string, layer: Layer, origin: ProposedLayerOrigin }> } | null, validation: { valid: boolean, issues: Array<{ code: string, severity: Severity, layerIndex: number | null, pack: string | null, path: string | null, message: string }> } | null, explanation: { text: string, layers: Array<string>, facts: Array<{ pack: string, versionRange: string, relation: ProposalFactRelation, otherPack: string | null, otherRange: string | null, text: string }> } | null } };

export type DeleteProfileMutationVariables = Exact<{
  name: string;
  version: string;
}>;


export type DeleteProfileMutation = { deleteProfile: boolean };

export type ValidateProfileQueryVariables = Exact<{
  input: ProfileInput;
}>;


export type ValidateProfileQuery = { validateProfile: { valid: boolean, issues: Array<{ code: string, severity: Severity, layerIndex: number | null, pack: string | null, path: string | null, message: string }>, resolvedLayers: Array<{ layerIndex: number, pack: string, registry: string, version: string, digest: string, layer: Layer }>, installOrder: Array<{ layerIndex: number, pack: string, priority: number }> } };

export type CreateRegistryMutationVariables = Exact<{
  input: CreateRegistryInput;
}>;


export type CreateRegistryMutation = { createRegistry: { name: string, kind: RegistryKind, endpoint: string | null, priority: number, packCount: number, syncIntervalSeconds: number, sync: { state: SyncState, lastRunAt: string | null, lastSuccessAt: string | null, message: string | null } } };

export type RegistriesQueryVariables = Exact<{ [key: string]: never; }>;


export type RegistriesQuery = { registries: Array<{ name: string, kind: RegistryKind, endpoint: string | null, priority: number, packCount: number, syncIntervalSeconds: number, sync: { state: SyncState, lastRunAt: string | null, lastSuccessAt: string | null, message: string | null } }> };

export type RegistryFieldsFragment = { name: string, kind: RegistryKind, endpoint: string | null, priority: number, packCount: number, syncIntervalSeconds: number, sync: { state: SyncState, lastRunAt: string | null, lastSuccessAt: string | null, message: string | null } };

export type DeleteRegistryMutationVariables = Exact<{
  name: string;
}>;


export type DeleteRegistryMutation = { deleteRegistry: boolean };

export type SyncRunFieldsFragment = { id: string, state: SyncState, startedAt: string | null, finishedAt: string | null, added: number, updated: number, removed: number, unchanged: number, message: string | null, errors: Array<{ item: string, message: string }> };

export type SyncRegistryMutationVariables = Exact<{
  name: string;
  force?: boolean | null | undefined;
}>;


export type SyncRegistryMutation = { syncRegistry: { id: string, state: SyncState, startedAt: string | null, finishedAt: string | null, added: number, updated: number, removed: number, unchanged: number, message: string | null, errors: Array<{ item: string, message: string }> } };

export type SyncProgressQueryVariables = Exact<{
  name: string;
}>;


export type SyncProgressQuery = { registry: { sync: { state: SyncState, runs: Array<{ id: string, state: SyncState, startedAt: string | null, finishedAt: string | null, added: number, updated: number, removed: number, unchanged: number, message: string | null, errors: Array<{ item: string, message: string }> }> } } | null };

export type UpdateRegistryMutationVariables = Exact<{
  name: string;
  input: UpdateRegistryInput;
}>;


export type UpdateRegistryMutation = { updateRegistry: { name: string, kind: RegistryKind, endpoint: string | null, priority: number, packCount: number, syncIntervalSeconds: number, sync: { state: SyncState, lastRunAt: string | null, lastSuccessAt: string | null, message: string | null } } };

export type ApiTokenFieldsFragment = { id: string, name: string, prefix: string, role: Role, registries: Array<string>, createdAt: string, lastUsedAt: string | null, expiresAt: string | null, revokedAt: string | null };

export type CreateTokenMutationVariables = Exact<{
  name: string;
  role: Role;
  registries?: Array<string> | string | null | undefined;
  expiresAt?: string | null | undefined;
}>;


export type CreateTokenMutation = { createApiToken: { token: string, apiToken: { id: string, name: string, prefix: string, role: Role, registries: Array<string>, createdAt: string, lastUsedAt: string | null, expiresAt: string | null, revokedAt: string | null } } };

export type TokensQueryVariables = Exact<{ [key: string]: never; }>;


export type TokensQuery = { apiTokens: Array<{ id: string, name: string, prefix: string, role: Role, registries: Array<string>, createdAt: string, lastUsedAt: string | null, expiresAt: string | null, revokedAt: string | null }> };

export type RevokeTokenMutationVariables = Exact<{
  id: string | number;
}>;


export type RevokeTokenMutation = { revokeApiToken: boolean };

export type CreateWebhookMutationVariables = Exact<{
  input: CreateWebhookInput;
}>;


export type CreateWebhookMutation = { createWebhook: { id: string, url: string, events: Array<CatalogEventType>, registries: Array<string>, packs: Array<string>, format: WebhookFormat } };

export type WebhooksQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type WebhooksQuery = { webhooks: { edges: Array<{ node: { id: string, url: string, events: Array<CatalogEventType>, registries: Array<string>, packs: Array<string>, format: WebhookFormat, enabled: boolean, failing: boolean, createdBy: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type DeleteWebhookMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteWebhookMutation = { deleteWebhook: boolean };

export type TestWebhookMutationVariables = Exact<{
  id: string | number;
}>;


export type TestWebhookMutation = { testWebhook: { id: string, status: WebhookDeliveryStatus, responseStatus: number | null, latencyMs: number | null, responseBody: string | null, error: string | null } };

export type HostedRegistriesQueryVariables = Exact<{ [key: string]: never; }>;


export type HostedRegistriesQuery = { registries: Array<{ name: string, kind: RegistryKind }> };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const CatalogEventFieldsFragmentDoc = new TypedDocumentString(`
    fragment CatalogEventFields on CatalogEvent {
  id
  type
  occurredAt
  registry
  pack
  version
  data
}
    `, {"fragmentName":"CatalogEventFields"}) as unknown as TypedDocumentString<CatalogEventFieldsFragment, unknown>;
export const IssueFieldsFragmentDoc = new TypedDocumentString(`
    fragment IssueFields on ValidationIssue {
  code
  severity
  layerIndex
  pack
  path
  message
}
    `, {"fragmentName":"IssueFields"}) as unknown as TypedDocumentString<IssueFieldsFragment, unknown>;
export const ProfileFieldsFragmentDoc = new TypedDocumentString(`
    fragment ProfileFields on ClusterProfile {
  name
  version
  type
  cloudType
  description
  createdAt
  updatedAt
  layers {
    pack
    version
    registry
    values
    valuesOverride
    presets
  }
  variables {
    name
    displayName
    description
    format
    default
    required
    regex
    options
    hidden
    readonly
  }
}
    `, {"fragmentName":"ProfileFields"}) as unknown as TypedDocumentString<ProfileFieldsFragment, unknown>;
export const RegistryFieldsFragmentDoc = new TypedDocumentString(`
    fragment RegistryFields on Registry {
  name
  kind
  endpoint
  priority
  packCount
  syncIntervalSeconds
  sync {
    state
    lastRunAt
    lastSuccessAt
    message
  }
}
    `, {"fragmentName":"RegistryFields"}) as unknown as TypedDocumentString<RegistryFieldsFragment, unknown>;
export const SyncRunFieldsFragmentDoc = new TypedDocumentString(`
    fragment SyncRunFields on SyncRun {
  id
  state
  startedAt
  finishedAt
  added
  updated
  removed
  unchanged
  message
  errors {
    item
    message
  }
}
    `, {"fragmentName":"SyncRunFields"}) as unknown as TypedDocumentString<SyncRunFieldsFragment, unknown>;
export const ApiTokenFieldsFragmentDoc = new TypedDocumentString(`
    fragment ApiTokenFields on ApiToken {
  id
  name
  prefix
  role
  registries
  createdAt
  lastUsedAt
  expiresAt
  revokedAt
}
    `, {"fragmentName":"ApiTokenFields"}) as unknown as TypedDocumentString<ApiTokenFieldsFragment, unknown>;
export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    name
    role
    registries
  }
}
    `) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const RecentEventsDocument = new TypedDocumentString(`
    query RecentEvents($filter: CatalogEventFilterInput, $last: Int) {
  catalogEvents(filter: $filter, last: $last) {
    edges {
      node {
        ...CatalogEventFields
      }
    }
  }
}
    fragment CatalogEventFields on CatalogEvent {
  id
  type
  occurredAt
  registry
  pack
  version
  data
}`) as unknown as TypedDocumentString<RecentEventsQuery, RecentEventsQueryVariables>;
export const FollowEventsDocument = new TypedDocumentString(`
    subscription FollowEvents($filter: CatalogEventFilterInput, $after: String) {
  catalogEvents(filter: $filter, after: $after) {
    ...CatalogEventFields
  }
}
    fragment CatalogEventFields on CatalogEvent {
  id
  type
  occurredAt
  registry
  pack
  version
  data
}`) as unknown as TypedDocumentString<FollowEventsSubscription, FollowEventsSubscriptionVariables>;
export const PackImpactOfVersionDocument = new TypedDocumentString(`
    query PackImpactOfVersion($name: String!, $version: String!, $registry: String) {
  packImpact(name: $name, version: $version, registry: $registry) {
    name
    version
    owner
    layers {
      index
      pack
      version
      registry
    }
  }
}
    `) as unknown as TypedDocumentString<PackImpactOfVersionQuery, PackImpactOfVersionQueryVariables>;
export const SetLifecycleDocument = new TypedDocumentString(`
    mutation SetLifecycle($registry: String!, $name: String!, $version: String!, $state: PackLifecycleState!, $eol: String, $replacedBy: String) {
  setPackVersionLifecycle(
    registry: $registry
    name: $name
    version: $version
    state: $state
    eol: $eol
    replacedBy: $replacedBy
  ) {
    version
    lifecycle {
      state
      eol
      pastEol
      replacedBy
      deprecatedAt
    }
  }
}
    `) as unknown as TypedDocumentString<SetLifecycleMutation, SetLifecycleMutationVariables>;
export const ListPacksDocument = new TypedDocumentString(`
    query ListPacks($filter: PackFilter, $first: Int, $after: String) {
  packs(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        name
        displayName
        layer
        addonType
        cloudTypes
        deprecated
        sources {
          name
        }
        latest {
          version
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ListPacksQuery, ListPacksQueryVariables>;
export const PackNameSuggestionsDocument = new TypedDocumentString(`
    query PackNameSuggestions($name: String!) {
  packNameSuggestions(name: $name)
}
    `) as unknown as TypedDocumentString<PackNameSuggestionsQuery, PackNameSuggestionsQueryVariables>;
export const RegistryNamesDocument = new TypedDocumentString(`
    query RegistryNames {
  registries {
    name
  }
}
    `) as unknown as TypedDocumentString<RegistryNamesQuery, RegistryNamesQueryVariables>;
export const PullVersionDocument = new TypedDocumentString(`
    query PullVersion($name: String!, $version: String!, $registry: String) {
  packVersion(name: $name, version: $version, registry: $registry) {
    version
    digest
    size
    downloadUrl
    pack {
      name
    }
    registry {
      name
    }
  }
}
    `) as unknown as TypedDocumentString<PullVersionQuery, PullVersionQueryVariables>;
export const PushPackDocument = new TypedDocumentString(`
    mutation PushPack($registry: String!, $archive: Upload!, $force: Boolean, $message: String, $digest: String, $size: Int) {
  pushPack(
    registry: $registry
    archive: $archive
    force: $force
    message: $message
    digest: $digest
    size: $size
  ) {
    version
    digest
    size
    tags
    pack {
      name
    }
    registry {
      name
    }
  }
}
    `) as unknown as TypedDocumentString<PushPackMutation, PushPackMutationVariables>;
export const ExistingVersionDocument = new TypedDocumentString(`
    query ExistingVersion($name: String!, $version: String!, $registry: String) {
  packVersion(name: $name, version: $version, registry: $registry) {
    version
    digest
  }
}
    `) as unknown as TypedDocumentString<ExistingVersionQuery, ExistingVersionQueryVariables>;
export const DeleteVersionDocument = new TypedDocumentString(`
    mutation DeleteVersion($registry: String!, $name: String!, $version: String!) {
  deletePackVersion(registry: $registry, name: $name, version: $version)
}
    `) as unknown as TypedDocumentString<DeleteVersionMutation, DeleteVersionMutationVariables>;
export const ShowPackDocument = new TypedDocumentString(`
    query ShowPack($name: String!, $registry: String) {
  pack(name: $name, registry: $registry) {
    name
    displayName
    layer
    addonType
    addonSubType
    cloudTypes
    deprecated
    logoUrl
    registry {
      name
    }
    sources {
      name
    }
    latest {
      version
    }
    versions {
      version
      tags
      digest
      size
      deprecated
      createdAt
      registry {
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ShowPackQuery, ShowPackQueryVariables>;
export const ShowVersionDocument = new TypedDocumentString(`
    query ShowVersion($name: String!, $version: String!, $registry: String) {
  packVersion(name: $name, version: $version, registry: $registry) {
    version
    tags
    digest
    size
    deprecated
    createdAt
    cloudTypes
    charts
    manifests
    downloadUrl
    message
    annotations
    registry {
      name
    }
    pack {
      name
      displayName
      layer
      addonType
    }
    constraints {
      dependencies {
        packName
        layer
        type
        minVersion
        maxVersion
      }
      resources {
        type
        minLimit
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ShowVersionQuery, ShowVersionQueryVariables>;
export const SignedVersionDocument = new TypedDocumentString(`
    query SignedVersion($name: String!, $version: String!, $registry: String) {
  packVersion(name: $name, version: $version, registry: $registry) {
    version
    digest
    size
    pack {
      name
    }
    registry {
      name
    }
    signatures {
      keyName
      algorithm
      verified
      failure
      signedAt
    }
  }
}
    `) as unknown as TypedDocumentString<SignedVersionQuery, SignedVersionQueryVariables>;
export const AddTagDocument = new TypedDocumentString(`
    mutation AddTag($registry: String!, $name: String!, $version: String!, $tag: String!) {
  addPackTag(registry: $registry, name: $name, version: $version, tag: $tag) {
    version
    tags
  }
}
    `) as unknown as TypedDocumentString<AddTagMutation, AddTagMutationVariables>;
export const DeleteTagDocument = new TypedDocumentString(`
    mutation DeleteTag($registry: String!, $name: String!, $tag: String!) {
  deletePackTag(registry: $registry, name: $name, tag: $tag)
}
    `) as unknown as TypedDocumentString<DeleteTagMutation, DeleteTagMutationVariables>;
export const PackVersionsNearDocument = new TypedDocumentString(`
    query PackVersionsNear($name: String!, $registry: String, $first: Int) {
  pack(name: $name, registry: $registry) {
    versionsConnection(first: $first) {
      totalCount
      edges {
        node {
          version
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<PackVersionsNearQuery, PackVersionsNearQueryVariables>;
export const ExistingProfileDocument = new TypedDocumentString(`
    query ExistingProfile($name: String!, $version: String) {
  profile(name: $name, version: $version) {
    version
  }
}
    `) as unknown as TypedDocumentString<ExistingProfileQuery, ExistingProfileQueryVariables>;
export const CreateProfileDocument = new TypedDocumentString(`
    mutation CreateProfile($input: ProfileInput!) {
  createProfile(input: $input) {
    ...ProfileFields
    warnings {
      ...IssueFields
    }
  }
}
    fragment IssueFields on ValidationIssue {
  code
  severity
  layerIndex
  pack
  path
  message
}
fragment ProfileFields on ClusterProfile {
  name
  version
  type
  cloudType
  description
  createdAt
  updatedAt
  layers {
    pack
    version
    registry
    values
    valuesOverride
    presets
  }
  variables {
    name
    displayName
    description
    format
    default
    required
    regex
    options
    hidden
    readonly
  }
}`) as unknown as TypedDocumentString<CreateProfileMutation, CreateProfileMutationVariables>;
export const CloneProfileVersionDocument = new TypedDocumentString(`
    mutation CloneProfileVersion($name: String!, $version: String!, $newVersion: String!) {
  cloneProfile(name: $name, version: $version, newVersion: $newVersion) {
    ...ProfileFields
    warnings {
      ...IssueFields
    }
  }
}
    fragment IssueFields on ValidationIssue {
  code
  severity
  layerIndex
  pack
  path
  message
}
fragment ProfileFields on ClusterProfile {
  name
  version
  type
  cloudType
  description
  createdAt
  updatedAt
  layers {
    pack
    version
    registry
    values
    valuesOverride
    presets
  }
  variables {
    name
    displayName
    description
    format
    default
    required
    regex
    options
    hidden
    readonly
  }
}`) as unknown as TypedDocumentString<CloneProfileVersionMutation, CloneProfileVersionMutationVariables>;
export const ExportProfileDocument = new TypedDocumentString(`
    query ExportProfile($name: String!, $version: String) {
  profile(name: $name, version: $version) {
    ...ProfileFields
  }
}
    fragment ProfileFields on ClusterProfile {
  name
  version
  type
  cloudType
  description
  createdAt
  updatedAt
  layers {
    pack
    version
    registry
    values
    valuesOverride
    presets
  }
  variables {
    name
    displayName
    description
    format
    default
    required
    regex
    options
    hidden
    readonly
  }
}`) as unknown as TypedDocumentString<ExportProfileQuery, ExportProfileQueryVariables>;
export const ProfilesDocument = new TypedDocumentString(`
    query Profiles($name: String) {
  profiles(name: $name) {
    ...ProfileFields
  }
}
    fragment ProfileFields on ClusterProfile {
  name
  version
  type
  cloudType
  description
  createdAt
  updatedAt
  layers {
    pack
    version
    registry
    values
    valuesOverride
    presets
  }
  variables {
    name
    displayName
    description
    format
    default
    required
    regex
    options
    hidden
    readonly
  }
}`) as unknown as TypedDocumentString<ProfilesQuery, ProfilesQueryVariables>;
export const ProposeProfileDocument = new TypedDocumentString(`
    query ProposeProfile($input: ProposeProfileInput!) {
  proposeProfile(input: $input) {
    profile {
      name
      version
      type
      cloudType
      layers {
        pack
        version
        registry
        layer
        origin
      }
    }
    validation {
      valid
      issues {
        ...IssueFields
      }
    }
    explanation {
      text
      layers
      facts {
        pack
        versionRange
        relation
        otherPack
        otherRange
        text
      }
    }
  }
}
    fragment IssueFields on ValidationIssue {
  code
  severity
  layerIndex
  pack
  path
  message
}`) as unknown as TypedDocumentString<ProposeProfileQuery, ProposeProfileQueryVariables>;
export const DeleteProfileDocument = new TypedDocumentString(`
    mutation DeleteProfile($name: String!, $version: String!) {
  deleteProfile(name: $name, version: $version)
}
    `) as unknown as TypedDocumentString<DeleteProfileMutation, DeleteProfileMutationVariables>;
export const ValidateProfileDocument = new TypedDocumentString(`
    query ValidateProfile($input: ProfileInput!) {
  validateProfile(input: $input) {
    valid
    issues {
      ...IssueFields
    }
    resolvedLayers {
      layerIndex
      pack
      registry
      version
      digest
      layer
    }
    installOrder {
      layerIndex
      pack
      priority
    }
  }
}
    fragment IssueFields on ValidationIssue {
  code
  severity
  layerIndex
  pack
  path
  message
}`) as unknown as TypedDocumentString<ValidateProfileQuery, ValidateProfileQueryVariables>;
export const CreateRegistryDocument = new TypedDocumentString(`
    mutation CreateRegistry($input: CreateRegistryInput!) {
  createRegistry(input: $input) {
    ...RegistryFields
  }
}
    fragment RegistryFields on Registry {
  name
  kind
  endpoint
  priority
  packCount
  syncIntervalSeconds
  sync {
    state
    lastRunAt
    lastSuccessAt
    message
  }
}`) as unknown as TypedDocumentString<CreateRegistryMutation, CreateRegistryMutationVariables>;
export const RegistriesDocument = new TypedDocumentString(`
    query Registries {
  registries {
    ...RegistryFields
  }
}
    fragment RegistryFields on Registry {
  name
  kind
  endpoint
  priority
  packCount
  syncIntervalSeconds
  sync {
    state
    lastRunAt
    lastSuccessAt
    message
  }
}`) as unknown as TypedDocumentString<RegistriesQuery, RegistriesQueryVariables>;
export const DeleteRegistryDocument = new TypedDocumentString(`
    mutation DeleteRegistry($name: String!) {
  deleteRegistry(name: $name)
}
    `) as unknown as TypedDocumentString<DeleteRegistryMutation, DeleteRegistryMutationVariables>;
export const SyncRegistryDocument = new TypedDocumentString(`
    mutation SyncRegistry($name: String!, $force: Boolean) {
  syncRegistry(name: $name, force: $force, wait: false) {
    ...SyncRunFields
  }
}
    fragment SyncRunFields on SyncRun {
  id
  state
  startedAt
  finishedAt
  added
  updated
  removed
  unchanged
  message
  errors {
    item
    message
  }
}`) as unknown as TypedDocumentString<SyncRegistryMutation, SyncRegistryMutationVariables>;
export const SyncProgressDocument = new TypedDocumentString(`
    query SyncProgress($name: String!) {
  registry(name: $name) {
    sync {
      state
      runs(last: 5) {
        ...SyncRunFields
      }
    }
  }
}
    fragment SyncRunFields on SyncRun {
  id
  state
  startedAt
  finishedAt
  added
  updated
  removed
  unchanged
  message
  errors {
    item
    message
  }
}`) as unknown as TypedDocumentString<SyncProgressQuery, SyncProgressQueryVariables>;
export const UpdateRegistryDocument = new TypedDocumentString(`
    mutation UpdateRegistry($name: String!, $input: UpdateRegistryInput!) {
  updateRegistry(name: $name, input: $input) {
    ...RegistryFields
  }
}
    fragment RegistryFields on Registry {
  name
  kind
  endpoint
  priority
  packCount
  syncIntervalSeconds
  sync {
    state
    lastRunAt
    lastSuccessAt
    message
  }
}`) as unknown as TypedDocumentString<UpdateRegistryMutation, UpdateRegistryMutationVariables>;
export const CreateTokenDocument = new TypedDocumentString(`
    mutation CreateToken($name: String!, $role: Role!, $registries: [String!], $expiresAt: DateTime) {
  createApiToken(
    name: $name
    role: $role
    registries: $registries
    expiresAt: $expiresAt
  ) {
    token
    apiToken {
      ...ApiTokenFields
    }
  }
}
    fragment ApiTokenFields on ApiToken {
  id
  name
  prefix
  role
  registries
  createdAt
  lastUsedAt
  expiresAt
  revokedAt
}`) as unknown as TypedDocumentString<CreateTokenMutation, CreateTokenMutationVariables>;
export const TokensDocument = new TypedDocumentString(`
    query Tokens {
  apiTokens {
    ...ApiTokenFields
  }
}
    fragment ApiTokenFields on ApiToken {
  id
  name
  prefix
  role
  registries
  createdAt
  lastUsedAt
  expiresAt
  revokedAt
}`) as unknown as TypedDocumentString<TokensQuery, TokensQueryVariables>;
export const RevokeTokenDocument = new TypedDocumentString(`
    mutation RevokeToken($id: ID!) {
  revokeApiToken(id: $id)
}
    `) as unknown as TypedDocumentString<RevokeTokenMutation, RevokeTokenMutationVariables>;
export const CreateWebhookDocument = new TypedDocumentString(`
    mutation CreateWebhook($input: CreateWebhookInput!) {
  createWebhook(input: $input) {
    id
    url
    events
    registries
    packs
    format
  }
}
    `) as unknown as TypedDocumentString<CreateWebhookMutation, CreateWebhookMutationVariables>;
export const WebhooksDocument = new TypedDocumentString(`
    query Webhooks($after: String) {
  webhooks(first: 100, after: $after) {
    edges {
      node {
        id
        url
        events
        registries
        packs
        format
        enabled
        failing
        createdBy
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<WebhooksQuery, WebhooksQueryVariables>;
export const DeleteWebhookDocument = new TypedDocumentString(`
    mutation DeleteWebhook($id: ID!) {
  deleteWebhook(id: $id)
}
    `) as unknown as TypedDocumentString<DeleteWebhookMutation, DeleteWebhookMutationVariables>;
export const TestWebhookDocument = new TypedDocumentString(`
    mutation TestWebhook($id: ID!) {
  testWebhook(id: $id) {
    id
    status
    responseStatus
    latencyMs
    responseBody
    error
  }
}
    `) as unknown as TypedDocumentString<TestWebhookMutation, TestWebhookMutationVariables>;
export const HostedRegistriesDocument = new TypedDocumentString(`
    query HostedRegistries {
  registries {
    name
    kind
  }
}
    `) as unknown as TypedDocumentString<HostedRegistriesQuery, HostedRegistriesQueryVariables>;