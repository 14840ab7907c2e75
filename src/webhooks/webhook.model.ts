/** Webhooks: HTTP endpoints told of catalog events (src/events/), their deliveries and the rules' inputs. */
import type { CatalogEventType } from '../events/event.model.js';

export type WebhookFormat = 'JSON' | 'CLOUDEVENTS';
/** SKIPPED: not sent, not retried, because the webhook's owner may no longer read the event's registry. */
export type WebhookDeliveryStatus = 'PENDING' | 'DELIVERED' | 'FAILED' | 'SKIPPED';

/** A stored webhook, its secret still sealed. */
export interface WebhookRecord {
  id: string;
  url: string;
  events: CatalogEventType[];
  registryIds: string[];
  packs: string[];
  format: WebhookFormat;
  secret: Uint8Array;
  insecure: boolean;
  enabled: boolean;
  failing: boolean;
  failingSince: Date | null;
  owner: string;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface WebhookDeliveryRecord {
  id: string;
  webhookId: string;
  /** Null for a ping. */
  eventId: string | null;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastAttemptAt: Date | null;
  responseStatus: number | null;
  latencyMs: number | null;
  responseBody: string | null;
  error: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

export interface WebhookInput {
  url?: string | null;
  events?: readonly CatalogEventType[] | null;
  /** Registry names. */
  registries?: readonly string[] | null;
  packs?: readonly string[] | null;
  secret?: string | null;
  format?: WebhookFormat | null;
  insecure?: boolean | null;
  enabled?: boolean | null;
}

/** How the dispatcher retries and bounds its work (WEBHOOK_* in config.ts). */
export interface DeliveryPolicy {
  timeoutMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  concurrency: number;
}

/** The signature header's name; its value is `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const SIGNATURE_HEADER = 'x-packcatalog-signature';

/** How much of a receiver's answer the delivery log keeps. */
export const MAX_LOGGED_RESPONSE_BYTES = 1024;
