/** The per-request context: who calls, the shared services, and fresh DataLoaders for this request only. */
import type { Logger } from '../platform/logger.js';
import type { Principal } from '../auth/principal.js';
import type { Services } from './services.js';
import type { Db } from '../platform/database.js';
import { createRegistryLoaders, type RegistryLoaders } from '../registries/registry.loaders.js';
import { createCatalogLoaders, type CatalogLoaders } from '../catalog/catalog.loaders.js';

export interface Loaders {
  registries: RegistryLoaders;
  catalog: CatalogLoaders;
}

export interface Context {
  requestId: string;
  principal: Principal;
  services: Services;
  loaders: Loaders;
  logger: Logger;
  /** This service's URL as the caller reached it (PUBLIC_URL when set), for download links. */
  baseUrl: string;
  /** Aborts when the client leaves before its answer or the service shuts down: long work (archive reads) listens to it. */
  signal: AbortSignal;
}

/**
 * New loaders per request, for the request's caller: a loader shared across requests would leak one
 * caller's data (or another caller's view of PRIVATE registries) to another.
 */
export function createLoaders(prisma: Db, principal: Principal): Loaders {
  return { registries: createRegistryLoaders(prisma, principal), catalog: createCatalogLoaders(prisma, principal) };
}
