/**
 * PostgreSQL `LISTEN/NOTIFY`: the one listening connection of the process, for every consumer (the
 * catalog's change feed, subscriptions' sync progress and catalog events, the webhook dispatcher's
 * wake-ups). Channels are registered by name; each notification is fanned out in memory to this
 * process's handlers. A dropped connection is reopened with backoff and LISTENs again on every
 * channel; each channel's `reconnected` callback then lets its consumer catch up.
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

/** What a consumer hears about its channel's connection, besides the notifications. */
export interface ChannelEvents {
  /** The connection was lost: notifications on the channel are missed until `reconnected`. */
  disconnected?(): void;
  /** LISTEN on the channel took effect again after a loss: notifications sent meanwhile were lost, catch up. */
  reconnected?(): void;
}

/** What publishers need. */
export interface Notifier {
  notify(channel: string, payload: string): Promise<void>;
}

/** What subscribers need. */
export interface NotificationSource {
  /** Calls `handler` with each payload on `channel` (and `events` on the connection's loss and return); returns the unsubscribe function. */
  on(channel: string, handler: NotificationHandler, events?: ChannelEvents): () => void;
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
/** How the connection shows in pg_stat_activity. */
export const NOTIFICATIONS_APPLICATION_NAME = 'pack-catalog-notifications';

interface Subscription {
  handler: NotificationHandler;
  events: ChannelEvents;
}

export class PgNotifications implements Notifier, NotificationSource {
  private readonly handlers = new Map<string, Set<Subscription>>();
  private readonly reconnectHandlers = new Set<() => void>();
  /** Channels whose LISTEN took effect on the current connection. */
  private readonly listening = new Set<string>();
  /** Channels whose LISTEN was sent on the current connection (done or in flight). */
  private readonly requested = new Set<string>();
  private connectionString: string | null = null;
  private client: pg.Client | null = null;
  private closed = false;
  private logger: NotificationLogger | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelay = RECONNECT_MIN_MS;
  /** A connection was up before: the next one is a reconnect, after which subscribers catch up. */
  private wasConnected = false;
  /** The current connection's last statement: one at a time on it (pg 9 refuses overlapping queries). */
  private tail: Promise<unknown> = Promise.resolve();

  /** Whether notifications go through PostgreSQL (every replica hears them) rather than this process only. */
  get shared(): boolean {
    return this.connectionString !== null;
  }

  /** Whether notifications on `channel` reach this process now (the connection is up and LISTENs on it). */
  isListening(channel: string): boolean {
    return this.client !== null && this.listening.has(channel);
  }

  /** The PostgreSQL backend pid of the listening connection (null while down): for operators and tests. */
  get backendPid(): number | null {
    return (this.client as (pg.Client & { processID?: number }) | null)?.processID ?? null;
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

  on(channel: string, handler: NotificationHandler, events: ChannelEvents = {}): () => void {
    assertChannel(channel);
    let set = this.handlers.get(channel);
    if (!set) this.handlers.set(channel, (set = new Set()));
    const subscription = { handler, events };
    set.add(subscription);
    if (this.client && !this.requested.has(channel)) void this.listenOn(this.client, channel);
    return () => {
      set.delete(subscription);
    };
  }

  onReconnect(handler: () => void): () => void {
    this.reconnectHandlers.add(handler);
    return () => this.reconnectHandlers.delete(handler);
  }

  /** Sends `payload` (at most ~8000 bytes: PostgreSQL's limit) on `channel` to every replica (see `send`). */
  async notify(channel: string, payload: string): Promise<void> {
    await this.send(channel, payload);
  }

  /**
   * `notify`, saying whether it went out: false when the connection is down or closed (subscribers
   * catch up on reconnect; a sender may keep it pending until then).
   */
  async send(channel: string, payload: string): Promise<boolean> {
    assertChannel(channel);
    if (this.closed) return false;
    const client = this.client;
    if (this.connectionString === null) {
      // No PostgreSQL to go through: this process is the only listener there is.
      queueMicrotask(() => this.deliver(channel, payload));
      return true;
    }
    if (!client) return false;
    try {
      await this.serially(() => client.query('SELECT pg_notify($1, $2)', [channel, payload]));
      return true;
    } catch (error) {
      this.lost(client, error as Error);
      return false;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    this.listening.clear();
    await client?.end().catch(() => undefined);
  }

  private deliver(channel: string, payload: string): void {
    for (const { handler } of this.handlers.get(channel) ?? []) this.safely(channel, () => handler(payload));
  }

  private safely(channel: string | undefined, call: () => void): void {
    try {
      call();
    } catch (error) {
      this.logger?.warn({ err: error, channel }, 'a notification handler failed');
    }
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString!, application_name: NOTIFICATIONS_APPLICATION_NAME });
    client.on('notification', (message) => this.deliver(message.channel, message.payload ?? ''));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, null));
    // One statement for every channel known so far; channels registered meanwhile LISTEN once the client is set.
    const channels = [...this.handlers.keys()];
    try {
      await client.connect();
      if (channels.length > 0) await client.query(channels.map((channel) => `LISTEN ${channel}`).join('; '));
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.requested.clear();
    this.listening.clear();
    for (const channel of channels) {
      this.requested.add(channel);
      this.listening.add(channel);
    }
    const reconnected = this.wasConnected;
    this.client = client;
    this.tail = Promise.resolve();
    for (const channel of this.handlers.keys()) if (!this.requested.has(channel)) void this.listenOn(client, channel);
    this.wasConnected = true;
    this.reconnectDelay = RECONNECT_MIN_MS;
    if (!reconnected) return;
    for (const [channel, subscriptions] of this.handlers) {
      for (const { events } of subscriptions) if (events.reconnected) this.safely(channel, events.reconnected);
    }
    for (const handler of this.reconnectHandlers) this.safely(undefined, handler);
  }

  private async listenOn(client: pg.Client, channel: string): Promise<void> {
    this.requested.add(channel);
    try {
      await this.serially(() => client.query(`LISTEN ${channel}`));
      if (this.client === client) this.listening.add(channel);
    } catch (error) {
      this.requested.delete(channel);
      this.lost(client, error as Error);
    }
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.tail.then(work, work);
    this.tail = next.catch(() => undefined);
    return next;
  }

  private lost(client: pg.Client, error: Error | null): void {
    if (this.client !== client || this.closed) return;
    this.client = null;
    this.listening.clear();
    this.logger?.warn({ err: error ?? undefined }, 'notification connection lost: live updates resume when it is back');
    client.end().catch(() => undefined);
    for (const [channel, subscriptions] of this.handlers) {
      for (const { events } of subscriptions) if (events.disconnected) this.safely(channel, events.disconnected);
    }
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
