/**
 * The front door's rate limits, on rate-limiter-flexible:
 *
 * - requests: `rateLimitPerMinute` per token, or per client address when anonymous;
 * - failed authentications: `authFailuresPerMinute` per client address. Past it, a request that
 *   carries credentials is refused with 429 before any token lookup, so guessing tokens costs the
 *   guesser time and the database nothing.
 *
 * Without Redis the counters live in process memory: each replica enforces the limits on the traffic
 * it receives. With `redisUrl` (REDIS_URL) they live in Redis, shared by every replica, so three
 * replicas allow the limit once, not three times. While Redis is unreachable each replica falls back
 * to its own in-memory counters (rate-limiter-flexible's insurance limiter): neither fail-open (no
 * limit at all) nor fail-closed (every request refused because a cache is down), but the per-process
 * limits of a deployment without Redis, until Redis answers again. `/readyz` reports Redis.
 *
 * Every authenticated route (GraphQL, `/v2`, `/helm`, `/artifacts`) goes through `authenticate`.
 */
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
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

/** Keys of every replica's counters in a shared Redis (the persisted-query cache has its own prefix). */
const REDIS_PREFIX = 'pack-catalog:rate-limit';

export class RateLimiter {
  private readonly requests?: RateLimiterAbstract;
  private readonly failures?: RateLimiterAbstract;
  private readonly maxFailures: number;
  private readonly redis?: Redis;

  constructor(limits: RateLimits, options: { redisUrl?: string } = {}) {
    if (options.redisUrl && (limits.rateLimitPerMinute > 0 || limits.authFailuresPerMinute > 0)) {
      this.redis = new Redis(options.redisUrl, {
        // A command while disconnected fails at once (the insurance limiter answers) instead of queuing behind the reconnect.
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        connectTimeout: 1000,
        // Reconnects forever, at most every 2 s: Redis coming back restores the shared limits by itself.
        retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
      });
      // Errors are the insurance limiter's cue, reported by /readyz; an unhandled 'error' event would crash the process.
      this.redis.on('error', () => undefined);
    }
    const limiter = (name: string, points: number): RateLimiterAbstract => {
      const memory = new RateLimiterMemory({ points, duration: WINDOW_SECONDS });
      if (!this.redis) return memory;
      return new RateLimiterRedis({
        storeClient: this.redis,
        keyPrefix: `${REDIS_PREFIX}:${name}`,
        points,
        duration: WINDOW_SECONDS,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory,
      });
    };
    if (limits.rateLimitPerMinute > 0) this.requests = limiter('requests', limits.rateLimitPerMinute);
    this.maxFailures = limits.authFailuresPerMinute;
    if (this.maxFailures > 0) this.failures = limiter('auth-failures', this.maxFailures);
  }

  /** Whether the counters are shared through Redis (then `/readyz` reports it). */
  get shared(): boolean {
    return this.redis !== undefined;
  }

  /** Resolves when Redis answers PING (always, when the counters are local); for /readyz. */
  async ping(): Promise<void> {
    if (!this.redis) return;
    if (this.redis.status !== 'ready') throw new Error(`Redis is ${this.redis.status}`);
    await this.redis.ping();
  }

  async close(): Promise<void> {
    if (this.redis && this.redis.status !== 'end') await this.redis.quit().catch(() => this.redis?.disconnect());
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
