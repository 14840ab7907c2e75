/**
 * The registries feature as the composition root sees it: its resolvers, its per-request loaders
 * factory, and what it adds to the GraphQL context (src/graphql/context.ts).
 */
import type { RegistryLoaders } from './registry.loaders.js';
import type { RegistryService } from './registry.service.js';
import type { SyncEngine } from './sync/engine.js';
import { RegistryResolver, RegistrySyncStatusResolver, SyncRunResolver } from './registry.resolver.js';
import { SyncResolver } from './sync.resolver.js';
import { RegistryConnectionResolver } from './registry.connections.js';
import { TrustPolicyResolver } from './trust-policy.resolver.js';
import type { TrustPolicyService } from './trust-policy.service.js';

export { createRegistryLoaders, type RegistryLoaders } from './registry.loaders.js';

export const registryResolvers = [RegistryResolver, RegistrySyncStatusResolver, SyncRunResolver, SyncResolver, RegistryConnectionResolver, TrustPolicyResolver] as const;
export { registryNodeTypes } from './registry.nodes.js';

declare module '../graphql/context.js' {
  interface ContextServices {
    registries: RegistryService;
    sync: SyncEngine;
    trustPolicies: TrustPolicyService;
  }
  interface ContextLoaders {
    registries: RegistryLoaders;
  }
}
