/**
 * What validation says of the whole draft: valid or not (announced politely to screen readers),
 * profile-level issues, the versions each layer resolved to, the install order and the summed
 * resource needs.
 */
import type { ComposerValidateQuery } from '../generated/graphql';
import { layerLabel } from './draft';

type Validation = ComposerValidateQuery['validateProfile'];

interface Props {
  validation: Validation | undefined;
  checking: boolean;
  error: string | null;
  /** Index in what was sent -> index in the draft (layers without a pack are not sent). */
  draftIndex: Map<number, number>;
  empty: boolean;
}

function cpu(millicores: number): string {
  return millicores >= 1000 ? `${(millicores / 1000).toFixed(2).replace(/\.?0+$/, '')} cores` : `${Math.round(millicores)} millicores`;
}
function memory(mi: number): string {
  return mi >= 1024 ? `${(mi / 1024).toFixed(2).replace(/\.?0+$/, '')} GiB` : `${Math.round(mi)} MiB`;
}

export function ValidationSummary({ validation: v, checking, error, draftIndex, empty }: Props) {
  const at = (i: number) => (draftIndex.get(i) ?? i) + 1;
  const profileIssues = v?.issues.filter((i) => i.layerIndex === null || i.layerIndex === undefined) ?? [];
  return (
    <section className="validation card" aria-labelledby="validation-title">
      <h2 id="validation-title">Validation</h2>
      <div role="status" aria-live="polite" className="validation-status">
        {error ? (
          <p className="alert error">Could not validate: {error}</p>
        ) : empty ? (
          <p className="muted">Add layers to validate the profile.</p>
        ) : !v ? (
          <p className="muted">Validating…</p>
        ) : v.valid ? (
          <p className="verdict ok">
            <span className="badge ok">Valid</span> {v.warningCount ? `${v.warningCount} warning${v.warningCount === 1 ? '' : 's'}` : 'no issues'}
            {checking ? <span className="muted"> · checking…</span> : null}
          </p>
        ) : (
          <p className="verdict bad">
            <span className="badge danger">Invalid</span> {v.errorCount} error{v.errorCount === 1 ? '' : 's'}
            {v.warningCount ? `, ${v.warningCount} warning${v.warningCount === 1 ? '' : 's'}` : ''}
            {checking ? <span className="muted"> · checking…</span> : null}
          </p>
        )}
      </div>
      {profileIssues.length > 0 && (
        <ul className="profile-issues" aria-label="Issues of the profile">
          {profileIssues.map((i, n) => (
            <li key={n} className={i.severity === 'ERROR' ? 'issue error' : 'issue warning'}>
              <span className={`badge ${i.severity === 'ERROR' ? 'danger' : 'warn'}`}>{i.severity === 'ERROR' ? 'Error' : 'Warning'}</span> <code>{i.code}</code>: {i.message}
            </li>
          ))}
        </ul>
      )}
      {v && v.resolvedLayers.length > 0 && (
        <>
          <h3>Resolved versions</h3>
          <div className="table-scroll">
            <table className="resolved">
              <thead>
                <tr>
                  <th scope="col">Layer</th>
                  <th scope="col">Pack</th>
                  <th scope="col">Version</th>
                </tr>
              </thead>
              <tbody>
                {v.resolvedLayers.map((r) => (
                  <tr key={r.layerIndex}>
                    <td>
                      {at(r.layerIndex)}. {layerLabel(r.layer)}
                    </td>
                    <td>
                      {r.pack}
                      <span className="muted small registry-of"> from {r.registry}</span>
                    </td>
                    <td>{r.version}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3>Install order</h3>
          <ol className="install-order">
            {v.installOrder.map((s) => (
              <li key={s.layerIndex}>
                {s.pack}
                {s.priority ? <span className="muted"> (priority {s.priority})</span> : null}
              </li>
            ))}
          </ol>
          <h3>Resources (summed minimums)</h3>
          <dl className="resources">
            <dt>CPU</dt>
            <dd>{cpu(v.resources.cpuMillicores)}</dd>
            <dt>Memory</dt>
            <dd>{memory(v.resources.memoryMi)}</dd>
            {v.resources.diskGi !== null && v.resources.diskGi !== undefined && (
              <>
                <dt>Disk</dt>
                <dd>{v.resources.diskGi} GiB</dd>
              </>
            )}
          </dl>
        </>
      )}
    </section>
  );
}
