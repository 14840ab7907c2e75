/**
 * The sync engine: brings one registry's packs from its source into the catalog.
 *
 * A run: claim the registry's lease (lease.ts: one run per registry across every replica), list
 * the source, diff by change marker (plan.ts), fetch and hand to the catalog (the `PackSink`) what
 * is new or changed (bounded concurrency; one bad item is an item error, never the end of the run),
 * then deal with what vanished from the source (removed or deprecated, as the registry's
 * `SyncPolicy` says; only after a complete listing), record the run (runs.ts) and release the
 * lease. A source that can't be listed ends the run FAILED and leaves the catalog exactly as it was.
 *
 * Upstream registries are their own source. The DEFAULT registry, stored by this service, is synced
 * from the folder of shipped packs (`SyncRequest.from`, see default-registry.seeder.ts).
 */
import { setMaxListeners } from 'node:events';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../platform/logger.js';
import type { Metrics } from '../../platform/metrics.js';
import { PRIVATE_DIR_MODE } from '../../platform/data-dir.js';
import type { SyncState } from '../../generated/prisma/enums.js';
import { ConflictError, InvalidInputError, NotFoundError, UpstreamError } from '../../errors.js';
import { DEFAULT_ARCHIVE_LIMITS } from '../../packs/pack.archive.js';
import { UPSTREAM_KINDS, type RegistryCredentials, type SyncRunRecord } from '../registry.model.js';
import type { RegistryRow, RegistryStore } from '../registry.store.js';
import type { HttpClient } from '../../platform/http-client.js';
import { createRegistryAdapter } from '../adapters/index.js';
import type { AdapterRegistry, RegistryAdapter, UpstreamListing } from '../adapters/adapter.js';
import { upstreamPolicy, type SyncPolicy } from './policy.js';
import { LeaseLostError, RegistryLease } from './lease.js';
import { RunRecorder, type ItemError, type RunCounts } from './runs.js';
import { nextSyncTime } from './scheduler.js';
import type { PackSink } from './sink.js';
import type { SyncProgressHub } from './progress.js';
import { applyListing } from './apply.js';
import { EngineStoppingError, describeError, isExplainedError } from './errors.js';

export type { SyncRunRecord } from '../registry.model.js';

/** Opens an upstream registry's sealed credentials (RegistryService does, with the service's key). */
export interface CredentialsOpener {
  openCredentials(registry: { credentials: Uint8Array | null }): RegistryCredentials | null;
}

export interface SyncEngineDeps {
  store: RegistryStore;
  /** The catalog, as far as a sync may touch it. */
  sink: PackSink;
  credentials: CredentialsOpener;
  /** The one HTTP client (its timeouts, retries and size bounds); each adapter takes its registry's view. */
  http: HttpClient;
  metrics: Metrics;
  logger: Logger;
  /** Live progress for `syncRun(id)` subscribers (any replica); none: runs report nothing while they go. */
  progress?: SyncProgressHub;
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
  /**
   * Items in the pipeline at once: fetched, read and stored (their rows are written in batches
   * behind them). Default 16: the HTTP client holds at most 8 connections to one upstream, so half
   * the workers can read and store while the others wait on the network.
   */
  fetchConcurrency?: number;
  /** Largest artifact taken from an upstream (config.archiveLimits.maxArchiveBytes). Default: the pack format's. */
  maxArtifactBytes?: number;
  /** Largest Helm index.yaml accepted (MAX_HELM_INDEX_BYTES). Default: the adapter's. */
  maxHelmIndexBytes?: number;
  /** After a FAILED run, the next scheduled try comes at most this much later. Default 1 h. */
  failureRetryMs?: number;
  /** Spread of the next sync time, as a fraction of the interval. Default 0.1 (±10 %). */
  jitter?: number;
  /** How long `request(wait: true)` waits before answering with the run still RUNNING. Default 2 min. */
  waitTimeoutMs?: number;
}

/** A local folder of pack folders standing in for the source of a registry this service stores (DEFAULT). */
export interface FolderSource {
  folder: string;
  policy: SyncPolicy;
}

export interface SyncRequest {
  force?: boolean;
  /** What started the run: `manual`, `schedule`, `seed`... */
  trigger?: string;
  /** Sync a registry stored here from this folder; upstream registries are their own source and take none. */
  from?: FolderSource;
}

export interface StartedSync {
  run: SyncRunRecord;
  /** True when this call started the run; false when it found one already running. */
  started: boolean;
  /** Resolves with the finished run. */
  finished: Promise<SyncRunRecord>;
}

/** Where a run's packs come from and how they are treated. */
interface Source {
  adapterRegistry: AdapterRegistry;
  /** Upstreams' credentials are opened when the run starts (a failure ends the run, recorded). */
  sealedCredentials: Uint8Array | null;
  policy: SyncPolicy;
}

export class SyncEngine {
  private readonly lease: RegistryLease;
  private readonly runs: RunRecorder;
  private readonly options: Required<Omit<SyncEngineOptions, 'owner' | 'maxHelmIndexBytes' | 'leaseTtlMs' | 'leaseRenewMs'>> &
    Pick<SyncEngineOptions, 'maxHelmIndexBytes'>;
  private readonly inflight = new Map<string, { controller: AbortController; finished: Promise<SyncRunRecord> }>();
  private stopping = false;

  constructor(
    private readonly deps: SyncEngineDeps,
    options: SyncEngineOptions,
  ) {
    this.lease = new RegistryLease(deps.store, { owner: options.owner, ttlMs: options.leaseTtlMs, renewMs: options.leaseRenewMs });
    this.runs = new RunRecorder(deps.store, deps.metrics, this.lease.owner);
    this.options = {
      tmpDir: options.tmpDir,
      fetchConcurrency: options.fetchConcurrency ?? 16,
      maxArtifactBytes: options.maxArtifactBytes ?? DEFAULT_ARCHIVE_LIMITS.maxArchiveBytes,
      failureRetryMs: options.failureRetryMs ?? 60 * 60 * 1000,
      jitter: options.jitter ?? 0.1,
      waitTimeoutMs: options.waitTimeoutMs ?? 120_000,
      maxHelmIndexBytes: options.maxHelmIndexBytes,
    };
  }

  /** This replica's lease owner id. */
  get owner(): string {
    return this.lease.owner;
  }

  /**
   * Starts a run (or joins the one already running) and, with `wait`, waits for it up to the
   * engine's bound; the answer is the run as it stands then. Who may ask is the caller's rule
   * (RegistryService.requestSync).
   */
  async request(name: string, options: { force?: boolean; wait?: boolean } = {}): Promise<SyncRunRecord> {
    const started = await this.start(name, { force: options.force, trigger: 'manual' });
    if (options.wait === false) return started.run;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), this.options.waitTimeoutMs);
      timer.unref();
    });
    try {
      return (await Promise.race([started.finished, timeout])) ?? (await this.runs.find(started.run.id)) ?? started.run;
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
    const registry = await this.deps.store.findByName(name);
    if (!registry) throw new NotFoundError(`Registry "${name}" does not exist.`);
    const source = sourceOf(registry, request);
    const run = await this.lease.claim(registry.id, { force: request.force ?? false, trigger: request.trigger ?? 'manual' });
    if (!run) {
      const running = await this.runs.running(registry.id);
      if (!running) throw new ConflictError(`A sync of "${name}" is already starting on another replica.`);
      const local = this.inflight.get(running.id);
      return { run: running, started: false, finished: local ? local.finished : this.runs.untilFinished(running.id) };
    }
    const controller = new AbortController();
    // Each upstream request in flight (adapters give every request a signal of its own that follows
    // this one: registry-http.ts), each tarball being read and the lease listen on this signal, and
    // remove their listener when done. At most: an OCI listing's 4 repositories x 8 manifests, or
    // the fetch workers' download and archive read each; 64 leaves room without hiding a real leak.
    setMaxListeners(Math.max(64, 4 * this.options.fetchConcurrency), controller.signal);
    const finished = this.execute(registry, source, run, request, controller).finally(() => this.inflight.delete(run.id));
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
  dueRegistries(limit: number): Promise<string[]> {
    return this.deps.store.dueForSync(UPSTREAM_KINDS, limit, new Date());
  }

  /** How many runs this engine has going on. */
  get activeRuns(): number {
    return this.inflight.size;
  }

  private async execute(registry: RegistryRow, source: Source, run: SyncRunRecord, request: SyncRequest, controller: AbortController): Promise<SyncRunRecord> {
    const started = Date.now();
    const log = this.deps.logger.child({ registry: registry.name, syncRun: run.id });
    log.info({ kind: registry.kind, force: run.force, trigger: run.trigger }, 'sync started');
    const release = this.lease.keep(registry.id, () => controller.abort(new LeaseLostError()), log);

    const counts: RunCounts = { added: 0, updated: 0, removed: 0, unchanged: 0, artifactsFetched: 0 };
    const itemErrors: ItemError[] = [];
    const progress = this.deps.progress?.reporter(run, counts, itemErrors);
    progress?.started();
    let state: SyncState;
    let message: string | null = null;
    let upstreamMarker: string | null = null;
    let listed = false;
    let adapter: RegistryAdapter | undefined;
    try {
      // Scratch under DATA_DIR is the service user's alone, like everything else there (a private registry's packs pass through it).
      await mkdir(path.join(this.options.tmpDir, run.id), { recursive: true, mode: PRIVATE_DIR_MODE });
      adapter = createRegistryAdapter(source.adapterRegistry, this.openCredentials(source), {
        tmpDir: path.join(this.options.tmpDir, run.id),
        http: this.deps.http,
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
      const outcome = await applyListing(
        { sink: this.deps.sink, fetchConcurrency: this.options.fetchConcurrency },
        { registry, policy: source.policy, run, listing, adapter, signal: controller.signal, counts, itemErrors, log, progress },
      );
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
      if (!isExplainedError(reason)) {
        log.error({ err: reason }, 'sync failed unexpectedly');
      }
    } finally {
      release();
      adapter?.close?.();
      await rm(path.join(this.options.tmpDir, run.id), { recursive: true, force: true }).catch(() => undefined);
    }
    const leaseLost = controller.signal.reason instanceof LeaseLostError;
    const now = new Date();
    const finished = await this.runs
      .finish(registry.id, run, {
        state,
        message,
        counts,
        itemErrors,
        // A lost lease means another replica now owns the registry's status: leave it alone.
        status: leaseLost
          ? undefined
          : {
              listed,
              upstreamMarker,
              nextSyncAt: source.policy.scheduled
                ? nextSyncTime(registry.syncIntervalSeconds * 1000, state === 'FAILED', now, this.options)
                : undefined,
            },
      })
      .catch((error) => {
        log.error({ err: error }, 'recording the sync run failed');
        return { ...run, ...counts, state, message, finishedAt: new Date() };
      });
    progress?.finished(finished.state, finished.message, finished.finishedAt ?? now);
    this.runs.count(registry.name, state, counts, itemErrors.length);
    log.info({ state, ...counts, errors: itemErrors.length, ms: Date.now() - started, message }, 'sync finished');
    return finished;
  }

  private openCredentials(source: Source): RegistryCredentials | null {
    try {
      return this.deps.credentials.openCredentials({ credentials: source.sealedCredentials });
    } catch {
      throw new UpstreamError('The stored credentials could not be decrypted (was SECRET_KEY changed?); set them again with updateRegistry.');
    }
  }
}

/** An upstream registry is its own source; a registry stored here syncs only from a folder it is given. */
function sourceOf(registry: RegistryRow, request: SyncRequest): Source {
  if (request.from) {
    const adapterRegistry = { ...registry, kind: 'DIRECTORY', endpoint: request.from.folder, basePath: null, repositories: [], insecure: false, allowedOrigins: [] };
    return { adapterRegistry, sealedCredentials: null, policy: request.from.policy };
  }
  if (!UPSTREAM_KINDS.includes(registry.kind)) {
    throw new InvalidInputError(`The ${registry.kind} registry "${registry.name}" is stored by this service; only upstream registries sync.`, {
      field: 'name',
    });
  }
  return { adapterRegistry: registry, sealedCredentials: registry.credentials, policy: upstreamPolicy(registry) };
}

/** The listing failed: the run ends FAILED and nothing in the catalog changes. */
class ListingFailed extends Error {
  constructor(override readonly cause: unknown) {
    super('listing failed');
  }
}
