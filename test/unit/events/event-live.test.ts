/**
 * LiveCatalogEvents: notified ids read from the outbox in one query per batch, each event handed to
 * subscribers once (a re-read after a dropped LISTEN repeats none), and polling where there are no
 * notifications (the embedded database).
 */
import { jest } from '@jest/globals';
import { LiveCatalogEvents, type OutboxReader } from '../../../src/events/event.live.js';
import type { CatalogEventRecord } from '../../../src/events/event.model.js';
import type { NotificationHandler } from '../../../src/platform/pg-notifications.js';

const event = (id: number): CatalogEventRecord => ({
  id: String(id),
  type: 'PACK_VERSION_PUBLISHED',
  occurredAt: new Date(),
  registryId: 'r',
  registryName: 'r',
  pack: 'p',
  version: `1.0.${id}`,
  data: {},
});

/** An outbox of `rows` answering listEventsAfter as the store does, counting its queries. */
function outbox(rows: CatalogEventRecord[]): OutboxReader & { queries: number } {
  const reader = {
    queries: 0,
    async listEventsAfter(cursor: string | null, _filter: unknown, limit: number, options: { before?: string | null; backward?: boolean } = {}) {
      reader.queries++;
      let found = rows.filter((r) => (cursor === null || BigInt(r.id) > BigInt(cursor)) && (!options.before || BigInt(r.id) < BigInt(options.before)));
      found = options.backward ? found.slice(-limit) : found.slice(0, limit);
      return found;
    },
  };
  return reader;
}

function source(shared: boolean) {
  const handlers: NotificationHandler[] = [];
  const reconnects: Array<() => void> = [];
  return {
    shared,
    on: (_channel: string, handler: NotificationHandler) => {
      handlers.push(handler);
      return () => undefined;
    },
    onReconnect: (handler: () => void) => {
      reconnects.push(handler);
      return () => undefined;
    },
    notify: (id: number) => handlers.forEach((h) => h(String(id))),
    reconnect: () => reconnects.forEach((h) => h()),
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 40));

describe('LiveCatalogEvents', () => {
  it('reads a burst of notified ids in one query and hands each event to every subscriber once', async () => {
    const rows = [event(1)];
    const db = outbox(rows);
    const src = source(true);
    const live = new LiveCatalogEvents(db, src, { batchDelayMs: 5 });
    const a: string[] = [];
    const b: string[] = [];
    live.subscribe((batch) => a.push(...batch.map((e) => e.id)));
    live.subscribe((batch) => b.push(...batch.map((e) => e.id)));
    await settle();
    const before = db.queries;
    for (let id = 2; id <= 21; id++) {
      rows.push(event(id));
      src.notify(id);
    }
    await settle();
    expect(db.queries - before).toBe(1);
    const expected = Array.from({ length: 20 }, (_, i) => String(i + 2));
    expect(a).toEqual(expected);
    expect(b).toEqual(expected);
    // A dropped LISTEN: what came after the last event seen is read again; nothing is repeated.
    rows.push(event(22));
    src.reconnect();
    src.notify(22);
    await settle();
    expect(a).toEqual([...expected, '22']);
    live.close();
  });

  it('polls the outbox where there are no notifications', async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick', 'setImmediate'] });
    try {
      const rows = [event(5)];
      const db = outbox(rows);
      const live = new LiveCatalogEvents(db, source(false), { pollMs: 100 });
      const got: string[] = [];
      live.subscribe((batch) => got.push(...batch.map((e) => e.id)));
      await jest.advanceTimersByTimeAsync(0);
      rows.push(event(6), event(7));
      await jest.advanceTimersByTimeAsync(100);
      expect(got).toEqual(['6', '7']);
      live.close();
    } finally {
      jest.useRealTimers();
    }
  });
});
