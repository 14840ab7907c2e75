/**
 * Fills the per-request GraphQL context (the type is src/graphql/context.ts): the shared services,
 * and fresh DataLoaders from each feature's factory for this request's caller only.
 */
import type { ContextLoaders } from '../graphql/context.js';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../platform/database.js';
import { createRegistryLoaders } from '../registries/index.js';
import { createCatalogLoaders } from '../catalog/index.js';
import { PackStore } from '../catalog/pack.store.js';
import { RegistryStore } from '../registries/registry.store.js';

/**
 * New loaders per request, for the request's caller: a loader shared across requests would leak one
 * caller's data (or another caller's view of PRIVATE registries) to another.
 */
export function createLoaders(prisma: Db, principal: Principal): ContextLoaders {
  const packs = new PackStore(prisma);
  return { registries: createRegistryLoaders(new RegistryStore(prisma), principal, packs), catalog: createCatalogLoaders(packs, principal) };
}
