import { describe, expect, it } from '@jest/globals';
import { EMPTY_STATE, catalogSearchParams, packFilterOf, parseCatalogState, toggled, withChange } from '../../../web/src/catalog/catalog-state.js';
import { withSelected } from '../../../web/src/catalog/facets.js';
import { descriptionOf } from '../../../web/src/catalog/description.js';

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
      pageSize: 20,
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

  it('reads a page size between 5 and 100, and writes it only when not the default', () => {
    expect(parseCatalogState(new URLSearchParams('size=5')).pageSize).toBe(5);
    expect(parseCatalogState(new URLSearchParams('size=1000')).pageSize).toBe(100);
    expect(parseCatalogState(new URLSearchParams('size=1')).pageSize).toBe(5);
    expect(parseCatalogState(new URLSearchParams('size=abc')).pageSize).toBe(20);
    expect(catalogSearchParams({ ...EMPTY_STATE, pageSize: 50, after: 'c' }).toString()).toBe('size=50&after=c');
    expect(catalogSearchParams({ ...EMPTY_STATE, pageSize: 20 }).toString()).toBe('');
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

describe('facet values', () => {
  it('keeps a selected value with no match so it can be cleared', () => {
    expect(withSelected([{ value: 'a', count: 1 }], ['a', 'gone'])).toEqual([{ value: 'a', count: 1 }, { value: 'gone', count: 0 }]);
  });
});

describe('pack description', () => {
  it('is pack.json annotations.description when it is a non-empty string', () => {
    expect(descriptionOf({ description: ' Certificates. ', source: 'x' })).toBe('Certificates.');
    expect(descriptionOf({ description: '' })).toBeNull();
    expect(descriptionOf({ description: 42 })).toBeNull();
    expect(descriptionOf(null)).toBeNull();
    expect(descriptionOf('description')).toBeNull();
  });
});
