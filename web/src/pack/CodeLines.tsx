/**
 * Highlighted, line-numbered YAML (read-only), from yaml-lines.ts. Lines whose key path has a
 * schema rule are marked and carry an id, so the rules beside them can link to their line.
 */
import { useMemo } from 'react';
import { yamlLines } from './yaml-lines';

interface Props {
  text: string;
  label: string;
  /** Paths with a rule (schema.yaml), marked in the gutter. */
  rulePaths?: Set<string>;
  /** Prefix of each line's id (`<idPrefix>-<n>`); no ids when absent. */
  idPrefix?: string;
  /** The line to highlight (a rule's line just chosen). */
  current?: number | null;
}

export function CodeLines({ text, label, rulePaths, idPrefix, current }: Props) {
  const lines = useMemo(() => yamlLines(text), [text]);
  return (
    <div className="code" role="region" aria-label={label} tabIndex={0}>
      <pre>
        <code>
          {lines.map((line, i) => {
            const ruled = !!(line.path && rulePaths?.has(line.path));
            const classes = ['line', ruled ? 'ruled' : '', current === i + 1 ? 'current' : ''].filter(Boolean).join(' ');
            return (
              <span key={i} className={classes} id={idPrefix ? `${idPrefix}-${i + 1}` : undefined}>
                <span className="ln" aria-hidden="true">
                  {i + 1}
                </span>
                <span className="mark" aria-hidden="true" title={ruled ? 'Has a schema rule' : undefined}>
                  {ruled ? '●' : ' '}
                </span>
                {line.tokens.map((t, j) => (
                  <span key={j} className={`t-${t.type}`}>
                    {t.text}
                  </span>
                ))}
                {'\n'}
              </span>
            );
          })}
        </code>
      </pre>
    </div>
  );
}
