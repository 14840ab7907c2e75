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
};
const documents: Documents = {
    "\n  query ConsoleCatalogPacks($first: Int, $after: String, $filter: PackFilter) {\n    packs(first: $first, after: $after, filter: $filter) {\n      totalCount\n      edges {\n        cursor\n        node {\n          id\n          name\n          displayName\n          layer\n          addonType\n          cloudTypes\n          deprecated\n          logoUrl\n          sources {\n            name\n          }\n          latest {\n            version\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.ConsoleCatalogPacksDocument,
    "\n  query ConsoleCatalogFacetSample($filter: PackFilter) {\n    packs(first: 100, filter: $filter) {\n      totalCount\n      edges {\n        node {\n          id\n          layer\n          addonType\n          cloudTypes\n          sources {\n            name\n          }\n        }\n      }\n    }\n  }\n": types.ConsoleCatalogFacetSampleDocument,
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

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;