/**
 * The one authentication of API requests (GraphQL, /artifacts): a bearer token in Authorization,
 * else the web console's session cookie, else anonymous. The header wins when both are sent. Both
 * go through the rate limiter's failed-authentication budget. A cookie whose session ended is
 * refused (UNAUTHENTICATED) and cleared, so the next request is anonymous and the console can ask
 * to sign in again. The OCI and Helm front doors (src/oci/) never read the cookie: bearer only.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { TokenService } from '../auth/token.service.js';
import type { SessionService } from '../auth/session.service.js';
import type { Principal } from '../auth/principal.js';
import { isDomainError } from '../errors.js';
import type { RateLimiter } from './rate-limit.js';
import { clearSessionCookie, isCrossOrigin, sessionCookieOf } from './session-cookie.js';

export interface AuthenticateDeps {
  rateLimiter: RateLimiter;
  tokens: TokenService;
  sessions: SessionService;
}

export function createAuthenticate({ rateLimiter, tokens, sessions }: AuthenticateDeps): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const authorization = req.get('authorization');
    const hasAuthorization = Boolean(authorization?.trim());
    const sessionId = hasAuthorization || isCrossOrigin(req) ? undefined : sessionCookieOf(req);
    try {
      let principal: Principal;
      if (sessionId) {
        principal = await rateLimiter.authenticate(req.ip, true, async () => (await sessions.authenticate(sessionId)).principal);
      } else {
        principal = await rateLimiter.authenticate(req.ip, hasAuthorization, () => tokens.authenticate(authorization));
      }
      res.locals.principal = principal;
      next();
    } catch (error) {
      if (sessionId && isDomainError(error) && error.code === 'UNAUTHENTICATED') clearSessionCookie(req, res);
      next(error); // the app's error handler answers with the code's status (and Retry-After)
    }
  };
}
