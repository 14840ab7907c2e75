/**
 * Who is signed in, for every page: read from GET /session at start, changed by the sign-in form
 * and the nav's sign-out. A new urql client is made whenever the principal changes, so no cached
 * result of one principal is shown to the next.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Provider as UrqlProvider } from 'urql';
import { createClient } from '../graphql/client';
import { readSession, signIn as postSession, signOut as deleteSession, type SessionState } from './session-api';

export interface Session extends SessionState {
  /** False until GET /session has answered. */
  loaded: boolean;
  /** Set when GET /session failed (service down). */
  error: string | null;
  /** The session ended while the page was open (a query was refused): the sign-in page says so. */
  ended: boolean;
  signIn(token: string): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside <SessionProvider>');
  return session;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ principal: null, expiresAt: null, anonymousRead: false });
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [ended, setEnded] = useState(false);

  useEffect(() => {
    let live = true;
    readSession()
      .then((s) => live && setState(s))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)))
      .finally(() => live && setLoaded(true));
    return () => {
      live = false;
    };
  }, []);

  const signIn = useCallback(async (token: string) => {
    const { principal, expiresAt } = await postSession(token);
    setEnded(false);
    setState((s) => ({ ...s, principal, expiresAt }));
  }, []);

  const signOut = useCallback(async () => {
    await deleteSession();
    setState((s) => ({ ...s, principal: null, expiresAt: null }));
  }, []);

  // A query refused as unauthenticated while signed in: the session ended on the server (expired,
  // idle, token revoked). Ask again who we are; the pages then offer the sign-in form.
  const signedIn = useRef(false);
  signedIn.current = state.principal !== null;
  const onUnauthenticated = useCallback(() => {
    if (!signedIn.current) return;
    signedIn.current = false;
    readSession()
      .then((s) => {
        setState(s);
        if (!s.principal) setEnded(true);
      })
      .catch(() => setState((s) => ({ ...s, principal: null, expiresAt: null })));
  }, []);

  const principalKey = state.principal ? `${state.principal.name}:${state.principal.role}` : 'anonymous';
  // eslint-disable-next-line react-hooks/exhaustive-deps -- a new client per principal on purpose
  const client = useMemo(() => createClient({ onUnauthenticated }), [principalKey]);
  const session = useMemo<Session>(() => ({ ...state, loaded, error, ended, signIn, signOut }), [state, loaded, error, ended, signIn, signOut]);

  return (
    <SessionContext.Provider value={session}>
      <UrqlProvider value={client}>{children}</UrqlProvider>
    </SessionContext.Provider>
  );
}
