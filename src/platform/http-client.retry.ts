/**
 * When the HTTP client tries again: 429, 5xx and network failures are worth another attempt (the
 * caller's budget permitting), after the server's `Retry-After` when it sent one (capped), else
 * after an exponential backoff with jitter. Anything else fails at once.
 */
import { UpstreamError } from '../errors.js';

/** A failure worth another attempt, with the server's wish if it stated one. */
export class RetryableError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** How many attempts and how long between them. */
export interface RetryBudget {
  /** Attempts after the first. */
  retries: number;
  /** First backoff delay in ms (doubled per attempt, with jitter). */
  backoffBaseMs: number;
  /** Longest backoff delay in ms. */
  backoffMaxMs: number;
}

/**
 * `Retry-After` in milliseconds from `now`: delta-seconds or an HTTP date; undefined when absent
 * or unreadable. Negative waits (a date in the past) become 0; `capMs` bounds the result.
 */
export function parseRetryAfter(value: string | string[] | null | undefined, now = Date.now(), capMs = Infinity): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else {
    // An HTTP date names its month (`Wed, 21 Oct 2015 07:28:00 GMT`); `-1` or `1.5` is neither form.
    const at = /[a-z]{3}/i.test(text) ? Date.parse(text) : NaN;
    if (Number.isNaN(at)) return undefined;
    ms = Math.max(0, at - now);
  }
  return Math.min(ms, capMs);
}

/** Full-jitter-ish exponential backoff: between half and all of base * 2^attempt, capped. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Runs `attempt` until it succeeds, fails with something other than a {@link RetryableError}, or
 * the budget is spent (then an UpstreamError saying how many attempts were made). A cancelled
 * `signal` ends it at once with the signal's reason.
 */
export async function withRetries<T>(budget: RetryBudget, signal: AbortSignal | undefined, attempt: () => Promise<T>): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (signal?.aborted) throw abortError(signal);
      if (!(error instanceof RetryableError)) throw error;
      if (tries >= budget.retries) {
        throw new UpstreamError(`${error.message} (gave up after ${tries + 1} attempts)`, error.status, error.retryAfterMs);
      }
      await sleep(error.retryAfterMs ?? backoffDelay(tries, budget.backoffBaseMs, budget.backoffMaxMs), signal);
    }
  }
}

/** The error a cancelled request ends with: the signal's reason when it gave one. */
export function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new UpstreamError('The request was cancelled.');
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
