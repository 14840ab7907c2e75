/**
 * The web console's session cookie, `pc_session`: HttpOnly (page scripts never see it),
 * SameSite=Strict (no other site's page makes the browser send it), Path=/, and Secure when the
 * request came over https (`req.secure`, which honours the app's trust-proxy setting).
 */
import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'pc_session';

/** The session id the request's Cookie header carries, if any. */
export function sessionCookieOf(req: Request): string | undefined {
  const header = req.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/**
 * Whether the browser says another site (or another origin of this site) made the request
 * (`Sec-Fetch-Site`): then the cookie is not honoured, whatever SameSite did. Clients that send no
 * such header (curl, old browsers) are judged by SameSite and Apollo's CSRF rule alone.
 */
export function isCrossOrigin(req: Request): boolean {
  const site = req.get('sec-fetch-site');
  return site === 'cross-site' || site === 'same-site';
}

export function setSessionCookie(req: Request, res: Response, id: string, expires: Date): void {
  res.cookie(SESSION_COOKIE, id, { httpOnly: true, sameSite: 'strict', path: '/', secure: req.secure, expires });
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', path: '/', secure: req.secure });
}
