/** The admin page's operations (ADMIN only: the service refuses them to any other role). */
import { graphql } from '../generated/gql';

/** Newest tokens first: the connection is oldest first, so the page is read backwards from the end. */
export const ApiTokens = graphql(`
  query ConsoleApiTokens($last: Int, $before: String) {
    apiTokensConnection(last: $last, before: $before) {
      totalCount
      edges {
        node {
          id
          name
          role
          registries
          team
          prefix
          createdAt
          expiresAt
          lastUsedAt
          revokedAt
        }
      }
      pageInfo {
        hasPreviousPage
        startCursor
      }
    }
  }
`);

export const CreateApiToken = graphql(`
  mutation ConsoleCreateApiToken($name: String!, $role: Role!, $registries: [String!], $expiresAt: DateTime, $team: String) {
    createApiToken(name: $name, role: $role, registries: $registries, expiresAt: $expiresAt, team: $team) {
      token
      apiToken {
        id
        name
        role
        prefix
      }
    }
  }
`);

export const RevokeApiToken = graphql(`
  mutation ConsoleRevokeApiToken($id: ID!) {
    revokeApiToken(id: $id)
  }
`);

/** Registry names for the token form's choice of registries. */
export const RegistryNames = graphql(`
  query ConsoleRegistryNames {
    registriesConnection(first: 100) {
      edges {
        node {
          id
          name
          visibility
        }
      }
    }
  }
`);

export const AuditEvents = graphql(`
  query ConsoleAuditEvents($first: Int, $after: String, $filter: AuditEventFilter) {
    auditEvents(first: $first, after: $after, filter: $filter) {
      totalCount
      edges {
        node {
          id
          at
          actor
          action
          targetType
          target
          outcome
          message
          requestId
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** Names of the tokens an audit page's token events point at by id (revoked ones included). */
export const TokenNames = graphql(`
  query ConsoleTokenNames($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on ApiToken {
        id
        name
      }
    }
  }
`);
