/**
 * The process's one LISTEN connection (src/platform/pg-notifications.ts) after it is cut from the
 * server side: each channel's consumer hears `disconnected`, then `reconnected` once LISTEN is back
 * on its channel (including a channel registered after the first connection), and notifications
 * arrive again on every channel. A NOTIFY that could not go out says so (`send` is false).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PgNotifications } from '../../src/platform/pg-notifications.js';
import { waitUntil } from '../helpers/wait-until.js';

const databaseUrl = process.env.TEST_DATABASE_URL;

describe('PgNotifications: channels by name over one connection that comes back', () => {
  // Channels of this file alone: other test files NOTIFY on the service's channels meanwhile.
  const suffix = randomBytes(4).toString('hex');
  const early = `test_early_${suffix}`;
  const late = `test_late_${suffix}`;
  let notifications: PgNotifications;
  let admin: pg.Client;

  beforeAll(async () => {
    expect(databaseUrl).toBeDefined();
    admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    notifications = new PgNotifications();
  });

  afterAll(async () => {
    await notifications?.close();
    await admin?.end();
  });

  it('tells each channel of the loss and the return, and LISTENs on all of them again', async () => {
    const heard: Record<string, string[]> = { [early]: [], [late]: [] };
    const log: string[] = [];
    notifications.on(early, (payload) => heard[early].push(payload), {
      disconnected: () => log.push(`${early} disconnected`),
      reconnected: () => log.push(`${early} reconnected`),
    });
    await notifications.listen(databaseUrl!, { warn: () => undefined });
    expect(notifications.isListening(early)).toBe(true);
    // Registered once the connection is up: it LISTENs on its own.
    notifications.on(late, (payload) => heard[late].push(payload), { reconnected: () => log.push(`${late} reconnected`) });
    await waitUntil(() => notifications.isListening(late), 'the late channel is listened on');
    expect(await notifications.send(late, 'one')).toBe(true);
    await waitUntil(() => heard[late].length === 1, 'the late channel hears its NOTIFY');
    expect(log).toEqual([]); // the first connection is no reconnect

    const pid = notifications.backendPid!;
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await waitUntil(() => log.includes(`${early} disconnected`), 'the loss is told');
    expect(notifications.isListening(early)).toBe(false);
    expect(await notifications.send(early, 'lost')).toBe(false);

    await waitUntil(() => log.includes(`${early} reconnected`) && log.includes(`${late} reconnected`), 'the return is told to every channel');
    expect(notifications.backendPid).not.toBe(pid);
    expect(notifications.isListening(early) && notifications.isListening(late)).toBe(true);
    await admin.query('SELECT pg_notify($1, $2), pg_notify($3, $4)', [early, 'two', late, 'two']);
    await waitUntil(() => heard[early].includes('two') && heard[late].includes('two'), 'both channels hear NOTIFYs again');
    expect(heard[early]).toEqual(['two']);
  });
});
