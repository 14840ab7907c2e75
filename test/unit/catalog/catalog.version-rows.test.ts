import { MAX_CACHED_VERSION_ROWS, VersionRowCache } from '../../../src/catalog/catalog.version-rows.js';
import type { VersionRow } from '../../../src/catalog/catalog.model.js';

function rows(packId: string, count: number): VersionRow[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${packId}-v${i}`,
    packId,
    registryId: 'registry',
    version: `1.0.${i}`,
    digest: `sha256:${i}`,
    size: 1n,
    charts: [],
    manifests: [],
    cloudTypes: ['all'],
    deprecated: false,
    lifecycle: null,
    removedAt: null,
    message: null,
    publishedBy: null,
    createdAt: new Date(0),
    updatedAt: new Date(0),
  }));
}

describe('VersionRowCache', () => {
  it('is bounded at 100,000 version rows by default', () => {
    expect(new VersionRowCache().maxRows).toBe(MAX_CACHED_VERSION_ROWS);
    expect(MAX_CACHED_VERSION_ROWS).toBe(100_000);
  });

  it('holds at most maxRows version rows over every pack, dropping the least recently used packs first', () => {
    const cache = new VersionRowCache(10);
    cache.set('a', 1n, rows('a', 4));
    cache.set('b', 1n, rows('b', 4));
    expect(cache.rows).toBe(8);
    // A hit makes `a` the most recently used: `b` goes first.
    expect(cache.get('a', 1n)).toHaveLength(4);
    cache.set('c', 1n, rows('c', 4));
    expect(cache.rows).toBe(8);
    expect(cache.get('b', 1n)).toBeUndefined();
    expect(cache.get('a', 1n)).toHaveLength(4);
    expect(cache.get('c', 1n)).toHaveLength(4);
    // Two packs may go to make room for one.
    cache.set('d', 1n, rows('d', 9));
    expect(cache.rows).toBe(9);
    expect(cache.size).toBe(1);
    expect(cache.get('d', 1n)).toHaveLength(9);
  });

  it('counts a pack without versions as one row, and never holds a pack larger than the whole bound', () => {
    const cache = new VersionRowCache(3);
    cache.set('empty', 1n, []);
    expect(cache.rows).toBe(1);
    expect(cache.get('empty', 1n)).toEqual([]);
    const huge = cache.set('huge', 1n, rows('huge', 4));
    // The caller still gets its rows (frozen), the cache keeps what it had.
    expect(huge).toHaveLength(4);
    expect(cache.get('huge', 1n)).toBeUndefined();
    expect(cache.get('empty', 1n)).toEqual([]);
    expect(cache.rows).toBe(1);
  });

  it('serves only the revision asked for: an older entry is dropped, a newer one kept', () => {
    const cache = new VersionRowCache(100);
    cache.set('a', 5n, rows('a', 2));
    expect(cache.get('a', 4n)).toBeUndefined();
    // A page that read an older snapshot does not cost the newer entry.
    expect(cache.get('a', 5n)).toHaveLength(2);
    cache.set('a', 3n, rows('a', 7));
    expect(cache.get('a', 5n)).toHaveLength(2);
    expect(cache.rows).toBe(2);
    expect(cache.get('a', 6n)).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.rows).toBe(0);
  });

  it('replaces a pack entry at a newer revision without counting it twice', () => {
    const cache = new VersionRowCache(100);
    cache.set('a', 1n, rows('a', 3));
    cache.set('a', 2n, rows('a', 5));
    expect(cache.rows).toBe(5);
    expect(cache.size).toBe(1);
    expect(cache.get('a', 2n)).toHaveLength(5);
  });

  it('freezes what it holds: rows are shared by every request that reads them', () => {
    const cache = new VersionRowCache();
    const held = cache.set('a', 1n, rows('a', 1));
    expect(Object.isFrozen(held)).toBe(true);
    expect(Object.isFrozen(held[0])).toBe(true);
    expect(Object.isFrozen(held[0]!.cloudTypes)).toBe(true);
    expect(() => (held[0]!.cloudTypes as string[]).push('aws')).toThrow(TypeError);
  });

  it('clear() drops every entry', () => {
    const cache = new VersionRowCache();
    cache.set('a', 1n, rows('a', 3));
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.rows).toBe(0);
    expect(cache.get('a', 1n)).toBeUndefined();
  });
});
