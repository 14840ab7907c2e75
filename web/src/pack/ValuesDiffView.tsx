/** The values of the shown version against another one, as a unified diff with context. */
import { useMemo } from 'react';
import { useQuery } from 'urql';
import { PackVersionValues } from './queries';
import { valuesDiff, withContext } from './values-diff';

interface Props {
  name: string;
  /** The version shown on the page, and its values. */
  version: string;
  values: string;
  /** The other version (`registry` of each as listed). */
  other: { version: string; registry: string };
}

export function ValuesDiffView({ name, version, values, other }: Props) {
  const [result] = useQuery({ query: PackVersionValues, variables: { name, version: other.version, registry: other.registry } });
  const otherValues = result.data?.packVersion?.values;
  const diff = useMemo(() => (otherValues == null ? null : valuesDiff(otherValues, values)), [otherValues, values]);
  if (result.error) return <p className="alert error">{result.error.message}</p>;
  if (result.data && !result.data.packVersion) return <p className="alert warn">Version {other.version} is not available to compare with.</p>;
  if (!diff) return <p className="muted">Loading {other.version}…</p>;
  if (!diff.added && !diff.removed) return <p>The values of {other.version} and {version} are the same.</p>;
  return (
    <>
      <p>
        From <strong>{other.version}</strong> to <strong>{version}</strong>: <span className="diff-added-count">
          {diff.added} {diff.added === 1 ? 'line' : 'lines'} added
        </span>
        , <span className="diff-removed-count">{diff.removed} removed</span>.
      </p>
      <div className="code diff" role="region" aria-label={`Values diff from ${other.version} to ${version}`} tabIndex={0}>
        <pre>
          <code>
            {withContext(diff.lines).map((line, i) =>
              'skipped' in line ? (
                <span key={i} className="line skipped">
                  ⋯ {line.skipped} unchanged lines{'\n'}
                </span>
              ) : (
                <span key={i} className={`line ${line.kind}`}>
                  <span className="ln" aria-hidden="true">
                    {line.oldLine ?? ''}
                  </span>
                  <span className="ln" aria-hidden="true">
                    {line.newLine ?? ''}
                  </span>
                  <span className="sign">{line.kind === 'added' ? '+' : line.kind === 'removed' ? '-' : ' '}</span>
                  {line.text}
                  {'\n'}
                </span>
              ),
            )}
          </code>
        </pre>
      </div>
    </>
  );
}
