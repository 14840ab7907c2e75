/**
 * Per-caller rate limit (a token bucket per token, or per client address when anonymous). Kept in
 * process memory: each replica enforces the limit on the traffic it receives.
 */
import { RateLimitedError } from '../errors.js';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

const MAX_TRACKED_CALLERS = 100_000;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly refillPerMs: number;

  /** `perMinute` requests a minute on average, with bursts up to the same number; 0 disables it. */
  constructor(private readonly perMinute: number, private readonly now: () => number = Date.now) {
    this.refillPerMs = perMinute / 60_000;
  }

  /** Takes one request from the caller's bucket, or throws RateLimitedError with the seconds to wait. */
  take(caller: string): void {
    if (this.perMinute <= 0) return;
    const now = this.now();
    let bucket = this.buckets.get(caller);
    if (!bucket) {
      if (this.buckets.size >= MAX_TRACKED_CALLERS) this.evictFull(now);
      bucket = { tokens: this.perMinute, updatedAt: now };
      this.buckets.set(caller, bucket);
    }
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.updatedAt) * this.refillPerMs);
    bucket.updatedAt = now;
    if (bucket.tokens < 1) {
      throw new RateLimitedError(Math.max(1, Math.ceil((1 - bucket.tokens) / this.refillPerMs / 1000)));
    }
    bucket.tokens -= 1;
  }

  /** Forget callers whose bucket has refilled: they are indistinguishable from new ones. */
  private evictFull(now: number): void {
    for (const [caller, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.updatedAt) * this.refillPerMs >= this.perMinute) this.buckets.delete(caller);
    }
  }
}
