/**
 * Catalog events as they commit, for this process's subscribers: one LISTEN on `catalog_events` per
 * process (the outbox notifies each event's id on commit), the ids of a short window fetched from
 * the outbox in one query, and each batch handed to every subscriber, which filters it by its own
 * rights and filter in memory. The database work is per batch of events, never per subscriber.
 *
 * Without PostgreSQL notifications (the embedded database: PGlite's socket server forwards none),
 * the outbox is polled instead; the embedded database has one connection, so events commit in id
 * order and "after the last id seen" misses none. After a dropped LISTEN connection, the events
 * after the last one seen are read again (ids already delivered are skipped).
 */
import type { NotificationSource } from '../platform/pg-notifications.js';
import { CATALOG_EVENTS_CHANNEL, type CatalogEventFilter, type CatalogEventRecord } from './event.model.js';

export interface OutboxReader {
  listEventsAfter(cursor: string | null, filter: CatalogEventFilter, limit: number, options?: { before?: string | null; backward?: boolean }): Promise<CatalogEventRecord[]>;
}

export type LiveEventHandler = (events: readonly CatalogEventRecord[]) => void;

export interface LiveCatalogEventsOptions {
  /** Notified ids are gathered this long before one fetch. Default 10 ms. */
  batchDelayMs?: number;
  /** Without notifications: how often the outbox is polled. Default 1 s. */
  pollMs?: number;
  onError?: (error: unknown) => void;
}

const PAGE = 500;
/** Ids delivered lately, so a re-read after a gap delivers none twice. */
const REMEMBERED = 10_000;

export class LiveCatalogEvents {
  private readonly handlers = new Set<LiveEventHandler>();
  private readonly pending = new Set<bigint>();
  private readonly delivered = new Set<string>();
  private lastSeen: string | null = null;
  private started = false;
  private flushTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private stopSource: Array<() => void> = [];
  private running: Promise<void> = Promise.resolve();
  private readonly batchDelayMs: number;
  private readonly pollMs: number;

  constructor(
    private readonly outbox: OutboxReader,
    private readonly source: NotificationSource & { readonly shared: boolean },
    private readonly options: LiveCatalogEventsOptions = {},
  ) {
    this.batchDelayMs = options.batchDelayMs ?? 10;
    this.pollMs = options.pollMs ?? 1_000;
  }

  /** Subscribers of this process now (a subscription's end must bring it down: tests check there is no leak). */
  get subscribers(): number {
    return this.handlers.size;
  }

  /** Calls `handler` with each batch of newly committed events (all of them: the handler filters); returns the unsubscribe function. */
  subscribe(handler: LiveEventHandler): () => void {
    this.handlers.add(handler);
    if (!this.started) this.start();
    return () => {
      this.handlers.delete(handler);
    };
  }

  close(): void {
    clearTimeout(this.flushTimer);
    clearInterval(this.pollTimer);
    for (const stop of this.stopSource) stop();
    this.stopSource = [];
    this.started = false;
  }

  private start(): void {
    this.started = true;
    this.serially(() => this.markNewest());
    if (this.source.shared) {
      this.stopSource.push(
        this.source.on(CATALOG_EVENTS_CHANNEL, (payload) => {
          if (!/^\d{1,19}$/.test(payload)) return;
          this.pending.add(BigInt(payload));
          this.flushTimer ??= setTimeout(() => {
            this.flushTimer = undefined;
            this.serially(() => this.fetchPending());
          }, this.batchDelayMs);
        }),
        this.source.onReconnect(() => this.serially(() => this.fetchAfterLastSeen())),
      );
    } else {
      this.pollTimer = setInterval(() => this.serially(() => this.fetchAfterLastSeen()), this.pollMs);
      this.pollTimer.unref();
    }
  }

  /** One fetch at a time, in order: batches reach subscribers in the order they were fetched. */
  private serially(work: () => Promise<void>): void {
    this.running = this.running.then(work).catch((error: unknown) => this.options.onError?.(error));
  }

  /** The notified ids, read in one query per page over their range (events in between that committed are taken too). */
  private async fetchPending(): Promise<void> {
    if (this.pending.size === 0) return;
    const ids = [...this.pending].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    this.pending.clear();
    let after = (ids[0] - 1n).toString();
    const before = (ids[ids.length - 1] + 1n).toString();
    for (;;) {
      const page = await this.outbox.listEventsAfter(after, {}, PAGE, { before });
      this.deliver(page);
      if (page.length < PAGE) return;
      after = page[page.length - 1].id;
    }
  }

  /** Where "new" begins: the newest event now (polling and gap re-reads go on from there). */
  private async markNewest(): Promise<void> {
    const [newest] = await this.outbox.listEventsAfter(null, {}, 1, { backward: true });
    this.lastSeen ??= newest?.id ?? '0';
  }

  private async fetchAfterLastSeen(): Promise<void> {
    if (this.handlers.size === 0) return;
    // The first read failed (the database was down at the start): begin from now, at the next try.
    if (this.lastSeen === null) return this.markNewest();
    for (;;) {
      const page = await this.outbox.listEventsAfter(this.lastSeen, {}, PAGE);
      this.deliver(page);
      if (page.length < PAGE) return;
    }
  }

  private deliver(events: readonly CatalogEventRecord[]): void {
    const fresh = events.filter((e) => !this.delivered.has(e.id));
    if (fresh.length === 0) return;
    for (const event of fresh) {
      this.delivered.add(event.id);
      if (this.lastSeen === null || BigInt(event.id) > BigInt(this.lastSeen)) this.lastSeen = event.id;
    }
    // A Set iterates in insertion order: the oldest ids go first.
    for (const id of this.delivered) {
      if (this.delivered.size <= REMEMBERED) break;
      this.delivered.delete(id);
    }
    for (const handler of this.handlers) handler(fresh);
  }
}
