/**
 * `syncRun(id)` for live views: the run as it stands, then its progress as the engine reports it
 * (from whichever replica drives it), ending with the run's final state.
 *
 * Progress notifications are best effort (throttled, and lost while a replica's listening
 * connection is down), so the run's row stays the truth: it is read once the subscription is in
 * place (nothing between the read and the first notification is missed), read again when the
 * listening connection comes back, and every `recheckMs` while the run goes on, which also ends
 * the stream of a run whose replica died (the next claim of its registry ends it FAILED).
 */
import { NotFoundError, ServiceUnavailableError } from '../errors.js';
import type { Principal } from '../auth/principal.js';
import { EventStream } from '../graphql/event-stream.js';
import type { RegistryService } from './registry.service.js';
import type { RegistryStore } from './registry.store.js';
import type { SyncRunRecord } from './registry.model.js';
import { MAX_PROGRESS_ERRORS, type SyncProgress, type SyncProgressHub } from './sync/progress.js';

export interface SyncRunWatchOptions {
  /** How often a running run's row is read again. Default 5 s. */
  recheckMs?: number;
  /** Progress values queued for a slow subscriber before its stream ends. Default 100. */
  maxBuffered?: number;
}

export class SyncRunWatch {
  private readonly recheckMs: number;
  private readonly maxBuffered: number;

  constructor(
    private readonly registries: RegistryService,
    private readonly store: RegistryStore,
    private readonly progress: SyncProgressHub,
    options: SyncRunWatchOptions = {},
  ) {
    this.recheckMs = options.recheckMs ?? 5_000;
    this.maxBuffered = options.maxBuffered ?? 100;
  }

  /** The run's progress stream; NOT_FOUND when no such run exists or the caller may not read its registry. */
  async watch(actor: Principal, runId: string): Promise<EventStream<SyncProgress>> {
    const visible = await this.registries.findRun(actor, runId);
    if (!visible) throw new NotFoundError(`No sync run with id "${runId}".`);
    let timer: NodeJS.Timeout | undefined;
    let unfollow = () => {};
    let unwatchGap = () => {};
    const stream = new EventStream<SyncProgress>({
      maxBuffered: this.maxBuffered,
      overflowError: () => new ServiceUnavailableError('This subscriber read progress slower than it came; subscribe again.'),
      onClose: () => {
        clearInterval(timer);
        unfollow();
        unwatchGap();
      },
    });
    let live = false;
    const deliver = (progress: SyncProgress) => {
      live = true;
      stream.push(progress);
      if (progress.finishedAt) stream.end();
    };
    unfollow = this.progress.follow(visible.id, deliver);
    const fromRow = async (initial: boolean) => {
      const run = await this.store.findRun(visible.id);
      if (stream.closed) return;
      if (!run) {
        stream.push(new NotFoundError('The sync run no longer exists (its registry was deleted).'));
        stream.end();
        return;
      }
      // While the run goes on, its row holds no counts yet: the first state is sent only when no live progress came first.
      if (run.state === 'RUNNING') {
        if (initial && !live) stream.push(await this.snapshot(run));
        return;
      }
      deliver(await this.snapshot(run));
    };
    await fromRow(true);
    if (!stream.closed) {
      timer = setInterval(() => void fromRow(false).catch(() => undefined), this.recheckMs);
      timer.unref();
      unwatchGap = this.progress.onGap(() => void fromRow(false).catch(() => undefined));
    }
    return stream;
  }

  private async snapshot(run: SyncRunRecord): Promise<SyncProgress> {
    const finished = run.state !== 'RUNNING';
    const errors = finished ? await this.store.itemErrors([run.id]) : [];
    const processed = run.added + run.updated + errors.length;
    return {
      runId: run.id,
      registryId: run.registryId,
      state: run.state,
      itemsDone: finished ? processed : 0,
      itemsTotal: finished ? processed : null,
      added: run.added,
      updated: run.updated,
      removed: run.removed,
      unchanged: run.unchanged,
      errorCount: errors.length,
      errors: errors.slice(0, MAX_PROGRESS_ERRORS).map((e) => ({ item: e.item, message: e.message })),
      message: run.message,
      finishedAt: run.finishedAt?.toISOString() ?? (finished ? new Date().toISOString() : null),
    };
  }
}
