/**
 * The profiles feature as the composition root sees it: its resolvers, and what it adds to the
 * GraphQL context (src/graphql/context.ts). Profiles read packs through the catalog's loaders.
 */
import type { ProfileProposalService } from './profile.proposal.service.js';
import { ProfileProposalResolver } from './profile.proposal.resolver.js';
import type { ProfileService } from './profile.service.js';
import { ProfileLayerResolver, ProfileResolver } from './profile.resolver.js';
import { ProfileConnectionResolver } from './profile.connections.js';

export const profileResolvers = [ProfileResolver, ProfileLayerResolver, ProfileConnectionResolver, ProfileProposalResolver] as const;
export { profileNodeTypes } from './profile.nodes.js';

declare module '../graphql/context.js' {
  interface ContextServices {
    profiles: ProfileService;
    /** proposeProfile and profileUpgradeSteps: the solver over the catalog. */
    proposals: ProfileProposalService;
  }
}
