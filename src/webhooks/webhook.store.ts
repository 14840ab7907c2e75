/**
 * The only SQL on Webhook and WebhookDelivery. Deliveries are created by the fan-out trigger on
 * CatalogEvent (migration `webhooks`), claimed here by dispatchers with FOR UPDATE SKIP LOCKED under
 * a lease, and finished by the claimer only while it still holds the lease.
 */
import { Prisma } from '../generated/prisma/client.js';
import type { Db } from '../platform/database.js';
import type { CatalogEventRecord, CatalogEventType } from '../events/event.model.js';
import type { WebhookDeliveryRecord, WebhookDeliveryStatus, WebhookFormat, WebhookRecord } from './webhook.model.js';

export interface WebhookWrite {
  url: string;
  events: CatalogEventType[];
  registryIds: string[];
  packs: string[];
  format: WebhookFormat;
  secret: Uint8Array<ArrayBuffer>;
  insecure: boolean;
  enabled: boolean;
}

/** A delivery a dispatcher claimed: what it needs to send it. */
export interface ClaimedDelivery {
  id: string;
  attempts: number;
  webhook: Pick<WebhookRecord, 'id' | 'url' | 'format' | 'secret' | 'insecure' | 'owner'>;
  /** Null for a ping. */
  event: CatalogEventRecord | null;
}

/** How one attempt ended. `retryAt` null with `delivered` false: the last attempt failed (the webhook is marked failing). */
export interface AttemptOutcome {
  delivered: boolean;
  responseStatus: number | null;
  latencyMs: number;
  responseBody: string | null;
  error: string | null;
  retryAt: Date | null;
  /** Not sent: the owner's rights refused it (`error` says why); recorded SKIPPED, never retried. */
  skipped?: boolean;
}

const MAX_ERROR_LENGTH = 500;

interface ClaimRow {
  id: string;
  attempts: number;
  webhookId: string;
  url: string;
  format: WebhookFormat;
  secret: Uint8Array;
  insecure: boolean;
  owner: string;
  eventId: bigint | null;
  type: CatalogEventType | null;
  occurredAt: Date | null;
  registryId: string | null;
  registryName: string | null;
  pack: string | null;
  version: string | null;
  data: unknown;
}

export class WebhookStore {
  constructor(private readonly prisma: Db) {}

  create(write: WebhookWrite, owner: string, createdBy: string): Promise<WebhookRecord> {
    return this.prisma.webhook.create({ data: { ...write, owner, createdBy } }) as Promise<WebhookRecord>;
  }

  update(id: string, write: Partial<WebhookWrite>): Promise<WebhookRecord> {
    return this.prisma.webhook.update({ where: { id }, data: write }) as Promise<WebhookRecord>;
  }

  async delete(id: string): Promise<boolean> {
    const { count } = await this.prisma.webhook.deleteMany({ where: { id } });
    return count > 0;
  }

  find(id: string): Promise<WebhookRecord | null> {
    return this.prisma.webhook.findUnique({ where: { id } }) as Promise<WebhookRecord | null>;
  }

  /** How many webhooks `owner` holds. */
  countOf(owner: string): Promise<number> {
    return this.prisma.webhook.count({ where: { owner } });
  }

  /** Webhooks of `owner` (every one when null), oldest first. */
  list(owner: string | null): Promise<WebhookRecord[]> {
    return this.prisma.webhook.findMany({ where: owner === null ? {} : { owner }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }) as Promise<WebhookRecord[]>;
  }

  findDelivery(id: string): Promise<WebhookDeliveryRecord | null> {
    return this.prisma.webhookDelivery.findUnique({ where: { id } }).then((row) => (row ? deliveryOf(row) : null));
  }

  /** A webhook's deliveries, newest first, after the position (createdAt, id) of the previous page. */
  async deliveries(webhookId: string, after: { createdAt: Date; id: string } | null, take: number, status?: WebhookDeliveryStatus | null): Promise<WebhookDeliveryRecord[]> {
    const rows = await this.prisma.webhookDelivery.findMany({
      where: {
        webhookId,
        ...(status ? { status } : {}),
        ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take,
    });
    return rows.map(deliveryOf);
  }

  /**
   * Claims up to `limit` due deliveries for `owner` until `leaseMs` from now: PENDING, due, not
   * leased (or its lease expired: a replica died mid-delivery), of an enabled webhook, and the
   * oldest pending of its webhook and order key (a newer event for the same pack waits until the
   * older one is delivered or given up). SKIP LOCKED: replicas claiming at once take different rows.
   */
  async claimDue(owner: string, leaseMs: number, limit: number): Promise<ClaimedDelivery[]> {
    if (limit <= 0) return [];
    const rows = await this.prisma.$queryRaw<ClaimRow[]>`
      WITH due AS (
        SELECT d.id FROM "WebhookDelivery" d
        JOIN "Webhook" w ON w.id = d."webhookId" AND w.enabled
        WHERE d.status = 'PENDING' AND d."nextAttemptAt" <= now() AND (d."leaseUntil" IS NULL OR d."leaseUntil" < now())
          AND NOT EXISTS (
            SELECT 1 FROM "WebhookDelivery" o
            WHERE o."webhookId" = d."webhookId" AND o."orderKey" = d."orderKey" AND o.status = 'PENDING' AND o."eventId" < d."eventId")
        ORDER BY d."nextAttemptAt", d."eventId"
        LIMIT ${limit}
        FOR UPDATE OF d SKIP LOCKED
      ), claimed AS (
        UPDATE "WebhookDelivery" d
        SET "leaseOwner" = ${owner}, "leaseUntil" = now() + make_interval(secs => ${leaseMs / 1000}), attempts = d.attempts + 1, "lastAttemptAt" = now()
        FROM due WHERE d.id = due.id
        RETURNING d.id, d.attempts, d."webhookId", d."eventId"
      )
      SELECT c.id::text AS id, c.attempts, c."webhookId"::text AS "webhookId", w.url, w.format::text AS format, w.secret, w.insecure, w.owner,
        e.id AS "eventId", e.type::text AS type, e."occurredAt", e."registryId"::text AS "registryId", e."registryName", e.pack, e.version, e.data
      FROM claimed c JOIN "Webhook" w ON w.id = c."webhookId" LEFT JOIN "CatalogEvent" e ON e.id = c."eventId"
      ORDER BY e.id`;
    return rows.map((r) => ({
      id: r.id,
      attempts: r.attempts,
      webhook: { id: r.webhookId, url: r.url, format: r.format, secret: r.secret, insecure: r.insecure, owner: r.owner },
      event:
        r.eventId === null
          ? null
          : {
              id: r.eventId.toString(),
              type: r.type!,
              occurredAt: r.occurredAt!,
              registryId: r.registryId,
              registryName: r.registryName,
              pack: r.pack,
              version: r.version,
              data: (r.data ?? {}) as Record<string, unknown>,
            },
    }));
  }

  /**
   * Records attempts' outcomes, each only while `owner` still holds its lease (a replica that lost it
   * records nothing: the new holder's attempt counts), in one statement for the lot (the dispatcher
   * groups the outcomes that finish together). A delivery clears its webhook's failing mark; a last
   * failed attempt of an event sets it (a failed ping does not). Answers the ids recorded.
   */
  async finish(owner: string, outcomes: ReadonlyArray<{ id: string; outcome: AttemptOutcome }>): Promise<Set<string>> {
    if (outcomes.length === 0) return new Set();
    const statusOf = (o: AttemptOutcome): WebhookDeliveryStatus => (o.skipped ? 'SKIPPED' : o.delivered ? 'DELIVERED' : o.retryAt ? 'PENDING' : 'FAILED');
    const col = <T>(pick: (o: AttemptOutcome) => T) => outcomes.map((x) => pick(x.outcome));
    const rows = await this.prisma.$queryRaw<Array<{ id: string }>>`
      WITH input AS (
        SELECT * FROM unnest(${outcomes.map((x) => x.id)}::uuid[], ${col(statusOf)}::text[], ${col((o) => o.responseStatus)}::int[],
          ${col((o) => o.latencyMs)}::int[], ${col((o) => o.responseBody)}::text[], ${col((o) => o.error?.slice(0, MAX_ERROR_LENGTH) ?? null)}::text[],
          ${col((o) => o.retryAt)}::timestamptz[]) AS i(id, status, code, latency, body, error, retry)
      ), d AS (
        UPDATE "WebhookDelivery" x SET status = i.status::"WebhookDeliveryStatus", "leaseOwner" = NULL, "leaseUntil" = NULL,
          "responseStatus" = i.code, "latencyMs" = i.latency, "responseBody" = i.body, error = i.error,
          "nextAttemptAt" = COALESCE(i.retry, x."nextAttemptAt"),
          "deliveredAt" = CASE WHEN i.status = 'DELIVERED' THEN now() END
        FROM input i WHERE x.id = i.id AND x."leaseOwner" = ${owner}
        RETURNING x.id, x."webhookId", i.status, x."eventId" IS NULL AS ping
      ), failed AS (
        UPDATE "Webhook" h SET failing = true, "failingSince" = COALESCE(h."failingSince", now())
        WHERE h.id IN (SELECT "webhookId" FROM d WHERE status = 'FAILED' AND NOT ping)
        RETURNING h.id
      ), recovered AS (
        UPDATE "Webhook" h SET failing = false, "failingSince" = NULL
        WHERE h.failing AND h.id IN (SELECT "webhookId" FROM d WHERE status = 'DELIVERED')
          AND h.id NOT IN (SELECT "webhookId" FROM d WHERE status = 'FAILED' AND NOT ping)
        RETURNING h.id
      )
      SELECT id::text AS id FROM d`;
    return new Set(rows.map((r) => r.id));
  }

  /** A ping delivery, leased to `owner` at once (it is sent by the caller, not a dispatcher). */
  async createPing(webhookId: string, owner: string, leaseMs: number): Promise<string> {
    const row = await this.prisma.webhookDelivery.create({
      data: { webhookId, orderKey: 'ping', attempts: 1, lastAttemptAt: new Date(), leaseOwner: owner, leaseUntil: new Date(Date.now() + leaseMs) },
      select: { id: true },
    });
    return row.id;
  }

  /** Sends a delivery again: PENDING, due now, attempts from zero (answered as written: a dispatcher may claim it at once). */
  async redeliver(id: string): Promise<WebhookDeliveryRecord | null> {
    const rows = await this.prisma.webhookDelivery.updateManyAndReturn({
      where: { id, eventId: { not: null } },
      data: { status: 'PENDING', attempts: 0, nextAttemptAt: new Date(), leaseOwner: null, leaseUntil: null, deliveredAt: null },
    });
    return rows[0] ? deliveryOf(rows[0]) : null;
  }

  countDeliveries(webhookId: string, status?: WebhookDeliveryStatus | null): Promise<number> {
    return this.prisma.webhookDelivery.count({ where: { webhookId, ...(status ? { status } : {}) } });
  }

  /** Pings (deliveries of no event) older than `cutoff`: event deliveries go with their event. */
  async deletePingsOlderThan(cutoff: Date): Promise<number> {
    const { count } = await this.prisma.webhookDelivery.deleteMany({ where: { eventId: null, createdAt: { lt: cutoff } } });
    return count;
  }

  /** The deliveries still to go (tests and benches wait on it). */
  pendingCount(webhookId: string): Promise<number> {
    return this.prisma.webhookDelivery.count({ where: { webhookId, status: 'PENDING' } });
  }
}

/** A delivery row (its event id a bigint, as stored) as the record; only the record's fields are copied (not the lease). */
function deliveryOf(row: Omit<WebhookDeliveryRecord, 'eventId'> & { eventId: bigint | null }): WebhookDeliveryRecord {
  return {
    id: row.id,
    webhookId: row.webhookId,
    eventId: row.eventId === null ? null : row.eventId.toString(),
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    lastAttemptAt: row.lastAttemptAt,
    responseStatus: row.responseStatus,
    latencyMs: row.latencyMs,
    responseBody: row.responseBody,
    error: row.error,
    createdAt: row.createdAt,
    deliveredAt: row.deliveredAt,
  };
}
