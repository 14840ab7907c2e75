import { ListingRowCache, MAX_LISTING_PAGES, MAX_LISTING_ROWS } from '../../../src/catalog/catalog.listing-rows.js';
import type { PackRow } from '../../../src/catalog/catalog.model.js';
import type { RegistryRecord } from '../../../src/registries/registry.model.js';

const registry = (name: string) => ({ id: name, name, priority: 0 }) as RegistryRecord;
const pack = (id: string, r: RegistryRecord) => ({ id, name: id, registryId: r.id, registry: r }) as PackRow;

describe('ListingRowCache', () => {
  it('holds at most MAX_LISTING_ROWS pack rows by default, dropping the least recently used first', () => {
    expect(MAX_LISTING_ROWS).toBe(10_000);
    const cache = new ListingRowCache(2);
    const r = registry('r');
    for (const id of ['a', 'b']) cache.keepPack(id, '1', r, undefined, () => pack(id, r));
    cache.keepPack('c', '1', r, undefined, () => pack('c', r));
    expect(cache.size).toBe(2);
    expect(cache.heldPack('a')).toBeUndefined();
    expect(cache.heldPack('c')?.xmin).toBe('1');
  });

  it('reuses a held pack row only with the registry record it was made with', () => {
    const cache = new ListingRowCache();
    const r1 = registry('r');
    const row = cache.keepPack('a', '5', r1, undefined, () => pack('a', r1));
    expect(cache.keepPack('a', '5', r1, row, () => pack('a', r1))).toBe(row);
    // The registry changed (a new record): the pack gets a new row with it.
    const r2 = registry('r');
    const moved = cache.keepPack('a', '5', r2, row, () => ({ ...row, registry: r2 }));
    expect(moved).not.toBe(row);
    expect(moved.registry).toBe(r2);
    expect(cache.heldPack('a')?.row).toBe(moved);
  });

  it('remembers the packs each page listed last, a bounded number of pages', () => {
    // As many pages as the page cache holds (their arrays keep the same memos alive).
    expect(MAX_LISTING_PAGES).toBe(256);
    const cache = new ListingRowCache(20, 2);
    expect(cache.pageMembers('p1')).toEqual([]);
    cache.pageSources('p1', ['a'], new Map());
    cache.pageSources('p2', ['b'], new Map());
    cache.pageSources('p3', ['c'], new Map());
    expect(cache.pageMembers('p1')).toEqual([]);
    expect(cache.pageMembers('p3')).toEqual(['c']);
  });

  it("gives a page its last sources arrays only when every name holds the same rows, else all new ones", () => {
    const cache = new ListingRowCache();
    const r = registry('r');
    const [a, b, c] = [pack('a', r), pack('b', r), pack('c', r)];
    const first = new Map([['x', [a, b]], ['y', [c]]]);
    expect(cache.pageSources('p', ['a', 'b', 'c'], first)).toBe(first);
    const same = cache.pageSources('p', ['a', 'b', 'c'], new Map([['x', [a, b]], ['y', [c]]]));
    expect(same).toBe(first);
    // One row changed: no array of the page is reused.
    const c2 = pack('c', r);
    const changed = new Map([['x', [a, b]], ['y', [c2]]]);
    const answer = cache.pageSources('p', ['a', 'b', 'c'], changed);
    expect(answer).toBe(changed);
    expect(answer.get('x')).not.toBe(first.get('x'));
    // Another order of the same rows is another answer too.
    const reordered = new Map([['x', [b, a]], ['y', [c2]]]);
    expect(cache.pageSources('p', ['a', 'b', 'c'], reordered)).toBe(reordered);
  });

  it('clear() drops every row and page', () => {
    const cache = new ListingRowCache();
    const r = registry('r');
    cache.keepRegistry('r', '1', r);
    cache.keepPack('a', '1', r, undefined, () => pack('a', r));
    cache.pageSources('p', ['a'], new Map());
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.heldRegistries()).toEqual([]);
    expect(cache.pageMembers('p')).toEqual([]);
  });
});
