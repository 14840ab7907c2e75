/**
 * The one place that knows when the catalog changed, in this process or in another replica on the
 * same database: caches of catalog reads (hot listing pages, anything derived from pack versions)
 * key their entries on `generation` or clear on `onChange`, and serve only while `coherent`.
 *
 * Every catalog write calls `changed()` after it committed (the catalog and registry stores do, so
 * pushes, tags, deletes, ingests, syncs and registry edits all do): the generation moves at once in
 * this process, and a PostgreSQL `NOTIFY` tells the other replicas, whose `LISTEN` connection moves
 * theirs when it arrives (milliseconds). A replica whose `LISTEN` connection is down may have missed
 * changes: it is not coherent (its caches must not serve) until the connection is back, and the
 * generation moves again on reconnect.
 *
 * The embedded database (PGlite behind a Unix socket) is only ever opened by one process
 * (src/platform/database.ts refuses a second one), so there is no other replica to hear from:
 * `useExclusiveDatabase()` makes in-process changes the whole truth, with no LISTEN connection.
 * (PGlite's socket server does not forward notifications to socket clients either.)
 *
 * Until one of the two is set up (a composition without a server: CLIs, test apps built from
 * createServices), the process cannot know about other writers, so it is not coherent and caches
 * stay off: correct by default, fast where the server wires it.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** What writers need: say that the catalog changed (after the write committed). */
export interface CatalogChangeNotifier {
  changed(): void;
}

export type CatalogChangeListener = (generation: number) => void;

/** The PostgreSQL channel every replica LISTENs on; the payload is the sender's instance id. */
export const CATALOG_CHANNEL = 'pack_catalog_changes';

const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5_000;

interface ChangeLogger {
  warn(object: object, message: string): void;
}

type Mode = 'unwired' | 'exclusive' | 'listening' | 'disconnected' | 'closed';

export class CatalogChanges implements CatalogChangeNotifier {
  /** Tells this process's own notifications from others' (it moved its generation already). */
  readonly instanceId = randomUUID();
  private gen = 0;
  private mode: Mode = 'unwired';
  private readonly listeners = new Set<CatalogChangeListener>();
  private client: pg.Client | null = null;
  private connectionString: string | null = null;
  private logger: ChangeLogger | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelay = RECONNECT_MIN_MS;
  /** A NOTIFY is being sent; `pending` asks for one more after it (writes that committed meanwhile). */
  private sending = false;
  private pending = false;

  /** Moves on every change seen (local or remote) and on every reconnect: a cache entry made at another generation is stale. */
  get generation(): number {
    return this.gen;
  }

  /** Whether every catalog write reaches this process promptly, so a cache keyed on `generation` may serve. */
  get coherent(): boolean {
    return this.mode === 'exclusive' || this.mode === 'listening';
  }

  /** The catalog changed (call after the write committed): local generation now, other replicas by NOTIFY. */
  changed(): void {
    this.bump();
    if (this.connectionString !== null && this.mode !== 'closed') {
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
   * Opens the LISTEN connection to PostgreSQL; resolves once listening (rejects if the first
   * connection fails). Later drops reconnect on their own, with backoff.
   */
  async listen(connectionString: string, logger?: ChangeLogger): Promise<void> {
    this.connectionString = connectionString;
    this.logger = logger;
    await this.connect();
  }

  async close(): Promise<void> {
    this.mode = 'closed';
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private bump(): void {
    this.gen++;
    for (const listener of this.listeners) listener(this.gen);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString!, application_name: 'pack-catalog-changes' });
    client.on('notification', (message) => {
      if (message.channel === CATALOG_CHANNEL && message.payload !== this.instanceId) this.bump();
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, null));
    await client.connect();
    await client.query(`LISTEN ${CATALOG_CHANNEL}`);
    if (this.mode === 'closed') {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.mode = 'listening';
    this.reconnectDelay = RECONNECT_MIN_MS;
    // Changes may have happened while nobody listened: whatever was cached before is suspect.
    this.bump();
    if (this.pending) void this.flush();
  }

  private lost(client: pg.Client, error: Error | null): void {
    if (this.client !== client || this.mode === 'closed') return;
    this.client = null;
    this.mode = 'disconnected';
    this.bump();
    this.logger?.warn({ err: error ?? undefined }, 'catalog change notifications lost: caches off until the LISTEN connection is back');
    client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      if (this.mode === 'closed') return;
      this.connect().catch((error: unknown) => {
        this.logger?.warn({ err: error }, 'catalog change notifications: reconnect failed');
        this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
        this.scheduleReconnect();
      });
    }, this.reconnectDelay);
    this.reconnectTimer.unref();
  }

  /**
   * Sends NOTIFYs one at a time: writes that commit while one is in flight are covered by the next
   * (a burst of a sync's ingests costs a few notifications, not one each, and none is lost).
   */
  private async flush(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.pending && this.client && this.mode === 'listening') {
        this.pending = false;
        const client = this.client;
        try {
          await client.query('SELECT pg_notify($1, $2)', [CATALOG_CHANNEL, this.instanceId]);
        } catch (error) {
          // The connection broke: `lost` reconnects, and the reconnect sends what is still pending.
          this.pending = true;
          this.lost(client, error as Error);
        }
      }
    } finally {
      this.sending = false;
    }
  }
}
