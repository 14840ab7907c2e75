/**
 * The tests' one polling helper (test/helpers/wait-until.ts): every wait in test/ goes through it,
 * so what it promises is pinned here: the value as soon as the check passes, a timeout that says
 * what was awaited and what was last seen, attempts one after another, read errors not retried.
 */
import { describe, expect, it } from '@jest/globals';
import { stripVTControlCharacters } from 'node:util';
import { pollUntil, until, waitUntil } from '../../helpers/wait-until.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('pollUntil', () => {
  it('returns the value of the first attempt whose check passes, and reads no more', async () => {
    let reads = 0;
    const value = await pollUntil(() => ++reads, (n) => n >= 3, { what: 'three reads', timeoutMs: 5_000, intervalMs: 1 });
    expect(value).toBe(3);
    expect(reads).toBe(3);
  });

  it('takes a check that throws (a failed expect) as "not yet", and one that returns nothing as passed', async () => {
    let reads = 0;
    const value = await pollUntil(async () => ++reads, (n) => expect(n).toBe(2), { what: 'two reads', timeoutMs: 5_000, intervalMs: 1 });
    expect(value).toBe(2);
    expect(reads).toBe(2);
  });

  it('times out naming what was awaited, the last value and the last error (kept as the cause)', async () => {
    let reads = 0;
    const waiting = pollUntil(() => ({ count: ++reads }), (v) => expect(v.count).toBe(0), { what: 'the count is back to zero', timeoutMs: 50, intervalMs: 5 });
    const error = await waiting.then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toMatch(/^timed out after 50 ms waiting until the count is back to zero; last value: \{ count: \d+ \}; last error: expect\(received\)\.toBe\(expected\)/);
    expect(error!.message).toContain(`{ count: ${reads} }`);
    // The expect's own message, without the colours Jest adds in a terminal.
    expect(error!.message).toMatch(new RegExp(`Expected: 0\\s+Received: ${reads}$`));
    expect(error!.cause).toBeInstanceOf(Error);
    expect(stripVTControlCharacters((error!.cause as Error).message)).toMatch(/Expected: 0/);
  });

  it('names the last value alone when the check said false, and shortens a long one', async () => {
    const long = 'x'.repeat(5_000);
    await expect(pollUntil(() => long, () => false, { what: 'never', timeoutMs: 0 })).rejects.toThrow(/^timed out after 0 ms waiting until never; last value: 'x{300}'\.\.\. 4700 more characters$/);
    await expect(pollUntil(() => 7, () => false, { what: 'never', timeoutMs: 0, describe: (n) => `${n} rows` })).rejects.toThrow(/^timed out after 0 ms waiting until never; last value: 7 rows$/);
  });

  it('never starts an attempt while the previous one is still running', async () => {
    let running = 0;
    let mostAtOnce = 0;
    let reads = 0;
    const slowRead = async () => {
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      await pause(20);
      running--;
      return ++reads;
    };
    // An interval far shorter than a read: overlapping attempts would show here.
    expect(await pollUntil(slowRead, (n) => n >= 4, { what: 'four reads', timeoutMs: 5_000, intervalMs: 0 })).toBe(4);
    expect(mostAtOnce).toBe(1);
    // A slow check is waited for too.
    let checking = 0;
    let checksAtOnce = 0;
    await pollUntil(
      () => undefined,
      async () => {
        checking++;
        checksAtOnce = Math.max(checksAtOnce, checking);
        await pause(10);
        checking--;
        return ++reads >= 7;
      },
      { what: 'three checks', timeoutMs: 5_000, intervalMs: 0 },
    );
    expect(checksAtOnce).toBe(1);
  });

  it('ends at once, with the error itself, when the read fails', async () => {
    let reads = 0;
    const broken = new Error('the database is gone');
    const read = () => {
      reads++;
      throw broken;
    };
    await expect(pollUntil(read, () => true, { what: 'a row', timeoutMs: 5_000 })).rejects.toBe(broken);
    expect(reads).toBe(1);
  });
});

describe('waitUntil', () => {
  it('waits for a synchronous or an asynchronous condition', async () => {
    let flag = false;
    setTimeout(() => (flag = true), 20);
    await waitUntil(() => flag, 'the flag is set');
    let count = 0;
    await waitUntil(async () => ++count === 3, 'the third count');
    expect(count).toBe(3);
  });

  it('times out saying what it waited for', async () => {
    await expect(waitUntil(() => false, 'the loss is seen', 30)).rejects.toThrow(/^timed out after 30 ms waiting until the loss is seen$/);
  });
});

describe('until', () => {
  it('returns the value the expect passed on, and times out naming the check by its source and its last failure', async () => {
    let n = 0;
    expect(await until(async () => ++n, (v) => expect(v).toBeGreaterThan(1))).toBe(2);
    const failure = await until(async () => ['a', 'b'], (names) => expect(names).toEqual(['a']), 0).catch((e: Error) => e);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/^timed out after 0 ms waiting until \(names\)=>expect\(names\)\.toEqual\(\[\s*'a'\s*\]\) passes; last value: \[ 'a', 'b' \]; last error: expect\(received\)\.toEqual\(expected\)/);
  });
});
