/** Sync progress: throttled per run while it goes, the end sent at once, fanned out by run id. */
import { jest } from '@jest/globals';
import { SyncProgressHub, type SyncProgress } from '../../../src/registries/sync/progress.js';
import type { NotificationHandler } from '../../../src/platform/pg-notifications.js';

/** The notifications as an in-memory bus (what PgNotifications does without PostgreSQL). */
function bus() {
  const handlers = new Map<string, Set<NotificationHandler>>();
  const sent: string[] = [];
  return {
    sent,
    notify: async (channel: string, payload: string) => {
      sent.push(payload);
      for (const h of handlers.get(channel) ?? []) h(payload);
    },
    on: (channel: string, handler: NotificationHandler) => {
      if (!handlers.has(channel)) handlers.set(channel, new Set());
      handlers.get(channel)!.add(handler);
      return () => handlers.get(channel)!.delete(handler);
    },
    onReconnect: () => () => {},
  };
}

describe('sync progress', () => {
  afterEach(() => jest.useRealTimers());

  it('sends at most one progress per interval while a run goes (the last always), and its end at once', async () => {
    jest.useFakeTimers();
    const b = bus();
    const hub = new SyncProgressHub(b, b, 200);
    const counts = { added: 0, updated: 0, removed: 0, unchanged: 0, artifactsFetched: 0 };
    const reporter = hub.reporter({ id: 'run-1', registryId: 'reg' }, counts, []);
    reporter.started();
    reporter.planned(100);
    for (let i = 0; i < 100; i++) {
      counts.added++;
      reporter.itemDone();
    }
    expect(b.sent).toHaveLength(1);
    jest.advanceTimersByTime(200);
    expect(b.sent).toHaveLength(2);
    expect(JSON.parse(b.sent[1])).toMatchObject({ state: 'RUNNING', itemsDone: 100, itemsTotal: 100, added: 100 });
    reporter.itemDone();
    reporter.finished('SUCCEEDED', null, new Date('2026-01-01T00:00:00Z'));
    jest.advanceTimersByTime(1000);
    expect(b.sent).toHaveLength(3);
    expect(JSON.parse(b.sent[2])).toMatchObject({ state: 'SUCCEEDED', finishedAt: '2026-01-01T00:00:00.000Z' });
  });

  it('bounds the errors a notification carries, and hands each run only to its followers', () => {
    const b = bus();
    const hub = new SyncProgressHub(b, b, 0);
    const errors = Array.from({ length: 50 }, (_, i) => ({ item: `x:${i}`.padEnd(400, 'x'), message: 'm'.repeat(2000) }));
    const got: SyncProgress[] = [];
    const other: SyncProgress[] = [];
    hub.follow('run-a', (p) => got.push(p));
    hub.follow('run-b', (p) => other.push(p));
    hub.reporter({ id: 'run-a', registryId: 'reg' }, { added: 0, updated: 0, removed: 0, unchanged: 0, artifactsFetched: 0 }, errors).finished('PARTIAL', 'm'.repeat(5000), new Date());
    return Promise.resolve().then(() => {
      expect(other).toHaveLength(0);
      expect(got).toHaveLength(1);
      expect(got[0]).toMatchObject({ errorCount: 50, state: 'PARTIAL' });
      expect(got[0].errors).toHaveLength(10);
      expect(b.sent[0].length).toBeLessThan(8000);
    });
  });
});
