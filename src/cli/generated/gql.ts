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
    "\n  query Me {\n    me {\n      name\n      role\n      registries\n    }\n  }\n": typeof types.MeDocument,
    "\n  fragment CatalogEventFields on CatalogEvent {\n    id\n    type\n    occurredAt\n    registry\n    pack\n    version\n    data\n  }\n": typeof types.CatalogEventFieldsFragmentDoc,
    "\n  query RecentEvents($filter: CatalogEventFilterInput, $last: Int) {\n    catalogEvents(filter: $filter, last: $last) {\n      edges {\n        node {\n          ...CatalogEventFields\n        }\n      }\n    }\n  }\n": typeof types.RecentEventsDocument,
    "\n  subscription FollowEvents($filter: CatalogEventFilterInput, $after: String) {\n    catalogEvents(filter: $filter, after: $after) {\n      ...CatalogEventFields\n    }\n  }\n": typeof types.FollowEventsDocument,
    "\n  query PackImpactOfVersion($name: String!, $version: String!, $registry: String) {\n    packImpact(name: $name, version: $version, registry: $registry) {\n      name\n      version\n      owner\n      layers {\n        index\n        pack\n        version\n        registry\n      }\n    }\n  }\n": typeof types.PackImpactOfVersionDocument,
    "\n  mutation SetLifecycle($registry: String!, $name: String!, $version: String!, $state: PackLifecycleState!, $eol: String, $replacedBy: String) {\n    setPackVersionLifecycle(registry: $registry, name: $name, version: $version, state: $state, eol: $eol, replacedBy: $replacedBy) {\n      version\n      lifecycle {\n        state\n        eol\n        pastEol\n        replacedBy\n        deprecatedAt\n      }\n    }\n  }\n": typeof types.SetLifecycleDocument,
    "\n  query ListPacks($filter: PackFilter, $first: Int, $after: String) {\n    packs(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          name\n          displayName\n          layer\n          addonType\n          cloudTypes\n          deprecated\n          sources {\n            name\n          }\n          latest {\n            version\n          }\n        }\n      }\n    }\n  }\n": typeof types.ListPacksDocument,
    "\n  query PackNameSuggestions($name: String!) {\n    packNameSuggestions(name: $name)\n  }\n": typeof types.PackNameSuggestionsDocument,
    "\n  query RegistryNames {\n    registries {\n      name\n    }\n  }\n": typeof types.RegistryNamesDocument,
    "\n  query PullVersion($name: String!, $version: String!, $registry: String) {\n    packVersion(name: $name, version: $version, registry: $registry) {\n      version\n      digest\n      size\n      downloadUrl\n      pack {\n        name\n      }\n      registry {\n        name\n      }\n    }\n  }\n": typeof types.PullVersionDocument,
    "\n  mutation PushPack($registry: String!, $archive: Upload!, $force: Boolean, $message: String, $digest: String, $size: Int) {\n    pushPack(registry: $registry, archive: $archive, force: $force, message: $message, digest: $digest, size: $size) {\n      version\n      digest\n      size\n      tags\n      pack {\n        name\n      }\n      registry {\n        name\n      }\n    }\n  }\n": typeof types.PushPackDocument,
    "\n  query ExistingVersion($name: String!, $version: String!, $registry: String) {\n    packVersion(name: $name, version: $version, registry: $registry) {\n      version\n      digest\n    }\n  }\n": typeof types.ExistingVersionDocument,
    "\n  mutation DeleteVersion($registry: String!, $name: String!, $version: String!) {\n    deletePackVersion(registry: $registry, name: $name, version: $version)\n  }\n": typeof types.DeleteVersionDocument,
    "\n  query ShowPack($name: String!, $registry: String) {\n    pack(name: $name, registry: $registry) {\n      name\n      displayName\n      layer\n      addonType\n      addonSubType\n      cloudTypes\n      deprecated\n      logoUrl\n      registry {\n        name\n      }\n      sources {\n        name\n      }\n      latest {\n        version\n      }\n      versions {\n        version\n        tags\n        digest\n        size\n        deprecated\n        createdAt\n        registry {\n          name\n        }\n      }\n    }\n  }\n": typeof types.ShowPackDocument,
    "\n  query ShowVersion($name: String!, $version: String!, $registry: String) {\n    packVersion(name: $name, version: $version, registry: $registry) {\n      version\n      tags\n      digest\n      size\n      deprecated\n      createdAt\n      cloudTypes\n      charts\n      manifests\n      downloadUrl\n      message\n      annotations\n      registry {\n        name\n      }\n      pack {\n        name\n        displayName\n        layer\n        addonType\n      }\n      constraints {\n        dependencies {\n          packName\n          layer\n          type\n          minVersion\n          maxVersion\n        }\n        resources {\n          type\n          minLimit\n        }\n      }\n    }\n  }\n": typeof types.ShowVersionDocument,
    "\n  query SignedVersion($name: String!, $version: String!, $registry: String) {\n    packVersion(name: $name, version: $version, registry: $registry) {\n      version\n      digest\n      size\n      pack {\n        name\n      }\n      registry {\n        name\n      }\n      signatures {\n        keyName\n        algorithm\n        verified\n        failure\n        signedAt\n      }\n    }\n  }\n": typeof types.SignedVersionDocument,
    "\n  mutation AddTag($registry: String!, $name: String!, $version: String!, $tag: String!) {\n    addPackTag(registry: $registry, name: $name, version: $version, tag: $tag) {\n      version\n      tags\n    }\n  }\n": typeof types.AddTagDocument,
    "\n  mutation DeleteTag($registry: String!, $name: String!, $tag: String!) {\n    deletePackTag(registry: $registry, name: $name, tag: $tag)\n  }\n": typeof types.DeleteTagDocument,
    "\n  query PackVersionsNear($name: String!, $registry: String, $first: Int) {\n    pack(name: $name, registry: $registry) {\n      versionsConnection(first: $first) {\n        totalCount\n        edges {\n          node {\n            version\n          }\n        }\n      }\n    }\n  }\n": typeof types.PackVersionsNearDocument,
    "\n  query ExistingProfile($name: String!, $version: String) {\n    profile(name: $name, version: $version) {\n      version\n    }\n  }\n": typeof types.ExistingProfileDocument,
    "\n  mutation CreateProfile($input: ProfileInput!) {\n    createProfile(input: $input) {\n      ...ProfileFields\n      warnings {\n        ...IssueFields\n      }\n    }\n  }\n": typeof types.CreateProfileDocument,
    "\n  mutation CloneProfileVersion($name: String!, $version: String!, $newVersion: String!) {\n    cloneProfile(name: $name, version: $version, newVersion: $newVersion) {\n      ...ProfileFields\n      warnings {\n        ...IssueFields\n      }\n    }\n  }\n": typeof types.CloneProfileVersionDocument,
    "\n  query ExportProfile($name: String!, $version: String) {\n    profile(name: $name, version: $version) {\n      ...ProfileFields\n    }\n  }\n": typeof types.ExportProfileDocument,
    "\n  query Profiles($name: String) {\n    profiles(name: $name) {\n      ...ProfileFields\n    }\n  }\n": typeof types.ProfilesDocument,
    "\n  fragment IssueFields on ValidationIssue {\n    code\n    severity\n    layerIndex\n    pack\n    path\n    message\n  }\n": typeof types.IssueFieldsFragmentDoc,
    "\n  fragment ProfileFields on ClusterProfile {\n    name\n    version\n    type\n    cloudType\n    description\n    createdAt\n    updatedAt\n    layers {\n      pack\n      version\n      registry\n      values\n      valuesOverride\n      presets\n    }\n    variables {\n      name\n      displayName\n      description\n      format\n      default\n      required\n      regex\n      options\n      hidden\n      readonly\n    }\n  }\n": typeof types.ProfileFieldsFragmentDoc,
    "\n  query ProposeProfile($input: ProposeProfileInput!) {\n    proposeProfile(input: $input) {\n      profile {\n        name\n        version\n        type\n        cloudType\n        layers {\n          pack\n          version\n          registry\n          layer\n          origin\n        }\n      }\n      validation {\n        valid\n        issues {\n          ...IssueFields\n        }\n      }\n      explanation {\n        text\n        layers\n        facts {\n          pack\n          versionRange\n          relation\n          otherPack\n          otherRange\n          text\n        }\n      }\n    }\n  }\n": typeof types.ProposeProfileDocument,
    "\n  mutation DeleteProfile($name: String!, $version: String!) {\n    deleteProfile(name: $name, version: $version)\n  }\n": typeof types.DeleteProfileDocument,
    "\n  query ValidateProfile($input: ProfileInput!) {\n    validateProfile(input: $input) {\n      valid\n      issues {\n        ...IssueFields\n      }\n      resolvedLayers {\n        layerIndex\n        pack\n        registry\n        version\n        digest\n        layer\n      }\n      installOrder {\n        layerIndex\n        pack\n        priority\n      }\n    }\n  }\n": typeof types.ValidateProfileDocument,
    "\n  mutation CreateRegistry($input: CreateRegistryInput!) {\n    createRegistry(input: $input) {\n      ...RegistryFields\n    }\n  }\n": typeof types.CreateRegistryDocument,
    "\n  query Registries {\n    registries {\n      ...RegistryFields\n    }\n  }\n": typeof types.RegistriesDocument,
    "\n  fragment RegistryFields on Registry {\n    name\n    kind\n    endpoint\n    priority\n    packCount\n    syncIntervalSeconds\n    sync {\n      state\n      lastRunAt\n      lastSuccessAt\n      message\n    }\n  }\n": typeof types.RegistryFieldsFragmentDoc,
    "\n  mutation DeleteRegistry($name: String!) {\n    deleteRegistry(name: $name)\n  }\n": typeof types.DeleteRegistryDocument,
    "\n  fragment SyncRunFields on SyncRun {\n    id\n    state\n    startedAt\n    finishedAt\n    added\n    updated\n    removed\n    unchanged\n    message\n    errors {\n      item\n      message\n    }\n  }\n": typeof types.SyncRunFieldsFragmentDoc,
    "\n  mutation SyncRegistry($name: String!, $force: Boolean) {\n    syncRegistry(name: $name, force: $force, wait: false) {\n      ...SyncRunFields\n    }\n  }\n": typeof types.SyncRegistryDocument,
    "\n  query SyncProgress($name: String!) {\n    registry(name: $name) {\n      sync {\n        state\n        runs(last: 5) {\n          ...SyncRunFields\n        }\n      }\n    }\n  }\n": typeof types.SyncProgressDocument,
    "\n  mutation UpdateRegistry($name: String!, $input: UpdateRegistryInput!) {\n    updateRegistry(name: $name, input: $input) {\n      ...RegistryFields\n    }\n  }\n": typeof types.UpdateRegistryDocument,
    "\n  fragment ApiTokenFields on ApiToken {\n    id\n    name\n    prefix\n    role\n    registries\n    createdAt\n    lastUsedAt\n    expiresAt\n    revokedAt\n  }\n": typeof types.ApiTokenFieldsFragmentDoc,
    "\n  mutation CreateToken($name: String!, $role: Role!, $registries: [String!], $expiresAt: DateTime) {\n    createApiToken(name: $name, role: $role, registries: $registries, expiresAt: $expiresAt) {\n      token\n      apiToken {\n        ...ApiTokenFields\n      }\n    }\n  }\n": typeof types.CreateTokenDocument,
    "\n  query Tokens {\n    apiTokens {\n      ...ApiTokenFields\n    }\n  }\n": typeof types.TokensDocument,
    "\n  mutation RevokeToken($id: ID!) {\n    revokeApiToken(id: $id)\n  }\n": typeof types.RevokeTokenDocument,
    "\n  mutation CreateWebhook($input: CreateWebhookInput!) {\n    createWebhook(input: $input) {\n      id\n      url\n      events\n      registries\n      packs\n      format\n    }\n  }\n": typeof types.CreateWebhookDocument,
    "\n  query Webhooks($after: String) {\n    webhooks(first: 100, after: $after) {\n      edges {\n        node {\n          id\n          url\n          events\n          registries\n          packs\n          format\n          enabled\n          failing\n          createdBy\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.WebhooksDocument,
    "\n  mutation DeleteWebhook($id: ID!) {\n    deleteWebhook(id: $id)\n  }\n": typeof types.DeleteWebhookDocument,
    "\n  mutation TestWebhook($id: ID!) {\n    testWebhook(id: $id) {\n      id\n      status\n      responseStatus\n      latencyMs\n      responseBody\n      error\n    }\n  }\n": typeof types.TestWebhookDocument,
    "\n  query HostedRegistries {\n    registries {\n      name\n      kind\n    }\n  }\n": typeof types.HostedRegistriesDocument,
};
const documents: Documents = {
    "\n  query Me {\n    me {\n      name\n      role\n      registries\n    }\n  }\n": types.MeDocument,
    "\n  fragment CatalogEventFields on CatalogEvent {\n    id\n    type\n    occurredAt\n    registry\n    pack\n    version\n    data\n  }\n": types.CatalogEventFieldsFragmentDoc,
    "\n  query RecentEvents($filter: CatalogEventFilterInput, $last: Int) {\n    catalogEvents(filter: $filter, last: $last) {\n      edges {\n        node {\n          ...CatalogEventFields\n        }\n      }\n    }\n  }\n": types.RecentEventsDocument,
    "\n  subscription FollowEvents($filter: CatalogEventFilterInput, $after: String) {\n    catalogEvents(filter: $filter, after: $after) {\n      ...CatalogEventFields\n    }\n  }\n": types.FollowEventsDocument,
    "\n  query PackImpactOfVersion($name: String!, $version: String!, $registry: String) {\n    packImpact(name: $name, version: $version, registry: $registry) {\n      name\n      version\n      owner\n      layers {\n        index\n        pack\n        version\n        registry\n      }\n    }\n  }\n": types.PackImpactOfVersionDocument,
    "\n  mutation SetLifecycle($registry: String!, $name: String!, $version: String!, $state: PackLifecycleState!, $eol: String, $replacedBy: String) {\n    setPackVersionLifecycle(registry: $registry, name: $name, version: $version, state: $state, eol: $eol, replacedBy: $replacedBy) {\n      version\n      lifecycle {\n        state\n        eol\n        pastEol\n        replacedBy\n        deprecatedAt\n      }\n    }\n  }\n": types.SetLifecycleDocument,
    "\n  query ListPacks($filter: PackFilter, $first: Int, $after: String) {\n    packs(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          name\n          displayName\n          layer\n          addonType\n          cloudTypes\n          deprecated\n          sources {\n            name\n          }\n          latest {\n            version\n          }\n        }\n      }\n    }\n  }\n": types.ListPacksDocument,
    "\n  query PackNameSuggestions($name: String!) {\n    packNameSuggestions(name: $name)\n  }\n": types.PackNameSuggestionsDocument,
    "\n  query RegistryNames {\n    registries {\n      name\n    }\n  }\n": types.RegistryNamesDocument,
    "\n  query PullVersion($name: String!, $version: String!, $registry: String) {\n    packVersion(name: $name, version: $version, registry: $registry) {\n      version\n      digest\n      size\n      downloadUrl\n      pack {\n        name\n      }\n      registry {\n        name\n      }\n    }\n  }\n": types.PullVersionDocument,
    "\n  mutation PushPack($registry: String!, $archive: Upload!, $force: Boolean, $message: String, $digest: String, $size: Int) {\n    pushPack(registry: $registry, archive: $archive, force: $force, message: $message, digest: $digest, size: $size) {\n      version\n      digest\n      size\n      tags\n      pack {\n        name\n      }\n      registry {\n        name\n      }\n    }\n  }\n": types.PushPackDocument,
    "\n  query ExistingVersion($name: String!, $version: String!, $registry: String) {\n    packVersion(name: $name, version: $version, registry: $registry) {\n      version\n      digest\n    }\n  }\n": types.ExistingVersionDocument,
    "\n  mutation DeleteVersion($registry: String!, $name: String!, $version: String!) {\n    deletePackVersion(registry: $registry, name: $name, version: $version)\n  }\n": types.DeleteVersionDocument,
    "\n  query ShowPack($name: String!, $registry: String) {\n    pack(name: $name, registry: $registry) {\n      name\n      displayName\n      layer\n      addonType\n      addonSubType\n      cloudTypes\n      deprecated\n      logoUrl\n      registry {\n        name\n      }\n      sources {\n        name\n      }\n      latest {\n        version\n      }\n      versions {\n        version\n        tags\n        digest\n        size\n        deprecated\n        createdAt\n        registry {\n          name\n        }\n      }\n    }\n  }\n": types.ShowPackDocument,
    "\n  query ShowVersion($name: String!, $version: String!, $registry: String) {\n    packVersion(name: $name, version: $version, registry: $registry) {\n      version\n      tags\n      digest\n      size\n      deprecated\n      createdAt\n      cloudTypes\n      charts\n      manifests\n      downloadUrl\n      message\n      annotations\n      registry {\n        name\n      }\n      pack {\n        name\n        displayName\n        layer\n        addonType\n      }\n      constraints {\n        dependencies {\n          packName\n          layer\n          type\n          minVersion\n          maxVersion\n        }\n        resources {\n          type\n          minLimit\n        }\n      }\n    }\n  }\n": types.ShowVersionDocument,
    "\n  query SignedVersion($name: String!, $version: String!, $registry: String) {\n    packVersion(name: $name, version: $version, registry: $registry) {\n      version\n      digest\n      size\n      pack {\n        name\n      }\n      registry {\n        name\n      }\n      signatures {\n        keyName\n        algorithm\n        verified\n        failure\n        signedAt\n      }\n    }\n  }\n": types.SignedVersionDocument,
    "\n  mutation AddTag($registry: String!, $name: String!, $version: String!, $tag: String!) {\n    addPackTag(registry: $registry, name: $name, version: $version, tag: $tag) {\n      version\n      tags\n    }\n  }\n": types.AddTagDocument,
    "\n  mutation DeleteTag($registry: String!, $name: String!, $tag: String!) {\n    deletePackTag(registry: $registry, name: $name, tag: $tag)\n  }\n": types.DeleteTagDocument,
    "\n  query PackVersionsNear($name: String!, $registry: String, $first: Int) {\n    pack(name: $name, registry: $registry) {\n      versionsConnection(first: $first) {\n        totalCount\n        edges {\n          node {\n            version\n          }\n        }\n      }\n    }\n  }\n": types.PackVersionsNearDocument,
    "\n  query ExistingProfile($name: String!, $version: String) {\n    profile(name: $name, version: $version) {\n      version\n    }\n  }\n": types.ExistingProfileDocument,
    "\n  mutation CreateProfile($input: ProfileInput!) {\n    createProfile(input: $input) {\n      ...ProfileFields\n      warnings {\n        ...IssueFields\n      }\n    }\n  }\n": types.CreateProfileDocument,
    "\n  mutation CloneProfileVersion($name: String!, $version: String!, $newVersion: String!) {\n    cloneProfile(name: $name, version: $version, newVersion: $newVersion) {\n      ...ProfileFields\n      warnings {\n        ...IssueFields\n      }\n    }\n  }\n": types.CloneProfileVersionDocument,
    "\n  query ExportProfile($name: String!, $version: String) {\n    profile(name: $name, version: $version) {\n      ...ProfileFields\n    }\n  }\n": types.ExportProfileDocument,
    "\n  query Profiles($name: String) {\n    profiles(name: $name) {\n      ...ProfileFields\n    }\n  }\n": types.ProfilesDocument,
    "\n  fragment IssueFields on ValidationIssue {\n    code\n    severity\n    layerIndex\n    pack\n    path\n    message\n  }\n": types.IssueFieldsFragmentDoc,
    "\n  fragment ProfileFields on ClusterProfile {\n    name\n    version\n    type\n    cloudType\n    description\n    createdAt\n    updatedAt\n    layers {\n      pack\n      version\n      registry\n      values\n      valuesOverride\n      presets\n    }\n    variables {\n      name\n      displayName\n      description\n      format\n      default\n      required\n      regex\n      options\n      hidden\n      readonly\n    }\n  }\n": types.ProfileFieldsFragmentDoc,
    "\n  query ProposeProfile($input: ProposeProfileInput!) {\n    proposeProfile(input: $input) {\n      profile {\n        name\n        version\n        type\n        cloudType\n        layers {\n          pack\n          version\n          registry\n          layer\n          origin\n        }\n      }\n      validation {\n        valid\n        issues {\n          ...IssueFields\n        }\n      }\n      explanation {\n        text\n        layers\n        facts {\n          pack\n          versionRange\n          relation\n          otherPack\n          otherRange\n          text\n        }\n      }\n    }\n  }\n": types.ProposeProfileDocument,
    "\n  mutation DeleteProfile($name: String!, $version: String!) {\n    deleteProfile(name: $name, version: $version)\n  }\n": types.DeleteProfileDocument,
    "\n  query ValidateProfile($input: ProfileInput!) {\n    validateProfile(input: $input) {\n      valid\n      issues {\n        ...IssueFields\n      }\n      resolvedLayers {\n        layerIndex\n        pack\n        registry\n        version\n        digest\n        layer\n      }\n      installOrder {\n        layerIndex\n        pack\n        priority\n      }\n    }\n  }\n": types.ValidateProfileDocument,
    "\n  mutation CreateRegistry($input: CreateRegistryInput!) {\n    createRegistry(input: $input) {\n      ...RegistryFields\n    }\n  }\n": types.CreateRegistryDocument,
    "\n  query Registries {\n    registries {\n      ...RegistryFields\n    }\n  }\n": types.RegistriesDocument,
    "\n  fragment RegistryFields on Registry {\n    name\n    kind\n    endpoint\n    priority\n    packCount\n    syncIntervalSeconds\n    sync {\n      state\n      lastRunAt\n      lastSuccessAt\n      message\n    }\n  }\n": types.RegistryFieldsFragmentDoc,
    "\n  mutation DeleteRegistry($name: String!) {\n    deleteRegistry(name: $name)\n  }\n": types.DeleteRegistryDocument,
    "\n  fragment SyncRunFields on SyncRun {\n    id\n    state\n    startedAt\n    finishedAt\n    added\n    updated\n    removed\n    unchanged\n    message\n    errors {\n      item\n      message\n    }\n  }\n": types.SyncRunFieldsFragmentDoc,
    "\n  mutation SyncRegistry($name: String!, $force: Boolean) {\n    syncRegistry(name: $name, force: $force, wait: false) {\n      ...SyncRunFields\n    }\n  }\n": types.SyncRegistryDocument,
    "\n  query SyncProgress($name: String!) {\n    registry(name: $name) {\n      sync {\n        state\n        runs(last: 5) {\n          ...SyncRunFields\n        }\n      }\n    }\n  }\n": types.SyncProgressDocument,
    "\n  mutation UpdateRegistry($name: String!, $input: UpdateRegistryInput!) {\n    updateRegistry(name: $name, input: $input) {\n      ...RegistryFields\n    }\n  }\n": types.UpdateRegistryDocument,
    "\n  fragment ApiTokenFields on ApiToken {\n    id\n    name\n    prefix\n    role\n    registries\n    createdAt\n    lastUsedAt\n    expiresAt\n    revokedAt\n  }\n": types.ApiTokenFieldsFragmentDoc,
    "\n  mutation CreateToken($name: String!, $role: Role!, $registries: [String!], $expiresAt: DateTime) {\n    createApiToken(name: $name, role: $role, registries: $registries, expiresAt: $expiresAt) {\n      token\n      apiToken {\n        ...ApiTokenFields\n      }\n    }\n  }\n": types.CreateTokenDocument,
    "\n  query Tokens {\n    apiTokens {\n      ...ApiTokenFields\n    }\n  }\n": types.TokensDocument,
    "\n  mutation RevokeToken($id: ID!) {\n    revokeApiToken(id: $id)\n  }\n": types.RevokeTokenDocument,
    "\n  mutation CreateWebhook($input: CreateWebhookInput!) {\n    createWebhook(input: $input) {\n      id\n      url\n      events\n      registries\n      packs\n      format\n    }\n  }\n": types.CreateWebhookDocument,
    "\n  query Webhooks($after: String) {\n    webhooks(first: 100, after: $after) {\n      edges {\n        node {\n          id\n          url\n          events\n          registries\n          packs\n          format\n          enabled\n          failing\n          createdBy\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.WebhooksDocument,
    "\n  mutation DeleteWebhook($id: ID!) {\n    deleteWebhook(id: $id)\n  }\n": types.DeleteWebhookDocument,
    "\n  mutation TestWebhook($id: ID!) {\n    testWebhook(id: $id) {\n      id\n      status\n      responseStatus\n      latencyMs\n      responseBody\n      error\n    }\n  }\n": types.TestWebhookDocument,
    "\n  query HostedRegistries {\n    registries {\n      name\n      kind\n    }\n  }\n": types.HostedRegistriesDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      name\n      role\n      registries\n    }\n  }\n"): typeof import('./graphql.js').MeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CatalogEventFields on CatalogEvent {\n    id\n    type\n    occurredAt\n    registry\n    pack\n    version\n    data\n  }\n"): typeof import('./graphql.js').CatalogEventFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecentEvents($filter: CatalogEventFilterInput, $last: Int) {\n    catalogEvents(filter: $filter, last: $last) {\n      edges {\n        node {\n          ...CatalogEventFields\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').RecentEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription FollowEvents($filter: CatalogEventFilterInput, $after: String) {\n    catalogEvents(filter: $filter, after: $after) {\n      ...CatalogEventFields\n    }\n  }\n"): typeof import('./graphql.js').FollowEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PackImpactOfVersion($name: String!, $version: String!, $registry: String) {\n    packImpact(name: $name, version: $version, registry: $registry) {\n      name\n      version\n      owner\n      layers {\n        index\n        pack\n        version\n        registry\n      }\n    }\n  }\n"): typeof import('./graphql.js').PackImpactOfVersionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetLifecycle($registry: String!, $name: String!, $version: String!, $state: PackLifecycleState!, $eol: String, $replacedBy: String) {\n    setPackVersionLifecycle(registry: $registry, name: $name, version: $version, state: $state, eol: $eol, replacedBy: $replacedBy) {\n      version\n      lifecycle {\n        state\n        eol\n        pastEol\n        replacedBy\n        deprecatedAt\n      }\n    }\n  }\n"): typeof import('./graphql.js').SetLifecycleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ListPacks($filter: PackFilter, $first: Int, $after: String) {\n    packs(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          name\n          displayName\n          layer\n          addonType\n          cloudTypes\n          deprecated\n          sources {\n            name\n          }\n          latest {\n            version\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').ListPacksDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PackNameSuggestions($name: String!) {\n    packNameSuggestions(name: $name)\n  }\n"): typeof import('./graphql.js').PackNameSuggestionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RegistryNames {\n    registries {\n      name\n    }\n  }\n"): typeof import('./graphql.js').RegistryNamesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PullVersion($name: String!, $version: String!, $registry: String) {\n    packVersion(name: $name, version: $version, registry: $registry) {\n      version\n      digest\n      size\n      downloadUrl\n      pack {\n        name\n      }\n      registry {\n        name\n      }\n    }\n  }\n"): typeof import('./graphql.js').PullVersionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PushPack($registry: String!, $archive: Upload!, $force: Boolean, $message: String, $digest: String, $size: Int) {\n    pushPack(registry: $registry, archive: $archive, force: $force, message: $message, digest: $digest, size: $size) {\n      version\n      digest\n      size\n      tags\n      pack {\n        name\n      }\n      registry {\n        name\n      }\n    }\n  }\n"): typeof import('./graphql.js').PushPackDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExistingVersion($name: String!, $version: String!, $registry: String) {\n    packVersion(name: $name, version: $version, registry: $registry) {\n      version\n      digest\n    }\n  }\n"): typeof import('./graphql.js').ExistingVersionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteVersion($registry: String!, $name: String!, $version: String!) {\n    deletePackVersion(registry: $registry, name: $name, version: $version)\n  }\n"): typeof import('./graphql.js').DeleteVersionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ShowPack($name: String!, $registry: String) {\n    pack(name: $name, registry: $registry) {\n      name\n      displayName\n      layer\n      addonType\n      addonSubType\n      cloudTypes\n      deprecated\n      logoUrl\n      registry {\n        name\n      }\n      sources {\n        name\n      }\n      latest {\n        version\n      }\n      versions {\n        version\n        tags\n        digest\n        size\n        deprecated\n        createdAt\n        registry {\n          name\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').ShowPackDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ShowVersion($name: String!, $version: String!, $registry: String) {\n    packVersion(name: $name, version: $version, registry: $registry) {\n      version\n      tags\n      digest\n      size\n      deprecated\n      createdAt\n      cloudTypes\n      charts\n      manifests\n      downloadUrl\n      message\n      annotations\n      registry {\n        name\n      }\n      pack {\n        name\n        displayName\n        layer\n        addonType\n      }\n      constraints {\n        dependencies {\n          packName\n          layer\n          type\n          minVersion\n          maxVersion\n        }\n        resources {\n          type\n          minLimit\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').ShowVersionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SignedVersion($name: String!, $version: String!, $registry: String) {\n    packVersion(name: $name, version: $version, registry: $registry) {\n      version\n      digest\n      size\n      pack {\n        name\n      }\n      registry {\n        name\n      }\n      signatures {\n        keyName\n        algorithm\n        verified\n        failure\n        signedAt\n      }\n    }\n  }\n"): typeof import('./graphql.js').SignedVersionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddTag($registry: String!, $name: String!, $version: String!, $tag: String!) {\n    addPackTag(registry: $registry, name: $name, version: $version, tag: $tag) {\n      version\n      tags\n    }\n  }\n"): typeof import('./graphql.js').AddTagDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteTag($registry: String!, $name: String!, $tag: String!) {\n    deletePackTag(registry: $registry, name: $name, tag: $tag)\n  }\n"): typeof import('./graphql.js').DeleteTagDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PackVersionsNear($name: String!, $registry: String, $first: Int) {\n    pack(name: $name, registry: $registry) {\n      versionsConnection(first: $first) {\n        totalCount\n        edges {\n          node {\n            version\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').PackVersionsNearDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExistingProfile($name: String!, $version: String) {\n    profile(name: $name, version: $version) {\n      version\n    }\n  }\n"): typeof import('./graphql.js').ExistingProfileDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateProfile($input: ProfileInput!) {\n    createProfile(input: $input) {\n      ...ProfileFields\n      warnings {\n        ...IssueFields\n      }\n    }\n  }\n"): typeof import('./graphql.js').CreateProfileDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CloneProfileVersion($name: String!, $version: String!, $newVersion: String!) {\n    cloneProfile(name: $name, version: $version, newVersion: $newVersion) {\n      ...ProfileFields\n      warnings {\n        ...IssueFields\n      }\n    }\n  }\n"): typeof import('./graphql.js').CloneProfileVersionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExportProfile($name: String!, $version: String) {\n    profile(name: $name, version: $version) {\n      ...ProfileFields\n    }\n  }\n"): typeof import('./graphql.js').ExportProfileDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Profiles($name: String) {\n    profiles(name: $name) {\n      ...ProfileFields\n    }\n  }\n"): typeof import('./graphql.js').ProfilesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment IssueFields on ValidationIssue {\n    code\n    severity\n    layerIndex\n    pack\n    path\n    message\n  }\n"): typeof import('./graphql.js').IssueFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ProfileFields on ClusterProfile {\n    name\n    version\n    type\n    cloudType\n    description\n    createdAt\n    updatedAt\n    layers {\n      pack\n      version\n      registry\n      values\n      valuesOverride\n      presets\n    }\n    variables {\n      name\n      displayName\n      description\n      format\n      default\n      required\n      regex\n      options\n      hidden\n      readonly\n    }\n  }\n"): typeof import('./graphql.js').ProfileFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProposeProfile($input: ProposeProfileInput!) {\n    proposeProfile(input: $input) {\n      profile {\n        name\n        version\n        type\n        cloudType\n        layers {\n          pack\n          version\n          registry\n          layer\n          origin\n        }\n      }\n      validation {\n        valid\n        issues {\n          ...IssueFields\n        }\n      }\n      explanation {\n        text\n        layers\n        facts {\n          pack\n          versionRange\n          relation\n          otherPack\n          otherRange\n          text\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').ProposeProfileDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteProfile($name: String!, $version: String!) {\n    deleteProfile(name: $name, version: $version)\n  }\n"): typeof import('./graphql.js').DeleteProfileDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ValidateProfile($input: ProfileInput!) {\n    validateProfile(input: $input) {\n      valid\n      issues {\n        ...IssueFields\n      }\n      resolvedLayers {\n        layerIndex\n        pack\n        registry\n        version\n        digest\n        layer\n      }\n      installOrder {\n        layerIndex\n        pack\n        priority\n      }\n    }\n  }\n"): typeof import('./graphql.js').ValidateProfileDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateRegistry($input: CreateRegistryInput!) {\n    createRegistry(input: $input) {\n      ...RegistryFields\n    }\n  }\n"): typeof import('./graphql.js').CreateRegistryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Registries {\n    registries {\n      ...RegistryFields\n    }\n  }\n"): typeof import('./graphql.js').RegistriesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RegistryFields on Registry {\n    name\n    kind\n    endpoint\n    priority\n    packCount\n    syncIntervalSeconds\n    sync {\n      state\n      lastRunAt\n      lastSuccessAt\n      message\n    }\n  }\n"): typeof import('./graphql.js').RegistryFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteRegistry($name: String!) {\n    deleteRegistry(name: $name)\n  }\n"): typeof import('./graphql.js').DeleteRegistryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SyncRunFields on SyncRun {\n    id\n    state\n    startedAt\n    finishedAt\n    added\n    updated\n    removed\n    unchanged\n    message\n    errors {\n      item\n      message\n    }\n  }\n"): typeof import('./graphql.js').SyncRunFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SyncRegistry($name: String!, $force: Boolean) {\n    syncRegistry(name: $name, force: $force, wait: false) {\n      ...SyncRunFields\n    }\n  }\n"): typeof import('./graphql.js').SyncRegistryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SyncProgress($name: String!) {\n    registry(name: $name) {\n      sync {\n        state\n        runs(last: 5) {\n          ...SyncRunFields\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').SyncProgressDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateRegistry($name: String!, $input: UpdateRegistryInput!) {\n    updateRegistry(name: $name, input: $input) {\n      ...RegistryFields\n    }\n  }\n"): typeof import('./graphql.js').UpdateRegistryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ApiTokenFields on ApiToken {\n    id\n    name\n    prefix\n    role\n    registries\n    createdAt\n    lastUsedAt\n    expiresAt\n    revokedAt\n  }\n"): typeof import('./graphql.js').ApiTokenFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateToken($name: String!, $role: Role!, $registries: [String!], $expiresAt: DateTime) {\n    createApiToken(name: $name, role: $role, registries: $registries, expiresAt: $expiresAt) {\n      token\n      apiToken {\n        ...ApiTokenFields\n      }\n    }\n  }\n"): typeof import('./graphql.js').CreateTokenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Tokens {\n    apiTokens {\n      ...ApiTokenFields\n    }\n  }\n"): typeof import('./graphql.js').TokensDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeToken($id: ID!) {\n    revokeApiToken(id: $id)\n  }\n"): typeof import('./graphql.js').RevokeTokenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateWebhook($input: CreateWebhookInput!) {\n    createWebhook(input: $input) {\n      id\n      url\n      events\n      registries\n      packs\n      format\n    }\n  }\n"): typeof import('./graphql.js').CreateWebhookDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Webhooks($after: String) {\n    webhooks(first: 100, after: $after) {\n      edges {\n        node {\n          id\n          url\n          events\n          registries\n          packs\n          format\n          enabled\n          failing\n          createdBy\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): typeof import('./graphql.js').WebhooksDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteWebhook($id: ID!) {\n    deleteWebhook(id: $id)\n  }\n"): typeof import('./graphql.js').DeleteWebhookDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestWebhook($id: ID!) {\n    testWebhook(id: $id) {\n      id\n      status\n      responseStatus\n      latencyMs\n      responseBody\n      error\n    }\n  }\n"): typeof import('./graphql.js').TestWebhookDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query HostedRegistries {\n    registries {\n      name\n      kind\n    }\n  }\n"): typeof import('./graphql.js').HostedRegistriesDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
