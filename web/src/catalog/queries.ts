/** The catalog page's operations, typed by codegen against graphql/schema.graphql. */
import { graphql } from '../generated/gql';

export const CatalogPacks = graphql(`
  query ConsoleCatalogPacks($first: Int, $after: String, $filter: PackFilter) {
    packs(first: $first, after: $after, filter: $filter) {
      totalCount
      edges {
        cursor
        node {
          id
          name
          displayName
          layer
          addonType
          cloudTypes
          deprecated
          logoUrl
          sources {
            name
          }
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
`);

/**
 * What the facets are counted from until the API counts them (`packFacets`): the first 100 packs
 * matching the search, whatever facets are chosen (facets narrow each other client-side).
 */
export const CatalogFacetSample = graphql(`
  query ConsoleCatalogFacetSample($filter: PackFilter) {
    packs(first: 100, filter: $filter) {
      totalCount
      edges {
        node {
          id
          layer
          addonType
          cloudTypes
          sources {
            name
          }
        }
      }
    }
  }
`);
