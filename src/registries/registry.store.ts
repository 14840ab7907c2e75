/**
 * The only SQL on the Registry, SyncRun and SyncItemError tables. Rules (who may read which
 * registry, what a valid registry is, when a lease counts as held) live in the callers: the store
 * takes their filters and values and runs the statements, a transaction where rows must agree.
 */
import type { Db } from '../platform/database.js';
import { Prisma, type Registry } from '../generated/prisma/client.js';
import type { RegistryKind, SyncState } from '../generated/prisma/enums.js';
import type { RegistryWhereInput } from '../generated/prisma/models.js';
import { DEFAULT_REGISTRY_NAME, type SyncRunRecord } from './registry.model.js';
import { eventRecorder, type EventRecorder } from '../events/event.store.js';
import { syncTransitionEvent } from './sync/sync-events.js';

/** A Registry row with every column (lease, schedule and upstream marker included). */
export type RegistryRow = Registry;

/** A filter on Registry rows, such as `readableRegistryWhere(principal)` (the caller's rule). */
export type RegistryFilter = RegistryWhereInput;

export type RegistryCreateData = Prisma.RegistryUncheckedCreateInput;
export type RegistryUpdateData = Prisma.RegistryUncheckedUpdateInput;

/** A run's place in the newest-first order. */
export interface RunPosition {
  createdAt: Date;
  id: string;
}

/** The positions a page of runs lies between (exclusive); null: that end of the list. */
export interface RunWindow {
  after: RunPosition | null;
  before: RunPosition | null;
}

/** What a finished run writes on its registry (the lease is released with it). */
export interface RegistryRunStatus {
  syncState: SyncState;
  syncMessage: string | null;
  lastSuccessAt?: Date;
  upstreamMarker?: string | null;
  nextSyncAt?: Date;
}

/** A run's end as recorded: its counts and message, and its item errors. */
export interface FinishedRunData {
  state: SyncState;
  finishedAt: Date;
  message: string | null;
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  artifactsFetched: number;
  itemErrors: Array<{ item: string; message: string }>;
}

/**
 * Told after a write that changes what the catalog shows of a registry (its rows, priority,
 * visibility, sync status) commits: the catalog's read caches drop their pages (CatalogChanges,
 * wired by the composition root; declared here so registries need not import the catalog).
 */
export interface RegistryChangeNotifier {
  changed(): void;
}

export class RegistryStore {
  constructor(
    private readonly prisma: Db,
    private readonly changes: RegistryChangeNotifier = { changed: () => undefined },
    /** Records SYNC_FAILED / SYNC_RECOVERED in the transaction that finishes a run. */
    private readonly events: EventRecorder = eventRecorder(),
  ) {}

  list(filter: RegistryFilter): Promise<RegistryRow[]> {
    return this.prisma.registry.findMany({ where: filter, orderBy: [{ priority: 'desc' }, { name: 'asc' }] });
  }

  findByName(name: string): Promise<RegistryRow | null> {
    return this.prisma.registry.findUnique({ where: { name } });
  }

  /** The registry called `name` if `filter` lets it through. */
  findByNameWhere(name: string, filter: RegistryFilter): Promise<RegistryRow | null> {
    return this.prisma.registry.findFirst({ where: { AND: [{ name }, filter] } });
  }

  findByIds(ids: readonly string[], filter: RegistryFilter): Promise<RegistryRow[]> {
    return this.prisma.registry.findMany({ where: { AND: [{ id: { in: [...ids] } }, filter] } });
  }

  /** Rejects with Prisma's P2002 when the name is taken (a concurrent create). */
  async create(data: RegistryCreateData): Promise<RegistryRow> {
    const row = await this.prisma.registry.create({ data });
    this.changes.changed();
    return row;
  }

  async update(id: string, data: RegistryUpdateData): Promise<RegistryRow> {
    const row = await this.prisma.registry.update({ where: { id }, data });
    this.changes.changed();
    return row;
  }

  /** Its packs, versions and runs go with it (cascades); the artifacts they used become garbage for the collector. */
  async delete(id: string): Promise<void> {
    await this.prisma.registry.delete({ where: { id } });
    this.changes.changed();
  }

  /**
   * The built-in DEFAULT registry row, created if missing, never changed if present. Replicas (and
   * test apps) starting together race here: Prisma's upsert reads then inserts, so two of them can
   * both insert; ON CONFLICT DO NOTHING (skipDuplicates) lets the loser read the winner's row.
   */
  async ensureDefault(): Promise<RegistryRow> {
    const { count } = await this.prisma.registry.createMany({
      data: [{ name: DEFAULT_REGISTRY_NAME, kind: 'DEFAULT', priority: -100, syncState: 'NEVER' }],
      skipDuplicates: true,
    });
    if (count > 0) this.changes.changed();
    return this.prisma.registry.findUniqueOrThrow({ where: { name: DEFAULT_REGISTRY_NAME } });
  }

  /** Registries of `kinds` whose next sync time has passed (or was never set) and whose lease is free or expired. */
  async dueForSync(kinds: readonly RegistryKind[], limit: number, now: Date): Promise<string[]> {
    const rows = await this.prisma.registry.findMany({
      where: {
        kind: { in: [...kinds] },
        AND: [
          // Never scheduled yet (a registry made before the scheduler existed) counts as due.
          { OR: [{ nextSyncAt: null }, { nextSyncAt: { lte: now } }] },
          { OR: [{ leaseOwner: null }, { leaseExpiresAt: null }, { leaseExpiresAt: { lt: now } }] },
        ],
      },
      orderBy: { nextSyncAt: 'asc' },
      take: limit,
      select: { name: true },
    });
    return rows.map((r) => r.name);
  }

  /**
   * Takes the registry's lease for `owner` when it is free or expired, and in the same transaction
   * ends the runs still RUNNING (they belonged to the holder whose lease expired) with
   * `abandonedMessage` and creates the new RUNNING run: a competitor that loses the claim always
   * finds the winner's run. Null when someone else holds a live lease.
   */
  async claimLease(
    registryId: string,
    claim: { owner: string; ttlMs: number; abandonedMessage: string; force: boolean; trigger: string },
  ): Promise<SyncRunRecord | null> {
    const ttlSeconds = claim.ttlMs / 1000;
    const run = await this.prisma.$transaction(async (tx) => {
      // The database's clock decides expiry: replicas' clocks may disagree.
      const claimed = await tx.$queryRaw<Array<{ id: string }>>`
        UPDATE "Registry"
        SET "leaseOwner" = ${claim.owner}, "leaseExpiresAt" = now() + make_interval(secs => ${ttlSeconds}::double precision)
        WHERE id = ${registryId}::uuid
          AND ("leaseOwner" IS NULL OR "leaseExpiresAt" IS NULL OR "leaseExpiresAt" < now())
        RETURNING id`;
      if (claimed.length === 0) return null;
      await tx.syncRun.updateMany({
        where: { registryId, state: 'RUNNING' },
        data: { state: 'FAILED', finishedAt: new Date(), message: claim.abandonedMessage },
      });
      const now = new Date();
      await tx.registry.update({ where: { id: registryId }, data: { syncState: 'RUNNING', lastRunAt: now } });
      return tx.syncRun.create({ data: { registryId, state: 'RUNNING', force: claim.force, trigger: claim.trigger, startedAt: now } });
    });
    // The registry's sync state (RUNNING) shows in catalog answers too.
    if (run) this.changes.changed();
    return run;
  }

  /** Extends `owner`'s lease by `ttlMs` from now; false when `owner` no longer holds it. */
  async renewLease(registryId: string, owner: string, ttlMs: number): Promise<boolean> {
    const ttlSeconds = ttlMs / 1000;
    const renewed = await this.prisma.$queryRaw<Array<{ id: string }>>`
      UPDATE "Registry" SET "leaseExpiresAt" = now() + make_interval(secs => ${ttlSeconds}::double precision)
      WHERE id = ${registryId}::uuid AND "leaseOwner" = ${owner}
      RETURNING id`;
    return renewed.length > 0;
  }

  findRun(id: string): Promise<SyncRunRecord | null> {
    return this.prisma.syncRun.findUnique({ where: { id } });
  }

  /** The newest RUNNING run of a registry. */
  findRunningRun(registryId: string): Promise<SyncRunRecord | null> {
    return this.prisma.syncRun.findFirst({ where: { registryId, state: 'RUNNING' }, orderBy: { createdAt: 'desc' } });
  }

  /**
   * Records a run's end, its item errors and, when `status` is given, the registry's status with
   * the lease released: only if `owner` still holds the lease (one that lost it leaves the status
   * to the new holder). One transaction.
   */
  async finishRun(runId: string, data: FinishedRunData, status: { registryId: string; owner: string; data: RegistryRunStatus } | null): Promise<SyncRunRecord> {
    const { itemErrors, ...run } = data;
    const recorded = await this.prisma.$transaction(async (tx) => {
      if (itemErrors.length > 0) await tx.syncItemError.createMany({ data: itemErrors.map((e) => ({ runId, item: e.item, message: e.message })) });
      const finished = await tx.syncRun.update({ where: { id: runId }, data: run });
      // SYNC_FAILED / SYNC_RECOVERED when this run differs from the one before (state or failed items): in this transaction.
      const previous = await tx.syncRun.findFirst({
        where: { registryId: finished.registryId, id: { not: runId }, finishedAt: { not: null } },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        select: { id: true, state: true, message: true, errors: { select: { item: true } } },
      });
      const event = syncTransitionEvent(
        finished.registryId,
        previous ? { id: previous.id, state: previous.state, message: previous.message, items: previous.errors.map((e) => e.item) } : null,
        { id: runId, state: finished.state, message: finished.message, items: itemErrors.map((e) => e.item) },
      );
      if (event) await this.events.record(tx, [event]);
      if (status) {
        await tx.registry.updateMany({
          where: { id: status.registryId, leaseOwner: status.owner },
          data: { ...status.data, leaseOwner: null, leaseExpiresAt: null },
        });
      }
      return finished;
    });
    if (status) this.changes.changed();
    return recorded;
  }

  /**
   * Up to `take` runs of one registry, newest first, strictly between two positions (createdAt,
   * id); `backward` reads from the `before` end (the rows come back newest first all the same).
   */
  async runsPage(registryId: string, window: RunWindow, take: number, backward: boolean): Promise<SyncRunRecord[]> {
    const older = (p: RunPosition) => ({ OR: [{ createdAt: { lt: p.createdAt } }, { createdAt: p.createdAt, id: { lt: p.id } }] });
    const newer = (p: RunPosition) => ({ OR: [{ createdAt: { gt: p.createdAt } }, { createdAt: p.createdAt, id: { gt: p.id } }] });
    const direction = backward ? 'asc' : 'desc';
    const rows = await this.prisma.syncRun.findMany({
      where: { AND: [{ registryId }, ...(window.after ? [older(window.after)] : []), ...(window.before ? [newer(window.before)] : [])] },
      orderBy: [{ createdAt: direction }, { id: direction }],
      take,
    });
    return backward ? rows.reverse() : rows;
  }

  countRuns(registryId: string): Promise<number> {
    return this.prisma.syncRun.count({ where: { registryId } });
  }

  /** The `last` newest runs of each registry, newest first: one statement for every registry asked. */
  recentRuns(registryIds: readonly string[], last: number): Promise<SyncRunRecord[]> {
    return this.prisma.$queryRaw<SyncRunRecord[]>`
      SELECT r.* FROM (
        SELECT s.*, row_number() OVER (PARTITION BY s."registryId" ORDER BY s."createdAt" DESC) AS rank
        FROM "SyncRun" s WHERE s."registryId" IN (${Prisma.join(registryIds.map((id) => Prisma.sql`${id}::uuid`))})
      ) r WHERE r.rank <= ${last} ORDER BY r."createdAt" DESC`;
  }

  /** The item errors of these runs, by item. */
  itemErrors(runIds: readonly string[]): Promise<Array<{ runId: string; item: string; message: string }>> {
    return this.prisma.syncItemError.findMany({
      where: { runId: { in: [...runIds] } },
      orderBy: { item: 'asc' },
      select: { runId: true, item: true, message: true },
    });
  }
}
