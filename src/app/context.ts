/**
 * Fills the per-request GraphQL context (the type is src/graphql/context.ts): the shared services,
 * and fresh DataLoaders from each feature's factory for this request's caller only.
 */
import type { ContextLoaders } from '../graphql/context.js';
import type { Principal } from '../auth/principal.js';
import type { Services } from './services.js';
import { createRegistryLoaders } from '../registries/index.js';
import { createCatalogLoaders, createSignatureLoaders } from '../catalog/index.js';

/**
 * New loaders per request, for the request's caller: a loader shared across requests would leak one
 * caller's data (or another caller's view of PRIVATE registries) to another.
 */
export function createLoaders(stores: Pick<Services, 'packStore' | 'registryStore' | 'signatureReader'>, principal: Principal): ContextLoaders {
  return {
    registries: createRegistryLoaders(stores.registryStore, principal, stores.packStore),
    catalog: createCatalogLoaders(stores.packStore, principal),
    signatures: createSignatureLoaders(stores.signatureReader),
  };
}
