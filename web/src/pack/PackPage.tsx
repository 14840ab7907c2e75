/**
 * One pack: its versions (tags, parent tags, registries; paged, newest first), then the chosen
 * version's download and pull commands, values with the schema's rules, a values diff against
 * another version, presets, dependencies and resource needs, and the README (sanitised).
 * `?version=&registry=` chooses the version (default: the newest; one not loaded in the list, or
 * a tag, is looked up by itself), `?compare=&compareRegistry=` the one to diff against.
 */
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { layerLabel } from '../catalog/FacetPanel';
import { PackLogo } from '../catalog/PackLogo';
import { useTitle } from '../layout/useTitle';
import { PackVersionPanel } from './PackVersionPanel';
import type { ConsolePackQuery } from '../generated/graphql';
import { PackOverview, PackVersionRef } from './queries';
import { useMoreVersions } from './useMoreVersions';
import { chooseVersion, versionPageOf, VERSIONS_PAGE_SIZE } from './version-list';
import { VersionsSection } from './VersionsSection';

export function PackPage() {
  const { name = '' } = useParams();
  useTitle(name);
  const [result] = useQuery({ query: PackOverview, variables: { name, first: VERSIONS_PAGE_SIZE } });
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

  return <PackContent pack={pack} />;
}

type Pack = NonNullable<ConsolePackQuery['pack']>;

/** The page once the pack is read (a component of its own: the versions list holds state). */
function PackContent({ pack }: { pack: Pack }) {
  const [params, setParams] = useSearchParams();
  const list = useMoreVersions(pack.name, versionPageOf(pack.versionsConnection));
  const wanted = params.get('version');
  const wantedRegistry = params.get('registry');
  const choice = chooseVersion(list.rows, wanted, wantedRegistry);
  // A version the list has not loaded (an old one, a tag, `latest`) is read by itself.
  const lookup = choice.kind === 'lookup' ? choice : null;
  const [found] = useQuery({
    query: PackVersionRef,
    variables: { name: pack.name, version: lookup?.version ?? '', registry: lookup?.registry ?? null },
    pause: !lookup,
  });
  // urql keeps the last answer while the next one is fetched: only the answer to this lookup counts.
  const answered = lookup && found.operation?.variables.version === lookup.version && (found.operation.variables.registry ?? null) === lookup.registry;
  const resolved = answered ? found.data?.packVersion : undefined;
  const missing = answered && found.data !== undefined && !resolved;
  const lookupError = answered ? found.error : undefined;
  const selected = choice.kind === 'listed' ? choice.row : (resolved ?? (missing ? (list.rows[0] ?? null) : null));
  const select = (version: string, registry: string) => {
    const next = new URLSearchParams(params);
    next.set('version', version);
    next.set('registry', registry);
    setParams(next);
  };
  // The box opens what packVersion resolves the text to, in any source (the API picks by priority).
  const find = (text: string) => {
    const next = new URLSearchParams(params);
    next.set('version', text);
    for (const key of ['registry', 'compare', 'compareRegistry']) next.delete(key);
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

      <VersionsSection list={list} selected={selected} onSelect={(v) => select(v.version, v.registry.name)} onFind={find} />

      {lookupError && (
        <p role="alert" className="alert error">
          {lookupError.message}
        </p>
      )}
      {missing && lookup && (
        <p role="alert" className="alert warn">
          No version “{lookup.version}” of {pack.name}
          {lookup.registry ? ` in ${lookup.registry}` : ''}: showing the newest instead.
        </p>
      )}

      {selected ? (
        <PackVersionPanel
          name={pack.name}
          version={selected.version}
          registry={selected.registry.name}
          versions={list.rows.map((v) => ({ version: v.version, registry: v.registry.name }))}
        />
      ) : lookup && !lookupError && !missing ? (
        <p aria-live="polite">Looking up {lookup.version}…</p>
      ) : (
        !lookupError && <p>This pack has no version you can read.</p>
      )}
    </article>
  );
}
