/** How `node(id:)` refetches a profile version: with the rule of `profile(name:, version:)`. */
import type { Context } from '../graphql/context.js';
import type { NodeType } from '../graphql/node.js';
import { toProfile } from './profile.resolver.js';

export const profileNodeTypes: ReadonlyArray<NodeType<Context>> = [
  {
    typename: 'ClusterProfile',
    async fetch(ctx, key) {
      const found = await ctx.services.profiles.findById(ctx.principal, key);
      return found ? toProfile(found) : null;
    },
  },
];
