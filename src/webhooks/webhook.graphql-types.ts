/** GraphQL types of webhooks and their delivery log. */
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver } from '../graphql/scalars.js';
import { Node } from '../graphql/node.js';
import { connectionTypes } from '../graphql/connection.js';
import { CatalogEventTypeEnum } from '../events/event.graphql-types.js';
import type { CatalogEventType } from '../events/event.model.js';
import type { WebhookDeliveryStatus as DeliveryStatus, WebhookFormat as Format } from './webhook.model.js';

export const WebhookFormat = { JSON: 'JSON', CLOUDEVENTS: 'CLOUDEVENTS' } as const;
registerEnumType(WebhookFormat, {
  name: 'WebhookFormat',
  description: 'JSON: the event as JSON. CLOUDEVENTS: a CloudEvents 1.0 structured event (application/cloudevents+json) around it.',
});

export const WebhookDeliveryStatus = { PENDING: 'PENDING', DELIVERED: 'DELIVERED', FAILED: 'FAILED', SKIPPED: 'SKIPPED' } as const;
registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description:
    'PENDING: waiting for its turn or a retry, or being sent. DELIVERED: a 2xx answer. FAILED: every attempt failed. ' +
    'SKIPPED: not sent and not retried, because the webhook\'s owner may no longer read the event\'s registry (no active token of it may; error says which).',
});

@ObjectType({ description: 'An HTTP endpoint told of catalog events, signed with its secret (never shown). See docs/webhooks.md.', implements: Node })
export class Webhook {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  url!: string;

  @Field(() => [CatalogEventTypeEnum], { description: 'Event types delivered; empty: all.' })
  events!: CatalogEventType[];

  @Field(() => [String], { description: 'Registries whose events are delivered; empty: all.' })
  registries!: string[];

  @Field(() => [String], { description: 'Packs whose events are delivered; empty: all (events without a pack, such as syncs, always pass).' })
  packs!: string[];

  @Field(() => WebhookFormat)
  format!: Format;

  @Field(() => Boolean, { description: 'Plain HTTP to a host other than loopback is allowed.' })
  insecure!: boolean;

  @Field(() => Boolean)
  enabled!: boolean;

  @Field(() => Boolean, { description: 'A delivery failed every attempt; the next successful delivery clears it.' })
  failing!: boolean;

  @Field(() => DateTimeResolver, { nullable: true })
  failingSince!: Date | null;

  @Field(() => String, { description: 'The token name that created it.' })
  createdBy!: string;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => DateTimeResolver)
  updatedAt!: Date;
}

@ObjectType({ description: 'One event (or ping) for one webhook: its last attempt.', implements: Node })
export class WebhookDelivery {
  @Field(() => ID)
  id!: string;

  /** Raw keys, for the field resolvers. */
  webhookId!: string;
  eventId!: string | null;

  @Field(() => WebhookDeliveryStatus)
  status!: DeliveryStatus;

  @Field(() => Int, { description: 'Attempts made so far.' })
  attempts!: number;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => DateTimeResolver, { nullable: true })
  lastAttemptAt!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When the next attempt is due (PENDING only).' })
  nextAttemptAt!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true })
  deliveredAt!: Date | null;

  @Field(() => Int, { nullable: true, description: 'The HTTP status of the last answer (null: no answer).' })
  responseStatus!: number | null;

  @Field(() => Int, { nullable: true, description: 'Milliseconds the last attempt took.' })
  latencyMs!: number | null;

  @Field(() => String, { nullable: true, description: 'The first 1 KiB of the last answer.' })
  responseBody!: string | null;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed.' })
  error!: string | null;

  @Field(() => Boolean, { description: 'A ping (testWebhook), not an event.' })
  ping!: boolean;
}

export const { Connection: WebhookConnection } = connectionTypes(Webhook, 'Webhook', 'Webhooks, oldest first.');
export const { Connection: WebhookDeliveryConnection } = connectionTypes(WebhookDelivery, 'WebhookDelivery', 'Webhook deliveries, newest first.');

@InputType()
export class CreateWebhookInput {
  @Field(() => String, { description: 'http(s) URL; private addresses only with WEBHOOK_ALLOW_PRIVATE_ADDRESSES, plain HTTP only to loopback unless insecure.' })
  url!: string;

  @Field(() => [CatalogEventTypeEnum], { nullable: true, description: 'Event types to deliver; absent or empty: all.' })
  events?: CatalogEventType[] | null;

  @Field(() => [String], { nullable: true, description: 'Registry names; absent or empty: all (ADMIN only: a PUBLISHER names registries it may publish to).' })
  registries?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Pack names; absent or empty: all.' })
  packs?: string[] | null;

  @Field(() => String, { description: 'The HMAC-SHA256 signing secret (16 to 256 characters): stored encrypted, never returned.' })
  secret!: string;

  @Field(() => WebhookFormat, { nullable: true, description: 'Default JSON.' })
  format?: Format | null;

  @Field(() => Boolean, { nullable: true })
  insecure?: boolean | null;
}

@InputType()
export class UpdateWebhookInput {
  @Field(() => String, { nullable: true })
  url?: string | null;

  @Field(() => [CatalogEventTypeEnum], { nullable: true })
  events?: CatalogEventType[] | null;

  @Field(() => [String], { nullable: true })
  registries?: string[] | null;

  @Field(() => [String], { nullable: true })
  packs?: string[] | null;

  @Field(() => String, { nullable: true, description: 'A new signing secret.' })
  secret?: string | null;

  @Field(() => WebhookFormat, { nullable: true })
  format?: Format | null;

  @Field(() => Boolean, { nullable: true })
  insecure?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean | null;
}
