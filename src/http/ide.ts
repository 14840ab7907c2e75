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
  <style>html,body,#ide{height:100%;margin:0}</style>
</head>
<body>
  <div id="ide">Loading…</div>
  <script src="/ide/assets/react/umd/react.production.min.js"></script>
  <script src="/ide/assets/react-dom/umd/react-dom.production.min.js"></script>
  <script src="/ide/assets/graphiql/graphiql.min.js"></script>
  <script src="/ide/app.js"></script>
</body>
</html>`;

const SCRIPT = `(function () {
  var fetcher = GraphiQL.createFetcher({ url: '/graphql', headers: { 'apollo-require-preflight': 'true' } });
  var root = ReactDOM.createRoot(document.getElementById('ide'));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    isHeadersEditorEnabled: true,
    defaultHeaders: '{\\n  "Authorization": "Bearer <your token>"\\n}',
    defaultQuery: '{\\n  registries { name kind packCount }\\n}\\n'
  }));
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
  const immutable = { maxAge: '7d', index: false as const };
  router.use('/ide/assets/graphiql', express.static(packageDir('graphiql'), immutable));
  router.use('/ide/assets/react', express.static(packageDir('react'), immutable));
  router.use('/ide/assets/react-dom', express.static(packageDir('react-dom'), immutable));
  return router;
}
