/**
 * One sync run's ingests into one registry. Each tarball added is read and checked, and its objects
 * stored (durable only at the store's next `sync()`), at once; its rows wait in a queue. The queue
 * is written as one transaction when it holds `maxRows` versions or its first one has waited
 * `lingerMs`, one batch at a time.
 *
 * Write order, per batch: (1) every object of the batch was put; (2) `artifacts.sync()` makes them
 * all durable (one directory fsync on a filesystem store, instead of one per object); (3) the rows.
 * A crash before (3) leaves objects with no row: garbage the collector removes later.
 *
 * One bad row never costs the others theirs: a batch whose transaction fails is written again one
 * version at a time, and only the versions that fail alone are item errors. An aborted run (its
 * lease lost, the service stopping) writes nothing more: what is queued is dropped.
 */
import type { ArtifactStore } from '../artifacts/artifact.store.js';
import { ConflictError } from '../errors.js';
import type { PackIssue, ReadPack } from '../packs/pack.types.js';
import type { SinkBatch, SinkIngestOutcome, SinkIngestRequest } from '../registries/sync/sink.js';
import type { BatchedOutcome, BatchedVersion, PackStore } from './pack.store.js';

/** A read and checked archive: step 1 of the write order. */
export interface PreparedVersion {
  pack: ReadPack;
  warnings: PackIssue[];
  digest: string;
  size: number;
}

export interface IngestBatchOptions {
  /** Stops the batch: no more rows are written, queued ones are dropped. */
  signal?: AbortSignal;
  /** Versions written per transaction, at most. Default 200. */
  maxRows?: number;
  /**
   * How long the first queued version waits for others before its batch is written. Default 1 s:
   * a sync is not waited on version by version, and fewer, larger transactions cost less CPU.
   */
  lingerMs?: number;
}

/** What a batch needs from the ingest service (steps 1 and 2) and the stores. */
export interface IngestBatchDeps {
  store: Pick<PackStore, 'writeVersions'>;
  artifacts: Pick<ArtifactStore, 'sync'>;
  prepare(request: SinkIngestRequest): Promise<PreparedVersion>;
  storeObjects(
    source: { path?: string; bytes?: Buffer },
    pack: ReadPack,
    archive: { digest: string; size: number },
    options: { deferSync?: boolean },
  ): Promise<{ digest: string; size: number } | null>;
}

interface Queued {
  key: string;
  write: BatchedVersion;
  resolve(outcome: SinkIngestOutcome): void;
  reject(error: unknown): void;
}

export class IngestBatch implements SinkBatch {
  private queue: Queued[] = [];
  /** Versions added and not yet written (queued, or in a batch waiting for its turn). */
  private pending = 0;
  /** The batch being written, and those before it: one transaction at a time. */
  private writing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly maxRows: number;
  private readonly lingerMs: number;

  constructor(
    private readonly deps: IngestBatchDeps,
    private readonly registry: SinkIngestRequest['registry'],
    private readonly options: IngestBatchOptions = {},
  ) {
    this.maxRows = Math.max(1, options.maxRows ?? 200);
    this.lingerMs = options.lingerMs ?? 1000;
  }

  async add(request: SinkIngestRequest): Promise<{ committed: Promise<SinkIngestOutcome> }> {
    if (this.closed) throw new Error('This ingest batch is closed.');
    this.options.signal?.throwIfAborted();
    const { pack, digest, size } = await this.deps.prepare(request);
    const logo = await this.deps.storeObjects({ path: request.archivePath, bytes: request.archive }, pack, { digest, size }, { deferSync: true });
    this.options.signal?.throwIfAborted();
    const { name, version } = pack.manifest;
    const key = `${name}\u0000${version}`;
    // A transaction writes each name and version once: a second tarball of the same one waits for the first's batch.
    if (this.queue.some((queued) => queued.key === key)) await this.flush();
    const write: BatchedVersion = {
      pack,
      archive: { digest, size },
      logo,
      upstreamMarker: request.upstreamMarker ?? null,
      message: null,
      publishedBy: request.publishedBy,
      overwrite: true,
    };
    const committed = new Promise<SinkIngestOutcome>((resolve, reject) => this.queue.push({ key, write, resolve, reject }));
    this.pending++;
    // The caller handles the outcome once add returns; a batch refused while add still waits is not unhandled.
    committed.catch(() => undefined);
    if (this.queue.length >= this.maxRows) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.lingerMs);
    // Back pressure: while batches are written, at most two batches' worth of versions wait (their
    // parsed packs are held in memory); the workers stop fetching until the writer catches up.
    if (this.pending >= 2 * this.maxRows) await this.writing;
    return { committed };
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  /** Hands what is queued to the writer; resolves when it (and every batch before it) is written. */
  private flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue;
    this.queue = [];
    if (batch.length > 0) this.writing = this.writing.then(() => this.writeOut(batch));
    return this.writing;
  }

  /** Writes one batch; settles every version's `committed`, never rejects itself. */
  private async writeOut(batch: Queued[]): Promise<void> {
    try {
      await this.writeBatch(batch);
    } finally {
      this.pending -= batch.length;
    }
  }

  private async writeBatch(batch: Queued[]): Promise<void> {
    const { signal } = this.options;
    try {
      signal?.throwIfAborted();
      // Objects before rows: the batch's objects are durable before any row points at them.
      await this.deps.artifacts.sync?.();
      signal?.throwIfAborted();
    } catch (error) {
      for (const queued of batch) queued.reject(signal?.aborted ? signal.reason : error);
      return;
    }
    try {
      const outcomes = await this.deps.store.writeVersions(this.registry.id, batch.map((queued) => queued.write));
      outcomes.forEach((outcome, i) => this.settle(batch[i], outcome));
      return;
    } catch (error) {
      if (batch.length === 1 || signal?.aborted) {
        for (const queued of batch) queued.reject(signal?.aborted ? signal.reason : error);
        return;
      }
    }
    for (const queued of batch) {
      try {
        signal?.throwIfAborted();
        const [outcome] = await this.deps.store.writeVersions(this.registry.id, [queued.write]);
        this.settle(queued, outcome);
      } catch (error) {
        queued.reject(signal?.aborted ? signal.reason : error);
      }
    }
  }

  private settle(queued: Queued, outcome: BatchedOutcome): void {
    const { name, version } = queued.write.pack.manifest;
    if (outcome.status === 'conflict') {
      // Not reached while every batched write may overwrite; said plainly should that change.
      queued.reject(new ConflictError(`${name}:${version} is stored with other bytes (${outcome.storedDigest}).`, { digest: outcome.storedDigest }));
      return;
    }
    queued.resolve({ status: outcome.status, name, version });
  }
}
