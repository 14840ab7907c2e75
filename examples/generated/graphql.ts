/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** The layer a pack forms in a cluster profile (pack.json `layer`). */
export type Layer =
  | 'ADDON'
  | 'CNI'
  | 'CSI'
  | 'K8S'
  | 'KERNEL'
  | 'OS';

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

export type Severity =
  | 'ERROR'
  | 'WARNING';

export type ExampleListPacksQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ExampleListPacksQuery = { packs: { totalCount: number, edges: Array<{ node: { id: string, name: string, displayName: string, layer: Layer, latest: { version: string } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type ExampleResolveVersionQueryVariables = Exact<{
  name: string;
  version: string;
}>;


export type ExampleResolveVersionQuery = { packVersion: { id: string, version: string, digest: string, registry: { name: string } } | null };

export type ExampleValidateProfileQueryVariables = Exact<{
  input: ProfileInput;
}>;


export type ExampleValidateProfileQuery = { validateProfile: { valid: boolean, errorCount: number, warningCount: number, issues: Array<{ code: string, severity: Severity, message: string, layerIndex: number | null }>, resolvedLayers: Array<{ pack: string, version: string, digest: string }> } };

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

export const ExampleListPacksDocument = new TypedDocumentString(`
    query ExampleListPacks($first: Int, $after: String) {
  packs(first: $first, after: $after) {
    totalCount
    edges {
      node {
        id
        name
        displayName
        layer
        latest {
          version
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<ExampleListPacksQuery, ExampleListPacksQueryVariables>;
export const ExampleResolveVersionDocument = new TypedDocumentString(`
    query ExampleResolveVersion($name: String!, $version: String!) {
  packVersion(name: $name, version: $version) {
    id
    version
    digest
    registry {
      name
    }
  }
}
    `) as unknown as TypedDocumentString<ExampleResolveVersionQuery, ExampleResolveVersionQueryVariables>;
export const ExampleValidateProfileDocument = new TypedDocumentString(`
    query ExampleValidateProfile($input: ProfileInput!) {
  validateProfile(input: $input) {
    valid
    errorCount
    warningCount
    issues {
      code
      severity
      message
      layerIndex
    }
    resolvedLayers {
      pack
      version
      digest
    }
  }
}
    `) as unknown as TypedDocumentString<ExampleValidateProfileQuery, ExampleValidateProfileQueryVariables>;