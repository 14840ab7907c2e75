/**
 * The events feature as the composition root sees it: the outbox's resolvers and node types, and
 * what it adds to the GraphQL context. Writers record events through `EventRecorder` (event.store.ts).
 */
import type { EventService } from './event.service.js';
import { CatalogEventResolver, eventNodeTypes } from './event.resolver.js';

export const eventResolvers = [CatalogEventResolver] as const;
export { eventNodeTypes };

declare module '../graphql/context.js' {
  interface ContextServices {
    events: EventService;
  }
}
