/**
 * The pack page's list of versions as pure state: the first page (from the page's own query) and
 * the pages "Show more" loaded after it, merged newest first without duplicates; which version the
 * URL selects (a listed row, or one to look up with `packVersion` when it is not loaded yet); and
 * counts written for people ("1,234 versions"). No React here, so test/unit/web tests it as is.
 */

/** Versions the page is given at a time (the API allows up to 100). */
export const VERSIONS_PAGE_SIZE = 50;

/** What the table needs of a row: the API's global id and where the version lives. */
export interface VersionRow {
  id: string;
  version: string;
  registry: { name: string };
}

/** One page of the `versionsConnection`, as the API answered it. */
export interface VersionPage<T extends VersionRow> {
  rows: T[];
  endCursor: string | null;
  hasNextPage: boolean;
  totalCount: number;
}

/** A `versionsConnection` as the API answers it, read as a page of the list. */
export function versionPageOf<T extends VersionRow>(connection: {
  totalCount: number;
  pageInfo: { endCursor?: string | null; hasNextPage: boolean };
  edges: Array<{ node: T }>;
}): VersionPage<T> {
  return {
    rows: connection.edges.map((e) => e.node),
    endCursor: connection.pageInfo.endCursor ?? null,
    hasNextPage: connection.pageInfo.hasNextPage,
    totalCount: connection.totalCount,
  };
}

/** The pages loaded after the first one, for one pack. */
export interface MoreVersions<T extends VersionRow> {
  pack: string;
  pages: VersionPage<T>[];
  /** The cursor being fetched now (null: nothing in flight). */
  loadingAfter: string | null;
  error: string | null;
}

export type MoreVersionsAction<T extends VersionRow> =
  | { type: 'reset'; pack: string }
  | { type: 'request'; pack: string; after: string }
  | { type: 'loaded'; pack: string; after: string; page: VersionPage<T> }
  | { type: 'failed'; pack: string; after: string; message: string };

export function noMoreVersions<T extends VersionRow>(pack: string): MoreVersions<T> {
  return { pack, pages: [], loadingAfter: null, error: null };
}

/**
 * An answer counts only for the pack and the cursor it was asked for: a late answer after the
 * visitor moved to another pack, or a second answer for a cursor already loaded (a double click),
 * would otherwise repeat or misplace rows.
 */
export function moreVersionsReducer<T extends VersionRow>(state: MoreVersions<T>, action: MoreVersionsAction<T>): MoreVersions<T> {
  if (action.type === 'reset') return state.pack === action.pack && state.pages.length === 0 && !state.loadingAfter ? state : noMoreVersions(action.pack);
  if (action.pack !== state.pack) return state;
  switch (action.type) {
    case 'request':
      return state.loadingAfter ? state : { ...state, loadingAfter: action.after, error: null };
    case 'loaded':
      if (action.after !== state.loadingAfter) return state;
      return { ...state, pages: [...state.pages, action.page], loadingAfter: null, error: null };
    case 'failed':
      if (action.after !== state.loadingAfter) return state;
      return { ...state, loadingAfter: null, error: action.message };
  }
}

/** Every loaded row once (by id), in the API's order: the first page, then each page after it. */
export function mergeVersionPages<T extends VersionRow>(pages: VersionPage<T>[]): T[] {
  const seen = new Set<string>();
  const rows: T[] = [];
  for (const page of pages) {
    for (const row of page.rows) {
      if (seen.has(row.id)) continue;
      seen.add(row.id);
      rows.push(row);
    }
  }
  return rows;
}

/** The list on screen: rows, where the next page starts, and the newest total the API gave. */
export interface ListedVersions<T extends VersionRow> {
  rows: T[];
  /** The cursor "Show more" asks after (null: nothing more to load). */
  nextCursor: string | null;
  totalCount: number;
}

export function listedVersions<T extends VersionRow>(first: VersionPage<T>, more: VersionPage<T>[]): ListedVersions<T> {
  const pages = [first, ...more];
  const last = pages[pages.length - 1];
  return {
    rows: mergeVersionPages(pages),
    nextCursor: last.hasNextPage && last.endCursor ? last.endCursor : null,
    totalCount: last.totalCount,
  };
}

/** What the URL's `?version=` and `?registry=` choose, given the rows loaded so far. */
export type VersionChoice<T extends VersionRow> =
  /** A row on screen. */
  | { kind: 'listed'; row: T }
  /** Not loaded (an older page, a tag, a parent tag, `latest`, a digest): ask `packVersion`. */
  | { kind: 'lookup'; version: string; registry: string | null }
  /** The pack has no version the caller can read. */
  | { kind: 'none' };

/**
 * `?version=` picks that version (in `?registry=` when given), `?registry=` alone that registry's
 * newest, neither the newest of all. A version the list does not hold yet is looked up by the
 * same text, since `packVersion` also resolves tags (`1.29.x`, `latest`) and digests.
 */
export function chooseVersion<T extends VersionRow>(rows: T[], version: string | null, registry: string | null): VersionChoice<T> {
  if (version) {
    const row = rows.find((r) => r.version === version && (!registry || r.registry.name === registry));
    return row ? { kind: 'listed', row } : { kind: 'lookup', version, registry };
  }
  if (registry) {
    const row = rows.find((r) => r.registry.name === registry);
    return row ? { kind: 'listed', row } : { kind: 'lookup', version: 'latest', registry };
  }
  return rows[0] ? { kind: 'listed', row: rows[0] } : { kind: 'none' };
}

/** `1 version`, `1,234 versions`: the same digits grouping for every visitor, so tests can read it. */
export function countOf(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? noun : `${noun}s`}`;
}

/** What the count line under the heading says: the total, and how many are listed when not all. */
export function versionsSummary(shown: number, total: number): string {
  return shown >= total ? countOf(total, 'version') : `${countOf(total, 'version')}, the newest ${shown.toLocaleString('en-US')} listed`;
}
