/** Pages that read the catalog: shown to a principal, or to anyone under ALLOW_ANONYMOUS_READ. */
import { Navigate, Outlet, useLocation } from 'react-router-dom';
import { useSession } from '../session/SessionProvider';

export function RequireReader() {
  const session = useSession();
  const location = useLocation();
  if (!session.loaded) return <p aria-live="polite">Loading…</p>;
  if (session.principal || session.anonymousRead) return <Outlet />;
  return <Navigate to={`/signin?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
}
