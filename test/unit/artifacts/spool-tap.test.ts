/**
 * spoolToFile's tap: the bytes of an upload go to a second reader (a push's archive check) in the
 * same pass that hashes and spools them, in batches, without the reader changing the spool's limits
 * or errors.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';

import { spoolToFile } from '../../../src/artifacts/artifact.store.js';
import { PayloadTooLargeError } from '../../../src/errors.js';
import { sha256Digest } from '../../helpers/tar-builder.js';

/** `bytes` in chunks of `size`, as an upload arrives. */
function chunked(bytes: Buffer, size: number): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    })(),
  );
}

/** A slow reader that keeps what it gets and counts its writes. */
function slowReader(): { tap: Writable; received: () => Buffer; writes: () => number } {
  const chunks: Buffer[] = [];
  const tap = new Writable({
    highWaterMark: 64 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      setImmediate(callback);
    },
  });
  return { tap, received: () => Buffer.concat(chunks), writes: () => chunks.length };
}

describe('spoolToFile with a tap', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pack-catalog-spool-tap-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives the tap exactly the spooled bytes, in batches of small chunks, and ends it', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 123);
    const { tap, received, writes } = slowReader();
    const ended = new Promise<void>((resolve) => tap.on('finish', resolve));
    const stored = await spoolToFile(chunked(bytes, 4 * 1024), join(dir, 'a'), {}, { tap });
    await ended;
    expect(stored).toEqual({ digest: sha256Digest(bytes), size: bytes.length });
    expect(sha256Digest(await readFile(join(dir, 'a')))).toBe(sha256Digest(bytes));
    expect(sha256Digest(received())).toBe(sha256Digest(bytes));
    // 4 KiB chunks arrive 768 times; the tap gets them gathered into batches of 256 KiB.
    expect(writes()).toBeLessThanOrEqual(Math.ceil(bytes.length / (256 * 1024)) + 1);
  });

  it('goes on spooling the whole upload when the tap reader stops early', async () => {
    const bytes = randomBytes(2 * 1024 * 1024);
    const tap = new PassThrough({ highWaterMark: 16 * 1024 });
    tap.once('data', () => tap.destroy());
    const stored = await spoolToFile(chunked(bytes, 64 * 1024), join(dir, 'b'), {}, { tap });
    expect(stored).toEqual({ digest: sha256Digest(bytes), size: bytes.length });
    expect(sha256Digest(await readFile(join(dir, 'b')))).toBe(sha256Digest(bytes));
  });

  it('keeps the limits of the whole upload and destroys the tap with their error', async () => {
    const { tap } = slowReader();
    const closed = new Promise<Error | undefined>((resolve) => tap.on('error', resolve));
    const attempt = spoolToFile(chunked(randomBytes(1024 * 1024), 16 * 1024), join(dir, 'c'), { maxBytes: 100_000 }, { tap });
    await expect(attempt).rejects.toBeInstanceOf(PayloadTooLargeError);
    expect(await closed).toBeInstanceOf(PayloadTooLargeError);
    expect(tap.destroyed).toBe(true);
  });
});
