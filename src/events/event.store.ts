/**
 * The transactional outbox (the CatalogEvent table): the only SQL on it. A write path records its
 * events with `recordEvents(tx, ...)` inside its own transaction, so an event exists exactly when
 * its change committed (a refused or rolled-back write leaves none). One multi-row INSERT per call,
 * whatever the number of events (a sync batch records its whole batch in one statement), and a
 * `pg_notify('catalog_events', id)` per row in the same statement: PostgreSQL delivers
 * notifications on commit only, so a listener never hears of an event it can't read yet.
 */
import { Prisma } from '../generated/prisma/client.js';
import type { Db } from '../platform/database.js';
import {
  CATALOG_EVENTS_CHANNEL,
  type CatalogEventFilter,
  type CatalogEventInput,
  type CatalogEventRecord,
  type InvalidatedVersion,
  type ProfileUse,
} from './event.model.js';

/** Any Prisma handle that can run a statement: a transaction (the write path's own) or the client. */
export type EventTx = Pick<Prisma.TransactionClient, '$queryRaw' | '$executeRaw'>;

/** Records one event in the caller's transaction. */
export function recordEvent(tx: EventTx, event: CatalogEventInput): Promise<void> {
  return recordEvents(tx, [event]);
}

/** Records events in the caller's transaction, in order: one statement for all of them. */
export async function recordEvents(tx: EventTx, events: readonly CatalogEventInput[]): Promise<void> {
  if (events.length === 0) return;
  const rows = events.map(
    (e, i) =>
      Prisma.sql`(${i}::int, ${e.type}::text, ${e.registryId ?? null}::uuid, ${e.pack ?? null}::text, ${e.version ?? null}::text, ${JSON.stringify(e.data ?? {})}::jsonb)`,
  );
  // The registry's name is copied onto the event (read in the same statement): an event keeps saying
  // where it happened after the registry is renamed or deleted.
  await tx.$queryRaw`
    WITH input (ord, type, "registryId", pack, version, data) AS (VALUES ${Prisma.join(rows)}),
    inserted AS (
      INSERT INTO "CatalogEvent" (type, "registryId", "registryName", pack, version, data)
      SELECT i.type::"CatalogEventType", i."registryId", r.name, i.pack, i.version, i.data
      FROM input i LEFT JOIN "Registry" r ON r.id = i."registryId"
      ORDER BY i.ord
      RETURNING id
    )
    SELECT count(pg_notify(${CATALOG_EVENTS_CHANNEL}, id::text))::int AS notified FROM inserted`;
}

/**
 * Who is hurt when a version goes away or is deprecated: the saved profiles that use it. The
 * profiles feature answers (its repository owns those tables); the composition root plugs it in.
 */
export interface ProfileUsageReader {
  profilesUsing(tx: EventTx, versions: readonly InvalidatedVersion[]): Promise<ProfileUse[]>;
}

/** What catalog and registry writers call: records events, and PROFILE_INVALIDATED for the profiles a change breaks. */
export interface EventRecorder {
  /**
   * Records `events` and, for each saved profile using one of `invalidated`, a PROFILE_INVALIDATED
   * event, all in `tx` (one lookup when `invalidated` is not empty, a second when one was deprecated
   * or disabled, then one insert).
   */
  record(tx: EventTx, events: readonly CatalogEventInput[], invalidated?: readonly InvalidatedVersion[]): Promise<void>;
}

/** The recorder for a composition: without a profile reader (tools, tests of one store) no profile is looked up. */
export function eventRecorder(profiles?: ProfileUsageReader): EventRecorder {
  return {
    async record(tx, events, invalidated = []) {
      const uses = profiles && invalidated.length > 0 ? await profiles.profilesUsing(tx, invalidated) : [];
      const hits = uses.map((use): CatalogEventInput => {
        const v = invalidated[use.of];
        return {
          type: 'PROFILE_INVALIDATED',
          registryId: v.registryId,
          pack: v.pack,
          version: v.version,
          data: { profile: { name: use.name, version: use.version }, layerIndex: use.layerIndex, reason: v.reason },
        };
      });
      await recordEvents(tx, [...events, ...hits]);
    },
  };
}

interface EventRow {
  id: bigint;
  type: CatalogEventRecord['type'];
  occurredAt: Date;
  registryId: string | null;
  registryName: string | null;
  pack: string | null;
  version: string | null;
  data: unknown;
}

/** Reads and prunes the outbox. */
export class EventStore {
  constructor(private readonly prisma: Db) {}

  /**
   * Up to `limit` events after `cursor` (an event id; null: from the oldest kept), oldest first,
   * matching `filter`. `before` bounds the window from above (exclusive), `backward` reads its
   * newest end first (the rows come back oldest first all the same).
   */
  async listEventsAfter(
    cursor: string | null,
    filter: CatalogEventFilter,
    limit: number,
    options: { before?: string | null; backward?: boolean } = {},
  ): Promise<CatalogEventRecord[]> {
    const where = whereOf(filter, cursor, options.before ?? null);
    const rows = options.backward
      ? await this.prisma.$queryRaw<EventRow[]>`SELECT * FROM "CatalogEvent" WHERE ${where} ORDER BY id DESC LIMIT ${limit}`
      : await this.prisma.$queryRaw<EventRow[]>`SELECT * FROM "CatalogEvent" WHERE ${where} ORDER BY id LIMIT ${limit}`;
    const records = rows.map(recordOf);
    return options.backward ? records.reverse() : records;
  }

  async find(id: string): Promise<CatalogEventRecord | null> {
    if (!/^\d{1,19}$/.test(id)) return null;
    const [row] = await this.prisma.$queryRaw<EventRow[]>`SELECT * FROM "CatalogEvent" WHERE id = ${BigInt(id)}`;
    return row ? recordOf(row) : null;
  }

  async count(filter: CatalogEventFilter): Promise<number> {
    const [row] = await this.prisma.$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM "CatalogEvent" WHERE ${whereOf(filter, null, null)}`;
    return row?.n ?? 0;
  }

  /** Deletes events older than `cutoff`, at most `batch` at a time (short transactions); answers how many went. */
  async deleteOlderThan(cutoff: Date, batch = 5_000): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.prisma.$executeRaw`
        DELETE FROM "CatalogEvent" WHERE id IN (SELECT id FROM "CatalogEvent" WHERE "occurredAt" < ${cutoff} ORDER BY id LIMIT ${batch})`;
      total += deleted;
      if (deleted < batch) return total;
    }
  }
}

function whereOf(filter: CatalogEventFilter, after: string | null, before: string | null): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (after !== null) parts.push(Prisma.sql`id > ${BigInt(after)}`);
  if (before !== null) parts.push(Prisma.sql`id < ${BigInt(before)}`);
  if (filter.types && filter.types.length > 0) parts.push(Prisma.sql`type::text = ANY(${[...filter.types]}::text[])`);
  if (filter.registryIds) parts.push(Prisma.sql`"registryId" = ANY(${[...filter.registryIds]}::uuid[])`);
  if (filter.packs && filter.packs.length > 0) parts.push(Prisma.sql`pack = ANY(${[...filter.packs]}::text[])`);
  return Prisma.join(parts, ' AND ');
}

function recordOf(row: EventRow): CatalogEventRecord {
  return {
    id: row.id.toString(),
    type: row.type,
    occurredAt: row.occurredAt,
    registryId: row.registryId,
    registryName: row.registryName,
    pack: row.pack,
    version: row.version,
    data: (row.data ?? {}) as Record<string, unknown>,
  };
}
