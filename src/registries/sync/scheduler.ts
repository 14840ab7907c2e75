/**
 * The schedule: when a registry syncs next (`nextSyncTime`), and the timer that runs upstream
 * registries' syncs when they fall due. Every replica runs a scheduler; the lease (lease.ts) makes
 * sure one registry syncs on one replica at a time, so a registry due now is simply tried by
 * whichever replica looks first.
 */
import type { Logger } from '../../platform/logger.js';
import { isDomainError } from '../../errors.js';
import type { SyncEngine } from './engine.js';

export interface SchedulePolicy {
  /** After a FAILED run, the next try comes at most this much later. */
  failureRetryMs: number;
  /** Spread of the next sync time, as a fraction of the interval (0.1: ±10 %), so replicas' runs don't bunch up. */
  jitter: number;
}

/** When a registry syncing every `intervalMs` runs next, after a run that ended at `now`. */
export function nextSyncTime(intervalMs: number, failed: boolean, now: Date, policy: SchedulePolicy): Date {
  const base = failed ? Math.min(intervalMs, policy.failureRetryMs) : intervalMs;
  const spread = base * policy.jitter * (Math.random() * 2 - 1);
  return new Date(now.getTime() + Math.max(1000, base + spread));
}

export interface SyncSchedulerOptions {
  /** How often due registries are looked for. Default 15 s. */
  tickMs?: number;
  /** Most runs this replica starts at once. Default 2. */
  maxConcurrentRuns?: number;
}

export class SyncScheduler {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private readonly running = new Set<Promise<unknown>>();
  private readonly tickMs: number;
  private readonly maxConcurrentRuns: number;

  constructor(
    private readonly engine: SyncEngine,
    private readonly logger: Logger,
    options: SyncSchedulerOptions = {},
  ) {
    this.tickMs = options.tickMs ?? 15_000;
    this.maxConcurrentRuns = options.maxConcurrentRuns ?? 2;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.tickMs);
    // The scheduler never keeps the process alive on its own.
    this.timer.unref();
    void this.tick();
  }

  /** Stops looking for due registries, then stops the engine's runs and waits for them. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.ticking;
    await this.engine.stop();
    await Promise.allSettled([...this.running]);
  }

  /** One look for due registries; a tick still going on is not started twice. */
  tick(): Promise<void> {
    this.ticking ??= this.startDue().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  private async startDue(): Promise<void> {
    const free = this.maxConcurrentRuns - this.running.size;
    if (free <= 0) return;
    let due: string[];
    try {
      due = await this.engine.dueRegistries(free);
    } catch (error) {
      this.logger.warn({ err: error }, 'looking for due registry syncs failed');
      return;
    }
    for (const name of due) {
      try {
        const started = await this.engine.start(name, { trigger: 'schedule' });
        if (!started.started) continue;
        const tracked: Promise<unknown> = started.finished
          .catch((error) => this.logger.error({ err: error, registry: name }, 'scheduled sync failed'))
          .finally(() => this.running.delete(tracked));
        this.running.add(tracked);
      } catch (error) {
        // Another replica claimed it in the meantime, or the registry was deleted: both are fine.
        if (!isDomainError(error)) this.logger.warn({ err: error, registry: name }, 'starting a scheduled sync failed');
      }
    }
  }
}
