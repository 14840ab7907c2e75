/**
 * One LISTEN connection per process: a server (startServer on PostgreSQL) with all three consumers
 * active (the catalog's change feed, subscriptions' sync progress and catalog events, the webhook
 * dispatcher's wake-ups) LISTENs on every channel through one connection, and through one again
 * after that connection was cut (each consumer catching up: the catalog's generation moves).
 *
 * Every pg client this process connects is recorded (Prisma's pool included), so a consumer that
 * opened a connection of its own would show, whatever its application_name.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import pg from 'pg';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { startServer, type RunningServer } from '../../src/app/server.js';
import { CATALOG_CHANNEL } from '../../src/catalog/catalog.changes.js';
import { CATALOG_EVENTS_CHANNEL } from '../../src/events/event.model.js';
import { SYNC_PROGRESS_CHANNEL } from '../../src/registries/sync/progress.js';
import { WEBHOOK_DELIVERIES_CHANNEL } from '../../src/webhooks/webhook.wakeup.js';
import { NOTIFICATIONS_APPLICATION_NAME } from '../../src/platform/pg-notifications.js';
import { waitUntil } from '../helpers/wait-until.js';

const databaseUrl = process.env.TEST_DATABASE_URL;
const CHANNELS = [CATALOG_CHANNEL, SYNC_PROGRESS_CHANNEL, CATALOG_EVENTS_CHANNEL, WEBHOOK_DELIVERIES_CHANNEL];

type Recorded = pg.Client & { processID?: number; connection?: { stream?: { localPort?: number } } };

describe('notifications: one LISTEN connection per process', () => {
  const clients = new Set<Recorded>();
  /** The clients that sent a LISTEN, with the channels each listened on. */
  const listeners = new Map<Recorded, Set<string>>();
  let server: RunningServer;
  let dataDir: string;
  let admin: pg.Client;
  let stops: Array<() => void> = [];

  beforeAll(async () => {
    expect(databaseUrl).toBeDefined();
    const connect = pg.Client.prototype.connect;
    jest.spyOn(pg.Client.prototype, 'connect').mockImplementation(function (this: Recorded, ...args: unknown[]) {
      clients.add(this);
      return (connect as unknown as (...a: unknown[]) => Promise<void>).apply(this, args);
    } as unknown as typeof connect);
    const query = pg.Client.prototype.query;
    jest.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: Recorded, ...args: unknown[]) {
      const text = typeof args[0] === 'string' ? args[0] : '';
      for (const match of text.matchAll(/LISTEN (\w+)/g)) {
        if (!listeners.has(this)) listeners.set(this, new Set());
        listeners.get(this)!.add(match[1]);
      }
      return (query as unknown as (...a: unknown[]) => unknown).apply(this, args);
    } as unknown as typeof query);

    dataDir = await mkdtemp(path.join(tmpdir(), 'pack-catalog-one-listen-'));
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl!,
      DATA_DIR: dataDir,
      ADMIN_TOKEN: `one-listen-${randomBytes(12).toString('hex')}`,
      SECRET_KEY: 'a'.repeat(64),
      SEED_DEFAULT_REGISTRY: 'false',
      SYNC_ENABLED: 'false',
      WEBHOOK_DISPATCH_ENABLED: 'true',
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'silent',
    });
    server = await startServer(config, { logger: createLogger({ level: 'silent' }) });
    // What a syncRun and a catalogEvents subscription do (the catalog feed and webhooks are wired by the server).
    stops = [server.services.syncProgress.follow('a-run-nobody-runs', () => undefined), server.services.liveEvents.subscribe(() => undefined)];
    admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
  });

  afterAll(async () => {
    for (const stop of stops) stop();
    await server?.close();
    await admin?.end();
    jest.restoreAllMocks();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** This process's connections as PostgreSQL sees them, by the local ports of the clients it connected. */
  async function ownSessions(): Promise<Array<{ pid: number; application_name: string }>> {
    const ports = [...clients].map((client) => client.connection?.stream?.localPort).filter((port): port is number => typeof port === 'number');
    const { rows } = await admin.query(
      `SELECT pid, application_name FROM pg_stat_activity WHERE client_addr IS NOT NULL AND client_port = ANY($1::int[]) AND application_name LIKE 'pack-catalog%'`,
      [ports],
    );
    return rows;
  }

  it('LISTENs on every consumer channel through one connection, before and after a reconnect', async () => {
    const notifications = server.services.notifications;
    await waitUntil(() => CHANNELS.every((channel) => notifications.isListening(channel)), 'every channel is listened on');
    expect(listeners.size).toBe(1);
    const [first] = listeners.keys();
    expect([...listeners.get(first)!].sort()).toEqual([...CHANNELS].sort());
    const pid = notifications.backendPid!;
    expect(first.processID).toBe(pid);
    expect(await ownSessions()).toEqual([{ pid, application_name: NOTIFICATIONS_APPLICATION_NAME }]);

    // Cut it (a PostgreSQL restart, a network cut): one connection comes back, on every channel again.
    const generation = server.services.catalogChanges.generation;
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await waitUntil(() => notifications.backendPid !== null && notifications.backendPid !== pid, 'reconnected');
    await waitUntil(() => CHANNELS.every((channel) => notifications.isListening(channel)), 'every channel is listened on again');
    expect(server.services.catalogChanges.generation).toBeGreaterThan(generation);
    expect(server.services.catalogChanges.coherent).toBe(true);
    const live = [...listeners].filter(([client]) => client.processID !== pid);
    expect(live).toHaveLength(1);
    expect([...live[0][1]].sort()).toEqual([...CHANNELS].sort());
    const newPid = notifications.backendPid!;
    expect(await ownSessions()).toEqual([{ pid: newPid, application_name: NOTIFICATIONS_APPLICATION_NAME }]);
  });
});
