/**
 * The webhooks feature as the composition root sees it: resolvers, node types and what it adds to
 * the GraphQL context; the dispatcher (webhook.dispatcher.ts) is started and stopped by src/app/server.ts.
 */
import type { WebhookService } from './webhook.service.js';
import { WebhookDeliveryResolver, WebhookResolver, webhookNodeTypes } from './webhook.resolver.js';

export const webhookResolvers = [WebhookResolver, WebhookDeliveryResolver] as const;
export { webhookNodeTypes };

declare module '../graphql/context.js' {
  interface ContextServices {
    webhooks: WebhookService;
  }
}
