/** The pack page's operations, typed by codegen against graphql/schema.graphql. */
import { graphql } from '../generated/gql';

export const PackOverview = graphql(`
  query ConsolePack($name: String!) {
    pack(name: $name) {
      id
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
        kind
      }
      versionsConnection(first: 100) {
        totalCount
        edges {
          node {
            id
            version
            tags
            deprecated
            createdAt
            registry {
              name
            }
            lifecycle {
              state
            }
          }
        }
      }
    }
  }
`);

export const PackVersionDetail = graphql(`
  query ConsolePackVersion($name: String!, $version: String!, $registry: String) {
    packVersion(name: $name, version: $version, registry: $registry) {
      id
      version
      tags
      digest
      downloadUrl
      size
      readme
      values
      schema
      presets
      annotations
      createdAt
      deprecated
      registry {
        name
      }
      lifecycle {
        state
        eol
        pastEol
        replacedBy
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
      signatures {
        verified
        keyName
      }
    }
  }
`);

export const PackVersionValues = graphql(`
  query ConsolePackVersionValues($name: String!, $version: String!, $registry: String) {
    packVersion(name: $name, version: $version, registry: $registry) {
      id
      version
      values
    }
  }
`);
