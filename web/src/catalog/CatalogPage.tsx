/**
 * The catalog: search as you type (debounced), facets with counts, deprecated packs only on
 * request, one page of packs at a time through the Relay cursors. Everything it shows is decided
 * by the URL (`?q=&layer=&registry=&cloud=&addon=&deprecated=&after=`), so a search can be shared.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { useTitle } from '../layout/useTitle';
import { catalogSearchParams, packFilterOf, parseCatalogState, withChange, type CatalogState } from './catalog-state';
import { FacetPanel, layerLabel } from './FacetPanel';
import { PackLogo } from './PackLogo';
import { descriptionOf } from './description';
import { CatalogPacks } from './queries';
import { useDebounced } from './useDebounced';
import { useFacets } from './useFacets';

/** A pack's page; with one registry chosen in the facets, the page opens on that registry's version. */
function packLink(name: string, state: CatalogState): string {
  const path = `/packs/${encodeURIComponent(name)}`;
  return state.registries.length === 1 ? `${path}?registry=${encodeURIComponent(state.registries[0])}` : path;
}

export function CatalogPage() {
  useTitle('Catalog');
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => parseCatalogState(params), [params]);
  const setState = (next: CatalogState, replace = false) => setParams(catalogSearchParams(next), { replace });

  // The box is ahead of the URL while the user types; the URL follows 250 ms after the last key.
  const [text, setText] = useState(state.search);
  const settled = useDebounced(text, 250);
  const typed = useRef(false);
  useEffect(() => {
    if (!typed.current) return;
    typed.current = false;
    if (settled.trim() !== state.search) setState(withChange(state, { search: settled }), true);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a settled edit writes the URL
  }, [settled]);
  // Back/forward (or a link) changed the query: the box shows it.
  useEffect(() => {
    if (!typed.current && text.trim() !== state.search) setText(state.search);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.search]);

  const [result] = useQuery({ query: CatalogPacks, variables: { first: state.pageSize, after: state.after, filter: packFilterOf(state) } });
  // Keep showing the last page while the next one loads, so the list does not flash empty.
  const last = useRef(result.data);
  if (result.data) last.current = result.data;
  const data = result.data ?? last.current;
  const { facets } = useFacets(state);

  // Cursors of the pages before this one, for "Previous" (a shared link starts a fresh trail).
  const [trail, setTrail] = useState<(string | null)[]>([]);
  useEffect(() => {
    if (!state.after) setTrail([]);
  }, [state.after]);
  // After a page change, focus goes to the results (the button pressed may be gone on the last page).
  const resultsRef = useRef<HTMLElement>(null);
  const next = () => {
    if (!data?.packs.pageInfo.endCursor) return;
    setTrail((t) => [...t, state.after]);
    setState({ ...state, after: data.packs.pageInfo.endCursor });
    resultsRef.current?.focus();
  };
  const previous = () => {
    const before = trail[trail.length - 1] ?? null;
    setTrail((t) => t.slice(0, -1));
    setState({ ...state, after: before });
    resultsRef.current?.focus();
  };
  const first = () => {
    setState({ ...state, after: null });
    resultsRef.current?.focus();
  };

  const total = data?.packs.totalCount ?? 0;
  const pageNumber = trail.length + 1;

  return (
    <div className="catalog">
      <div className="catalog-head">
        <h1 id="page-title">Catalog</h1>
        <form role="search" className="search" onSubmit={(e) => e.preventDefault()}>
          <label htmlFor="search">Search packs</label>
          <input
            id="search"
            type="search"
            value={text}
            placeholder="Name, display name or description"
            autoComplete="off"
            onChange={(e) => {
              typed.current = true;
              setText(e.target.value);
            }}
            aria-controls="results"
          />
          <div className="check">
            <input
              id="include-deprecated"
              type="checkbox"
              checked={state.includeDeprecated}
              onChange={(e) => setState(withChange(state, { includeDeprecated: e.target.checked }))}
            />
            <label htmlFor="include-deprecated">Show deprecated packs</label>
          </div>
        </form>
      </div>
      <div className="catalog-body">
        <FacetPanel state={state} facets={facets} onChange={(s) => setState(s)} />
        <section id="results" ref={resultsRef} tabIndex={-1} className="results" aria-labelledby="results-title" aria-busy={result.fetching}>
          <h2 id="results-title" className="visually-hidden">
            Packs
          </h2>
          <p className="result-count" role="status" aria-live="polite">
            {data ? `${total} ${total === 1 ? 'pack' : 'packs'}${state.search ? ` matching “${state.search}”` : ''}` : result.fetching ? 'Loading…' : ''}
            {/* The page number is known when paged here, not when a shared link starts mid-list. */}
            {data && total > state.pageSize && !(state.after && trail.length === 0) ? ` · page ${pageNumber} of ${Math.ceil(total / state.pageSize)}` : ''}
          </p>
          {result.error && (
            <p role="alert" className="alert error">
              {result.error.message}
            </p>
          )}
          {data && data.packs.edges.length === 0 && <p className="muted">No pack matches. Try fewer words or clear the filters.</p>}
          <ul className="pack-list">
            {data?.packs.edges.map(({ node }) => (
              <li key={node.id} className="pack-card">
                <PackLogo url={node.logoUrl} name={node.name} />
                <div className="pack-card-body">
                  <h3>
                    <Link to={packLink(node.name, state)}>{node.displayName || node.name}</Link>
                    {node.displayName && node.displayName !== node.name && <span className="muted small"> {node.name}</span>}
                  </h3>
                  {descriptionOf(node.latest?.annotations) && <p className="description">{descriptionOf(node.latest?.annotations)}</p>}
                  <p className="meta">
                    <span className="badge accent">{layerLabel(node.layer)}</span>
                    {node.addonType && <span className="badge">{node.addonType}</span>}
                    {node.latest && <span className="badge ok">latest {node.latest.version}</span>}
                    {node.deprecated && <span className="badge danger">deprecated</span>}
                    <span className="muted small">
                      {' '}
                      from {node.sources.map((s) => s.name).join(', ')} · clouds {node.cloudTypes.join(', ') || 'any'}
                    </span>
                  </p>
                </div>
              </li>
            ))}
          </ul>
          <nav className="pager" aria-label="Pages">
            {(trail.length > 0 || state.after) && (
              <button type="button" className="button secondary" onClick={trail.length ? previous : first}>
                {trail.length ? 'Previous page' : 'First page'}
              </button>
            )}
            {data?.packs.pageInfo.hasNextPage && (
              <button type="button" className="button secondary" onClick={next}>
                Next page
              </button>
            )}
          </nav>
        </section>
      </div>
    </div>
  );
}
