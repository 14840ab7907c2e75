/** How `node(id:)` refetches packs and versions: through the same service calls as `pack` and `packVersion`. */
import type { Context } from '../graphql/context.js';
import { isUuidKey, type NodeType } from '../graphql/node.js';
import { packOf, toPackVersion } from './pack.resolver.js';

export const catalogNodeTypes: ReadonlyArray<NodeType<Context>> = [
  {
    typename: 'Pack',
    // The key is a name (the merged pack) or `registry/name` (one registry's).
    async fetch(ctx, key) {
      const slash = key.indexOf('/');
      const registry = slash === -1 ? null : key.slice(0, slash);
      const name = slash === -1 ? key : key.slice(slash + 1);
      const rows = await ctx.services.packQueries.findPackRows(ctx.principal, ctx.loaders.catalog, name, registry);
      return rows.length > 0 ? packOf(name, rows, registry) : null;
    },
  },
  {
    typename: 'PackVersion',
    async fetch(ctx, key) {
      if (!isUuidKey(key)) return null;
      const found = await ctx.services.packQueries.findVersionById(ctx.principal, ctx.loaders.catalog, key);
      return found ? toPackVersion(found.row, found.pack) : null;
    },
  },
];
