/** The registries pages' operations, typed by codegen against graphql/schema.graphql. */
import { graphql } from '../generated/gql';

export const RegistryList = graphql(`
  query ConsoleRegistries($first: Int, $after: String) {
    registriesConnection(first: $first, after: $after) {
      totalCount
      edges {
        node {
          id
          name
          kind
          endpoint
          priority
          visibility
          packCount
          versionCount
          sync {
            state
            lastRunAt
            lastSuccessAt
            message
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

export const RegistryDetail = graphql(`
  query ConsoleRegistry($name: String!) {
    registry(name: $name) {
      id
      name
      kind
      endpoint
      basePath
      repositories
      priority
      visibility
      insecure
      hasCredentials
      syncIntervalSeconds
      createdAt
      packCount
      versionCount
      sync {
        state
        lastRunAt
        lastSuccessAt
        nextSyncAt
        message
      }
      latestRun: runs(first: 1) {
        edges {
          node {
            id
            state
          }
        }
      }
    }
  }
`);

export const RegistryTrust = graphql(`
  query ConsoleRegistryTrust($name: String!) {
    trustPolicy(registry: $name) {
      enforce
      keys {
        name
        algorithm
      }
      updatedAt
      updatedBy
    }
  }
`);

export const RegistryRuns = graphql(`
  query ConsoleRegistryRuns($name: String!, $first: Int, $after: String) {
    registry(name: $name) {
      id
      runs(first: $first, after: $after) {
        totalCount
        edges {
          node {
            id
            state
            trigger
            force
            startedAt
            finishedAt
            added
            updated
            unchanged
            removed
            artifactsFetched
            message
            errors {
              item
              message
            }
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

/** A hosted registry's packs: the catalog listing narrowed to it (deprecated ones too). */
export const RegistryPacks = graphql(`
  query ConsoleRegistryPacks($filter: PackFilter, $first: Int, $after: String) {
    packs(filter: $filter, first: $first, after: $after) {
      totalCount
      edges {
        node {
          id
          name
          displayName
          layer
          deprecated
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

/** Starts a run and answers at once (`wait: false`): its progress comes over the subscription. */
export const SyncRegistry = graphql(`
  mutation ConsoleSyncRegistry($name: String!, $force: Boolean) {
    syncRegistry(name: $name, force: $force, wait: false) {
      id
      state
      force
      startedAt
    }
  }
`);

export const SyncRunProgressSubscription = graphql(`
  subscription ConsoleSyncRunProgress($id: ID!) {
    syncRun(id: $id) {
      id
      state
      itemsDone
      itemsTotal
      added
      updated
      unchanged
      removed
      errorCount
      errors {
        item
        message
      }
      finishedAt
      message
    }
  }
`);
