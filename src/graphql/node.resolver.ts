/** `node(id:)` and `nodes(ids:)`: refetch any object by its global id, through its feature's rules. */
import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { InvalidInputError } from '../errors.js';
import type { Context } from './context.js';
import { fromGlobalId, Node, NODE_TYPENAME, type NodeType, type NodeTypename } from './node.js';

/** At most this many ids in one `nodes(ids:)`: every listing is bounded. */
export const MAX_NODE_IDS = 100;

/** The Node resolver over the features' node types (the composition root passes them in). */
export function createNodeResolver(types: ReadonlyArray<NodeType<Context>>) {
  const byName = new Map<NodeTypename, NodeType<Context>>(types.map((t) => [t.typename, t]));

  async function fetchNode(ctx: Context, id: string, field: string): Promise<Node | null> {
    const decoded = fromGlobalId(id);
    const type = decoded && byName.get(decoded.typename);
    if (!decoded || !type) throw new InvalidInputError(`${field} is not an id this API returned.`, { field });
    const found = await type.fetch(ctx, decoded.key);
    return found ? ({ ...found, [NODE_TYPENAME]: decoded.typename } as unknown as Node) : null;
  }

  @Resolver()
  class NodeResolver {
    @Query(() => Node, { nullable: true, description: 'The object with this global id; null when it is gone or the caller may not see it.' })
    node(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Node | null> {
      return fetchNode(ctx, id, 'id');
    }

    @Query(() => [Node], {
      nullable: 'items',
      description: `The objects with these global ids (at most ${MAX_NODE_IDS}), in the same order; null for each one gone or hidden.`,
    })
    nodes(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: Context): Array<Promise<Node | null>> {
      if (ids.length > MAX_NODE_IDS) throw new InvalidInputError(`ids holds at most ${MAX_NODE_IDS} ids.`, { field: 'ids' });
      // One promise per item: a refusal (FORBIDDEN) nulls its own item, with its error, not the list.
      return ids.map((id, i) => fetchNode(ctx, id, `ids[${i}]`));
    }
  }
  return NodeResolver;
}
