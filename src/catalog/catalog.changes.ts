/**
 * The one place that knows when the catalog changed, in this process or in another replica on the
 * same database: caches of catalog reads (hot listing pages, anything derived from pack versions)
 * key their entries on `generation` or clear on `onChange`, and serve only while `coherent`.
 *
 * Every catalog write calls `changed()` after it committed (the catalog and registry stores do, so
 * pushes, tags, deletes, ingests, syncs and registry edits all do): the generation moves at once in
 * this process, and a PostgreSQL `NOTIFY` tells the other replicas, whose `LISTEN` connection (the
 * process's one, src/platform/pg-notifications.ts) moves theirs when it arrives (milliseconds). A
 * replica whose `LISTEN` connection is down may have missed changes: the generation moves when it is
 * lost, it is not coherent (its caches must not serve) until the connection is back, and the
 * generation moves again on reconnect.
 *
 * The embedded database (PGlite behind a Unix socket) is only ever opened by one process
 * (src/platform/database.ts refuses a second one), so there is no other replica to hear from:
 * `useExclusiveDatabase()` makes in-process changes the whole truth, with no LISTEN connection;
 * on PostgreSQL, `useNotifications()` hears the other replicas through the process's connection.
 * (PGlite's socket server does not forward notifications to socket clients either.)
 *
 * Until one of the two is set up (a composition without a server: CLIs, test apps built from
 * createServices), the process cannot know about other writers, so it is not coherent and caches
 * stay off: correct by default, fast where the server wires it.
 */
import { randomUUID } from 'node:crypto';
import { PgNotifications, type ChannelEvents, type NotificationHandler } from '../platform/pg-notifications.js';

/** What writers need: say that the catalog changed (after the write committed). */
export interface CatalogChangeNotifier {
  changed(): void;
}

export type CatalogChangeListener = (generation: number) => void;

/** The PostgreSQL channel every replica LISTENs on; the payload is the sender's instance id. */
export const CATALOG_CHANNEL = 'pack_catalog_changes';

/** The part of the process's notification connection (PgNotifications) the change feed uses. */
export interface CatalogNotifications {
  on(channel: string, handler: NotificationHandler, events?: ChannelEvents): () => void;
  /** Resolves false when it could not be sent (the connection is down). */
  send(channel: string, payload: string): Promise<boolean>;
  isListening(channel: string): boolean;
}

type Mode = 'unwired' | 'exclusive' | 'shared' | 'closed';

export class CatalogChanges implements CatalogChangeNotifier {
  /** Tells this process's own notifications from others' (it moved its generation already). */
  readonly instanceId = randomUUID();
  private gen = 0;
  private mode: Mode = 'unwired';
  private readonly listeners = new Set<CatalogChangeListener>();
  private notifications: CatalogNotifications | null = null;
  private unsubscribe: (() => void) | undefined;
  /** The connection `listen()` opened for this feed alone (closed with it); null when it shares the process's. */
  private own: PgNotifications | null = null;
  /** A NOTIFY is being sent; `pending` asks for one more after it (writes that committed meanwhile). */
  private sending = false;
  private pending = false;

  /** Moves on every change seen (local or remote), on every loss of the LISTEN connection and on every reconnect: a cache entry made at another generation is stale. */
  get generation(): number {
    return this.gen;
  }

  /** Whether every catalog write reaches this process promptly, so a cache keyed on `generation` may serve. */
  get coherent(): boolean {
    if (this.mode === 'exclusive') return true;
    return this.mode === 'shared' && this.notifications!.isListening(CATALOG_CHANNEL);
  }

  /** The catalog changed (call after the write committed): local generation now, other replicas by NOTIFY. */
  changed(): void {
    this.bump();
    if (this.mode === 'shared') {
      this.pending = true;
      void this.flush();
    }
  }

  /** Calls `listener` with the new generation on every change; returns the unsubscribe function. */
  onChange(listener: CatalogChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** This process is the database's only client (the embedded database): in-process changes are all there are. */
  useExclusiveDatabase(): void {
    this.mode = 'exclusive';
  }

  /**
   * Hears other replicas' changes on the process's LISTEN connection (and tells them of this one's).
   * Coherent once that connection LISTENs on the channel: call before `notifications.listen()` so
   * that its first connection already does.
   */
  useNotifications(notifications: CatalogNotifications): void {
    if (this.mode === 'closed') return;
    this.unsubscribe?.();
    this.notifications = notifications;
    this.mode = 'shared';
    this.unsubscribe = notifications.on(
      CATALOG_CHANNEL,
      (payload) => {
        if (payload !== this.instanceId) this.bump();
      },
      {
        // Whatever was cached may miss changes from now on: off until the connection is back.
        disconnected: () => this.bump(),
        // Changes may have happened while nobody listened: whatever was cached before is suspect.
        reconnected: () => {
          this.bump();
          if (this.pending) void this.flush();
        },
      },
    );
  }

  /**
   * For a composition without a server (tests, tools): a notification connection of the feed's own,
   * resolved once it listens (rejects if the first connection fails). The server shares the
   * process's one connection instead (`useNotifications`).
   */
  async listen(connectionString: string, logger?: { warn(object: object, message: string): void }): Promise<void> {
    const own = new PgNotifications();
    this.useNotifications(own);
    this.own = own;
    try {
      await own.listen(connectionString, logger);
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    this.mode = 'closed';
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    const own = this.own;
    this.own = null;
    await own?.close();
  }

  private bump(): void {
    this.gen++;
    for (const listener of this.listeners) listener(this.gen);
  }

  /**
   * Sends NOTIFYs one at a time: writes that commit while one is in flight are covered by the next
   * (a burst of a sync's ingests costs a few notifications, not one each, and none is lost: one
   * that could not be sent stays pending until the reconnect).
   */
  private async flush(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.pending && this.mode === 'shared') {
        this.pending = false;
        if (!(await this.notifications!.send(CATALOG_CHANNEL, this.instanceId))) {
          this.pending = true;
          return;
        }
      }
    } finally {
      this.sending = false;
    }
  }
}
