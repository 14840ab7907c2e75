/**
 * The web console's sign-in: POST /session exchanges an API token for a session cookie, GET /session
 * says who the cookie is (and whether the catalog is readable without signing in), DELETE /session
 * signs out. The token is never stored in the cookie nor echoed back.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { SessionService } from '../auth/session.service.js';
import type { Principal } from '../auth/principal.js';
import { isDomainError } from '../errors.js';
import type { RateLimiter } from './rate-limit.js';
import { clearSessionCookie, isCrossOrigin, sessionCookieOf, setSessionCookie } from './session-cookie.js';

export interface SessionRouteDeps {
  sessions: SessionService;
  rateLimiter: RateLimiter;
  allowAnonymousRead: boolean;
}

/** What the console may show of a principal: never its token. */
function publicPrincipal(principal: Principal): { name: string; role: string | null; registries: string[] } {
  return { name: principal.name, role: principal.role, registries: principal.registries };
}

function badRequest(res: Response, message: string): void {
  res.status(400).json({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
}

export function createSessionRouter({ sessions, rateLimiter, allowAnonymousRead }: SessionRouteDeps): Router {
  const router = express.Router();
  // Answers about who is signed in are never cached, by the browser or anything between.
  router.use('/session', (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  router.post('/session', express.json({ limit: '4kb' }), async (req: Request, res: Response, next: NextFunction) => {
    // JSON only: a cross-site form cannot send it without a CORS preflight, which this route never answers.
    if (!req.is('application/json')) return badRequest(res, 'POST /session takes JSON: {"token": "<api token>"}.');
    // Another site signing the browser in with its own token (login CSRF) is refused too.
    if (isCrossOrigin(req)) return badRequest(res, 'Sign in from this service\'s own pages.');
    const token = (req.body as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || token.trim() === '') return badRequest(res, 'Send the API token as {"token": "<api token>"}.');
    try {
      let opened: Awaited<ReturnType<SessionService['open']>> | undefined;
      await rateLimiter.authenticate(req.ip, true, async () => {
        opened = await sessions.open(token.trim());
        return opened.principal;
      });
      // Signing in again replaces the browser's previous session rather than leaving it to idle out.
      const previous = sessionCookieOf(req);
      if (previous) await sessions.close(previous);
      setSessionCookie(req, res, opened!.id, opened!.expiresAt);
      res.json({ principal: publicPrincipal(opened!.principal), expiresAt: opened!.expiresAt.toISOString() });
    } catch (error) {
      next(error);
    }
  });

  // A body the JSON parser refused: a fixed answer (the parser's message quotes the body, which holds the token).
  router.use('/session', (error: unknown, req: Request, res: Response, next: NextFunction) => {
    const type = (error as { type?: string }).type;
    if (req.method !== 'POST' || !type?.startsWith('entity.')) return next(error);
    res.setHeader('Connection', 'close');
    badRequest(res, 'POST /session takes a small JSON body: {"token": "<api token>"}.');
  });

  router.get('/session', async (req: Request, res: Response, next: NextFunction) => {
    const id = sessionCookieOf(req);
    const signedOut = () => res.json({ principal: null, expiresAt: null, anonymousRead: allowAnonymousRead });
    if (!id) return signedOut();
    try {
      let found: Awaited<ReturnType<SessionService['authenticate']>> | undefined;
      await rateLimiter.authenticate(req.ip, true, async () => {
        found = await sessions.authenticate(id);
        return found.principal;
      });
      res.json({ principal: publicPrincipal(found!.principal), expiresAt: found!.expiresAt.toISOString(), anonymousRead: allowAnonymousRead });
    } catch (error) {
      if (!(isDomainError(error) && error.code === 'UNAUTHENTICATED')) return next(error);
      clearSessionCookie(req, res);
      signedOut();
    }
  });

  router.delete('/session', async (req: Request, res: Response, next: NextFunction) => {
    const id = sessionCookieOf(req);
    try {
      if (id) await sessions.close(id);
      clearSessionCookie(req, res);
      res.status(204).end();
    } catch (error) {
      next(error);
    }
  });

  return router;
}
