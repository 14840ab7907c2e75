/**
 * Issue 19, point 4: a replica that loses its LISTEN connection drops its caches until it reconnects.
 * The connection is cut from the server side (pg_terminate_backend, what a PostgreSQL restart or a
 * network cut does to it): while it is down the page cache serves nothing (every read loads), changes
 * made meanwhile by another replica are not missed (the reconnect moves the generation), and once it
 * is back caching resumes.
 */
import pg from 'pg';
import { CatalogChanges, CATALOG_CHANNEL } from '../../src/catalog/catalog.changes.js';
import { CatalogPageCache } from '../../src/catalog/catalog.page-cache.js';
import { PgNotifications } from '../../src/platform/pg-notifications.js';
import { waitUntil } from '../helpers/wait-until.js';

const databaseUrl = process.env.TEST_DATABASE_URL;

describe('catalog changes: a lost LISTEN connection', () => {
  let changes: CatalogChanges;
  let notifications: PgNotifications;
  let admin: pg.Client;

  beforeAll(async () => {
    // LISTEN/NOTIFY is PostgreSQL's (the embedded database has one process and no LISTEN connection).
    expect(databaseUrl).toBeDefined();
    admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    // The change feed hears other replicas through the process's one notification connection, as in the server.
    notifications = new PgNotifications();
    changes = new CatalogChanges();
    changes.useNotifications(notifications);
    await notifications.listen(databaseUrl!, { warn: () => undefined });
    expect(changes.coherent).toBe(true);
  });

  afterAll(async () => {
    await changes?.close();
    await notifications?.close();
    await admin?.end();
  });

  it('serves no cached page while disconnected, misses no change made meanwhile, and caches again once back', async () => {
    const cache = new CatalogPageCache(changes);
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get('page', load)).toBe(1);
    expect(await cache.get('page', load)).toBe(1); // cached

    const pid = notifications.backendPid;
    expect(pid).not.toBeNull();
    const generationBefore = changes.generation;
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await waitUntil(() => !changes.coherent, 'the loss is seen');
    expect(changes.generation).toBeGreaterThan(generationBefore);
    // Down: each read goes to the database, and nothing is kept.
    expect(await cache.get('page', load)).toBe(2);
    expect(await cache.get('page', load)).toBe(3);
    expect(cache.size).toBe(0);

    // Another replica writes while this one is deaf: its notification is lost to this replica...
    await admin.query('SELECT pg_notify($1, $2)', [CATALOG_CHANNEL, 'another-replica']);
    const generationWhileDown = changes.generation;
    // ...so the reconnect itself moves the generation: nothing cached before it can serve after it.
    await waitUntil(() => changes.coherent, 'reconnected');
    expect(changes.generation).toBeGreaterThan(generationWhileDown);
    expect(await cache.get('page', load)).toBe(4);
    expect(await cache.get('page', load)).toBe(4); // caching again

    // And notifications arrive again: another replica's change drops the page.
    const generationBack = changes.generation;
    await admin.query('SELECT pg_notify($1, $2)', [CATALOG_CHANNEL, 'another-replica']);
    await waitUntil(() => changes.generation > generationBack, 'the notification arrives');
    expect(await cache.get('page', load)).toBe(5);
  });
});
