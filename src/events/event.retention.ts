/**
 * Keeps the outbox bounded: events older than EVENT_RETENTION_DAYS are deleted on a timer, by one
 * replica at a time (the job lock; the others skip that round). Webhook deliveries of a deleted
 * event go with it (they are kept no longer than their event); pings go by age (`also`).
 */
import type { JobLock } from '../platform/job-lock.js';
import type { EventStore } from './event.store.js';

/** The job lock's name for pruning events. */
export const EVENT_RETENTION_LOCK = 'catalog-event-retention';

interface RetentionLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** What else goes with old events (rows of features above this one, such as webhook pings); answers how many rows went. */
export type AlsoPrune = (cutoff: Date) => Promise<number>;

/** One pruning round: answers how many rows went (null when another replica holds the lock). */
export async function pruneEvents(
  store: Pick<EventStore, 'deleteOlderThan'>,
  lock: JobLock,
  retentionMs: number,
  now = new Date(),
  also: readonly AlsoPrune[] = [],
): Promise<number | null> {
  const cutoff = new Date(now.getTime() - retentionMs);
  const outcome = await lock.run(EVENT_RETENTION_LOCK, async () => {
    let deleted = await store.deleteOlderThan(cutoff);
    for (const prune of also) deleted += await prune(cutoff);
    return deleted;
  });
  return outcome.ran ? outcome.value : null;
}

/** Prunes every `intervalMs` (and once soon after the start) until stopped. */
export function startEventRetention(
  store: Pick<EventStore, 'deleteOlderThan'>,
  logger: RetentionLogger,
  options: { lock: JobLock; retentionMs: number; intervalMs: number; also?: readonly AlsoPrune[] },
): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const round = () => {
    running ??= pruneEvents(store, options.lock, options.retentionMs, new Date(), options.also)
      .then(
        (deleted) => {
          if (deleted) logger.info({ deleted }, 'old catalog events pruned');
        },
        (error) => logger.warn({ err: error }, 'catalog event pruning failed; the next round retries'),
      )
      .finally(() => (running = undefined));
  };
  const first = setTimeout(round, Math.min(options.intervalMs, 60_000));
  const timer = setInterval(round, options.intervalMs);
  first.unref();
  timer.unref();
  return {
    async stop() {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
