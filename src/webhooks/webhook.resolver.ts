/** Webhooks through GraphQL: thin, the rules are WebhookService's. */
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { compareValues, ConnectionArgs, connectionOf, pageInMemory, pageRequestOf, type ConnectionPage, type Ordering } from '../graphql/connection.js';
import { isUuidKey, keyOfGlobalId, toGlobalId, type NodeType } from '../graphql/node.js';
import type { Principal } from '../auth/principal.js';
import { InvalidInputError } from '../errors.js';
import type { WebhookDeliveryRecord, WebhookRecord } from './webhook.model.js';
import {
  CreateWebhookInput,
  UpdateWebhookInput,
  Webhook,
  WebhookConnection,
  WebhookDelivery,
  WebhookDeliveryConnection,
  WebhookDeliveryStatus,
} from './webhook.graphql-types.js';

function toWebhook(record: WebhookRecord, names: Map<string, string>): Webhook {
  return {
    id: record.id,
    url: record.url,
    events: record.events,
    registries: record.registryIds.map((id) => names.get(id)).filter((n): n is string => n !== undefined),
    packs: record.packs,
    format: record.format,
    insecure: record.insecure,
    enabled: record.enabled,
    failing: record.failing,
    failingSince: record.failingSince,
    createdBy: record.createdBy,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

function toDelivery(record: WebhookDeliveryRecord): WebhookDelivery {
  return {
    ...record,
    nextAttemptAt: record.status === 'PENDING' ? record.nextAttemptAt : null,
    ping: record.eventId === null,
  };
}

/** Registry ids -> names as the caller sees them: one read for a whole page. */
async function registryNames(ctx: Context, principal: Principal): Promise<Map<string, string>> {
  return new Map((await ctx.services.registries.list(principal)).map((r) => [r.id, r.name]));
}

const webhookKey = (id: string, field: string) => keyOfGlobalId(id, 'Webhook', field, isUuidKey);
const deliveryKey = (id: string, field: string) => keyOfGlobalId(id, 'WebhookDelivery', field, isUuidKey);

type WebhookPosition = [createdAt: string, id: string];
const WEBHOOK_ORDER: Ordering<Webhook, WebhookPosition> = {
  position: (w) => [w.createdAt.toISOString(), w.id],
  compare: (a, b) => compareValues(a[0], b[0]) || compareValues(a[1], b[1]),
  parse: (v) => (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string' ? (v as WebhookPosition) : null),
};

/** Deliveries newest first: a position compares reversed. */
const DELIVERY_ORDER: Ordering<WebhookDelivery, WebhookPosition> = {
  position: (d) => [d.createdAt.toISOString(), d.id],
  compare: (a, b) => compareValues(b[0], a[0]) || compareValues(b[1], a[1]),
  parse: WEBHOOK_ORDER.parse,
};

@Resolver(() => Webhook)
export class WebhookResolver {
  @FieldResolver(() => ID)
  id(@Root() webhook: Webhook): string {
    return toGlobalId('Webhook', webhook.id);
  }

  @Query(() => WebhookConnection, { description: 'Webhooks the caller manages (every one for an ADMIN, its own for a PUBLISHER), oldest first.' })
  async webhooks(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context): Promise<ConnectionPage<Webhook>> {
    const records = await ctx.services.webhooks.list(ctx.principal);
    const names = await registryNames(ctx, ctx.principal);
    return pageInMemory(records.map((r) => toWebhook(r, names)), args, WEBHOOK_ORDER);
  }

  @Query(() => Webhook, { nullable: true })
  async webhook(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Webhook | null> {
    const found = await ctx.services.webhooks.get(ctx.principal, webhookKey(id, 'id'));
    return found ? toWebhook(found, await registryNames(ctx, ctx.principal)) : null;
  }

  @Mutation(() => Webhook, {
    description:
      'Deliver catalog events to `url` (ADMIN; or PUBLISHER for registries its token may publish to). Signed with `secret` ' +
      '(X-PackCatalog-Signature, docs/webhooks.md). A refused URL is BAD_USER_INPUT with issue code WEBHOOK_URL_REFUSED.',
  })
  async createWebhook(@Arg('input', () => CreateWebhookInput) input: CreateWebhookInput, @Ctx() ctx: Context): Promise<Webhook> {
    const created = await ctx.services.webhooks.create(ctx.principal, input);
    return toWebhook(created, await registryNames(ctx, ctx.principal));
  }

  @Mutation(() => Webhook, { description: 'Change a webhook the caller manages; what the input omits stays.' })
  async updateWebhook(@Arg('id', () => ID) id: string, @Arg('input', () => UpdateWebhookInput) input: UpdateWebhookInput, @Ctx() ctx: Context): Promise<Webhook> {
    const updated = await ctx.services.webhooks.update(ctx.principal, webhookKey(id, 'id'), input);
    return toWebhook(updated, await registryNames(ctx, ctx.principal));
  }

  @Mutation(() => Boolean, { description: 'Delete a webhook the caller manages, with its delivery log.' })
  deleteWebhook(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.services.webhooks.delete(ctx.principal, webhookKey(id, 'id'));
  }

  @Mutation(() => WebhookDelivery, { description: 'Send a ping (type PING) now and answer its logged delivery (a failed ping is not retried).' })
  async testWebhook(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<WebhookDelivery> {
    return toDelivery(await ctx.services.webhooks.test(ctx.principal, webhookKey(id, 'id')));
  }

  @Mutation(() => WebhookDelivery, { description: 'Queue a delivery again, attempts from zero (after earlier events of its pack are done).' })
  async redeliver(@Arg('deliveryId', () => ID) deliveryId: string, @Ctx() ctx: Context): Promise<WebhookDelivery> {
    return toDelivery(await ctx.services.webhooks.redeliver(ctx.principal, deliveryKey(deliveryId, 'deliveryId')));
  }

  @Query(() => WebhookDeliveryConnection, { description: 'The delivery log of a webhook the caller manages, newest first.' })
  async webhookDeliveries(
    @Arg('webhookId', () => ID) webhookId: string,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('status', () => WebhookDeliveryStatus, { nullable: true }) status: WebhookDeliveryRecord['status'] | undefined,
    @Ctx() ctx: Context,
  ): Promise<ConnectionPage<WebhookDelivery>> {
    const request = pageRequestOf(args, DELIVERY_ORDER);
    // The log is read from the newest; paging back from a cursor is not offered.
    if (request.backward || request.before) throw new InvalidInputError('webhookDeliveries pages with first and after only.', { field: args.last != null ? 'last' : 'before' });
    const after = request.after ? { createdAt: new Date(request.after[0]), id: request.after[1] } : null;
    const rows = await ctx.services.webhooks.deliveries(ctx.principal, webhookKey(webhookId, 'webhookId'), after, request.size + 1, status);
    const page = rows.slice(0, request.size).map(toDelivery);
    return connectionOf(DELIVERY_ORDER, page, { next: rows.length > request.size, previous: after !== null }, () =>
      ctx.services.webhooks.countDeliveries(ctx.principal, webhookKey(webhookId, 'webhookId'), status),
    );
  }
}

@Resolver(() => WebhookDelivery)
export class WebhookDeliveryResolver {
  @FieldResolver(() => ID)
  id(@Root() delivery: WebhookDelivery): string {
    return toGlobalId('WebhookDelivery', delivery.id);
  }

  @FieldResolver(() => ID, { nullable: true, description: 'The CatalogEvent delivered (node(id:) reads it); null for a ping.' })
  event(@Root() delivery: WebhookDelivery): string | null {
    return delivery.eventId === null ? null : toGlobalId('CatalogEvent', delivery.eventId);
  }

  @FieldResolver(() => ID)
  webhook(@Root() delivery: WebhookDelivery): string {
    return toGlobalId('Webhook', delivery.webhookId);
  }
}

/** `node(id:)` for webhooks and deliveries: the rule of `webhook` (the caller manages it). */
export const webhookNodeTypes: ReadonlyArray<NodeType<Context>> = [
  {
    typename: 'Webhook',
    fetch: async (ctx, key) => {
      if (!isUuidKey(key)) return null;
      const found = await ctx.services.webhooks.get(ctx.principal, key);
      return found ? toWebhook(found, await registryNames(ctx, ctx.principal)) : null;
    },
  },
  {
    typename: 'WebhookDelivery',
    fetch: async (ctx, key) => {
      if (!isUuidKey(key)) return null;
      const found = await ctx.services.webhooks.delivery(ctx.principal, key);
      return found ? toDelivery(found) : null;
    },
  },
];
