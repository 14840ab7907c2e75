/**
 * The front door's rate limits, on rate-limiter-flexible (in process memory for now: each replica
 * enforces the limits on the traffic it receives; a shared store is a constructor away):
 *
 * - requests: `rateLimitPerMinute` per token, or per client address when anonymous;
 * - failed authentications: `authFailuresPerMinute` per client address. Past it, a request that
 *   carries credentials is refused with 429 before any token lookup, so guessing tokens costs the
 *   guesser time and the database nothing.
 *
 * Every authenticated route (GraphQL, `/v2`, `/helm`, `/artifacts`) goes through `authenticate`.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError, isDomainError } from '../errors.js';
import type { Principal } from '../auth/principal.js';

export interface RateLimits {
  /** Requests a minute per caller; 0 disables. */
  rateLimitPerMinute: number;
  /** Failed authentications a minute per client address; 0 disables. */
  authFailuresPerMinute: number;
}

const WINDOW_SECONDS = 60;

function retryAfterSeconds(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

/** An authentication failure, from the token service (UNAUTHENTICATED) or a protocol adapter (a 401). */
function isAuthenticationFailure(error: unknown): boolean {
  if (isDomainError(error)) return error.code === 'UNAUTHENTICATED';
  return typeof error === 'object' && error !== null && (error as { status?: unknown }).status === 401;
}

export class RateLimiter {
  private readonly requests?: RateLimiterMemory;
  private readonly failures?: RateLimiterMemory;
  private readonly maxFailures: number;

  constructor(limits: RateLimits) {
    if (limits.rateLimitPerMinute > 0) this.requests = new RateLimiterMemory({ points: limits.rateLimitPerMinute, duration: WINDOW_SECONDS });
    this.maxFailures = limits.authFailuresPerMinute;
    if (this.maxFailures > 0) this.failures = new RateLimiterMemory({ points: this.maxFailures, duration: WINDOW_SECONDS });
  }

  /** Takes one request from the caller's budget, or throws RateLimitedError with the seconds to wait. */
  async take(caller: string): Promise<void> {
    if (!this.requests) return;
    try {
      await this.requests.consume(caller);
    } catch (error) {
      if (error instanceof RateLimiterRes) throw new RateLimitedError(retryAfterSeconds(error));
      throw error;
    }
  }

  /**
   * Authenticates one request: `verify` resolves its credentials to a principal (and throws when they
   * are wrong). While `address` has used up its failed authentications, a request with credentials
   * is refused before `verify` runs; a failure of `verify` counts against the address. Then the
   * principal's request budget is taken.
   */
  async authenticate(address: string | undefined, hasCredentials: boolean, verify: () => Promise<Principal>): Promise<Principal> {
    const client = address ?? 'unknown';
    if (hasCredentials && this.failures) {
      const used = await this.failures.get(client);
      if (used && used.consumedPoints >= this.maxFailures) throw new RateLimitedError(retryAfterSeconds(used));
    }
    let principal: Principal;
    try {
      principal = await verify();
    } catch (error) {
      // Over the limit, consume() rejects: this request already fails, the next ones are refused above.
      if (isAuthenticationFailure(error)) await this.failures?.consume(client).catch(() => undefined);
      throw error;
    }
    await this.take(principal.tokenId ?? `${principal.kind}:${principal.name}:${principal.kind === 'anonymous' ? client : ''}`);
    return principal;
  }
}
