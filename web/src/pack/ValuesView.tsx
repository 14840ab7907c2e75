/** values.yaml highlighted, with schema.yaml's rules beside it, each linked to its line. */
import { useMemo, useState } from 'react';
import { CodeLines } from './CodeLines';
import { describeFormat, schemaRules } from './schema-rules';
import { yamlLines } from './yaml-lines';

export function ValuesView({ values, schema }: { values: string; schema: unknown }) {
  const rules = useMemo(() => schemaRules(schema), [schema]);
  const lineOf = useMemo(() => {
    const map = new Map<string, number>();
    yamlLines(values).forEach((l, i) => {
      if (l.path && !map.has(l.path)) map.set(l.path, i + 1);
    });
    return map;
  }, [values]);
  const rulePaths = useMemo(() => new Set(rules.map((r) => r.path)), [rules]);
  const [current, setCurrent] = useState<number | null>(null);

  const show = (line: number) => {
    setCurrent(line);
    document.getElementById(`values-line-${line}`)?.scrollIntoView({ block: 'center' });
  };

  return (
    <div className={rules.length ? 'values-grid' : undefined}>
      {values.trim() ? <CodeLines text={values} label="values.yaml" rulePaths={rulePaths} idPrefix="values-line" current={current} /> : <p className="muted">This version has no values.</p>}
      {rules.length > 0 && (
        <div className="rules" aria-labelledby="rules-title">
          <h3 id="rules-title">Schema rules ({rules.length})</h3>
          <ul className="rule-list">
            {rules.map((rule) => {
              const line = lineOf.get(rule.path);
              return (
                <li key={rule.path}>
                  <div className="rule-path">
                    {line ? (
                      <button type="button" className="link-button" onClick={() => show(line)} aria-label={`${rule.path}, line ${line}`}>
                        <code>{rule.path}</code>
                      </button>
                    ) : (
                      <code>{rule.path}</code>
                    )}
                    {line ? <span className="muted small"> line {line}</span> : <span className="muted small"> not in values.yaml</span>}
                  </div>
                  <div className="rule-tags">
                    {rule.required && <span className="badge warn">required</span>}
                    {rule.readonly && <span className="badge">read-only</span>}
                    {rule.hidden && <span className="badge">hidden</span>}
                    {rule.format && <span className="badge accent">{describeFormat(rule.format)}</span>}
                    {rule.other.map((o) => (
                      <span key={o} className="badge">
                        {o}
                      </span>
                    ))}
                  </div>
                  {rule.hints && <p className="rule-hint">{rule.hints}</p>}
                </li>
              );
            })}
          </ul>
        </div>
      )}
    </div>
  );
}
