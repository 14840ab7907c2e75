import { CatalogChanges } from '../../../src/catalog/catalog.changes.js';

describe('CatalogChanges (in process)', () => {
  it('moves the generation and calls listeners on every change, until they unsubscribe', () => {
    const changes = new CatalogChanges();
    const seen: number[] = [];
    const stop = changes.onChange((generation) => seen.push(generation));
    const before = changes.generation;
    changes.changed();
    changes.changed();
    expect(changes.generation).toBe(before + 2);
    expect(seen).toEqual([before + 1, before + 2]);
    stop();
    changes.changed();
    expect(seen).toHaveLength(2);
  });

  it('is coherent only once wired: an exclusive (embedded) database, or a LISTEN connection', async () => {
    const changes = new CatalogChanges();
    // Unwired (a CLI, an app built without the server): other writers may exist unseen, so caches stay off.
    expect(changes.coherent).toBe(false);
    changes.useExclusiveDatabase();
    expect(changes.coherent).toBe(true);
    await changes.close();
    expect(changes.coherent).toBe(false);
  });

  it('rejects listen() when the database cannot be reached, and stays not coherent', async () => {
    const changes = new CatalogChanges();
    await expect(changes.listen('postgresql://postgres@127.0.0.1:1/none')).rejects.toThrow();
    expect(changes.coherent).toBe(false);
    await changes.close();
  });
});
