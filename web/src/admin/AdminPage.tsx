/**
 * Admin: API tokens and the audit trail, for an ADMIN only. Other roles (and visitors under
 * ALLOW_ANONYMOUS_READ) are told they are not allowed and get no admin query sent; the nav hides
 * the page from them too, and the service refuses these operations to them whatever the page does.
 */
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useTitle } from '../layout/useTitle';
import { useSession } from '../session/SessionProvider';
import { AuditTrail } from './AuditTrail';
import { TokensPanel } from './TokensPanel';
import './admin.css';

export function AdminPage() {
  useTitle('Admin');
  const session = useSession();
  // Token changes are audited: the trail is read again after each.
  const [auditKey, setAuditKey] = useState(0);

  if (session.principal?.role !== 'ADMIN') {
    return (
      <section aria-labelledby="page-title">
        <h1 id="page-title">Admin</h1>
        <p role="alert" className="alert error">
          Not allowed: managing tokens and reading the audit trail need an ADMIN token.{' '}
          {session.principal ? `You are signed in as ${session.principal.name} (${session.principal.role.toLowerCase()}).` : 'You are not signed in.'}
        </p>
        <p>
          {session.principal ? <Link to="/">Back to the catalog</Link> : <Link to="/signin?next=%2Fadmin">Sign in with an ADMIN token</Link>}
        </p>
      </section>
    );
  }

  return (
    <div className="admin">
      <h1 id="page-title">Admin</h1>
      <p className="lead">Tokens are the only credentials of this service: create one per person or machine, with the least role it needs, and revoke it when it is no longer used. Every change is in the audit trail.</p>
      <TokensPanel onChanged={() => setAuditKey((k) => k + 1)} />
      <AuditTrail refreshKey={auditKey} />
    </div>
  );
}
