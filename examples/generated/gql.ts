/* eslint-disable */
import * as types from './graphql.js';



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
    "\n  query ExampleListPacks($first: Int, $after: String) {\n    packs(first: $first, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          displayName\n          layer\n          latest {\n            version\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.ExampleListPacksDocument,
    "\n  query ExampleResolveVersion($name: String!, $version: String!) {\n    packVersion(name: $name, version: $version) {\n      id\n      version\n      digest\n      registry {\n        name\n      }\n    }\n  }\n": typeof types.ExampleResolveVersionDocument,
    "\n  query ExampleValidateProfile($input: ProfileInput!) {\n    validateProfile(input: $input) {\n      valid\n      errorCount\n      warningCount\n      issues {\n        code\n        severity\n        message\n        layerIndex\n      }\n      resolvedLayers {\n        pack\n        version\n        digest\n      }\n    }\n  }\n": typeof types.ExampleValidateProfileDocument,
};
const documents: Documents = {
    "\n  query ExampleListPacks($first: Int, $after: String) {\n    packs(first: $first, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          displayName\n          layer\n          latest {\n            version\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.ExampleListPacksDocument,
    "\n  query ExampleResolveVersion($name: String!, $version: String!) {\n    packVersion(name: $name, version: $version) {\n      id\n      version\n      digest\n      registry {\n        name\n      }\n    }\n  }\n": types.ExampleResolveVersionDocument,
    "\n  query ExampleValidateProfile($input: ProfileInput!) {\n    validateProfile(input: $input) {\n      valid\n      errorCount\n      warningCount\n      issues {\n        code\n        severity\n        message\n        layerIndex\n      }\n      resolvedLayers {\n        pack\n        version\n        digest\n      }\n    }\n  }\n": types.ExampleValidateProfileDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExampleListPacks($first: Int, $after: String) {\n    packs(first: $first, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          displayName\n          layer\n          latest {\n            version\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): typeof import('./graphql.js').ExampleListPacksDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExampleResolveVersion($name: String!, $version: String!) {\n    packVersion(name: $name, version: $version) {\n      id\n      version\n      digest\n      registry {\n        name\n      }\n    }\n  }\n"): typeof import('./graphql.js').ExampleResolveVersionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExampleValidateProfile($input: ProfileInput!) {\n    validateProfile(input: $input) {\n      valid\n      errorCount\n      warningCount\n      issues {\n        code\n        severity\n        message\n        layerIndex\n      }\n      resolvedLayers {\n        pack\n        version\n        digest\n      }\n    }\n  }\n"): typeof import('./graphql.js').ExampleValidateProfileDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
