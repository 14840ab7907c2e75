/** LayerResolutionCache: details by id and digest; catalog reads only at their generation, only while coherent, per read scope. */
import type { Principal } from '../../../src/auth/principal.js';
import type { PackRow, TrustedVersionRow } from '../../../src/catalog/catalog.model.js';
import { LayerResolutionCache, type CachedSources } from '../../../src/profiles/profile.resolution-cache.js';

const admin = { name: 'admin', role: 'ADMIN', registries: [], kind: 'token' } as unknown as Principal;
const viewerOf = (...registries: string[]) => ({ name: 'viewer', role: 'VIEWER', registries, kind: 'token' }) as unknown as Principal;

function sources(version: string): CachedSources {
  const row = { id: 'p1', name: 'demo', registry: { name: 'default', priority: 0 } } as unknown as PackRow;
  const versions = [{ id: 'v1', packId: 'p1', version, digest: 'sha256:1', removedAt: null, trust: { verified: false, enforce: 'NONE' } } as unknown as TrustedVersionRow];
  return { rows: [row], versions: new Map([['p1', versions]]), tags: new Map([['p1', [{ tag: 'latest', versionId: 'v1' }]]]) };
}

describe('LayerResolutionCache', () => {
  it('serves catalog reads only at the generation they were read at', () => {
    const changes = { generation: 7, coherent: true };
    const cache = new LayerResolutionCache(changes);
    cache.keepSources(admin, 'demo', cache.generation(), sources('1.0.0'));
    expect(cache.sourcesOf(admin, 'demo', 7)?.versions.get('p1')?.[0].version).toBe('1.0.0');
    changes.generation = 8;
    expect(cache.generation()).toBe(8);
    expect(cache.sourcesOf(admin, 'demo', cache.generation())).toBeUndefined();
  });

  it('keeps no catalog reads while the process may miss writes (not coherent), nor without change notifications at all', () => {
    const changes = { generation: 1, coherent: false };
    const cache = new LayerResolutionCache(changes);
    expect(cache.generation()).toBeNull();
    cache.keepSources(admin, 'demo', cache.generation(), sources('1.0.0'));
    changes.coherent = true;
    expect(cache.sourcesOf(admin, 'demo', cache.generation())).toBeUndefined();
    expect(new LayerResolutionCache(null).generation()).toBeNull();
  });

  it('keeps each read scope apart (ADMIN, and each set of named registries in any order)', () => {
    const cache = new LayerResolutionCache({ generation: 1, coherent: true });
    cache.keepSources(admin, 'demo', 1, sources('1.0.0'));
    expect(cache.sourcesOf(viewerOf(), 'demo', 1)).toBeUndefined();
    cache.keepSources(viewerOf('a', 'b'), 'demo', 1, sources('2.0.0'));
    expect(cache.sourcesOf(viewerOf('b', 'a'), 'demo', 1)?.versions.get('p1')?.[0].version).toBe('2.0.0');
    expect(cache.sourcesOf(viewerOf('a'), 'demo', 1)).toBeUndefined();
    expect(cache.sourcesOf(admin, 'demo', 1)?.versions.get('p1')?.[0].version).toBe('1.0.0');
  });

  it('freezes what it keeps, so no request can change what another reads', () => {
    const cache = new LayerResolutionCache({ generation: 1, coherent: true });
    cache.keepSources(admin, 'demo', 1, sources('1.0.0'));
    const kept = cache.sourcesOf(admin, 'demo', 1)!;
    expect(Object.isFrozen(kept.rows[0])).toBe(true);
    expect(() => (kept.versions.get('p1') as TrustedVersionRow[]).push(kept.versions.get('p1')![0])).toThrow(TypeError);
  });

  it('keeps version details by id and digest, without the readme, frozen', () => {
    const cache = new LayerResolutionCache(null);
    const row = { id: 'v1', digest: 'sha256:1' };
    const details = { values: 'a: 1\n', presets: [], schema: { a: '{{ required }}' }, readme: '# big', packJson: { name: 'demo' }, constraints: {}, annotations: {} };
    const kept = cache.keepDetails(row, details);
    expect(kept).toEqual({ values: 'a: 1\n', presets: [], schema: { a: '{{ required }}' }, packJson: { name: 'demo' }, constraints: {}, annotations: {} });
    expect(cache.detailsOf(row)).toBe(kept);
    expect(Object.isFrozen(kept.schema)).toBe(true);
    expect(cache.detailsOf({ id: 'v1', digest: 'sha256:2' })).toBeUndefined();
    // The loader's own object is left as it was.
    expect(Object.isFrozen(details.schema)).toBe(false);
  });
});
