/**
 * PostgreSQL `LISTEN/NOTIFY` for live updates (subscriptions): one listening connection per process,
 * any number of channels, each notification fanned out in memory to this process's handlers.
 *
 * Before `listen()` (the embedded database, test apps built from createServices, CLIs), a
 * notification is delivered to this process's own handlers only: the embedded database has no
 * other client, and PGlite's socket server forwards no notifications anyway. Once listening, every
 * notification goes through PostgreSQL, so each replica (this one included) hears it the same way.
 *
 * A notification may be lost while the connection is down: handlers registered with `onReconnect`
 * are called when it is back, to catch up from their own source of truth (the outbox, the run row).
 */
import pg from 'pg';

export type NotificationHandler = (payload: string) => void;

/** What publishers need. */
export interface Notifier {
  notify(channel: string, payload: string): Promise<void>;
}

/** What subscribers need. */
export interface NotificationSource {
  /** Calls `handler` with each payload on `channel`; returns the unsubscribe function. */
  on(channel: string, handler: NotificationHandler): () => void;
  /** Calls `handler` after the listening connection came back from a drop (notifications may have been lost). */
  onReconnect(handler: () => void): () => void;
}

interface NotificationLogger {
  warn(object: object, message: string): void;
}

/** PostgreSQL identifiers we LISTEN on: fixed names from the code, never caller input. */
const CHANNEL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5_000;

export class PgNotifications implements Notifier, NotificationSource {
  private readonly handlers = new Map<string, Set<NotificationHandler>>();
  private readonly reconnectHandlers = new Set<() => void>();
  private readonly listening = new Set<string>();
  private connectionString: string | null = null;
  private client: pg.Client | null = null;
  private closed = false;
  private logger: NotificationLogger | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelay = RECONNECT_MIN_MS;
  /** A connection was up before: the next one is a reconnect, after which subscribers catch up. */
  private wasConnected = false;

  /** Whether notifications go through PostgreSQL (every replica hears them) rather than this process only. */
  get shared(): boolean {
    return this.connectionString !== null;
  }

  /**
   * Opens the listening connection (resolves once it listens on every channel asked for so far;
   * rejects if the first connection fails). Later drops reconnect with backoff.
   */
  async listen(connectionString: string, logger?: NotificationLogger): Promise<void> {
    this.connectionString = connectionString;
    this.logger = logger;
    await this.connect();
  }

  on(channel: string, handler: NotificationHandler): () => void {
    assertChannel(channel);
    let set = this.handlers.get(channel);
    if (!set) this.handlers.set(channel, (set = new Set()));
    set.add(handler);
    if (this.client && !this.listening.has(channel)) void this.listenOn(this.client, channel);
    return () => {
      set.delete(handler);
    };
  }

  onReconnect(handler: () => void): () => void {
    this.reconnectHandlers.add(handler);
    return () => this.reconnectHandlers.delete(handler);
  }

  /** Sends `payload` (at most ~8000 bytes: PostgreSQL's limit) on `channel` to every replica. */
  async notify(channel: string, payload: string): Promise<void> {
    assertChannel(channel);
    if (this.closed) return;
    const client = this.client;
    if (this.connectionString === null) {
      // No PostgreSQL to go through: this process is the only listener there is.
      queueMicrotask(() => this.deliver(channel, payload));
      return;
    }
    if (!client) return; // down: subscribers catch up on reconnect
    await client.query('SELECT pg_notify($1, $2)', [channel, payload]).catch((error: unknown) => this.lost(client, error as Error));
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private deliver(channel: string, payload: string): void {
    for (const handler of this.handlers.get(channel) ?? []) {
      try {
        handler(payload);
      } catch (error) {
        this.logger?.warn({ err: error, channel }, 'a notification handler failed');
      }
    }
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString!, application_name: 'pack-catalog-notifications' });
    client.on('notification', (message) => this.deliver(message.channel, message.payload ?? ''));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, null));
    await client.connect();
    this.listening.clear();
    for (const channel of this.handlers.keys()) await this.listenOn(client, channel);
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    const reconnected = this.wasConnected;
    this.client = client;
    this.wasConnected = true;
    this.reconnectDelay = RECONNECT_MIN_MS;
    if (reconnected) for (const handler of this.reconnectHandlers) handler();
  }

  private async listenOn(client: pg.Client, channel: string): Promise<void> {
    this.listening.add(channel);
    await client.query(`LISTEN ${channel}`).catch((error: unknown) => {
      this.listening.delete(channel);
      this.lost(client, error as Error);
    });
  }

  private lost(client: pg.Client, error: Error | null): void {
    if (this.client !== client || this.closed) return;
    this.client = null;
    this.logger?.warn({ err: error ?? undefined }, 'notification connection lost: live updates resume when it is back');
    client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      if (this.closed) return;
      this.connect().catch((error: unknown) => {
        this.logger?.warn({ err: error }, 'notification connection: reconnect failed');
        this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
        this.scheduleReconnect();
      });
    }, this.reconnectDelay);
    this.reconnectTimer.unref();
  }
}

function assertChannel(channel: string): void {
  if (!CHANNEL_NAME.test(channel)) throw new Error(`Not a notification channel name: ${channel}`);
}
