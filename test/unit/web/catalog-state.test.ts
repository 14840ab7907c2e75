import { describe, expect, it } from '@jest/globals';
import { EMPTY_STATE, catalogSearchParams, packFilterOf, parseCatalogState, toggled, withChange } from '../../../web/src/catalog/catalog-state.js';
import { countFacets, withSelected, type FacetPack } from '../../../web/src/catalog/facets.js';

describe('catalog URL state', () => {
  it('reads query, facets, deprecated and cursor from the URL', () => {
    const state = parseCatalogState(new URLSearchParams('q=%20cert%20&layer=addon&layer=CNI&layer=bogus&registry=default&registry=default&cloud=aws&addon=security&deprecated=1&after=abc'));
    expect(state).toEqual({
      search: 'cert',
      layers: ['ADDON', 'CNI'],
      registries: ['default'],
      cloudType: 'aws',
      addonType: 'security',
      includeDeprecated: true,
      after: 'abc',
    });
  });

  it('an empty URL is the empty state, and the empty state writes an empty query', () => {
    expect(parseCatalogState(new URLSearchParams(''))).toEqual(EMPTY_STATE);
    expect(catalogSearchParams(EMPTY_STATE).toString()).toBe('');
  });

  it('writes a stable URL that reads back to the same state', () => {
    const state = { ...EMPTY_STATE, search: 'cert manager', layers: ['ADDON' as const, 'OS' as const], registries: ['team', 'default'], cloudType: 'aws', includeDeprecated: true };
    const params = catalogSearchParams(state);
    expect(params.toString()).toBe('q=cert+manager&layer=OS&layer=ADDON&registry=default&registry=team&cloud=aws&deprecated=1');
    expect(parseCatalogState(params)).toEqual({ ...state, layers: ['OS', 'ADDON'], registries: ['default', 'team'] });
  });

  it('builds the PackFilter with only what is set', () => {
    expect(packFilterOf(EMPTY_STATE)).toEqual({});
    expect(packFilterOf({ ...EMPTY_STATE, search: ' x ', layers: ['CSI'], addonType: 'monitoring', after: 'c' })).toEqual({ search: 'x', layer: ['CSI'], addonType: 'monitoring' });
  });

  it('a filter change goes back to the first page; toggling adds and removes', () => {
    expect(withChange({ ...EMPTY_STATE, after: 'cursor' }, { search: 'a' })).toEqual({ ...EMPTY_STATE, search: 'a' });
    expect(toggled(['a'], 'b')).toEqual(['a', 'b']);
    expect(toggled(['a', 'b'], 'a')).toEqual(['b']);
  });
});

describe('facet counts', () => {
  const packs: FacetPack[] = [
    { layer: 'ADDON', addonType: 'security', cloudTypes: ['all'], sources: ['default'] },
    { layer: 'ADDON', addonType: 'monitoring', cloudTypes: ['aws', 'azure'], sources: ['default', 'team'] },
    { layer: 'CNI', addonType: null, cloudTypes: ['all'], sources: ['team'] },
  ];

  it('counts each dimension over the packs', () => {
    const facets = countFacets(packs, EMPTY_STATE);
    expect(facets.layer).toEqual([{ value: 'ADDON', count: 2 }, { value: 'CNI', count: 1 }]);
    expect(facets.registry).toEqual([{ value: 'default', count: 2 }, { value: 'team', count: 2 }]);
    expect(facets.cloudType).toEqual([{ value: 'all', count: 2 }, { value: 'aws', count: 1 }, { value: 'azure', count: 1 }]);
    expect(facets.addonType).toEqual([{ value: 'monitoring', count: 1 }, { value: 'security', count: 1 }]);
  });

  it('a dimension is counted under the other selections but not its own', () => {
    const facets = countFacets(packs, { ...EMPTY_STATE, layers: ['CNI'], registries: ['team'] });
    // Layers: only the registry selection applies, so ADDON stays listed with its count.
    expect(facets.layer).toEqual([{ value: 'ADDON', count: 1 }, { value: 'CNI', count: 1 }]);
    // Registries: only the layer selection applies.
    expect(facets.registry).toEqual([{ value: 'team', count: 1 }]);
    expect(facets.addonType).toEqual([]);
  });

  it('keeps a selected value with no match so it can be cleared', () => {
    expect(withSelected([{ value: 'a', count: 1 }], ['a', 'gone'])).toEqual([{ value: 'a', count: 1 }, { value: 'gone', count: 0 }]);
  });
});
