/**
 * "Show more" on the pack page: fetches the page of versions after the list's last cursor and
 * keeps the pages loaded (version-list.ts's reducer) until the visitor opens another pack. The
 * first page comes with the page's own query; a new first page (another pack) starts over.
 */
import { useCallback, useEffect, useReducer } from 'react';
import { useClient } from 'urql';
import type { ConsolePackVersionRowFragment } from '../generated/graphql';
import { PackVersionsPage } from './queries';
import { VERSIONS_PAGE_SIZE, listedVersions, moreVersionsReducer, noMoreVersions, versionPageOf, type ListedVersions, type VersionPage } from './version-list';

type Row = ConsolePackVersionRowFragment;

export interface MoreVersions extends ListedVersions<Row> {
  /** Fetching the next page now. */
  loading: boolean;
  /** Why the last "Show more" failed (the visitor may try again). */
  error: string | null;
  /** Loads the page after the last one listed (nothing when one is in flight or none is left). */
  showMore(): void;
}

export function useMoreVersions(pack: string, first: VersionPage<Row>): MoreVersions {
  const client = useClient();
  const [state, dispatch] = useReducer(moreVersionsReducer<Row>, pack, noMoreVersions<Row>);
  useEffect(() => dispatch({ type: 'reset', pack }), [pack]);

  // Pages of another pack (the state lags one render behind a change of `pack`) are not this list's.
  const listed = listedVersions(first, state.pack === pack ? state.pages : []);
  const { nextCursor } = listed;
  const busy = state.pack === pack && state.loadingAfter !== null;

  const showMore = useCallback(() => {
    if (!nextCursor || busy) return;
    const after = nextCursor;
    dispatch({ type: 'request', pack, after });
    // network-only: the cursor comes from a fresh first page, so later pages must be as fresh.
    client
      .query(PackVersionsPage, { name: pack, first: VERSIONS_PAGE_SIZE, after }, { requestPolicy: 'network-only' })
      .toPromise()
      .then((result) => {
        const connection = result.data?.pack?.versionsConnection;
        if (result.error || !connection) {
          dispatch({ type: 'failed', pack, after, message: result.error?.message ?? `${pack} is no longer readable.` });
          return;
        }
        dispatch({ type: 'loaded', pack, after, page: versionPageOf(connection) });
      });
  }, [client, pack, nextCursor, busy]);

  return { ...listed, loading: busy, error: state.pack === pack ? state.error : null, showMore };
}
