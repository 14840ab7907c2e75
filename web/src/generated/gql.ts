/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query ConsoleCatalogPacks($first: Int, $after: String, $filter: PackFilter) {\n    packs(first: $first, after: $after, filter: $filter) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n          displayName\n          layer\n          addonType\n          cloudTypes\n          deprecated\n          logoUrl\n          sources {\n            name\n          }\n          latest {\n            version\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.ConsoleCatalogPacksDocument,
    "\n  query ConsoleCatalogFacetSample($filter: PackFilter) {\n    packs(first: 100, filter: $filter) {\n      totalCount\n      edges {\n        node {\n          id\n          layer\n          addonType\n          cloudTypes\n          sources {\n            name\n          }\n        }\n      }\n    }\n  }\n": typeof types.ConsoleCatalogFacetSampleDocument,
    "\n  query ConsolePack($name: String!) {\n    pack(name: $name) {\n      id\n      name\n      displayName\n      layer\n      addonType\n      addonSubType\n      cloudTypes\n      deprecated\n      logoUrl\n      registry {\n        name\n      }\n      sources {\n        name\n        kind\n      }\n      versionsConnection(first: 100) {\n        totalCount\n        edges {\n          node {\n            id\n            version\n            tags\n            deprecated\n            createdAt\n            registry {\n              name\n            }\n            lifecycle {\n              state\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.ConsolePackDocument,
    "\n  query ConsolePackVersion($name: String!, $version: String!, $registry: String) {\n    packVersion(name: $name, version: $version, registry: $registry) {\n      id\n      version\n      tags\n      digest\n      downloadUrl\n      size\n      readme\n      values\n      schema\n      presets\n      createdAt\n      deprecated\n      registry {\n        name\n      }\n      lifecycle {\n        state\n        eol\n        pastEol\n        replacedBy\n      }\n      constraints {\n        dependencies {\n          packName\n          layer\n          type\n          minVersion\n          maxVersion\n        }\n        resources {\n          type\n          minLimit\n        }\n      }\n      signatures {\n        verified\n        keyName\n      }\n    }\n  }\n": typeof types.ConsolePackVersionDocument,
    "\n  query ConsolePackVersionValues($name: String!, $version: String!, $registry: String) {\n    packVersion(name: $name, version: $version, registry: $registry) {\n      id\n      version\n      values\n    }\n  }\n": typeof types.ConsolePackVersionValuesDocument,
};
const documents: Documents = {
    "\n  query ConsoleCatalogPacks($first: Int, $after: String, $filter: PackFilter) {\n    packs(first: $first, after: $after, filter: $filter) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n          displayName\n          layer\n          addonType\n          cloudTypes\n          deprecated\n          logoUrl\n          sources {\n            name\n          }\n          latest {\n            version\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.ConsoleCatalogPacksDocument,
    "\n  query ConsoleCatalogFacetSample($filter: PackFilter) {\n    packs(first: 100, filter: $filter) {\n      totalCount\n      edges {\n        node {\n          id\n          layer\n          addonType\n          cloudTypes\n          sources {\n            name\n          }\n        }\n      }\n    }\n  }\n": types.ConsoleCatalogFacetSampleDocument,
    "\n  query ConsolePack($name: String!) {\n    pack(name: $name) {\n      id\n      name\n      displayName\n      layer\n      addonType\n      addonSubType\n      cloudTypes\n      deprecated\n      logoUrl\n      registry {\n        name\n      }\n      sources {\n        name\n        kind\n      }\n      versionsConnection(first: 100) {\n        totalCount\n        edges {\n          node {\n            id\n            version\n            tags\n            deprecated\n            createdAt\n            registry {\n              name\n            }\n            lifecycle {\n              state\n            }\n          }\n        }\n      }\n    }\n  }\n": types.ConsolePackDocument,
    "\n  query ConsolePackVersion($name: String!, $version: String!, $registry: String) {\n    packVersion(name: $name, version: $version, registry: $registry) {\n      id\n      version\n      tags\n      digest\n      downloadUrl\n      size\n      readme\n      values\n      schema\n      presets\n      createdAt\n      deprecated\n      registry {\n        name\n      }\n      lifecycle {\n        state\n        eol\n        pastEol\n        replacedBy\n      }\n      constraints {\n        dependencies {\n          packName\n          layer\n          type\n          minVersion\n          maxVersion\n        }\n        resources {\n          type\n          minLimit\n        }\n      }\n      signatures {\n        verified\n        keyName\n      }\n    }\n  }\n": types.ConsolePackVersionDocument,
    "\n  query ConsolePackVersionValues($name: String!, $version: String!, $registry: String) {\n    packVersion(name: $name, version: $version, registry: $registry) {\n      id\n      version\n      values\n    }\n  }\n": types.ConsolePackVersionValuesDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleCatalogPacks($first: Int, $after: String, $filter: PackFilter) {\n    packs(first: $first, after: $after, filter: $filter) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n          displayName\n          layer\n          addonType\n          cloudTypes\n          deprecated\n          logoUrl\n          sources {\n            name\n          }\n          latest {\n            version\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleCatalogPacks($first: Int, $after: String, $filter: PackFilter) {\n    packs(first: $first, after: $after, filter: $filter) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n          displayName\n          layer\n          addonType\n          cloudTypes\n          deprecated\n          logoUrl\n          sources {\n            name\n          }\n          latest {\n            version\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleCatalogFacetSample($filter: PackFilter) {\n    packs(first: 100, filter: $filter) {\n      totalCount\n      edges {\n        node {\n          id\n          layer\n          addonType\n          cloudTypes\n          sources {\n            name\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleCatalogFacetSample($filter: PackFilter) {\n    packs(first: 100, filter: $filter) {\n      totalCount\n      edges {\n        node {\n          id\n          layer\n          addonType\n          cloudTypes\n          sources {\n            name\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsolePack($name: String!) {\n    pack(name: $name) {\n      id\n      name\n      displayName\n      layer\n      addonType\n      addonSubType\n      cloudTypes\n      deprecated\n      logoUrl\n      registry {\n        name\n      }\n      sources {\n        name\n        kind\n      }\n      versionsConnection(first: 100) {\n        totalCount\n        edges {\n          node {\n            id\n            version\n            tags\n            deprecated\n            createdAt\n            registry {\n              name\n            }\n            lifecycle {\n              state\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsolePack($name: String!) {\n    pack(name: $name) {\n      id\n      name\n      displayName\n      layer\n      addonType\n      addonSubType\n      cloudTypes\n      deprecated\n      logoUrl\n      registry {\n        name\n      }\n      sources {\n        name\n        kind\n      }\n      versionsConnection(first: 100) {\n        totalCount\n        edges {\n          node {\n            id\n            version\n            tags\n            deprecated\n            createdAt\n            registry {\n              name\n            }\n            lifecycle {\n              state\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsolePackVersion($name: String!, $version: String!, $registry: String) {\n    packVersion(name: $name, version: $version, registry: $registry) {\n      id\n      version\n      tags\n      digest\n      downloadUrl\n      size\n      readme\n      values\n      schema\n      presets\n      createdAt\n      deprecated\n      registry {\n        name\n      }\n      lifecycle {\n        state\n        eol\n        pastEol\n        replacedBy\n      }\n      constraints {\n        dependencies {\n          packName\n          layer\n          type\n          minVersion\n          maxVersion\n        }\n        resources {\n          type\n          minLimit\n        }\n      }\n      signatures {\n        verified\n        keyName\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsolePackVersion($name: String!, $version: String!, $registry: String) {\n    packVersion(name: $name, version: $version, registry: $registry) {\n      id\n      version\n      tags\n      digest\n      downloadUrl\n      size\n      readme\n      values\n      schema\n      presets\n      createdAt\n      deprecated\n      registry {\n        name\n      }\n      lifecycle {\n        state\n        eol\n        pastEol\n        replacedBy\n      }\n      constraints {\n        dependencies {\n          packName\n          layer\n          type\n          minVersion\n          maxVersion\n        }\n        resources {\n          type\n          minLimit\n        }\n      }\n      signatures {\n        verified\n        keyName\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsolePackVersionValues($name: String!, $version: String!, $registry: String) {\n    packVersion(name: $name, version: $version, registry: $registry) {\n      id\n      version\n      values\n    }\n  }\n"): (typeof documents)["\n  query ConsolePackVersionValues($name: String!, $version: String!, $registry: String) {\n    packVersion(name: $name, version: $version, registry: $registry) {\n      id\n      version\n      values\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;