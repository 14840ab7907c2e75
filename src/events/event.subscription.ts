/** `catalogEvents(filter, after)` subscription: a thin resolver over CatalogEventWatch. */
import { Arg, Ctx, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import type { CatalogEventRecord } from './event.model.js';
import { CatalogEvent, CatalogEventFilterInput } from './event.graphql-types.js';
import { toCatalogEvent } from './event.resolver.js';

interface CatalogEventsArgs {
  filter?: CatalogEventFilterInput | null;
  after?: string | null;
}

@Resolver()
export class CatalogEventSubscriptionResolver {
  @Subscription(() => CatalogEvent, {
    description:
      'Catalog events as they happen, on any replica (WebSocket, graphql-transport-ws): those of registries the caller may read ' +
      'that match `filter`. With `after` (a cursor of the catalogEvents query, or the id of an event received), the events missed since ' +
      'are sent first (at most 1000), then the live ones, none twice.',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, CatalogEventsArgs, Context>) =>
      context.services.eventWatch.watch(context.principal, args.filter ?? {}, args.after ?? null),
  })
  catalogEvents(
    @Arg('filter', () => CatalogEventFilterInput, { nullable: true }) _filter: CatalogEventFilterInput | undefined,
    @Arg('after', () => String, { nullable: true, description: 'Resume after this cursor (catalogEvents\' endCursor).' }) _after: string | undefined,
    @Root() event: CatalogEventRecord | Error,
    @Ctx() _ctx: Context,
  ): CatalogEvent {
    // The stream's last word when it had to stop early (a slow reader, rights gone): a coded error.
    if (event instanceof Error) throw event;
    return toCatalogEvent(event);
  }
}
