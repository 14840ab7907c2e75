/**
 * The web console (issue 15), built by Vite into WEB_ROOT (default web/dist): hashed files under
 * `/assets/` cached for a year (their names change with their content), `index.html` for `/` and
 * for every client-side route (a GET asking for HTML outside the API's paths) with `no-cache`, so a
 * new build is picked up on the next visit. Without a build, `/` redirects to the IDE as before and
 * the start says why once.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from '../platform/logger.js';

/** Paths that belong to the API and the IDE: never answered with the console's page. */
const API_PREFIXES = ['graphql', 'ide', 'artifacts', 'v2', 'helm', 'healthz', 'readyz', 'metrics', 'session', 'assets'];

const YEAR_MS = 365 * 24 * 3600 * 1000;

export interface WebConsoleOptions {
  webRoot: string;
  /** The IDE is served (GRAPHQL_IDE): without a built console, `/` goes there. */
  ide: boolean;
  logger: Logger;
}

function wantsPage(req: Request): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (req.path === '/') return true;
  const first = req.path.split('/')[1] ?? '';
  // Client routes only when the browser asks for a page: API clients (Accept: */* or JSON) still get a 404 for a wrong path.
  return !API_PREFIXES.includes(first) && /\btext\/html\b/.test(req.get('accept') ?? '');
}

export function createWebConsoleRouter({ webRoot, ide, logger }: WebConsoleOptions): Router {
  const router = express.Router();
  const index = path.join(webRoot, 'index.html');
  if (!existsSync(index)) {
    logger.info({ webRoot }, `the web console is not built (no ${index}; \`npm run build\` builds it)${ide ? ': / redirects to the GraphQL IDE at /ide' : ''}`);
  }

  router.use('/assets', express.static(path.join(webRoot, 'assets'), { index: false, immutable: true, maxAge: YEAR_MS, redirect: false }));
  // Other files of the build (a favicon): revalidated like the page.
  router.use(
    express.static(webRoot, {
      index: false,
      redirect: false,
      cacheControl: false,
      setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
    }),
  );

  // Browsers ask for it on every page (the IDE's too): without one in the build, an empty answer
  // rather than a 404 each page reports as an error in its console.
  router.get('/favicon.ico', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.status(204).end();
  });

  router.use((req: Request, res: Response, next: NextFunction) => {
    if (!wantsPage(req)) return next();
    // The same path answers a page or a 404 by Accept: caches must keep them apart.
    if (req.path !== '/') res.vary('Accept');
    res.sendFile(index, { cacheControl: false, headers: { 'Cache-Control': 'no-cache' } }, (error?: Error & { code?: string }) => {
      if (!error) return;
      if (res.headersSent) return next(error);
      if (error.code !== 'ENOENT') return next(error);
      if (req.path === '/' && ide) return res.redirect('/ide');
      next();
    });
  });
  return router;
}
