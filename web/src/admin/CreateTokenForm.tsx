/**
 * Create a token: name, role, the registries it names (none: all), an expiry, a team. The answer's
 * secret goes to `onCreated` and nowhere else: not the URL, not storage, not the urql cache (the
 * mutation's result is not a cached entity the page reads back).
 */
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { ApiErrorAlert } from '../lib/api-error';
import { tokenInput, type TokenForm, type TokenRole } from './admin-state';
import { CreateApiToken, RegistryNames } from './queries';

const EMPTY: TokenForm = { name: '', role: 'VIEWER', registries: [], expires: '', team: '' };

export interface CreatedToken {
  id: string;
  name: string;
  role: TokenRole;
  secret: string;
}

export function CreateTokenForm({ onCreated }: { onCreated: (created: CreatedToken) => void }) {
  const [form, setForm] = useState<TokenForm>(EMPTY);
  const [problem, setProblem] = useState<{ message: string; field: keyof TokenForm } | null>(null);
  const [created, create] = useMutation(CreateApiToken);
  const [registries] = useQuery({ query: RegistryNames });
  const names = registries.data?.registriesConnection.edges.map((e) => e.node) ?? [];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = tokenInput(form);
    if ('problem' in checked) {
      setProblem({ message: checked.problem, field: checked.field });
      document.getElementById(`token-${checked.field}`)?.focus();
      return;
    }
    setProblem(null);
    const result = await create(checked.input);
    const answer = result.data?.createApiToken;
    if (answer) {
      onCreated({ id: answer.apiToken.id, name: answer.apiToken.name, role: answer.apiToken.role, secret: answer.token });
      setForm(EMPTY);
    }
  };

  const toggle = (name: string, on: boolean) =>
    setForm((f) => ({ ...f, registries: on ? [...f.registries, name] : f.registries.filter((r) => r !== name) }));

  return (
    <form className="token-form card" onSubmit={submit} aria-labelledby="create-token-title" noValidate>
      <h3 id="create-token-title">Create a token</h3>
      <div className="field-grid">
        <div className="field">
          <label htmlFor="token-name">Name</label>
          <input
            id="token-name"
            type="text"
            value={form.name}
            required
            autoComplete="off"
            aria-invalid={problem?.field === 'name' || undefined}
            aria-describedby={problem?.field === 'name' ? 'token-problem' : undefined}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="token-role">Role</label>
          <select id="token-role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as TokenRole })}>
            <option value="VIEWER">Viewer (reads)</option>
            <option value="PUBLISHER">Publisher (pushes, tags, profiles)</option>
            <option value="ADMIN">Admin (everything)</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="token-expires">Expires (end of day, UTC)</label>
          <input
            id="token-expires"
            type="date"
            value={form.expires}
            aria-invalid={problem?.field === 'expires' || undefined}
            aria-describedby="token-expires-help"
            onChange={(e) => setForm({ ...form, expires: e.target.value })}
          />
          <span id="token-expires-help" className="muted small">
            Empty: never.
          </span>
        </div>
        <div className="field">
          <label htmlFor="token-team">Team (optional)</label>
          <input id="token-team" type="text" value={form.team} autoComplete="off" onChange={(e) => setForm({ ...form, team: e.target.value })} />
        </div>
      </div>
      <fieldset className="registry-choice">
        <legend>Registries it names</legend>
        <p className="muted small">None chosen: a publisher writes to every registry. A private registry is readable only by tokens that name it.</p>
        <ApiErrorAlert error={registries.error} />
        <div className="choice-list">
          {names.map((r) => (
            <div className="check" key={r.id}>
              <input id={`token-reg-${r.name}`} type="checkbox" checked={form.registries.includes(r.name)} onChange={(e) => toggle(r.name, e.target.checked)} />
              <label htmlFor={`token-reg-${r.name}`}>
                {r.name}
                {r.visibility === 'PRIVATE' ? ' (private)' : ''}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
      {problem && (
        <p id="token-problem" role="alert" className="alert error">
          {problem.message}
        </p>
      )}
      <ApiErrorAlert error={created.error} prefix="The token was not created" />
      <button type="submit" className="button" disabled={created.fetching}>
        Create token
      </button>
    </form>
  );
}
