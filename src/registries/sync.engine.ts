/**
 * The sync engine: brings one upstream registry's packs into the catalog.
 *
 * A run: claim the registry's lease in PostgreSQL (one run per registry across every replica),
 * list the upstream, diff by change marker, fetch and ingest what is new or changed (bounded
 * concurrency; one bad item is an item error, never the end of the run), mark what vanished
 * upstream as removed (only after a complete listing), record the SyncRun and the registry's
 * status, release the lease. An upstream that can't be listed ends the run FAILED and leaves the
 * catalog exactly as it was.
 *
 * The lease is a row update (`leaseOwner`, `leaseExpiresAt`), renewed while the run goes on; a
 * replica that dies leaves a lease that expires, and the next claim takes it over (marking the
 * dead replica's run FAILED).
 */
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database.js';
import type { Logger } from '../platform/logger.js';
import type { Metrics } from '../platform/metrics.js';
import type { SyncState } from '../generated/prisma/enums.js';
import type { Registry as RegistryRow } from '../generated/prisma/client.js';
import { ConflictError, InvalidInputError, NotFoundError, UpstreamError, isDomainError } from '../errors.js';
import { assertRole, type Principal } from '../auth/principal.js';
import type { PackIngestService } from '../catalog/pack.ingest.js';
import type { RegistryService } from './registry.service.js';
import { UPSTREAM_KINDS } from './registry.model.js';
import { createRegistryAdapter } from './adapters/index.js';
import type { RegistryAdapter, UpstreamItem, UpstreamListing } from './adapters/adapter.js';
import type { HttpClientOptions } from './adapters/http.js';
import { errorMessage, mapConcurrent } from './adapters/support.js';
import { planSync, versionKey } from './sync.plan.js';

/** A SyncRun row as stored. */
export interface SyncRunRecord {
  id: string;
  registryId: string;
  state: SyncState;
  force: boolean;
  trigger: string;
  startedAt: Date | null;
  finishedAt: Date | null;
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  artifactsFetched: number;
  message: string | null;
  createdAt: Date;
}

export interface SyncEngineDeps {
  prisma: Db;
  registries: RegistryService;
  ingest: PackIngestService;
  metrics: Metrics;
  logger: Logger;
}

export interface SyncEngineOptions {
  /** Where fetched tarballs are written while a run needs them. */
  tmpDir: string;
  /** This replica's lease owner id; unique per engine by default. */
  owner?: string;
  /** How long a claim holds without renewal. Default 2 min. */
  leaseTtlMs?: number;
  /** How often a running sync renews its claim. Default a third of the TTL. */
  leaseRenewMs?: number;
  /** Items fetched and ingested at once. Default 4. */
  fetchConcurrency?: number;
  /** Timeouts, retries and size bounds of upstream requests. */
  http?: HttpClientOptions;
  /** Largest artifact taken from an upstream. Default 100 MiB. */
  maxArtifactBytes?: number;
  /** Largest Helm index.yaml accepted (MAX_HELM_INDEX_BYTES). Default: the adapter's. */
  maxHelmIndexBytes?: number;
  /** After a FAILED run, the next scheduled try comes at most this much later. Default 1 h. */
  failureRetryMs?: number;
  /** Spread of the next sync time, as a fraction of the interval. Default 0.1 (±10 %). */
  jitter?: number;
  /** How long `syncRegistry(wait: true)` waits before answering with the run still RUNNING. Default 2 min. */
  waitTimeoutMs?: number;
}

export interface SyncRequest {
  force?: boolean;
  /** What started the run: `manual`, `schedule`, ... */
  trigger?: string;
}

export interface StartedSync {
  run: SyncRunRecord;
  /** True when this call started the run; false when it found one already running. */
  started: boolean;
  /** Resolves with the finished run. */
  finished: Promise<SyncRunRecord>;
}

const MAX_STORED_ITEM_ERRORS = 500;
const POLL_MS = 500;

class LeaseLostError extends Error {
  constructor() {
    super('Another replica took over this registry\'s sync (the lease expired); this run stopped.');
  }
}

class EngineStoppingError extends Error {
  constructor() {
    super('The service stopped during the sync; the next run will pick up from here.');
  }
}

interface RunCounts {
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  artifactsFetched: number;
}

export class SyncEngine {
  readonly owner: string;
  private readonly options: Required<Omit<SyncEngineOptions, 'owner' | 'http' | 'maxHelmIndexBytes'>> & Pick<SyncEngineOptions, 'http' | 'maxHelmIndexBytes'>;
  private readonly inflight = new Map<string, { controller: AbortController; finished: Promise<SyncRunRecord> }>();
  private stopping = false;

  constructor(
    private readonly deps: SyncEngineDeps,
    options: SyncEngineOptions,
  ) {
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    const leaseTtlMs = options.leaseTtlMs ?? 120_000;
    this.options = {
      tmpDir: options.tmpDir,
      leaseTtlMs,
      leaseRenewMs: options.leaseRenewMs ?? Math.max(1000, Math.floor(leaseTtlMs / 3)),
      fetchConcurrency: options.fetchConcurrency ?? 4,
      maxArtifactBytes: options.maxArtifactBytes ?? 100 * 1024 * 1024,
      failureRetryMs: options.failureRetryMs ?? 60 * 60 * 1000,
      jitter: options.jitter ?? 0.1,
      waitTimeoutMs: options.waitTimeoutMs ?? 120_000,
      http: options.http,
      maxHelmIndexBytes: options.maxHelmIndexBytes,
    };
  }

  /**
   * `syncRegistry`: ADMIN only. Starts a run (or joins the one already running) and, with `wait`,
   * waits for it up to the engine's bound; the answer is the run as it stands then.
   */
  async requestSync(actor: Principal, name: string, options: { force?: boolean; wait?: boolean } = {}): Promise<SyncRunRecord> {
    assertRole(actor, 'ADMIN');
    const started = await this.start(name, { force: options.force, trigger: 'manual' });
    if (options.wait === false) return started.run;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), this.options.waitTimeoutMs);
      timer.unref();
    });
    try {
      return (await Promise.race([started.finished, timeout])) ?? (await this.findRun(started.run.id)) ?? started.run;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs a sync to its end (the scheduler, tests, the CLI). Joins a run already going on. */
  async run(name: string, request: SyncRequest = {}): Promise<SyncRunRecord> {
    return (await this.start(name, request)).finished;
  }

  /**
   * Claims the registry and starts a run in the background; if another run holds the claim,
   * answers with that run instead. CONFLICT when the claim is held but its run is not visible.
   */
  async start(name: string, request: SyncRequest = {}): Promise<StartedSync> {
    if (this.stopping) throw new ConflictError('The service is shutting down; no new syncs start.');
    const registry = await this.deps.prisma.registry.findUnique({ where: { name } });
    if (!registry) throw new NotFoundError(`Registry "${name}" does not exist.`);
    if (!UPSTREAM_KINDS.includes(registry.kind)) {
      throw new InvalidInputError(`The ${registry.kind} registry "${name}" is stored by this service; only upstream registries sync.`, {
        field: 'name',
      });
    }
    const run = await this.claim(registry, request);
    if (!run) {
      const running = await this.deps.prisma.syncRun.findFirst({
        where: { registryId: registry.id, state: 'RUNNING' },
        orderBy: { createdAt: 'desc' },
      });
      if (!running) throw new ConflictError(`A sync of "${name}" is already starting on another replica.`);
      const local = this.inflight.get(running.id);
      return { run: running, started: false, finished: local ? local.finished : this.pollUntilFinished(running.id) };
    }
    const controller = new AbortController();
    // Every in-flight upstream request listens on this one signal (and removes its listener when done):
    // many at once is expected, not a leak.
    setMaxListeners(100, controller.signal);
    const finished = this.execute(registry, run, request, controller).finally(() => this.inflight.delete(run.id));
    this.inflight.set(run.id, { controller, finished });
    return { run, started: true, finished };
  }

  /** Stops starting runs, cancels the ones going on, and waits until they have recorded themselves. */
  async stop(): Promise<void> {
    this.stopping = true;
    const running = [...this.inflight.values()];
    for (const { controller } of running) controller.abort(new EngineStoppingError());
    await Promise.allSettled(running.map((r) => r.finished));
  }

  /** Registries due for a scheduled sync (upstream kinds, `nextSyncAt` passed, not claimed). */
  async dueRegistries(limit: number): Promise<string[]> {
    const now = new Date();
    const rows = await this.deps.prisma.registry.findMany({
      where: {
        kind: { in: [...UPSTREAM_KINDS] },
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

  /** How many runs this engine has going on. */
  get activeRuns(): number {
    return this.inflight.size;
  }

  /**
   * Takes the lease and creates the RUNNING run in one transaction, so a competitor that loses the
   * claim always finds the winner's run. Returns null when someone else holds a live lease.
   */
  private async claim(registry: RegistryRow, request: SyncRequest): Promise<SyncRunRecord | null> {
    const ttlSeconds = this.options.leaseTtlMs / 1000;
    return this.deps.prisma.$transaction(async (tx) => {
      const claimed = await tx.$queryRaw<Array<{ id: string }>>`
        UPDATE "Registry"
        SET "leaseOwner" = ${this.owner}, "leaseExpiresAt" = now() + make_interval(secs => ${ttlSeconds}::double precision)
        WHERE id = ${registry.id}::uuid
          AND ("leaseOwner" IS NULL OR "leaseExpiresAt" IS NULL OR "leaseExpiresAt" < now())
        RETURNING id`;
      if (claimed.length === 0) return null;
      // A run still RUNNING under an expired lease belonged to a replica that died.
      await tx.syncRun.updateMany({
        where: { registryId: registry.id, state: 'RUNNING' },
        data: { state: 'FAILED', finishedAt: new Date(), message: 'Abandoned: the replica running it stopped before finishing.' },
      });
      const now = new Date();
      await tx.registry.update({ where: { id: registry.id }, data: { syncState: 'RUNNING', lastRunAt: now } });
      return tx.syncRun.create({
        data: { registryId: registry.id, state: 'RUNNING', force: request.force ?? false, trigger: request.trigger ?? 'manual', startedAt: now },
      });
    });
  }

  private async renewLease(registryId: string): Promise<boolean> {
    const ttlSeconds = this.options.leaseTtlMs / 1000;
    const renewed = await this.deps.prisma.$queryRaw<Array<{ id: string }>>`
      UPDATE "Registry" SET "leaseExpiresAt" = now() + make_interval(secs => ${ttlSeconds}::double precision)
      WHERE id = ${registryId}::uuid AND "leaseOwner" = ${this.owner}
      RETURNING id`;
    return renewed.length > 0;
  }

  private async execute(registry: RegistryRow, run: SyncRunRecord, request: SyncRequest, controller: AbortController): Promise<SyncRunRecord> {
    const started = Date.now();
    const log = this.deps.logger.child({ registry: registry.name, syncRun: run.id });
    log.info({ kind: registry.kind, force: run.force, trigger: run.trigger }, 'sync started');
    const renewal = setInterval(() => {
      this.renewLease(registry.id).then(
        (held) => {
          if (!held) controller.abort(new LeaseLostError());
        },
        (error) => log.warn({ err: error }, 'lease renewal failed'),
      );
    }, this.options.leaseRenewMs);
    renewal.unref();

    const counts: RunCounts = { added: 0, updated: 0, removed: 0, unchanged: 0, artifactsFetched: 0 };
    const itemErrors: Array<{ item: string; message: string }> = [];
    let state: SyncState;
    let message: string | null = null;
    let upstreamMarker: string | null = null;
    let listed = false;
    let adapter: RegistryAdapter | undefined;
    try {
      let credentials;
      try {
        credentials = this.deps.registries.openCredentials(registry);
      } catch {
        throw new UpstreamError('The stored credentials could not be decrypted (was SECRET_KEY changed?); set them again with updateRegistry.');
      }
      adapter = createRegistryAdapter(registry, credentials, {
        tmpDir: path.join(this.options.tmpDir, run.id),
        http: this.options.http,
        previousMarker: request.force ? null : registry.upstreamMarker,
        maxArtifactBytes: this.options.maxArtifactBytes,
        maxHelmIndexBytes: this.options.maxHelmIndexBytes,
      });
      let listing: UpstreamListing;
      try {
        listing = await adapter.list(controller.signal);
      } catch (error) {
        throw new ListingFailed(error);
      }
      listed = true;
      const outcome = await this.apply(registry, run, listing, adapter, controller.signal, counts, itemErrors, log);
      upstreamMarker = itemErrors.length === 0 ? (listing.upstreamMarker ?? null) : null;
      if (itemErrors.length === 0) {
        state = 'SUCCEEDED';
        message = listing.unchanged && !run.force ? 'The upstream has not changed since the last run.' : null;
      } else if (outcome.attempted > 0 && outcome.attempted === outcome.failed && counts.unchanged === 0 && listing.items.length === outcome.failed) {
        state = 'FAILED';
        message = `Every item failed; the first: ${itemErrors[0].item}: ${itemErrors[0].message}`;
      } else {
        state = 'PARTIAL';
        message = `${itemErrors.length} item(s) could not be synced; the first: ${itemErrors[0].item}: ${itemErrors[0].message}`;
      }
    } catch (error) {
      state = 'FAILED';
      const cause = error instanceof ListingFailed ? error.cause : error;
      const reason = controller.signal.aborted ? controller.signal.reason : cause;
      message =
        error instanceof ListingFailed && !controller.signal.aborted
          ? `The upstream could not be listed; the catalog keeps its last good state. ${describeError(reason)}`
          : describeError(reason);
      if (!isDomainError(reason) && !(reason instanceof LeaseLostError) && !(reason instanceof EngineStoppingError)) {
        log.error({ err: reason }, 'sync failed unexpectedly');
      }
    } finally {
      clearInterval(renewal);
      adapter?.close?.();
      await rm(path.join(this.options.tmpDir, run.id), { recursive: true, force: true }).catch(() => undefined);
    }
    const leaseLost = controller.signal.reason instanceof LeaseLostError;
    const finished = await this.finish(registry, run, { state, message, counts, itemErrors, upstreamMarker, listed, leaseLost }).catch((error) => {
      log.error({ err: error }, 'recording the sync run failed');
      return { ...run, ...counts, state, message, finishedAt: new Date() };
    });
    const metricLabels = { registry: registry.name };
    this.deps.metrics.syncRuns.inc({ ...metricLabels, state });
    for (const result of ['added', 'updated', 'removed', 'unchanged'] as const) {
      if (counts[result] > 0) this.deps.metrics.syncItems.inc({ ...metricLabels, result }, counts[result]);
    }
    if (itemErrors.length > 0) this.deps.metrics.syncItems.inc({ ...metricLabels, result: 'failed' }, itemErrors.length);
    log.info({ state, ...counts, errors: itemErrors.length, ms: Date.now() - started, message }, 'sync finished');
    return finished;
  }

  /** Fetches and ingests what the plan says, then marks the removed. Returns how many items were tried. */
  private async apply(
    registry: RegistryRow,
    run: SyncRunRecord,
    listing: UpstreamListing,
    adapter: RegistryAdapter,
    signal: AbortSignal,
    counts: RunCounts,
    itemErrors: Array<{ item: string; message: string }>,
    log: Logger,
  ): Promise<{ attempted: number; failed: number }> {
    for (const problem of listing.problems ?? []) itemErrors.push({ item: problem.item, message: problem.message });
    const keep = new Set((listing.problems ?? []).filter((p) => p.name && p.version).map((p) => versionKey(p.name!, p.version!)));
    const stored = await this.deps.ingest.listVersionMarkers(registry.id);
    const plan = planSync(listing, stored, { force: run.force, keep });
    counts.unchanged = plan.unchanged;
    let failed = 0;
    // Items that turned out to hold another name/version than listed: kept, never counted as gone.
    const ingestedElsewhere = new Set<string>();
    await mapConcurrent(plan.fetch, this.options.fetchConcurrency, async (item: UpstreamItem) => {
      if (signal.aborted) throw signal.reason;
      const label = `${item.name}:${item.version}`;
      let fetched;
      try {
        fetched = await adapter.fetch(item, signal);
        counts.artifactsFetched++;
        const outcome = await this.deps.ingest.ingest({
          registry: { id: registry.id, name: registry.name, kind: registry.kind },
          archivePath: fetched.archivePath,
          publishedBy: `sync:${registry.name}`,
          mode: 'sync',
          upstreamMarker: item.marker,
          lenient: true,
          // DIRECTORY trees may be metadata-only mirrors (pack.json and values without their charts).
          checkReferencedFiles: registry.kind !== 'DIRECTORY',
          // A stopping engine (shutdown) or a lost lease stops the archive read too, not only the downloads.
          signal,
        });
        if (outcome.status === 'created') counts.added++;
        else if (outcome.status === 'updated') counts.updated++;
        else counts.unchanged++;
        if (outcome.name !== item.name || outcome.version !== item.version) {
          ingestedElsewhere.add(versionKey(outcome.name, outcome.version));
          throw new InvalidInputError(
            `The upstream lists ${label} but the artifact holds ${outcome.name}:${outcome.version}; it was stored under the latter.`,
          );
        }
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        failed++;
        if (!isDomainError(error)) log.warn({ err: error, item: label }, 'sync item failed unexpectedly');
        itemErrors.push({ item: label, message: describeError(error) });
      } finally {
        await fetched?.cleanup().catch(() => undefined);
      }
    });
    if (signal.aborted) throw signal.reason;
    const removed = plan.removed.filter((v) => !ingestedElsewhere.has(versionKey(v.name, v.version)));
    counts.removed = await this.deps.ingest.markRemoved(registry.id, removed);
    return { attempted: plan.fetch.length, failed };
  }

  private async finish(
    registry: RegistryRow,
    run: SyncRunRecord,
    result: {
      state: SyncState;
      message: string | null;
      counts: RunCounts;
      itemErrors: Array<{ item: string; message: string }>;
      upstreamMarker: string | null;
      /** The listing succeeded: the stored upstream marker is replaced (by null after item errors). */
      listed: boolean;
      leaseLost: boolean;
    },
  ): Promise<SyncRunRecord> {
    const now = new Date();
    const { state, counts, itemErrors } = result;
    const stored = itemErrors.slice(0, MAX_STORED_ITEM_ERRORS);
    if (itemErrors.length > stored.length) {
      stored.push({ item: '(more)', message: `${itemErrors.length - stored.length} more item errors were not recorded.` });
    }
    const succeeded = state === 'SUCCEEDED' || state === 'PARTIAL';
    return this.deps.prisma.$transaction(async (tx) => {
      if (stored.length > 0) {
        await tx.syncItemError.createMany({
          data: stored.map((e) => ({ runId: run.id, item: e.item.slice(0, 500), message: e.message.slice(0, 2000) })),
        });
      }
      const finished = await tx.syncRun.update({
        where: { id: run.id },
        data: { state, finishedAt: now, message: result.message?.slice(0, 2000) ?? null, ...counts },
      });
      // A lost lease means another replica now owns the registry's status: leave it alone.
      if (!result.leaseLost) {
        await tx.registry.updateMany({
          where: { id: registry.id, leaseOwner: this.owner },
          data: {
            syncState: state,
            syncMessage: result.message?.slice(0, 2000) ?? null,
            ...(succeeded ? { lastSuccessAt: now } : {}),
            // Stored only after a clean run (null otherwise): failed items must be retried next time.
            ...(result.listed ? { upstreamMarker: result.upstreamMarker } : {}),
            nextSyncAt: this.nextSyncAt(registry.syncIntervalSeconds * 1000, state === 'FAILED', now),
            leaseOwner: null,
            leaseExpiresAt: null,
          },
        });
      }
      return finished;
    });
  }

  private nextSyncAt(intervalMs: number, failed: boolean, now: Date): Date {
    const base = failed ? Math.min(intervalMs, this.options.failureRetryMs) : intervalMs;
    const spread = base * this.options.jitter * (Math.random() * 2 - 1);
    return new Date(now.getTime() + Math.max(1000, base + spread));
  }

  private findRun(id: string): Promise<SyncRunRecord | null> {
    return this.deps.prisma.syncRun.findUnique({ where: { id } });
  }

  /** A run of another replica: polled until it finishes (or vanishes with its registry). */
  private async pollUntilFinished(id: string): Promise<SyncRunRecord> {
    for (;;) {
      const run = await this.findRun(id);
      if (!run) throw new NotFoundError('The sync run no longer exists (its registry was deleted).');
      if (run.state !== 'RUNNING') return run;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS).unref());
    }
  }
}

/** The listing failed: the run ends FAILED and nothing in the catalog changes. */
class ListingFailed extends Error {
  constructor(override readonly cause: unknown) {
    super('listing failed');
  }
}

/** A message fit for a run or item error: domain errors say what happened; anything else stays internal. */
function describeError(error: unknown): string {
  if (isDomainError(error) || error instanceof LeaseLostError || error instanceof EngineStoppingError) return errorMessage(error);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return `Unexpected error${code ? ` (${code})` : ''}; see the service log.`;
}
