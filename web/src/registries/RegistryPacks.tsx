/** The packs a registry holds (the catalog narrowed to it, deprecated ones too), each linking to its page there. */
import { useEffect } from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import { layerLabel } from '../catalog/FacetPanel';
import { ApiErrorAlert } from '../lib/api-error';
import { CursorPager, useCursorTrail } from '../lib/cursor-pager';
import { RegistryPacks as RegistryPacksQuery } from './queries';

const PAGE_SIZE = 50;

export function RegistryPacks({ registry, refreshKey }: { registry: string; refreshKey: number }) {
  const trail = useCursorTrail();
  const after = trail.cursor;
  const [result, reexecute] = useQuery({
    query: RegistryPacksQuery,
    variables: { filter: { registry: [registry], includeDeprecated: true }, first: PAGE_SIZE, after },
  });
  // A sync that ended may have added or removed packs: read the first page again.
  useEffect(() => {
    if (refreshKey > 0) {
      trail.reset();
      reexecute({ requestPolicy: 'network-only' });
    }
  }, [refreshKey, reexecute]);
  const packs = result.data?.packs;

  return (
    <section className="registry-packs" aria-labelledby="packs-title">
      <h2 id="packs-title">Packs</h2>
      <ApiErrorAlert error={result.error} />
      {!packs && result.fetching && <p aria-live="polite">Loading packs…</p>}
      {packs && packs.edges.length === 0 && <p className="empty">This registry holds no pack yet.</p>}
      {packs && packs.edges.length > 0 && (
        <>
          <p className="muted small">
            {packs.totalCount} {packs.totalCount === 1 ? 'pack' : 'packs'} ·{' '}
            <Link to={`/?registry=${encodeURIComponent(registry)}`}>search them in the catalog</Link>
          </p>
          <ul className="registry-pack-list">
            {packs.edges.map(({ node }) => (
              <li key={node.id}>
                <Link to={`/packs/${encodeURIComponent(node.name)}?registry=${encodeURIComponent(registry)}`}>{node.displayName || node.name}</Link>{' '}
                <span className="muted small">
                  {node.name !== node.displayName && <code>{node.name}</code>} {layerLabel(node.layer)}
                  {node.latest ? ` · latest ${node.latest.version}` : ''}
                </span>
                {node.deprecated && <span className="badge danger">deprecated</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      {packs && <CursorPager trail={trail} more={packs.pageInfo.hasNextPage} nextCursor={packs.pageInfo.endCursor} label="Pack pages" backText="Previous packs" forwardText="More packs" />}
    </section>
  );
}
