/** `catalogEvents`: the outbox, paged, filtered by the reader's rights; `node(id:)` for one event. */
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { ConnectionArgs, connectionOf, pageRequestOf, type ConnectionPage, type Ordering } from '../graphql/connection.js';
import { toGlobalId, type NodeType } from '../graphql/node.js';
import type { CatalogEventRecord } from './event.model.js';
import { CatalogEvent, CatalogEventConnection, CatalogEventFilterInput } from './event.graphql-types.js';

/** The GraphQL shape of a stored event. */
export function toCatalogEvent(event: CatalogEventRecord): CatalogEvent {
  return {
    id: event.id,
    type: event.type,
    occurredAt: event.occurredAt,
    registry: event.registryName,
    pack: event.pack,
    version: event.version,
    data: event.data,
  };
}

/** Events stand in outbox order: the id, a decimal string compared as a number. */
const EVENT_ORDER: Ordering<CatalogEvent, string> = {
  position: (e) => e.id,
  compare: (a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0),
  parse: (v) => (typeof v === 'string' && /^\d{1,19}$/.test(v) ? v : null),
};

@Resolver(() => CatalogEvent)
export class CatalogEventResolver {
  @FieldResolver(() => ID)
  id(@Root() event: CatalogEvent): string {
    return toGlobalId('CatalogEvent', event.id);
  }

  @Query(() => CatalogEventConnection, {
    description:
      'Catalog events the caller may read (those of registries it can read), oldest first: page forward with `after` to follow ' +
      'the feed from a cursor. Kept EVENT_RETENTION_DAYS.',
  })
  async catalogEvents(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => CatalogEventFilterInput, { nullable: true }) filter: CatalogEventFilterInput | undefined,
    @Ctx() ctx: Context,
  ): Promise<ConnectionPage<CatalogEvent>> {
    const request = pageRequestOf(args, EVENT_ORDER);
    const scoped = await ctx.services.events.scopedFilter(ctx.principal, filter ?? {});
    // One row more than the page tells whether rows lie beyond it.
    const rows = await ctx.services.events.events.listEventsAfter(request.after, scoped, request.size + 1, {
      before: request.before,
      backward: request.backward,
    });
    const more = rows.length > request.size;
    const page = (request.backward ? rows.slice(rows.length - Math.min(rows.length, request.size)) : rows.slice(0, request.size)).map(toCatalogEvent);
    return connectionOf(
      EVENT_ORDER,
      page,
      { next: request.backward ? request.before !== null : more, previous: request.backward ? more : request.after !== null },
      () => ctx.services.events.events.count(scoped),
    );
  }
}

/** `node(id:)` refetches an event with the rule of `catalogEvents`: readers of its registry. */
export const eventNodeTypes: ReadonlyArray<NodeType<Context>> = [
  {
    typename: 'CatalogEvent',
    fetch: async (ctx, key) => {
      const event = await ctx.services.events.get(ctx.principal, key);
      return event ? toCatalogEvent(event) : null;
    },
  },
];
