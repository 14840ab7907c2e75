/**
 * The profile's variables (ProfileVariableInput): name, format, default, required, regex, options,
 * display name, description, hidden and read-only, each a labelled field; a layer's values use one
 * as `{{.spectro.var.<name>}}`. Validation's variable issues (their path is the variable's name)
 * are shown on the variable they concern. A variable without a name is not sent yet.
 */
import { useRef } from 'react';
import { emptyVariable, VARIABLE_FORMATS, type DraftVariable } from './draft';
import type { Issue } from './LayerCard';

interface Props {
  variables: DraftVariable[];
  issues: Issue[];
  onChange(variables: DraftVariable[]): void;
}

export function VariablesEditor({ variables, issues, onChange }: Props) {
  const focusKey = useRef<string | null>(null);
  const set = (key: string, patch: Partial<DraftVariable>) => onChange(variables.map((v) => (v.key === key ? { ...v, ...patch } : v)));
  const add = () => {
    const fresh = emptyVariable();
    focusKey.current = fresh.key;
    onChange([...variables, fresh]);
  };
  const remove = (index: number) => {
    onChange(variables.filter((_, i) => i !== index));
    // The focus goes to the next variable's name, else to the add button.
    const next = variables[index + 1] ?? variables[index - 1];
    setTimeout(() => (document.getElementById(next ? `${next.key}-name` : 'add-variable') as HTMLElement | null)?.focus());
  };

  return (
    <section className="card variables" aria-labelledby="variables-title">
      <div className="layers-head">
        <h2 id="variables-title">Variables</h2>
        <button type="button" id="add-variable" className="button small secondary" onClick={add}>
          + Variable
        </button>
      </div>
      <p className="muted small">
        Asked for when the profile is deployed; a layer's values use one as <code>{'{{.spectro.var.name}}'}</code>.
      </p>
      {variables.length === 0 && <p className="muted">No variables.</p>}
      <ol className="variable-list">
        {variables.map((v, i) => {
          const id = v.key;
          const label = `variable ${i + 1}${v.name.trim() ? ` (${v.name.trim()})` : ''}`;
          const mine = v.name.trim() ? issues.filter((issue) => issue.code.startsWith('VARIABLE_') && issue.path === v.name.trim()) : [];
          const formats = (VARIABLE_FORMATS as readonly string[]).includes(v.format) ? VARIABLE_FORMATS : [v.format, ...VARIABLE_FORMATS];
          return (
            <li key={id}>
              <fieldset className="variable" aria-describedby={mine.length ? `${id}-issues` : undefined}>
                <legend>{label[0].toUpperCase() + label.slice(1)}</legend>
                <div className="fields">
                  <div className="field">
                    <label htmlFor={`${id}-name`}>Name</label>
                    <input
                      id={`${id}-name`}
                      type="text"
                      value={v.name}
                      required
                      placeholder="clusterDomain"
                      ref={(e) => {
                        if (e && focusKey.current === id) {
                          focusKey.current = null;
                          e.focus();
                        }
                      }}
                      onChange={(e) => set(id, { name: e.target.value })}
                    />
                  </div>
                  <div className="field">
                    <label htmlFor={`${id}-format`}>Format</label>
                    <select id={`${id}-format`} value={v.format} onChange={(e) => set(id, { format: e.target.value })}>
                      {formats.map((f) => (
                        <option key={f} value={f}>
                          {f}
                        </option>
                      ))}
                    </select>
                  </div>
                  <div className="field">
                    <label htmlFor={`${id}-default`}>Default</label>
                    <input id={`${id}-default`} type="text" value={v.default} onChange={(e) => set(id, { default: e.target.value })} />
                  </div>
                  <div className="field">
                    <label htmlFor={`${id}-regex`}>Regex (RE2)</label>
                    <input id={`${id}-regex`} type="text" value={v.regex} placeholder="^[a-z]+$" onChange={(e) => set(id, { regex: e.target.value })} />
                  </div>
                  <div className="field">
                    <label htmlFor={`${id}-display`}>Display name</label>
                    <input id={`${id}-display`} type="text" value={v.displayName} onChange={(e) => set(id, { displayName: e.target.value })} />
                  </div>
                  <div className="field">
                    <label htmlFor={`${id}-options`}>Options (one per line; none: free input)</label>
                    <textarea id={`${id}-options`} rows={2} value={v.options} onChange={(e) => set(id, { options: e.target.value })} />
                  </div>
                  <div className="field wide">
                    <label htmlFor={`${id}-description`}>Description</label>
                    <input id={`${id}-description`} type="text" value={v.description} onChange={(e) => set(id, { description: e.target.value })} />
                  </div>
                </div>
                <div className="variable-flags">
                  <label>
                    <input type="checkbox" checked={v.required} onChange={(e) => set(id, { required: e.target.checked })} /> Required
                  </label>
                  <label>
                    <input type="checkbox" checked={v.hidden} onChange={(e) => set(id, { hidden: e.target.checked })} /> Hidden
                  </label>
                  <label>
                    <input type="checkbox" checked={v.readonly} onChange={(e) => set(id, { readonly: e.target.checked })} /> Read-only
                  </label>
                  <button type="button" className="button small secondary" onClick={() => remove(i)} aria-label={`Remove ${label}`}>
                    Remove
                  </button>
                </div>
                {!v.name.trim() && <p className="muted small">Name it to include it in the profile.</p>}
                {mine.length > 0 && (
                  <ul className="layer-issues" id={`${id}-issues`} aria-label={`Issues of ${label}`}>
                    {mine.map((issue, n) => (
                      <li key={n} className={issue.severity === 'ERROR' ? 'issue error' : 'issue warning'}>
                        <span className={`badge ${issue.severity === 'ERROR' ? 'danger' : 'warn'}`}>{issue.severity === 'ERROR' ? 'Error' : 'Warning'}</span> <code>{issue.code}</code>: {issue.message}
                      </li>
                    ))}
                  </ul>
                )}
              </fieldset>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
