import { CatalogChanges } from '../../../src/catalog/catalog.changes.js';
import { CatalogPageCache, readScopeKey } from '../../../src/catalog/catalog.page-cache.js';
import { ANONYMOUS, type Principal } from '../../../src/auth/principal.js';

function counter() {
  let calls = 0;
  return {
    load: (value: string) => () => {
      calls++;
      return Promise.resolve(`${value}#${calls}`);
    },
    get calls() {
      return calls;
    },
  };
}

function exclusive(): CatalogChanges {
  const changes = new CatalogChanges();
  changes.useExclusiveDatabase();
  return changes;
}

describe('CatalogPageCache', () => {
  it('never serves while its CatalogChanges is not coherent (other writers could go unseen)', async () => {
    const cache = new CatalogPageCache(new CatalogChanges());
    const loads = counter();
    expect(await cache.get('k', loads.load('page'))).toBe('page#1');
    expect(await cache.get('k', loads.load('page'))).toBe('page#2');
    expect(cache.size).toBe(0);
  });

  it('serves a key from memory until the catalog changes, then loads it again', async () => {
    const changes = exclusive();
    const cache = new CatalogPageCache(changes);
    const loads = counter();
    expect(await cache.get('k', loads.load('page'))).toBe('page#1');
    expect(await cache.get('k', loads.load('page'))).toBe('page#1');
    expect(await cache.get('other', loads.load('other'))).toBe('other#2');
    changes.changed();
    expect(cache.size).toBe(0);
    expect(await cache.get('k', loads.load('page'))).toBe('page#3');
  });

  it('shares one load between concurrent misses on a key', async () => {
    const cache = new CatalogPageCache(exclusive());
    const loads = counter();
    const answers = await Promise.all([1, 2, 3].map(() => cache.get('k', loads.load('page'))));
    expect(answers).toEqual(['page#1', 'page#1', 'page#1']);
    expect(loads.calls).toBe(1);
  });

  it('does not serve a load that overlapped a change (it may hold the catalog from before the write)', async () => {
    const changes = exclusive();
    const cache = new CatalogPageCache(changes);
    let release!: (value: string) => void;
    const slow = cache.get('k', () => new Promise<string>((resolve) => (release = resolve)));
    changes.changed();
    release('before the write');
    expect(await slow).toBe('before the write');
    expect(await cache.get('k', () => Promise.resolve('after the write'))).toBe('after the write');
  });

  it('keeps no failed load', async () => {
    const cache = new CatalogPageCache(exclusive());
    await expect(cache.get('k', () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    expect(await cache.get('k', () => Promise.resolve('ok'))).toBe('ok');
  });

  it('holds at most its bound, dropping the least recently used key', async () => {
    const cache = new CatalogPageCache(exclusive(), 2);
    const loads = counter();
    await cache.get('a', loads.load('a'));
    await cache.get('b', loads.load('b'));
    await cache.get('a', loads.load('a')); // a is now the most recent
    await cache.get('c', loads.load('c'));
    expect(cache.size).toBe(2);
    expect(await cache.get('a', loads.load('a'))).toBe('a#1');
    expect(await cache.get('b', loads.load('b'))).toBe('b#4');
  });
});

describe('readScopeKey', () => {
  const token = (role: Principal['role'], registries: string[]): Principal => ({ name: 't', role, registries, kind: 'token' });

  it('tells apart every readable-registry scope and only those', () => {
    const admin = readScopeKey(token('ADMIN', ['x']));
    const anonymous = readScopeKey(ANONYMOUS);
    const publicOnly = readScopeKey(token('VIEWER', []));
    const namedXY = readScopeKey(token('VIEWER', ['x', 'y']));
    const namedYX = readScopeKey(token('PUBLISHER', ['y', 'x']));
    const namedX = readScopeKey(token('VIEWER', ['x']));
    // An ADMIN reads everything, whatever its token names.
    expect(admin).toBe(readScopeKey(token('ADMIN', [])));
    // Anonymous callers and tokens naming nothing read the PUBLIC registries only.
    expect(anonymous).toBe(publicOnly);
    // The same named registries in any order are the same scope.
    expect(namedXY).toBe(namedYX);
    expect(new Set([admin, publicOnly, namedXY, namedX]).size).toBe(4);
  });
});
