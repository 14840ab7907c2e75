/**
 * The events feature as the composition root sees it: the outbox's resolvers and node types, and
 * what it adds to the GraphQL context. Writers record events through `EventRecorder` (event.store.ts).
 */
import type { EventService } from './event.service.js';
import { CatalogEventResolver, eventNodeTypes } from './event.resolver.js';
import { CatalogEventSubscriptionResolver } from './event.subscription.js';
import type { CatalogEventWatch } from './event.watch.js';

export const eventResolvers = [CatalogEventResolver, CatalogEventSubscriptionResolver] as const;
export { eventNodeTypes };

declare module '../graphql/context.js' {
  interface ContextServices {
    events: EventService;
    /** `catalogEvents` subscriptions: live events, filtered by each subscriber's rights. */
    eventWatch: CatalogEventWatch;
  }
}
