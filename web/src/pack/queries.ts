/** The pack page's operations, typed by codegen against graphql/schema.graphql. */
import { graphql } from '../generated/gql';

/** What a row of the versions table shows (the first page, later pages, a version looked up). */
export const PackVersionRowFields = graphql(`
  fragment ConsolePackVersionRow on PackVersion {
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
`);

/** A page of the versions table: the first (in the pack's own query) and each "Show more". */
export const PackVersionsPageFields = graphql(`
  fragment ConsolePackVersionsPage on PackVersionConnection {
    totalCount
    pageInfo {
      endCursor
      hasNextPage
    }
    edges {
      node {
        ...ConsolePackVersionRow
      }
    }
  }
`);

export const PackOverview = graphql(`
  query ConsolePack($name: String!, $first: Int!) {
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
      versionsConnection(first: $first) {
        ...ConsolePackVersionsPage
      }
    }
  }
`);

/** The page of versions after `after` ("Show more"). */
export const PackVersionsPage = graphql(`
  query ConsolePackVersions($name: String!, $first: Int!, $after: String!) {
    pack(name: $name) {
      id
      versionsConnection(first: $first, after: $after) {
        ...ConsolePackVersionsPage
      }
    }
  }
`);

/** A version the list has not loaded (a deep link to an old one, a tag, `latest`, a digest). */
export const PackVersionRef = graphql(`
  query ConsolePackVersionRef($name: String!, $version: String!, $registry: String) {
    packVersion(name: $name, version: $version, registry: $registry) {
      ...ConsolePackVersionRow
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
