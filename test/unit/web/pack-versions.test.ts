import { describe, expect, it } from '@jest/globals';
import {
  chooseVersion,
  countOf,
  listedVersions,
  mergeVersionPages,
  moreVersionsReducer,
  noMoreVersions,
  versionPageOf,
  versionsSummary,
  type MoreVersions,
  type VersionPage,
  type VersionRow,
} from '../../../web/src/pack/version-list.js';

const row = (version: string, registry = 'default'): VersionRow => ({ id: `${registry}/${version}`, version, registry: { name: registry } });
const page = (versions: string[], endCursor: string | null, hasNextPage: boolean, totalCount = 5): VersionPage<VersionRow> => ({
  rows: versions.map((v) => row(v)),
  endCursor,
  hasNextPage,
  totalCount,
});

describe('pack page versions: pages merged', () => {
  it('keeps the API order, first page then each later one, and each row once', () => {
    const merged = mergeVersionPages([page(['5.0.0', '4.0.0'], 'c2', true), page(['4.0.0', '3.0.0'], 'c4', true), page(['2.0.0'], 'c5', false)]);
    expect(merged.map((r) => r.version)).toEqual(['5.0.0', '4.0.0', '3.0.0', '2.0.0']);
  });

  it('tells the same version in two registries apart (by id)', () => {
    const merged = mergeVersionPages([{ rows: [row('1.0.0', 'a'), row('1.0.0', 'b')], endCursor: null, hasNextPage: false, totalCount: 2 }]);
    expect(merged.map((r) => r.id)).toEqual(['a/1.0.0', 'b/1.0.0']);
  });

  it('"Show more" starts after the last page loaded, and stops when it has no next page', () => {
    const first = page(['5.0.0', '4.0.0'], 'c2', true);
    expect(listedVersions(first, []).nextCursor).toBe('c2');
    expect(listedVersions(first, [page(['3.0.0', '2.0.0'], 'c4', true)]).nextCursor).toBe('c4');
    const all = listedVersions(first, [page(['3.0.0', '2.0.0'], 'c4', true), page(['1.0.0'], 'c5', false)]);
    expect(all.nextCursor).toBeNull();
    expect(all.rows).toHaveLength(5);
    // A page that says it has more but gives no cursor cannot be followed.
    expect(listedVersions(page(['5.0.0'], null, true), []).nextCursor).toBeNull();
  });

  it('the total is the newest the API gave (versions pushed meanwhile)', () => {
    expect(listedVersions(page(['5.0.0'], 'c1', true, 5), [page(['4.0.0'], 'c2', true, 6)]).totalCount).toBe(6);
  });
});

describe('pack page versions: a connection read as a page', () => {
  it('takes the nodes in order, the cursor, whether more follow and the total', () => {
    const rows = [row('2.0.0'), row('1.0.0')];
    expect(versionPageOf({ totalCount: 7, pageInfo: { endCursor: 'c2', hasNextPage: true }, edges: rows.map((node) => ({ node })) })).toEqual({
      rows,
      endCursor: 'c2',
      hasNextPage: true,
      totalCount: 7,
    });
  });

  it('answers a null cursor for an empty page', () => {
    expect(versionPageOf({ totalCount: 0, pageInfo: { endCursor: null, hasNextPage: false }, edges: [] })).toEqual(page([], null, false, 0));
  });
});

describe('pack page versions: the "Show more" state', () => {
  const start = noMoreVersions<VersionRow>('nginx');
  const requested = moreVersionsReducer(start, { type: 'request', pack: 'nginx', after: 'c2' });
  const next = page(['3.0.0', '2.0.0'], 'c4', true);

  it('records the cursor in flight and the page it brought', () => {
    expect(requested.loadingAfter).toBe('c2');
    const loaded = moreVersionsReducer(requested, { type: 'loaded', pack: 'nginx', after: 'c2', page: next });
    expect(loaded).toEqual({ pack: 'nginx', pages: [next], loadingAfter: null, error: null });
  });

  it('asks one page at a time, and takes an answer once (no duplicated rows on a double click)', () => {
    expect(moreVersionsReducer(requested, { type: 'request', pack: 'nginx', after: 'c2' })).toBe(requested);
    const loaded = moreVersionsReducer(requested, { type: 'loaded', pack: 'nginx', after: 'c2', page: next });
    expect(moreVersionsReducer(loaded, { type: 'loaded', pack: 'nginx', after: 'c2', page: next })).toBe(loaded);
  });

  it('ignores a late answer for another pack, and starts over on another pack', () => {
    const other = moreVersionsReducer(requested, { type: 'reset', pack: 'redis' });
    expect(other).toEqual(noMoreVersions('redis'));
    expect(moreVersionsReducer(other, { type: 'loaded', pack: 'nginx', after: 'c2', page: next })).toBe(other);
  });

  it('keeps the failure to show, and a retry clears it', () => {
    const failed = moreVersionsReducer(requested, { type: 'failed', pack: 'nginx', after: 'c2', message: 'boom' });
    expect(failed).toEqual({ pack: 'nginx', pages: [], loadingAfter: null, error: 'boom' } satisfies MoreVersions<VersionRow>);
    expect(moreVersionsReducer(failed, { type: 'request', pack: 'nginx', after: 'c2' })).toEqual({ ...failed, loadingAfter: 'c2', error: null });
  });

  it('a reset of the same untouched pack keeps the state as it is (no re-render)', () => {
    expect(moreVersionsReducer(start, { type: 'reset', pack: 'nginx' })).toBe(start);
  });
});

describe('pack page versions: what the URL selects', () => {
  const rows = [row('2.0.0', 'team'), row('2.0.0'), row('1.0.0')];

  it('a listed version, in the registry asked for when given', () => {
    expect(chooseVersion(rows, '2.0.0', null)).toEqual({ kind: 'listed', row: rows[0] });
    expect(chooseVersion(rows, '2.0.0', 'default')).toEqual({ kind: 'listed', row: rows[1] });
  });

  it('a version not loaded yet, or a tag, is looked up by the same text', () => {
    expect(chooseVersion(rows, '0.1.0', null)).toEqual({ kind: 'lookup', version: '0.1.0', registry: null });
    expect(chooseVersion(rows, '1.x', 'default')).toEqual({ kind: 'lookup', version: '1.x', registry: 'default' });
    expect(chooseVersion(rows, '1.0.0', 'team')).toEqual({ kind: 'lookup', version: '1.0.0', registry: 'team' });
  });

  it('a registry alone: its newest listed, else its latest looked up', () => {
    expect(chooseVersion(rows, null, 'default')).toEqual({ kind: 'listed', row: rows[1] });
    expect(chooseVersion(rows, null, 'mirror')).toEqual({ kind: 'lookup', version: 'latest', registry: 'mirror' });
  });

  it('nothing asked: the newest, or none for a pack without readable versions', () => {
    expect(chooseVersion(rows, null, null)).toEqual({ kind: 'listed', row: rows[0] });
    expect(chooseVersion([], null, null)).toEqual({ kind: 'none' });
  });
});

describe('pack page versions: counts', () => {
  it('groups digits the same way for every visitor and says version or versions', () => {
    expect(countOf(1, 'version')).toBe('1 version');
    expect(countOf(0, 'version')).toBe('0 versions');
    expect(countOf(1234, 'version')).toBe('1,234 versions');
  });

  it('says how many of the total are listed until all are', () => {
    expect(versionsSummary(50, 1234)).toBe('1,234 versions, the newest 50 listed');
    expect(versionsSummary(120, 120)).toBe('120 versions');
  });
});
