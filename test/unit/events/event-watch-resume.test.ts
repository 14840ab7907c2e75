/** A resumed subscription (`after`) sends each event once, whenever its live notification arrives. */
import { CatalogEventWatch } from '../../../src/events/event.watch.js';
import type { CatalogEventRecord } from '../../../src/events/event.model.js';
import type { EventService } from '../../../src/events/event.service.js';
import type { LiveCatalogEvents, LiveEventHandler } from '../../../src/events/event.live.js';
import type { Principal } from '../../../src/auth/principal.js';

const event = (id: string): CatalogEventRecord => ({
  id,
  type: 'PACK_VERSION_PUBLISHED',
  occurredAt: new Date(),
  registryId: 'reg-a',
  registryName: 'a',
  pack: 'nginx',
  version: `${id}.0.0`,
  data: {},
});

describe('catalogEvents subscription resumed after a cursor', () => {
  it('does not send again a replayed event whose notification comes after the replay', async () => {
    // The outbox holds 1 and 2 when the subscriber resumes from 0.
    const events = {
      scopedFilter: async () => ({ registryIds: null }),
      events: { listEventsAfter: async (cursor: string | null) => (cursor === '0' ? [event('1'), event('2')] : []) },
    } as unknown as EventService;
    let live: LiveEventHandler = () => undefined;
    const feed = { subscribe: (handler: LiveEventHandler) => ((live = handler), () => undefined) } as unknown as LiveCatalogEvents;
    const watch = new CatalogEventWatch(events, feed, { scopeRefreshMs: 60_000 });

    const stream = await watch.watch({} as Principal, {}, '0');
    // 2's NOTIFY reached this process late (a loaded machine): it comes with 3, after the replay read 2.
    live([event('2'), event('3')]);
    live([event('4')]);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(((await stream.next()).value as CatalogEventRecord).id);
    await stream.return();
    expect(ids).toEqual(['1', '2', '3', '4']);
  });
});
