/**
 * The run recorder: a run's end in the database (the SyncRun row, its item errors, the registry's
 * status) and in the metrics, and the runs of other replicas followed to their end.
 */
import type { Metrics } from '../../platform/metrics.js';
import type { SyncState } from '../../generated/prisma/enums.js';
import { NotFoundError } from '../../errors.js';
import type { SyncRunRecord } from '../registry.model.js';
import type { RegistryStore } from '../registry.store.js';

export interface RunCounts {
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  artifactsFetched: number;
}

export interface ItemError {
  item: string;
  message: string;
}

/** How a run ended, as the engine saw it. */
export interface RunResult {
  state: SyncState;
  message: string | null;
  counts: RunCounts;
  itemErrors: ItemError[];
  /** The registry's new status; absent when the lease was lost (the new holder owns the status then). */
  status?: {
    /** The listing succeeded: the stored upstream marker is replaced (by null after item errors). */
    listed: boolean;
    upstreamMarker: string | null;
    /** When the registry syncs next; absent for registries that sync only when asked. */
    nextSyncAt?: Date;
  };
}

// Bounds on what one run writes: an upstream with thousands of broken entries must not flood the tables.
const MAX_STORED_ITEM_ERRORS = 500;
const MAX_ITEM_LENGTH = 500;
const MAX_MESSAGE_LENGTH = 2000;
const POLL_MS = 500;

export class RunRecorder {
  constructor(
    private readonly store: RegistryStore,
    private readonly metrics: Metrics,
    /** The lease owner of this engine: the registry's status is written only while it holds the lease. */
    private readonly owner: string,
  ) {}

  /** Records the run's end (and the registry's status, releasing the lease) in one transaction. */
  finish(registryId: string, run: SyncRunRecord, result: RunResult): Promise<SyncRunRecord> {
    const now = new Date();
    const { state, counts, itemErrors, status } = result;
    const stored = itemErrors.slice(0, MAX_STORED_ITEM_ERRORS);
    if (itemErrors.length > stored.length) {
      stored.push({ item: '(more)', message: `${itemErrors.length - stored.length} more item errors were not recorded.` });
    }
    const message = result.message?.slice(0, MAX_MESSAGE_LENGTH) ?? null;
    const succeeded = state === 'SUCCEEDED' || state === 'PARTIAL';
    return this.store.finishRun(
      run.id,
      {
        state,
        finishedAt: now,
        message,
        ...counts,
        itemErrors: stored.map((e) => ({ item: e.item.slice(0, MAX_ITEM_LENGTH), message: e.message.slice(0, MAX_MESSAGE_LENGTH) })),
      },
      status
        ? {
            registryId,
            owner: this.owner,
            data: {
              syncState: state,
              syncMessage: message,
              ...(succeeded ? { lastSuccessAt: now } : {}),
              // Stored only after a clean run (null otherwise): failed items must be retried next time.
              ...(status.listed ? { upstreamMarker: status.upstreamMarker } : {}),
              ...(status.nextSyncAt ? { nextSyncAt: status.nextSyncAt } : {}),
            },
          }
        : null,
    );
  }

  /** The run's outcome in the metrics (labels: the registry name, which only ADMINs choose, and fixed words). */
  count(registryName: string, state: SyncState, counts: RunCounts, failedItems: number): void {
    const labels = { registry: registryName };
    this.metrics.syncRuns.inc({ ...labels, state });
    for (const result of ['added', 'updated', 'removed', 'unchanged'] as const) {
      if (counts[result] > 0) this.metrics.syncItems.inc({ ...labels, result }, counts[result]);
    }
    if (failedItems > 0) this.metrics.syncItems.inc({ ...labels, result: 'failed' }, failedItems);
  }

  find(id: string): Promise<SyncRunRecord | null> {
    return this.store.findRun(id);
  }

  running(registryId: string): Promise<SyncRunRecord | null> {
    return this.store.findRunningRun(registryId);
  }

  /** A run of another replica: polled until it finishes (or vanishes with its registry). */
  async untilFinished(id: string): Promise<SyncRunRecord> {
    for (;;) {
      const run = await this.store.findRun(id);
      if (!run) throw new NotFoundError('The sync run no longer exists (its registry was deleted).');
      if (run.state !== 'RUNNING') return run;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS).unref());
    }
  }
}
