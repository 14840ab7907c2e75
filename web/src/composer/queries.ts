/** The composer's operations, typed by codegen against graphql/schema.graphql. */
import { graphql } from '../generated/gql';

export const ComposerProfiles = graphql(`
  query ComposerProfiles($after: String) {
    profilesConnection(first: 50, after: $after) {
      totalCount
      edges {
        node {
          id
          name
          version
          type
          cloudType
          updatedAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const ComposerProfile = graphql(`
  query ComposerProfile($name: String!, $version: String) {
    profile(name: $name, version: $version) {
      id
      name
      version
      type
      cloudType
      description
      layers {
        index
        pack
        version
        registry
        values
        valuesOverride
        presets
        resolved {
          layer
          version
          registry
        }
      }
      variables {
        name
        format
        default
        required
        regex
        options
        displayName
        description
        hidden
        readonly
      }
    }
  }
`);

export const ComposerPackSearch = graphql(`
  query ComposerPackSearch($filter: PackFilter) {
    packs(first: 50, filter: $filter) {
      totalCount
      edges {
        node {
          id
          name
          displayName
          layer
          cloudTypes
          latest {
            version
          }
        }
      }
    }
  }
`);

export const ComposerPackVersions = graphql(`
  query ComposerPackVersions($name: String!) {
    pack(name: $name) {
      id
      name
      displayName
      layer
      registry {
        name
      }
      sources {
        name
      }
      versionsConnection(first: 100) {
        edges {
          node {
            id
            version
            tags
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

export const ComposerPackVersionValues = graphql(`
  query ComposerPackVersionValues($name: String!, $version: String!, $registry: String) {
    packVersion(name: $name, version: $version, registry: $registry) {
      id
      version
      values
      presets
      registry {
        name
      }
    }
  }
`);

export const ComposerValidate = graphql(`
  query ComposerValidate($input: ProfileInput!) {
    validateProfile(input: $input) {
      valid
      errorCount
      warningCount
      issues {
        code
        severity
        message
        layerIndex
        pack
        path
      }
      resolvedLayers {
        layerIndex
        layer
        pack
        version
        registry
      }
      installOrder {
        layerIndex
        pack
        priority
      }
      resources {
        cpuMillicores
        memoryMi
        diskGi
      }
    }
  }
`);

export const ComposerCreateProfile = graphql(`
  mutation ComposerCreateProfile($input: ProfileInput!) {
    createProfile(input: $input) {
      id
      name
      version
      warnings {
        code
        message
        layerIndex
      }
    }
  }
`);

export const ComposerCloneProfile = graphql(`
  mutation ComposerCloneProfile($name: String!, $version: String!, $newVersion: String!) {
    cloneProfile(name: $name, version: $version, newVersion: $newVersion) {
      id
      name
      version
    }
  }
`);

export const ComposerPropose = graphql(`
  query ComposerPropose($input: ProposeProfileInput!) {
    proposeProfile(input: $input) {
      profile {
        layers {
          layer
          origin
          pack
          registry
          version
        }
      }
      validation {
        valid
        errorCount
      }
      explanation {
        text
        layers
      }
    }
  }
`);

export const ComposerUpgradeSteps = graphql(`
  query ComposerUpgradeSteps($name: String!, $version: String!, $toKubernetes: String!) {
    profileUpgradeSteps(name: $name, version: $version, toKubernetes: $toKubernetes) {
      complete
      fromKubernetes
      toKubernetes
      steps {
        kubernetes
        moves {
          pack
          fromVersion
          toVersion
        }
        proposal {
          explanation {
            text
          }
        }
      }
    }
  }
`);
