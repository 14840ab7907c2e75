/** Everything about one version of a pack (the lower part of the pack page). */
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { descriptionOf } from '../catalog/description';
import { layerLabel } from '../catalog/FacetPanel';
import { InstallCommands } from './InstallCommands';
import { renderMarkdown } from './markdown';
import { Presets } from './Presets';
import { PackVersionDetail } from './queries';
import { ValuesDiffView } from './ValuesDiffView';
import { ValuesView } from './ValuesView';

interface Props {
  name: string;
  version: string;
  registry: string;
  versions: { version: string; registry: string }[];
}

const UNITS: Record<string, string> = { cpu: 'millicores', memory: 'MiB', disk: 'GiB' };

export function PackVersionPanel({ name, version, registry, versions }: Props) {
  const [result] = useQuery({ query: PackVersionDetail, variables: { name, version, registry } });
  const v = result.data?.packVersion;
  const readme = useMemo(() => (v?.readme ? renderMarkdown(v.readme) : null), [v?.readme]);
  const [params, setParams] = useSearchParams();

  // The version to compare with: chosen in the URL, else the next older one listed.
  const compareKey = params.get('compare');
  const compareRegistry = params.get('compareRegistry');
  const listedOthers = versions.filter((o) => !(o.version === version && o.registry === registry));
  // A shared link may name a version the list has not loaded (versions come a page at a time).
  const linked =
    compareKey && compareRegistry && !(compareKey === version && compareRegistry === registry) && !listedOthers.some((o) => o.version === compareKey && o.registry === compareRegistry)
      ? [{ version: compareKey, registry: compareRegistry }]
      : [];
  const others = [...listedOthers, ...linked];
  const index = versions.findIndex((o) => o.version === version && o.registry === registry);
  const compare =
    others.find((o) => o.version === compareKey && (!compareRegistry || o.registry === compareRegistry)) ??
    versions[index + 1] ??
    others[0] ??
    null;
  const choose = (key: string) => {
    const [r, ...rest] = key.split('/');
    const next = new URLSearchParams(params);
    next.set('compare', rest.join('/'));
    next.set('compareRegistry', r);
    setParams(next, { replace: true });
  };

  if (result.error) return <p className="alert error">{result.error.message}</p>;
  if (!result.data) return <p aria-live="polite">Loading {version}…</p>;
  if (!v) return <p>Version {version} is not available.</p>;

  const deps = v.constraints?.dependencies ?? [];
  const resources = v.constraints?.resources ?? [];

  return (
    <>
      <h2 className="version-title">
        {name} {v.version} <span className="muted small">in {v.registry.name}</span>
      </h2>
      {descriptionOf(v.annotations) && <p className="lead">{descriptionOf(v.annotations)}</p>}
      {v.lifecycle.state !== 'ACTIVE' && (
        <p className="alert warn">
          This version is {v.lifecycle.state.toLowerCase()}
          {v.lifecycle.replacedBy ? `; use ${v.lifecycle.replacedBy} instead` : ''}.
        </p>
      )}
      {v.lifecycle.pastEol && <p className="alert warn">Past its end of life ({v.lifecycle.eol}).</p>}
      {v.signatures.some((s) => s.verified) && <p className="badge ok">Signed by {v.signatures.filter((s) => s.verified).map((s) => s.keyName).join(', ')}</p>}

      <section id="install" aria-labelledby="install-title">
        <h2 id="install-title">Install</h2>
        <InstallCommands name={name} version={v.version} registry={v.registry.name} downloadUrl={v.downloadUrl} digest={v.digest} size={v.size} />
      </section>

      <section id="values" aria-labelledby="values-title">
        <h2 id="values-title">Values</h2>
        <ValuesView values={v.values} schema={v.schema} />
      </section>

      <section id="compare" aria-labelledby="compare-title">
        <h2 id="compare-title">Compare values</h2>
        {compare ? (
          <>
            <label htmlFor="compare-with">Compare {v.version} with </label>
            <select id="compare-with" value={`${compare.registry}/${compare.version}`} onChange={(e) => choose(e.target.value)}>
              {others.map((o) => (
                <option key={`${o.registry}/${o.version}`} value={`${o.registry}/${o.version}`}>
                  {o.version} ({o.registry})
                </option>
              ))}
            </select>
            <ValuesDiffView name={name} version={v.version} values={v.values} other={compare} />
          </>
        ) : (
          <p className="muted">This is the only version: nothing to compare with.</p>
        )}
      </section>

      <section id="presets" aria-labelledby="presets-title">
        <h2 id="presets-title">Presets</h2>
        <Presets presets={v.presets} />
      </section>

      <section id="needs" aria-labelledby="needs-title">
        <h2 id="needs-title">Dependencies and resources</h2>
        {deps.length === 0 ? (
          <p className="muted">No dependencies.</p>
        ) : (
          <div className="table-scroll">
            <table>
              <caption className="visually-hidden">Dependencies</caption>
              <thead>
                <tr>
                  <th scope="col">Pack</th>
                  <th scope="col">Layer</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Versions</th>
                </tr>
              </thead>
              <tbody>
                {deps.map((d) => (
                  <tr key={`${d.packName}-${d.type}`}>
                    <td>
                      <Link to={`/packs/${encodeURIComponent(d.packName)}`}>{d.packName}</Link>
                    </td>
                    <td>{layerLabel(d.layer)}</td>
                    <td>{d.type.toLowerCase().replace('_', ' ')}</td>
                    <td>
                      {d.minVersion ? `≥ ${d.minVersion}` : ''} {d.maxVersion ? `≤ ${d.maxVersion}` : ''}
                      {!d.minVersion && !d.maxVersion && 'any'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {resources.length === 0 ? (
          <p className="muted">No resource needs declared.</p>
        ) : (
          <ul className="resources">
            {resources.map((r) => (
              <li key={r.type}>
                <strong>{r.type}</strong>: at least {r.minLimit ?? '?'} {UNITS[r.type] ?? ''}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section id="readme" aria-labelledby="readme-title">
        <h2 id="readme-title">README</h2>
        {readme ? <div className="markdown card" dangerouslySetInnerHTML={{ __html: readme }} /> : <p className="muted">No README.</p>}
      </section>
    </>
  );
}
