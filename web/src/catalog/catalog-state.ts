/**
 * The catalog page's state as it lives in the URL, so that a search can be shared:
 * `/?q=cert&layer=ADDON&layer=CNI&registry=default&cloud=aws&addon=security&deprecated=1&size=50&after=…`.
 * Pure functions (no DOM): unit-tested in test/unit/web/catalog-state.test.ts.
 */
export const LAYERS = ['OS', 'K8S', 'CNI', 'CSI', 'ADDON', 'KERNEL'] as const;
export type LayerName = (typeof LAYERS)[number];

export interface CatalogState {
  search: string;
  layers: LayerName[];
  registries: string[];
  cloudType: string | null;
  addonType: string | null;
  includeDeprecated: boolean;
  /** The cursor of the page shown (null: the first page). */
  after: string | null;
  /** Packs per page (`size`, 5 to 100; 20 when absent). */
  pageSize: number;
}

export const DEFAULT_PAGE_SIZE = 20;

export const EMPTY_STATE: CatalogState = {
  search: '',
  layers: [],
  registries: [],
  cloudType: null,
  addonType: null,
  includeDeprecated: false,
  after: null,
  pageSize: DEFAULT_PAGE_SIZE,
};

const isLayer = (value: string): value is LayerName => (LAYERS as readonly string[]).includes(value);
const unique = <T>(values: T[]): T[] => [...new Set(values)];

function pageSizeOf(raw: string | null): number {
  const n = Number(raw);
  return raw && Number.isInteger(n) ? Math.min(100, Math.max(5, n)) : DEFAULT_PAGE_SIZE;
}

export function parseCatalogState(params: URLSearchParams): CatalogState {
  const text = (key: string) => params.get(key)?.trim() || null;
  return {
    search: params.get('q')?.trim() ?? '',
    // Unknown layers (an old link, a typo) are dropped rather than sent to the API to be refused.
    layers: unique(params.getAll('layer').map((l) => l.toUpperCase()).filter(isLayer)),
    registries: unique(params.getAll('registry').map((r) => r.trim()).filter(Boolean)),
    cloudType: text('cloud'),
    addonType: text('addon'),
    includeDeprecated: params.get('deprecated') === '1',
    after: text('after'),
    pageSize: pageSizeOf(params.get('size')),
  };
}

/** The URL query of a state: empty fields are left out, list values keep a stable order. */
export function catalogSearchParams(state: CatalogState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.search.trim()) params.set('q', state.search.trim());
  for (const layer of LAYERS) if (state.layers.includes(layer)) params.append('layer', layer);
  for (const registry of [...state.registries].sort()) params.append('registry', registry);
  if (state.cloudType) params.set('cloud', state.cloudType);
  if (state.addonType) params.set('addon', state.addonType);
  if (state.includeDeprecated) params.set('deprecated', '1');
  if (state.pageSize !== DEFAULT_PAGE_SIZE) params.set('size', String(state.pageSize));
  if (state.after) params.set('after', state.after);
  return params;
}

/** The `PackFilter` the API takes for a state (the cursor is not part of it). */
export interface PackFilterInput {
  search?: string;
  layer?: LayerName[];
  registry?: string[];
  cloudType?: string;
  addonType?: string;
  includeDeprecated?: boolean;
}

export function packFilterOf(state: CatalogState): PackFilterInput {
  const filter: PackFilterInput = {};
  if (state.search.trim()) filter.search = state.search.trim();
  if (state.layers.length) filter.layer = [...state.layers];
  if (state.registries.length) filter.registry = [...state.registries];
  if (state.cloudType) filter.cloudType = state.cloudType;
  if (state.addonType) filter.addonType = state.addonType;
  if (state.includeDeprecated) filter.includeDeprecated = true;
  return filter;
}

/** A change of anything but the cursor starts again from the first page. */
export function withChange(state: CatalogState, change: Partial<Omit<CatalogState, 'after'>>): CatalogState {
  return { ...state, ...change, after: null };
}

/** Adds the value to a list facet, or removes it when it is there. */
export function toggled<T>(values: T[], value: T): T[] {
  return values.includes(value) ? values.filter((v) => v !== value) : [...values, value];
}
