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
import { SyncRunSubscriptionResolver } from './sync-run.subscription.js';
import type { SyncRunWatch } from './sync-run.watch.js';

export { createRegistryLoaders, type RegistryLoaders } from './registry.loaders.js';

export const registryResolvers = [
  RegistryResolver,
  RegistrySyncStatusResolver,
  SyncRunResolver,
  SyncResolver,
  SyncRunSubscriptionResolver,
  RegistryConnectionResolver,
  TrustPolicyResolver,
] as const;
export { registryNodeTypes } from './registry.nodes.js';

declare module '../graphql/context.js' {
  interface ContextServices {
    registries: RegistryService;
    sync: SyncEngine;
    trustPolicies: TrustPolicyService;
    /** `syncRun(id)` subscriptions: a run's progress, followed from any replica. */
    syncRunWatch: SyncRunWatch;
  }
  interface ContextLoaders {
    registries: RegistryLoaders;
  }
}
