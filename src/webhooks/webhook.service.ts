/**
 * Webhooks' rules: who may create and see them (ADMIN any; a PUBLISHER only webhooks on registries
 * it may publish to, and only its own), what a valid webhook is, the signing secret sealed at rest
 * and never returned, pings and redeliveries.
 */
import { assertCanPublish, assertRole, profileOwnerOf, type Principal } from '../auth/principal.js';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../errors.js';
import { CATALOG_EVENT_TYPES } from '../events/event.model.js';
import type { WebhookDeliveryRecord, WebhookInput, WebhookRecord } from './webhook.model.js';
import type { WebhookDispatcher } from './webhook.dispatcher.js';
import type { WebhookStore, WebhookWrite } from './webhook.store.js';
import { checkWebhookUrl, type WebhookUrlRules } from './webhook.url-policy.js';

/** The registries as webhooks need them (the registries feature answers; plugged in by the composition root). */
export interface WebhookRegistries {
  find(actor: Principal, name: string): Promise<{ id: string; name: string } | null>;
  list(actor: Principal): Promise<Array<{ id: string; name: string }>>;
}

/** Seals and opens the signing secret (the platform's secret box). */
export interface SecretSealer {
  seal(plaintext: string): Uint8Array;
  open(sealed: Uint8Array): string;
}

const MIN_SECRET = 16;
const MAX_SECRET = 256;
const MAX_NAMES = 100;
/** Webhooks one owner may hold: each one multiplies its registries' events into deliveries. */
export const MAX_WEBHOOKS_PER_OWNER = 100;

export class WebhookService {
  constructor(
    private readonly store: WebhookStore,
    private readonly registries: WebhookRegistries,
    private readonly secrets: SecretSealer,
    private readonly urlRules: WebhookUrlRules,
    private readonly dispatcher: Pick<WebhookDispatcher, 'deliver' | 'wake' | 'leaseMs' | 'owner'>,
  ) {}

  async create(actor: Principal, input: WebhookInput): Promise<WebhookRecord> {
    assertRole(actor, 'PUBLISHER');
    if (!input.url) throw new InvalidInputError('url is required.', { field: 'input.url' });
    if (!input.secret) throw new InvalidInputError('secret is required: deliveries are signed with it.', { field: 'input.secret' });
    const write = await this.writeOf(actor, input, null);
    const owner = profileOwnerOf(actor);
    if ((await this.store.countOf(owner)) >= MAX_WEBHOOKS_PER_OWNER) {
      const message = `A webhook owner holds at most ${MAX_WEBHOOKS_PER_OWNER} webhooks: delete one first.`;
      throw new InvalidInputError(message, { field: 'input', issues: [{ code: 'LIMIT_EXCEEDED', path: 'input', message }] });
    }
    return this.store.create(write as WebhookWrite, owner, actor.name);
  }

  async update(actor: Principal, id: string, input: WebhookInput): Promise<WebhookRecord> {
    const current = await this.owned(actor, id);
    return this.store.update(current.id, await this.writeOf(actor, input, current));
  }

  async delete(actor: Principal, id: string): Promise<boolean> {
    const current = await this.owned(actor, id);
    return this.store.delete(current.id);
  }

  /** The caller's webhooks (every one for an ADMIN), oldest first. */
  async list(actor: Principal): Promise<WebhookRecord[]> {
    assertRole(actor, 'PUBLISHER');
    return this.store.list(actor.role === 'ADMIN' ? null : profileOwnerOf(actor));
  }

  /** One webhook the caller manages, or null. */
  async get(actor: Principal, id: string): Promise<WebhookRecord | null> {
    assertRole(actor, 'PUBLISHER');
    const found = await this.store.find(id);
    return found && this.manages(actor, found) ? found : null;
  }

  /** Registry names of a webhook's registry ids, as `actor` sees them. */
  async registryNames(actor: Principal, ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const names = new Map((await this.registries.list(actor)).map((r) => [r.id, r.name]));
    return ids.map((id) => names.get(id)).filter((n): n is string => n !== undefined);
  }

  async deliveries(actor: Principal, webhookId: string, after: { createdAt: Date; id: string } | null, take: number, status?: WebhookDeliveryRecord['status'] | null) {
    const webhook = await this.owned(actor, webhookId);
    return this.store.deliveries(webhook.id, after, take, status);
  }

  async countDeliveries(actor: Principal, webhookId: string, status?: WebhookDeliveryRecord['status'] | null): Promise<number> {
    const webhook = await this.owned(actor, webhookId);
    return this.store.countDeliveries(webhook.id, status);
  }

  async delivery(actor: Principal, id: string): Promise<WebhookDeliveryRecord | null> {
    const delivery = await this.store.findDelivery(id);
    if (!delivery) return null;
    return (await this.get(actor, delivery.webhookId)) ? delivery : null;
  }

  /**
   * Sends a ping now (not queued) and answers its logged delivery. A PUBLISHER must still read each
   * of the webhook's registries (its token may have been narrowed since; deliveries check the owner).
   */
  async test(actor: Principal, id: string): Promise<WebhookDeliveryRecord> {
    const webhook = await this.owned(actor, id);
    if (actor.role !== 'ADMIN') {
      const readable = new Set((await this.registries.list(actor)).map((r) => r.id));
      if (webhook.registryIds.length === 0 || webhook.registryIds.some((r) => !readable.has(r))) {
        throw new ForbiddenError(`The token "${actor.name}" may no longer read every registry of webhook "${id}": it is not tested.`);
      }
    }
    const deliveryId = await this.store.createPing(webhook.id, this.dispatcher.owner, this.dispatcher.leaseMs);
    await this.dispatcher.deliver({ id: deliveryId, attempts: 1, webhook, event: null });
    return (await this.store.findDelivery(deliveryId))!;
  }

  /** Queues a delivery again (attempts from zero); the dispatcher sends it as soon as its pack's earlier events are done. */
  async redeliver(actor: Principal, deliveryId: string): Promise<WebhookDeliveryRecord> {
    const delivery = await this.delivery(actor, deliveryId);
    if (!delivery) throw new NotFoundError(`Webhook delivery "${deliveryId}" does not exist.`);
    if (delivery.eventId === null) throw new InvalidInputError('A ping is not redelivered: call testWebhook again.', { field: 'deliveryId' });
    const queued = await this.store.redeliver(delivery.id);
    this.dispatcher.wake();
    return queued!;
  }

  private manages(actor: Principal, webhook: WebhookRecord): boolean {
    return actor.role === 'ADMIN' || webhook.owner === profileOwnerOf(actor);
  }

  /** A webhook the caller manages; NOT_FOUND otherwise (another owner's webhook does not exist for it). */
  private async owned(actor: Principal, id: string): Promise<WebhookRecord> {
    const found = await this.get(actor, id);
    if (!found) throw new NotFoundError(`Webhook "${id}" does not exist.`);
    return found;
  }

  /** The columns `input` sets, checked; `current` is the webhook being updated (null: a new one). */
  private async writeOf(actor: Principal, input: WebhookInput, current: WebhookRecord | null): Promise<Partial<WebhookWrite>> {
    const write: Partial<WebhookWrite> = {};
    const insecure = input.insecure ?? current?.insecure ?? false;
    if (input.insecure != null) write.insecure = input.insecure;
    if (input.url != null || (current && input.insecure != null)) {
      write.url = (await checkWebhookUrl(input.url ?? current!.url, insecure, this.urlRules, 'input.url')).href;
    }
    if (input.secret != null) {
      if (input.secret.length < MIN_SECRET || input.secret.length > MAX_SECRET) {
        throw new InvalidInputError(`secret must be ${MIN_SECRET} to ${MAX_SECRET} characters.`, { field: 'input.secret' });
      }
      write.secret = Buffer.from(this.secrets.seal(input.secret));
    }
    if (input.events != null) {
      const unknown = input.events.filter((e) => !CATALOG_EVENT_TYPES.includes(e));
      if (unknown.length > 0) throw new InvalidInputError(`Unknown event types: ${unknown.join(', ')}.`, { field: 'input.events' });
      write.events = [...new Set(input.events)];
    }
    if (input.packs != null) {
      if (input.packs.length > MAX_NAMES || input.packs.some((p) => p.length === 0 || p.length > 200)) {
        throw new InvalidInputError(`packs names at most ${MAX_NAMES} pack names.`, { field: 'input.packs' });
      }
      write.packs = [...new Set(input.packs)];
    }
    if (input.format != null) write.format = input.format;
    if (input.enabled != null) write.enabled = input.enabled;
    if (input.registries != null || !current) {
      write.registryIds = await this.registryIdsOf(actor, input.registries ?? []);
    }
    return current ? write : { insecure, format: 'JSON', events: [], packs: [], enabled: true, ...write };
  }

  /**
   * The ids of the named registries, each one the caller may see; a PUBLISHER names at least one,
   * each one it may publish to (its webhooks never see other registries' events).
   */
  private async registryIdsOf(actor: Principal, names: readonly string[]): Promise<string[]> {
    if (names.length > MAX_NAMES) throw new InvalidInputError(`registries names at most ${MAX_NAMES} registries.`, { field: 'input.registries' });
    if (actor.role !== 'ADMIN' && names.length === 0) {
      throw new InvalidInputError('A PUBLISHER\'s webhook names the registries it watches (ones its token may publish to).', { field: 'input.registries' });
    }
    const ids: string[] = [];
    for (const name of new Set(names)) {
      if (actor.role !== 'ADMIN') assertCanPublish(actor, name);
      const registry = await this.registries.find(actor, name);
      if (!registry) throw new NotFoundError(`Registry "${name}" does not exist.`);
      ids.push(registry.id);
    }
    return ids;
  }
}
