/**
 * The frame of every page: a skip link, the banner with the nav (sign in/out on the right), the
 * main landmark the skip link targets, and a footer pointing developers at GraphiQL.
 */
import { useEffect, useRef } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useSession } from '../session/SessionProvider';

export function Layout() {
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);

  // A route change moves focus to the page (as a full page load would), for keyboard and screen readers.
  // Not on the first load (the skip link stays the first stop); StrictMode's second run sees the same path.
  const shown = useRef(location.pathname);
  useEffect(() => {
    if (shown.current === location.pathname) return;
    shown.current = location.pathname;
    main.current?.focus({ preventScroll: false });
  }, [location.pathname]);

  const onSignOut = async () => {
    await session.signOut();
    navigate('/signin');
  };

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="banner" role="banner">
        <div className="banner-inner">
          <NavLink to="/" className="brand" end>
            Pack catalog
          </NavLink>
          <nav aria-label="Main">
            <ul className="nav-list">
              <li>
                <NavLink to="/" end>
                  Catalog
                </NavLink>
              </li>
              <li>
                <NavLink to="/profiles/new">Composer</NavLink>
              </li>
              <li>
                <NavLink to="/registries">Registries</NavLink>
              </li>
              {session.principal?.role === 'ADMIN' && (
                <li>
                  <NavLink to="/admin">Admin</NavLink>
                </li>
              )}
            </ul>
          </nav>
          <div className="session-box">
            {session.principal ? (
              <>
                <span className="who" title={`Role ${session.principal.role}`}>
                  {session.principal.name} <span className="role">{session.principal.role.toLowerCase()}</span>
                </span>
                <button type="button" className="button secondary" onClick={onSignOut}>
                  Sign out
                </button>
              </>
            ) : (
              location.pathname !== '/signin' && (
                <NavLink to={`/signin?next=${encodeURIComponent(location.pathname + location.search)}`} className="button">
                  Sign in
                </NavLink>
              )
            )}
          </div>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {session.error && (
          <p role="alert" className="alert error">
            The service did not answer: {session.error}
          </p>
        )}
        <Outlet />
      </main>
      <footer className="footer">
        <p>
          Pack catalog console. Developers: the GraphQL API is at <a href="/ide">/ide</a>.
        </p>
      </footer>
    </>
  );
}
