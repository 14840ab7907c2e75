/**
 * The catalog feature as the composition root sees it: its resolvers, its per-request loaders
 * factory, and what it adds to the GraphQL context (src/graphql/context.ts).
 */
import type { CatalogLoaders } from './catalog.loaders.js';
import type { PackPublishService } from './pack.publish.service.js';
import type { PackQueryService } from './pack.query.service.js';
import { PackConnectionResolver, PackResolver, PackVersionResolver } from './pack.resolver.js';
import { PackVersionsConnectionResolver } from './pack-versions.connection.js';
import { PackVersionSignaturesResolver } from './pack-signature.resolver.js';
import { PackLifecycleMutationResolver, PackVersionLifecycleResolver } from './pack-lifecycle.resolver.js';
import { PackFacetsResolver } from './pack-facets.resolver.js';
import type { PackFacetsService } from './pack-facets.service.js';
import type { SignatureLoaders } from './pack-signature.loaders.js';

export { createCatalogLoaders, type CatalogLoaders } from './catalog.loaders.js';

export const catalogResolvers = [PackResolver, PackConnectionResolver, PackVersionResolver, PackVersionsConnectionResolver, PackVersionSignaturesResolver, PackVersionLifecycleResolver, PackLifecycleMutationResolver, PackFacetsResolver] as const;
export { createSignatureLoaders } from './pack-signature.loaders.js';
export { catalogNodeTypes } from './catalog.nodes.js';

declare module '../graphql/context.js' {
  interface ContextServices {
    packQueries: PackQueryService;
    packPublish: PackPublishService;
    packFacets: PackFacetsService;
  }
  interface ContextLoaders {
    catalog: CatalogLoaders;
    signatures: SignatureLoaders;
  }
}
