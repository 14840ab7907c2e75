/**
 * The token form. The token is posted once to /session, which answers with an HttpOnly cookie;
 * the field is cleared afterwards and the token is kept nowhere in the page.
 */
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useTitle } from '../layout/useTitle';
import { SessionError } from '../session/session-api';
import { useSession } from '../session/SessionProvider';
import { safeNext } from './safe-next';

export function SignInPage() {
  useTitle('Sign in');
  const session = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!token.trim()) {
      setError('Enter an API token.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await session.signIn(token.trim());
      setToken('');
      navigate(next, { replace: true });
    } catch (e) {
      setError(e instanceof SessionError && e.status === 401 ? `${e.message} (${e.code ?? 'UNAUTHENTICATED'})` : e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="signin" aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in</h1>
      {session.principal ? (
        <p>
          You are signed in as <strong>{session.principal.name}</strong> ({session.principal.role.toLowerCase()}).{' '}
          <Link to={next}>Continue</Link>
        </p>
      ) : (
        <>
          {session.ended && (
            <p role="status" className="alert warn">
              Your session has ended. Sign in again to go on.
            </p>
          )}
          <p className="lead">
            Paste an API token. The service exchanges it for a session cookie and the page never stores the token.
            A new installation prints its admin token when it first starts.
          </p>
          <form onSubmit={onSubmit} className="card form" noValidate>
            <label htmlFor="token">API token</label>
            <input
              id="token"
              name="token"
              type="password"
              autoComplete="current-password"
              spellCheck={false}
              value={token}
              onChange={(e) => setToken(e.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'token-error' : undefined}
              required
            />
            {error && (
              <p id="token-error" role="alert" className="field-error">
                {error}
              </p>
            )}
            <button type="submit" className="button" disabled={busy}>
              {busy ? 'Signing in…' : 'Sign in'}
            </button>
          </form>
          {session.anonymousRead && (
            <p>
              This catalog is open for reading: <Link to="/">browse it without signing in</Link>.
            </p>
          )}
        </>
      )}
    </section>
  );
}
