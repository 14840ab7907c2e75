/** The body of a delivery: the event as JSON, or a CloudEvents 1.0 structured event around it. Pure. */
import type { CatalogEventRecord } from '../events/event.model.js';
import type { WebhookFormat } from './webhook.model.js';

/** What a delivery says about its event (and which delivery it is: receivers deduplicate on `deliveryId`). */
export interface DeliveryBody {
  /** The event's global id (the same as CatalogEvent.id in the API), or null for a ping. */
  id: string | null;
  type: string;
  occurredAt: string;
  registry: string | null;
  pack: string | null;
  version: string | null;
  data: Record<string, unknown>;
  webhookId: string;
  deliveryId: string;
}

export interface RenderedDelivery {
  contentType: string;
  body: string;
  type: string;
}

/** The event as a delivery says it; `globalId` is the event's API id. */
export function deliveryBodyOf(event: CatalogEventRecord, globalId: string, webhookId: string, deliveryId: string): DeliveryBody {
  return {
    id: globalId,
    type: event.type,
    occurredAt: event.occurredAt.toISOString(),
    registry: event.registryName,
    pack: event.pack,
    version: event.version,
    data: event.data,
    webhookId,
    deliveryId,
  };
}

/** A ping's body (testWebhook). */
export function pingBodyOf(webhookId: string, deliveryId: string, now: Date): DeliveryBody {
  return { id: null, type: 'PING', occurredAt: now.toISOString(), registry: null, pack: null, version: null, data: {}, webhookId, deliveryId };
}

/**
 * The bytes sent. CloudEvents 1.0 structured mode: `specversion`, `id` (the delivery's event, or the
 * ping's delivery id), `source` (this service and the registry), `type` in reverse-DNS style,
 * `subject` (pack@version), `time`, `datacontenttype` and the JSON body as `data`.
 */
export function renderDelivery(body: DeliveryBody, format: WebhookFormat, source: string): RenderedDelivery {
  if (format === 'JSON') return { contentType: 'application/json', body: JSON.stringify(body), type: body.type };
  const cloudEvent = {
    specversion: '1.0',
    id: body.id ?? body.deliveryId,
    source: body.registry ? `${source}/registries/${encodeURIComponent(body.registry)}` : source,
    type: `io.packcatalog.${body.type.toLowerCase()}`,
    ...(body.pack ? { subject: body.version ? `${body.pack}@${body.version}` : body.pack } : {}),
    time: body.occurredAt,
    datacontenttype: 'application/json',
    data: body,
  };
  return { contentType: 'application/cloudevents+json', body: JSON.stringify(cloudEvent), type: body.type };
}
