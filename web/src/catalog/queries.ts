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
            annotations
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

/** Counts per layer, registry, cloud type and add-on type for the catalog's filter. */
export const CatalogFacets = graphql(`
  query ConsoleCatalogFacets($filter: PackFilter) {
    packFacets(filter: $filter) {
      totalCount
      layer {
        layer
        count
      }
      registry {
        value
        count
      }
      cloudType {
        value
        count
      }
      addonType {
        value
        count
      }
    }
  }
`);
