/**
 * The one way tests wait for something that happens on its own time (a service's progress, a row a
 * background job writes, a page that updates after a fetch): read, check, and read again a moment
 * later until the check passes; when time runs out, fail saying what was awaited and the last value
 * and error seen, so a timeout in CI tells what the test was looking at.
 *
 * Attempts never overlap: the next one starts `intervalMs` after the previous one finished (a slow
 * read is not piled up on). An attempt that began before the deadline may end after it, and counts.
 * A read that never settles is left to the test's own timeout.
 */
import { inspect, stripVTControlCharacters } from 'node:util';

export interface PollOptions<T> {
  /** What is awaited, read after "waiting until": "the upload is spooled". */
  what: string;
  timeoutMs: number;
  /** Pause between the end of one attempt and the start of the next. */
  intervalMs?: number;
  /** The last value as the timeout message shows it (default: util.inspect, shortened); null leaves it out. */
  describe?: (value: T) => string | null;
}

const SHOWN_CHARS = 1_000;

function shorten(text: string): string {
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}… (${text.length} chars)` : text;
}

function show(value: unknown): string {
  return shorten(inspect(value, { depth: 4, maxArrayLength: 20, maxStringLength: 300, breakLength: Infinity }));
}

/** An expect's message, without the colours Jest gives it in a terminal (they stay on the cause). */
function messageOf(error: unknown): string {
  return shorten(stripVTControlCharacters(error instanceof Error ? error.message : String(error)));
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads `read()` until `check(value)` passes, and returns that value. The check fails by returning
 * false or by throwing (a failed `expect`): either way the next attempt comes; the last error thrown
 * is named in the timeout message and is its `cause`. An error from `read` itself is not a "not yet":
 * it ends the wait at once (a read that may fail while waiting catches its own errors).
 */
export function pollUntil<T, U extends T>(read: () => T | Promise<T>, check: (value: T) => value is U, options: PollOptions<T>): Promise<U>;
export function pollUntil<T>(read: () => T | Promise<T>, check: (value: T) => unknown, options: PollOptions<T>): Promise<T>;
export async function pollUntil<T>(read: () => T | Promise<T>, check: (value: T) => unknown, options: PollOptions<T>): Promise<T> {
  const { what, timeoutMs, intervalMs = 10, describe = show } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    let lastError: unknown;
    let failed = false;
    try {
      if ((await check(value)) !== false) return value;
    } catch (error) {
      lastError = error;
      failed = true;
    }
    if (Date.now() >= deadline) {
      const shown = describe(value);
      const parts = [`timed out after ${timeoutMs} ms waiting until ${what}`];
      if (shown !== null) parts.push(`last value: ${shown}`);
      if (failed) parts.push(`last error: ${messageOf(lastError)}`);
      throw new Error(parts.join('; '), failed ? { cause: lastError } : undefined);
    }
    await pause(intervalMs);
  }
}

/** Waits until `check` (a flag, a count, a file on disk) answers true; checks every `intervalMs`. */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000, intervalMs = 10): Promise<void> {
  await pollUntil(check, (ok) => ok, { what, timeoutMs, intervalMs, describe: () => null });
}

/**
 * Polls `read` until `check` passes (an `expect` on the value: the console's page updates after a
 * debounce or a fetch) and returns the value; checks every 100 ms. The timeout names the check by its
 * source text and carries its last failure (the expect's message, with the values it compared).
 */
export function until<T>(read: () => T | Promise<T>, check: (value: T) => void, timeoutMs = 10_000): Promise<T> {
  return pollUntil(read, check, { what: `${String(check)} passes`, timeoutMs, intervalMs: 100 });
}
