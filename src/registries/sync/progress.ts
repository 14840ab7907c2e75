/**
 * A sync run's progress for live views (the `syncRun(id)` subscription): the engine reports as items
 * finish, throttled per run (at most one notification per `minIntervalMs`, the last one always sent),
 * and the run's end at once. Progress travels by PostgreSQL NOTIFY, so a subscriber on any replica
 * follows a run another replica drives; each replica fans it out in memory by run id.
 *
 * A notification carries the run's counts and its first item errors, bounded to stay well under
 * PostgreSQL's 8000-byte payload limit; the full list is the SyncRun row's, once the run ended.
 */
import type { SyncState } from '../../generated/prisma/enums.js';
import type { NotificationSource, Notifier } from '../../platform/pg-notifications.js';
import type { ItemError, RunCounts } from './runs.js';

export const SYNC_PROGRESS_CHANNEL = 'sync_run_progress';

/** Item errors carried in one progress notification (and their bounds): the first ones, as a live view shows them. */
export const MAX_PROGRESS_ERRORS = 10;
const MAX_ITEM_CHARS = 150;
const MAX_MESSAGE_CHARS = 300;

export interface SyncProgress {
  runId: string;
  registryId: string;
  state: SyncState;
  /** Items fetched and stored, or failed, so far. */
  itemsDone: number;
  /** Items the run will fetch; null until the upstream has been listed. */
  itemsTotal: number | null;
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  errorCount: number;
  /** The first MAX_PROGRESS_ERRORS item errors. */
  errors: ItemError[];
  message: string | null;
  /** Set when the run ended. */
  finishedAt: string | null;
}

export type SyncProgressHandler = (progress: SyncProgress) => void;

/** Publishes runs' progress (the engine) and hands each replica's subscribers the runs they follow. */
export class SyncProgressHub {
  private readonly followers = new Map<string, Set<SyncProgressHandler>>();
  private unlisten: (() => void) | undefined;

  constructor(
    private readonly notifier: Notifier,
    private readonly source: NotificationSource,
    /** Least time between two progress notifications of one run (its end is never held back). */
    readonly minIntervalMs = 200,
  ) {}

  /** The reporter one run uses, over the engine's own counters. */
  reporter(run: { id: string; registryId: string }, counts: RunCounts, itemErrors: ItemError[]): RunProgressReporter {
    return new RunProgressReporter(this, run, counts, itemErrors);
  }

  publish(progress: SyncProgress): Promise<void> {
    return this.notifier.notify(SYNC_PROGRESS_CHANNEL, JSON.stringify(progress));
  }

  /** Runs followed on this replica now. */
  get followedRuns(): number {
    return this.followers.size;
  }

  /** Calls `handler` with each progress of run `runId`, on this replica; returns the unsubscribe function. */
  follow(runId: string, handler: SyncProgressHandler): () => void {
    // One channel handler per process, whatever the number of followers.
    this.unlisten ??= this.source.on(SYNC_PROGRESS_CHANNEL, (payload) => this.dispatch(payload));
    let set = this.followers.get(runId);
    if (!set) this.followers.set(runId, (set = new Set()));
    set.add(handler);
    return () => {
      set.delete(handler);
      if (set.size === 0) this.followers.delete(runId);
    };
  }

  /** Calls `handler` when notifications may have been lost (the listening connection came back). */
  onGap(handler: () => void): () => void {
    return this.source.onReconnect(handler);
  }

  private dispatch(payload: string): void {
    let progress: SyncProgress;
    try {
      progress = JSON.parse(payload) as SyncProgress;
    } catch {
      return; // not ours: the channel is fixed, but a stray NOTIFY must not break the listener
    }
    for (const handler of this.followers.get(progress.runId) ?? []) handler(progress);
  }
}

/** One run's reports: throttled while it runs, immediate at its end. */
export class RunProgressReporter {
  private itemsDone = 0;
  private itemsTotal: number | null = null;
  private lastSentAt = 0;
  private trailing: NodeJS.Timeout | undefined;
  private ended = false;

  constructor(
    private readonly hub: SyncProgressHub,
    private readonly run: { id: string; registryId: string },
    private readonly counts: RunCounts,
    private readonly itemErrors: ItemError[],
  ) {}

  started(): void {
    this.send('RUNNING', null, null);
  }

  /** The upstream was listed: `total` items will be fetched. */
  planned(total: number): void {
    this.itemsTotal = total;
    this.throttled();
  }

  itemDone(): void {
    this.itemsDone++;
    this.throttled();
  }

  finished(state: SyncState, message: string | null, finishedAt: Date): void {
    this.ended = true;
    clearTimeout(this.trailing);
    this.send(state, message, finishedAt.toISOString());
  }

  private throttled(): void {
    if (this.ended || this.trailing) return;
    const wait = this.lastSentAt + this.hub.minIntervalMs - Date.now();
    if (wait <= 0) return this.send('RUNNING', null, null);
    this.trailing = setTimeout(() => {
      this.trailing = undefined;
      if (!this.ended) this.send('RUNNING', null, null);
    }, wait);
    this.trailing.unref();
  }

  private send(state: SyncState, message: string | null, finishedAt: string | null): void {
    this.lastSentAt = Date.now();
    const { added, updated, removed, unchanged } = this.counts;
    const progress: SyncProgress = {
      runId: this.run.id,
      registryId: this.run.registryId,
      state,
      itemsDone: this.itemsDone,
      itemsTotal: this.itemsTotal,
      added,
      updated,
      removed,
      unchanged,
      errorCount: this.itemErrors.length,
      errors: this.itemErrors
        .slice(0, MAX_PROGRESS_ERRORS)
        .map((e) => ({ item: e.item.slice(0, MAX_ITEM_CHARS), message: e.message.slice(0, MAX_MESSAGE_CHARS) })),
      message: message?.slice(0, MAX_MESSAGE_CHARS) ?? null,
      finishedAt,
    };
    // Live views are best effort: a lost notification is made up by the subscriber's next read of the run.
    void this.hub.publish(progress).catch(() => undefined);
  }
}
