/**
 * Every registry the caller may read, highest priority first: kind, endpoint, priority, where its
 * sync stands and when it last ran, and how many packs and versions it holds. A table (one row per
 * registry, header cells scoped to their columns); on a narrow window the table scrolls sideways.
 */
import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import { useTitle } from '../layout/useTitle';
import { ApiErrorAlert } from '../lib/api-error';
import { CursorPager, useCursorTrail } from '../lib/cursor-pager';
import { RegistryList } from './queries';
import { KIND_LABEL, formatTime, relativeTime, stateBadgeClass } from './registry-format';
import './registries.css';

const PAGE_SIZE = 50;

export function RegistriesPage() {
  useTitle('Registries');
  // Cursors of the pages shown so far: the last one is the page on screen.
  const trail = useCursorTrail();
  const after = trail.cursor;
  const [result] = useQuery({ query: RegistryList, variables: { first: PAGE_SIZE, after } });
  const connection = result.data?.registriesConnection;

  return (
    <section className="registries" aria-labelledby="page-title">
      <h1 id="page-title">Registries</h1>
      <p className="lead">
        Where the catalog&apos;s packs come from: the default registry of shipped packs, registries hosted here, and the upstreams this
        service federates and syncs. When several hold the same pack, the higher priority wins.
      </p>
      <ApiErrorAlert error={result.error} />
      {!connection && result.fetching && <p aria-live="polite">Loading registries…</p>}
      {connection && connection.edges.length === 0 && (
        <p className="empty">No registry you may read. An admin can register one with packctl registry add or the createRegistry mutation.</p>
      )}
      {connection && connection.edges.length > 0 && (
        <div className="table-scroll" role="region" aria-labelledby="registries-caption" tabIndex={0}>
          <table className="registry-table">
            <caption id="registries-caption" className="visually-hidden">
              {connection.totalCount} registries, highest priority first
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Endpoint</th>
                <th scope="col" className="num">
                  Priority
                </th>
                <th scope="col">Last sync</th>
                <th scope="col" className="num">
                  Packs
                </th>
                <th scope="col" className="num">
                  Versions
                </th>
              </tr>
            </thead>
            <tbody>
              {connection.edges.map(({ node }) => (
                <tr key={node.id}>
                  <th scope="row">
                    <Link to={`/registries/${encodeURIComponent(node.name)}`}>{node.name}</Link>
                    {node.visibility === 'PRIVATE' && <span className="badge">private</span>}
                  </th>
                  <td>{KIND_LABEL[node.kind]}</td>
                  <td className="endpoint">{node.endpoint ? <code>{node.endpoint}</code> : <span className="muted">stored here</span>}</td>
                  <td className="num">{node.priority}</td>
                  <td>
                    <span className={stateBadgeClass(node.sync.state)}>{node.sync.state.toLowerCase()}</span>{' '}
                    {node.sync.lastRunAt ? (
                      <time dateTime={node.sync.lastRunAt} title={formatTime(node.sync.lastRunAt)} className="small">
                        {relativeTime(node.sync.lastRunAt)}
                      </time>
                    ) : (
                      <span className="muted small">never ran</span>
                    )}
                    {node.sync.message && node.sync.state !== 'SUCCEEDED' && <div className="muted small sync-message">{node.sync.message}</div>}
                  </td>
                  <td className="num">{node.packCount}</td>
                  <td className="num">{node.versionCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {connection && <CursorPager trail={trail} more={connection.pageInfo.hasNextPage} nextCursor={connection.pageInfo.endCursor} label="Registry pages" backText="Previous page" forwardText="Next page" />}
    </section>
  );
}
