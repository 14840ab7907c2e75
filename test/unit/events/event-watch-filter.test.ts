/** The in-memory event filter of subscriptions, and what `after` accepts. */
import { eventIdOfCursor, eventMatches } from '../../../src/events/event.watch.js';
import { toGlobalId } from '../../../src/graphql/node.js';
import { cursorOf } from '../../../src/graphql/connection.js';
import type { CatalogEventRecord } from '../../../src/events/event.model.js';

const event = (overrides: Partial<CatalogEventRecord> = {}): CatalogEventRecord => ({
  id: '42',
  type: 'PACK_VERSION_PUBLISHED',
  occurredAt: new Date(),
  registryId: 'reg-a',
  registryName: 'a',
  pack: 'nginx',
  version: '1.0.0',
  data: {},
  ...overrides,
});

describe('subscription event filter', () => {
  it('lets through what the scope and filter allow, as the outbox query would', () => {
    expect(eventMatches({ registryIds: null }, event())).toBe(true);
    expect(eventMatches({ registryIds: ['reg-b'] }, event())).toBe(false);
    expect(eventMatches({ registryIds: [] }, event())).toBe(false);
    expect(eventMatches({ registryIds: ['reg-a'] }, event({ registryId: null }))).toBe(false);
    expect(eventMatches({ types: ['SYNC_FAILED'], registryIds: null }, event())).toBe(false);
    expect(eventMatches({ types: [], packs: [], registryIds: null }, event())).toBe(true);
    expect(eventMatches({ packs: ['nginx'], registryIds: null }, event())).toBe(true);
    expect(eventMatches({ packs: ['other'], registryIds: null }, event({ pack: null }))).toBe(false);
  });

  it('takes a catalogEvents cursor, an event id or an outbox id as `after`, and nothing else', () => {
    expect(eventIdOfCursor(cursorOf('17'))).toBe('17');
    expect(eventIdOfCursor(toGlobalId('CatalogEvent', '18'))).toBe('18');
    expect(eventIdOfCursor('19')).toBe('19');
    expect(() => eventIdOfCursor('nope')).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(() => eventIdOfCursor(toGlobalId('SyncRun', '00000000-0000-0000-0000-000000000000'))).toThrow();
  });
});
