/**
 * One pack: its versions (tags, parent tags, registries), then the chosen version's download and
 * pull commands, values with the schema's rules, a values diff against another version, presets,
 * dependencies and resource needs, and the README (sanitised). `?version=&registry=` chooses the
 * version (default: the newest), `?compare=&compareRegistry=` the one to diff against.
 */
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { layerLabel } from '../catalog/FacetPanel';
import { PackLogo } from '../catalog/PackLogo';
import { useTitle } from '../layout/useTitle';
import { PackVersionPanel } from './PackVersionPanel';
import { PackOverview } from './queries';

/** `1.x`, `1.29.x`: a tag the catalog gives the newest version of a line. */
const isParentTag = (tag: string) => /^\d+(\.\d+)*\.x$/.test(tag);

export function PackPage() {
  const { name = '' } = useParams();
  useTitle(name);
  const [params, setParams] = useSearchParams();
  const [result] = useQuery({ query: PackOverview, variables: { name } });
  const pack = result.data?.pack;

  if (result.error) {
    return (
      <section aria-labelledby="page-title">
        <h1 id="page-title">{name}</h1>
        <p role="alert" className="alert error">
          {result.error.message}
        </p>
      </section>
    );
  }
  if (!result.data) return <p aria-live="polite">Loading {name}…</p>;
  if (!pack) {
    return (
      <section aria-labelledby="page-title">
        <h1 id="page-title">{name}</h1>
        <p>
          No pack is called {name}, or you may not read it. <Link to={`/?q=${encodeURIComponent(name)}`}>Search the catalog</Link>.
        </p>
      </section>
    );
  }

  const versions = pack.versionsConnection.edges.map((e) => e.node);
  const wanted = params.get('version');
  const wantedRegistry = params.get('registry');
  // `?version=` picks one (in `?registry=` when given); `?registry=` alone, that registry's newest.
  const selected =
    (wanted ? versions.find((v) => v.version === wanted && (!wantedRegistry || v.registry.name === wantedRegistry)) : undefined) ??
    (wantedRegistry ? versions.find((v) => v.registry.name === wantedRegistry) : undefined) ??
    versions[0] ??
    null;
  const select = (version: string, registry: string) => {
    const next = new URLSearchParams(params);
    next.set('version', version);
    next.set('registry', registry);
    setParams(next);
  };

  return (
    <article className="pack-page" aria-labelledby="page-title">
      <header className="pack-head">
        <PackLogo url={pack.logoUrl} name={pack.name} size={64} />
        <div>
          <h1 id="page-title">{pack.displayName || pack.name}</h1>
          <p className="meta">
            <code>{pack.name}</code> <span className="badge accent">{layerLabel(pack.layer)}</span>
            {pack.addonType && <span className="badge">{pack.addonType}</span>}
            {pack.addonSubType && <span className="badge">{pack.addonSubType}</span>}
            {pack.deprecated && <span className="badge danger">deprecated</span>}
          </p>
          <p className="muted small">
            Clouds: {pack.cloudTypes.join(', ') || 'any'} · Sources:{' '}
            {pack.sources.map((s, i) => (
              <span key={s.name}>
                {i > 0 && ', '}
                <Link to={`/registries/${encodeURIComponent(s.name)}`}>{s.name}</Link> <span className="muted">({s.kind.toLowerCase()})</span>
              </span>
            ))}
          </p>
        </div>
      </header>

      <nav className="toc" aria-label="On this page">
        <a href="#versions">Versions</a>
        <a href="#install">Install</a>
        <a href="#values">Values</a>
        <a href="#compare">Compare</a>
        <a href="#presets">Presets</a>
        <a href="#needs">Dependencies and resources</a>
        <a href="#readme">README</a>
      </nav>

      <section id="versions" aria-labelledby="versions-title">
        <h2 id="versions-title">Versions ({versions.length})</h2>
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Tags</th>
                <th scope="col">Registry</th>
                <th scope="col">State</th>
                <th scope="col">Published</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => {
                const isSelected = v.id === selected?.id;
                return (
                  <tr key={v.id} className={isSelected ? 'selected' : undefined} aria-current={isSelected ? 'true' : undefined}>
                    <td>
                      <button type="button" className="link-button" onClick={() => select(v.version, v.registry.name)} aria-pressed={isSelected}>
                        {v.version}
                      </button>
                    </td>
                    <td>
                      {v.tags.map((t) => (
                        <span key={t} className={`badge ${isParentTag(t) ? 'accent' : ''}`} title={isParentTag(t) ? 'Parent tag: the newest version of this line' : 'Tag'}>
                          {t}
                        </span>
                      ))}
                    </td>
                    <td>{v.registry.name}</td>
                    <td>{v.lifecycle.state === 'ACTIVE' ? <span className="badge ok">active</span> : <span className="badge danger">{v.lifecycle.state.toLowerCase()}</span>}</td>
                    <td>{new Date(v.createdAt).toISOString().slice(0, 10)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>

      {selected ? (
        <PackVersionPanel
          name={pack.name}
          version={selected.version}
          registry={selected.registry.name}
          versions={versions.map((v) => ({ version: v.version, registry: v.registry.name }))}
        />
      ) : (
        <p>This pack has no version you can read.</p>
      )}
    </article>
  );
}
