/** How `node(id:)` refetches registries and sync runs: only those the caller may read, as `registry(name:)`. */
import type { Context } from '../graphql/context.js';
import { isUuidKey, type NodeType } from '../graphql/node.js';

export const registryNodeTypes: ReadonlyArray<NodeType<Context>> = [
  {
    typename: 'Registry',
    fetch: async (ctx, key) => (isUuidKey(key) ? ctx.services.registries.findById(ctx.principal, key) : null),
  },
  {
    typename: 'SyncRun',
    fetch: async (ctx, key) => (isUuidKey(key) ? ctx.services.registries.findRun(ctx.principal, key) : null),
  },
];
