/**
 * GraphiQL served from the installed npm packages (no CDN: many users run offline). The page and
 * its script are separate responses so the Content-Security-Policy needs no inline script.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type Router } from 'express';

const require = createRequire(import.meta.url);

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>pack-catalog GraphQL</title>
  <link rel="stylesheet" href="/ide/assets/graphiql/graphiql.min.css">
  <link rel="stylesheet" href="/ide/app.css">
</head>
<body>
  <div id="ide">Loading…</div>
  <script src="/ide/assets/react/umd/react.production.min.js"></script>
  <script src="/ide/assets/react-dom/umd/react-dom.production.min.js"></script>
  <script src="/ide/assets/graphiql/graphiql.min.js"></script>
  <script src="/ide/app.js"></script>
</body>
</html>`;

/** A file, not an inline <style>: the Content-Security-Policy allows no inline style either. */
const STYLE = 'html,body,#ide{height:100%;margin:0}\n';

/**
 * The IDE uses the web console's session: the browser sends the HttpOnly cookie with every request to
 * /graphql (same origin), so no token is typed or kept in the page. It opens on who is signed in
 * (GET /session, which also clears an ended session's cookie), or on how to sign in; a token can
 * still be sent in the headers editor. Older versions pre-filled a placeholder Authorization header
 * that answered "Malformed Authorization header": any stored copy of it is dropped.
 */
const SCRIPT = `(function () {
  try {
    for (var i = localStorage.length - 1; i >= 0; i--) {
      var key = localStorage.key(i);
      if (key && key.indexOf('graphiql:') === 0 && (localStorage.getItem(key) || '').indexOf('<your token>') !== -1) localStorage.removeItem(key);
    }
  } catch (e) { /* storage disabled: nothing stored either */ }
  function start(session) {
    var who = session && session.principal
      ? '# Signed in as ' + session.principal.name + ' (' + session.principal.role + '),\\n# with the session of the web console at / (sign out there).\\n'
      : '# Not signed in' + (session && session.anonymousRead ? ': anonymous reads are on.' : ': what needs a token is refused.') + '\\n' +
        '# Sign in at / (the web console), or add a header\\n# {"Authorization": "Bearer <token>"} under Headers below.\\n';
    var fetcher = GraphiQL.createFetcher({ url: '/graphql', headers: { 'apollo-require-preflight': 'true' } });
    var root = ReactDOM.createRoot(document.getElementById('ide'));
    root.render(React.createElement(GraphiQL, {
      fetcher: fetcher,
      isHeadersEditorEnabled: true,
      defaultQuery: who + '{\\n  me { name role }\\n  registries { name kind packCount }\\n}\\n'
    }));
  }
  fetch('/session', { credentials: 'same-origin', headers: { accept: 'application/json' } })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(start, function () { start(null); });
})();`;

function packageDir(name: string): string {
  return path.dirname(require.resolve(`${name}/package.json`));
}

export function createIdeRouter(): Router {
  const router = express.Router();
  router.get('/ide', (_req, res) => {
    res.type('html').send(PAGE);
  });
  router.get('/ide/app.js', (_req, res) => {
    res.type('application/javascript').send(SCRIPT);
  });
  router.get('/ide/app.css', (_req, res) => {
    res.type('text/css').send(STYLE);
  });
  const immutable = { maxAge: '7d', index: false as const };
  router.use('/ide/assets/graphiql', express.static(packageDir('graphiql'), immutable));
  router.use('/ide/assets/react', express.static(packageDir('react'), immutable));
  router.use('/ide/assets/react-dom', express.static(packageDir('react-dom'), immutable));
  return router;
}
