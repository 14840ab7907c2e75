/**
 * Web console sessions: a token's secret is exchanged once (POST /session) for a random session id
 * the browser keeps in an HttpOnly cookie, so the token never lives in page storage. Every request
 * with the cookie resolves it again through the token's row: a revoked or expired token ends its
 * sessions at once. A session also ends after `idleMs` unused and `maxMs` after sign-in.
 */
import { createHash, randomBytes } from 'node:crypto';
import { UnauthenticatedError } from '../errors.js';
import type { Principal } from './principal.js';
import { BOOTSTRAP_ADMIN, type TokenService } from './token.service.js';
import { hashTokenSecret } from './token.secret.js';
import type { SessionStore } from './session.store.js';

export interface SessionOptions {
  idleMs: number;
  maxMs: number;
  /** ADMIN_TOKEN: a session made from it ends when it changes. */
  adminToken?: string;
}

export interface OpenedSession {
  /** The cookie's value: 256 random bits; only its sha256 is stored. */
  id: string;
  principal: Principal;
  /** When the session ends at the latest (idle expiry may end it sooner). */
  expiresAt: Date;
}

/**
 * lastSeenAt is written at most this often per session (idle expiry is to the minute, and reads cost
 * no write), and at most a quarter of the idle time, so a session in use never idles out between writes.
 */
const LAST_SEEN_RESOLUTION_MS = 60_000;

const ENDED = 'Your session has ended (signed out, idle or expired, or its token was revoked): sign in again.';

function hashId(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex');
}

/** A cookie value we could have issued: base64url of 32 bytes. Anything else is not looked up. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export class SessionService {
  constructor(
    private readonly store: SessionStore,
    private readonly tokens: TokenService,
    private readonly options: SessionOptions,
  ) {}

  /** Exchanges a token's secret for a new session; a bad, revoked or expired token is UNAUTHENTICATED. */
  async open(secret: string): Promise<OpenedSession> {
    const { principal, expiresAt: tokenExpiresAt } = await this.tokens.resolveSecret(secret);
    const now = Date.now();
    const max = now + this.options.maxMs;
    const expiresAt = new Date(tokenExpiresAt ? Math.min(tokenExpiresAt.getTime(), max) : max);
    // Sign-ins are rare: a good moment to drop the sessions that ended (no timer needed).
    await this.store.deleteEnded(new Date(now), new Date(now - this.options.idleMs));
    const id = randomBytes(32).toString('base64url');
    await this.store.insert({
      idHash: hashId(id),
      tokenId: principal.tokenId ?? null,
      adminTokenHash: principal.kind === 'bootstrap' ? hashTokenSecret(secret) : null,
      expiresAt,
    });
    return { id, principal, expiresAt };
  }

  /** The principal of a session id, exactly as its token would authenticate; an ended session is UNAUTHENTICATED. */
  async authenticate(id: string): Promise<{ principal: Principal; expiresAt: Date }> {
    if (!SESSION_ID.test(id)) throw new UnauthenticatedError(ENDED);
    const session = await this.store.findByHash(hashId(id));
    const now = Date.now();
    if (!session || session.expiresAt.getTime() <= now || session.lastSeenAt.getTime() + this.options.idleMs <= now) {
      throw new UnauthenticatedError(ENDED);
    }
    let principal: Principal;
    if (session.token) {
      principal = await this.tokens.principalOfActive(session.token).catch(() => {
        throw new UnauthenticatedError(ENDED);
      });
    } else if (session.adminTokenHash && this.options.adminToken && session.adminTokenHash === hashTokenSecret(this.options.adminToken)) {
      principal = BOOTSTRAP_ADMIN;
    } else {
      throw new UnauthenticatedError(ENDED);
    }
    if (now - session.lastSeenAt.getTime() > Math.min(LAST_SEEN_RESOLUTION_MS, this.options.idleMs / 4)) await this.store.touch(session.id, new Date(now));
    return { principal, expiresAt: session.expiresAt };
  }

  /** Signs out: the session is gone, whatever state it was in. */
  async close(id: string): Promise<void> {
    if (SESSION_ID.test(id)) await this.store.deleteByHash(hashId(id));
  }
}
