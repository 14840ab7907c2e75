/**
 * A registry's sync runs, newest first, a page at a time (the Relay cursors of Registry.runs):
 * state, what started it, when and how long, the counts, and each item the run could not take.
 * `refreshKey` changes when a run the page started ends, to read the list again from the network.
 */
import { useEffect } from 'react';
import { useQuery } from 'urql';
import { ApiErrorAlert } from '../lib/api-error';
import { CursorPager, useCursorTrail } from '../lib/cursor-pager';
import { RegistryRuns } from './queries';
import { duration, formatTime, stateBadgeClass } from './registry-format';

const PAGE_SIZE = 10;

export function SyncRuns({ registry, refreshKey }: { registry: string; refreshKey: number }) {
  const trail = useCursorTrail();
  const after = trail.cursor;
  const [result, reexecute] = useQuery({ query: RegistryRuns, variables: { name: registry, first: PAGE_SIZE, after } });

  useEffect(() => {
    if (refreshKey > 0) {
      trail.reset();
      reexecute({ requestPolicy: 'network-only' });
    }
  }, [refreshKey, reexecute]);

  const runs = result.data?.registry?.runs;
  const pageNumber = trail.pageNumber;

  return (
    <section className="runs" aria-labelledby="runs-title" aria-busy={result.fetching}>
      <h2 id="runs-title">Sync runs</h2>
      <ApiErrorAlert error={result.error} />
      {!runs && result.fetching && <p aria-live="polite">Loading runs…</p>}
      {runs && runs.edges.length === 0 && <p className="empty">No sync has run yet.</p>}
      {runs && runs.edges.length > 0 && (
        <>
          <p className="muted small">
            {runs.totalCount} {runs.totalCount === 1 ? 'run' : 'runs'}, newest first
            {runs.totalCount > PAGE_SIZE ? ` · page ${pageNumber} of ${Math.ceil(runs.totalCount / PAGE_SIZE)}` : ''}
          </p>
          <div className="table-scroll" role="region" aria-labelledby="runs-title" tabIndex={0}>
            <table className="runs-table">
              <thead>
                <tr>
                  <th scope="col">State</th>
                  <th scope="col">Started</th>
                  <th scope="col">Took</th>
                  <th scope="col">Trigger</th>
                  <th scope="col" className="num">
                    Added
                  </th>
                  <th scope="col" className="num">
                    Updated
                  </th>
                  <th scope="col" className="num">
                    Unchanged
                  </th>
                  <th scope="col" className="num">
                    Removed
                  </th>
                  <th scope="col" className="num">
                    Fetched
                  </th>
                  <th scope="col">Errors</th>
                </tr>
              </thead>
              <tbody>
                {runs.edges.map(({ node: run }) => (
                  <tr key={run.id} data-run-id={run.id}>
                    <td>
                      <span className={stateBadgeClass(run.state)}>{run.state}</span>
                      {run.message && <div className="small muted run-message">{run.message}</div>}
                    </td>
                    <td>
                      {run.startedAt ? (
                        <time dateTime={run.startedAt} className="small">
                          {formatTime(run.startedAt)}
                        </time>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td className="small">{duration(run.startedAt, run.finishedAt)}</td>
                    <td className="small">
                      {run.trigger}
                      {run.force && (
                        <>
                          {' '}
                          <span className="badge warn">forced</span>
                        </>
                      )}
                    </td>
                    <td className="num">{run.added}</td>
                    <td className="num">{run.updated}</td>
                    <td className="num">{run.unchanged}</td>
                    <td className="num">{run.removed}</td>
                    <td className="num">{run.artifactsFetched}</td>
                    <td>
                      {run.errors.length === 0 ? (
                        <span className="muted small">none</span>
                      ) : (
                        <details className="item-errors">
                          <summary>
                            {run.errors.length} {run.errors.length === 1 ? 'item' : 'items'} failed
                          </summary>
                          <ul>
                            {run.errors.map((e) => (
                              <li key={e.item}>
                                <code>{e.item}</code>: {e.message}
                              </li>
                            ))}
                          </ul>
                        </details>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {runs && <CursorPager trail={trail} more={runs.pageInfo.hasNextPage} nextCursor={runs.pageInfo.endCursor} label="Run pages" backText="Newer runs" forwardText="Older runs" />}
    </section>
  );
}
