/**
 * The behaviour every ArtifactStore promises, as Jest describe blocks. Each implementation's test
 * file calls `registerArtifactStoreContract` with a factory that builds a fresh, empty store.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';

import { collectGarbage } from '../../src/artifacts/artifact.gc.js';
import type { ArtifactStat, ArtifactStore } from '../../src/artifacts/artifact.store.js';
import { InvalidInputError, NotFoundError, PayloadTooLargeError } from '../../src/errors.js';
import { waitUntil } from './wait-until.js';

/** A fresh store under test and what the contract needs to see around it. */
export interface ContractSubject {
  store: ArtifactStore;
  /** Where the store writes uploads in flight; it must be empty whenever no put is running. */
  scratchDir: string;
  /** Releases the store and whatever was made for it. */
  dispose(): Promise<void>;
}

/** sha256 digest of some bytes, in the store's form. */
export function digestOf(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/**
 * Reads a stream to the end. Compare large results by `digestOf`, not `toEqual`: Jest compares
 * buffers byte by byte, which takes seconds for a few hundred kilobytes.
 */
export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** A stream of `bytes` in chunks of `chunkSize`, like an upload arriving over the network. */
export function chunked(bytes: Buffer, chunkSize = 1000): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
    })(),
  );
}

async function collect(iterable: AsyncIterable<ArtifactStat>): Promise<ArtifactStat[]> {
  const items: ArtifactStat[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

async function scratchEntries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Registers the shared ArtifactStore contract tests under `describe(label)`. */
export function registerArtifactStoreContract(label: string, createSubject: () => Promise<ContractSubject>): void {
  describe(`${label}: ArtifactStore contract`, () => {
    let subject: ContractSubject;
    let store: ArtifactStore;
    let fileDir: string;

    beforeEach(async () => {
      subject = await createSubject();
      store = subject.store;
      fileDir = await mkdtemp(join(tmpdir(), 'pack-catalog-contract-'));
    });

    afterEach(async () => {
      await subject.dispose();
      await rm(fileDir, { recursive: true, force: true });
    });

    async function expectNothingStored(): Promise<void> {
      expect(await collect(store.list())).toEqual([]);
      expect(await scratchEntries(subject.scratchDir)).toEqual([]);
    }

    describe('put', () => {
      it('streams bytes in and returns their sha256 digest and size', async () => {
        const bytes = randomBytes(150_000);
        const stored = await store.put(chunked(bytes, 7_000));
        expect(stored).toEqual({ digest: digestOf(bytes), size: bytes.length });
        expect(stored.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
        expect(digestOf(await readAll(await store.get(stored.digest)))).toBe(digestOf(bytes));
        expect(await scratchEntries(subject.scratchDir)).toEqual([]);
      });

      it('stores an empty artifact', async () => {
        const stored = await store.put(Readable.from([]));
        expect(stored).toEqual({ digest: digestOf(Buffer.alloc(0)), size: 0 });
        expect((await readAll(await store.get(stored.digest))).length).toBe(0);
      });

      it('accepts a matching expectedDigest and expectedSize', async () => {
        const bytes = randomBytes(4_096);
        const stored = await store.put(chunked(bytes), { expectedDigest: digestOf(bytes), expectedSize: bytes.length });
        expect(stored.digest).toBe(digestOf(bytes));
      });

      it('refuses a digest mismatch and leaves nothing behind', async () => {
        const bytes = randomBytes(10_000);
        const claimed = digestOf(randomBytes(10));
        const attempt = store.put(chunked(bytes), { expectedDigest: claimed });
        await expect(attempt).rejects.toBeInstanceOf(InvalidInputError);
        await expect(store.put(chunked(bytes), { expectedDigest: claimed })).rejects.toThrow(/digest mismatch/i);
        expect(await store.exists(digestOf(bytes))).toBe(false);
        expect(await store.exists(claimed)).toBe(false);
        await expectNothingStored();
      });

      it('refuses a size mismatch, shorter or longer, and leaves nothing behind', async () => {
        const bytes = randomBytes(5_000);
        await expect(store.put(chunked(bytes), { expectedSize: 4_999 })).rejects.toThrow(/size mismatch/i);
        await expect(store.put(chunked(bytes), { expectedSize: 5_001 })).rejects.toBeInstanceOf(InvalidInputError);
        await expectNothingStored();
      });

      it('refuses a malformed expectedDigest before reading anything', async () => {
        const source = chunked(randomBytes(100));
        await expect(store.put(source, { expectedDigest: 'md5:abc' })).rejects.toBeInstanceOf(InvalidInputError);
        await expect(store.put(chunked(randomBytes(1)), { expectedDigest: `sha256:${'A'.repeat(64)}` })).rejects.toBeInstanceOf(
          InvalidInputError,
        );
        await expectNothingStored();
      });

      it('refuses more than maxBytes with PayloadTooLargeError, stopping early, and leaves nothing behind', async () => {
        const bytes = randomBytes(64_000);
        let produced = 0;
        const source = Readable.from(
          (function* () {
            for (let i = 0; i < bytes.length; i += 1_000) {
              produced += 1_000;
              yield bytes.subarray(i, i + 1_000);
            }
          })(),
        );
        await expect(store.put(source, { maxBytes: 10_000 })).rejects.toBeInstanceOf(PayloadTooLargeError);
        expect(produced).toBeLessThan(bytes.length);
        await expect(store.put(chunked(bytes), { expectedSize: bytes.length, maxBytes: 100 })).rejects.toThrow(/too large/i);
        await expectNothingStored();
      });

      it('accepts exactly maxBytes', async () => {
        const bytes = randomBytes(10_000);
        expect((await store.put(chunked(bytes), { maxBytes: 10_000 })).size).toBe(10_000);
      });

      it('fails when the source stream fails, leaving nothing behind', async () => {
        const source = Readable.from(
          (async function* () {
            yield randomBytes(5_000);
            throw new Error('client went away');
          })(),
        );
        await expect(store.put(source)).rejects.toThrow('client went away');
        await expectNothingStored();
      });

      it('is idempotent: the same bytes twice, even at once, make one object', async () => {
        const bytes = randomBytes(20_000);
        const first = await store.put(chunked(bytes));
        const [second, third] = await Promise.all([store.put(chunked(bytes)), store.put(chunked(bytes, 3_333))]);
        expect(second).toEqual(first);
        expect(third).toEqual(first);
        const listed = await collect(store.list());
        expect(listed.map((item) => item.digest)).toEqual([first.digest]);
        expect(digestOf(await readAll(await store.get(first.digest)))).toBe(digestOf(bytes));
        expect(await scratchEntries(subject.scratchDir)).toEqual([]);
      });
    });

    describe('put of bytes in memory', () => {
      it('stores them with the same checks as a stream, and leaves nothing behind when refused', async () => {
        const bytes = randomBytes(30_000);
        const stored = await store.put(bytes, { expectedDigest: digestOf(bytes), expectedSize: bytes.length });
        expect(stored).toEqual({ digest: digestOf(bytes), size: bytes.length });
        expect(digestOf(await readAll(await store.get(stored.digest)))).toBe(digestOf(bytes));
        // The same bytes again (a stream, then bytes) make one object.
        expect(await store.put(chunked(bytes))).toEqual(stored);
        expect(await store.put(bytes)).toEqual(stored);
        expect((await collect(store.list())).map((item) => item.digest)).toEqual([stored.digest]);
        const other = randomBytes(1_000);
        await expect(store.put(other, { expectedDigest: digestOf(randomBytes(10)) })).rejects.toThrow(/digest mismatch/i);
        await expect(store.put(other, { expectedSize: 999 })).rejects.toThrow(/size mismatch/i);
        await expect(store.put(other, { maxBytes: 100 })).rejects.toBeInstanceOf(PayloadTooLargeError);
        expect(await store.exists(digestOf(other))).toBe(false);
        expect(await scratchEntries(subject.scratchDir)).toEqual([]);
      });
    });

    describe('putFile', () => {
      it('stores a file on disk, returns its digest and size, and leaves the file in place', async () => {
        const bytes = randomBytes(33_000);
        const filePath = join(fileDir, 'pack.tgz');
        await writeFile(filePath, bytes);
        const stored = await store.putFile(filePath, { expectedDigest: digestOf(bytes), expectedSize: bytes.length });
        expect(stored).toEqual({ digest: digestOf(bytes), size: bytes.length });
        expect(digestOf(await readAll(await store.get(stored.digest)))).toBe(digestOf(bytes));
        await expect(access(filePath)).resolves.toBeUndefined();
        expect(await scratchEntries(subject.scratchDir)).toEqual([]);
      });

      it('refuses a wrong expectedDigest, a wrong expectedSize and a file over maxBytes', async () => {
        const bytes = randomBytes(2_000);
        const filePath = join(fileDir, 'pack.tgz');
        await writeFile(filePath, bytes);
        await expect(store.putFile(filePath, { expectedDigest: digestOf(Buffer.from('other')) })).rejects.toBeInstanceOf(
          InvalidInputError,
        );
        await expect(store.putFile(filePath, { expectedSize: 1 })).rejects.toBeInstanceOf(InvalidInputError);
        await expect(store.putFile(filePath, { maxBytes: 1_999 })).rejects.toBeInstanceOf(PayloadTooLargeError);
        await expectNothingStored();
      });

      it('refuses bytes that do not hash to the claimed digest of the right size, and leaves nothing behind', async () => {
        // With both claims a store may hash the file while storing it (the digest gives the key): it must still refuse.
        const bytes = randomBytes(200_000);
        const filePath = join(fileDir, 'claimed.tgz');
        await writeFile(filePath, bytes);
        const claimed = digestOf(randomBytes(200_000));
        await expect(store.putFile(filePath, { expectedDigest: claimed, expectedSize: bytes.length })).rejects.toThrow(/digest mismatch/i);
        expect(await store.exists(claimed)).toBe(false);
        await expectNothingStored();
        const stored = await store.putFile(filePath, { expectedDigest: digestOf(bytes), expectedSize: bytes.length });
        expect(stored).toEqual({ digest: digestOf(bytes), size: bytes.length });
        expect(digestOf(await readAll(await store.get(stored.digest)))).toBe(digestOf(bytes));
      });

      it('is idempotent with put', async () => {
        const bytes = randomBytes(3_000);
        const filePath = join(fileDir, 'again.tgz');
        await writeFile(filePath, bytes);
        const viaStream = await store.put(chunked(bytes));
        const viaFile = await store.putFile(filePath);
        expect(viaFile).toEqual(viaStream);
        expect((await collect(store.list())).length).toBe(1);
      });
    });

    describe('get', () => {
      const bytes = Buffer.from('0123456789abcdefghij');

      it('reads an inclusive byte range, an open-ended one and one clamped at the end', async () => {
        const { digest } = await store.put(chunked(bytes, 3));
        expect((await readAll(await store.get(digest, { start: 2, end: 5 }))).toString()).toBe('2345');
        expect((await readAll(await store.get(digest, { start: 0, end: 0 }))).toString()).toBe('0');
        expect((await readAll(await store.get(digest, { start: 15 }))).toString()).toBe('fghij');
        expect((await readAll(await store.get(digest, { start: 18, end: 1_000 }))).toString()).toBe('ij');
        expect((await readAll(await store.get(digest, { start: 0 }))).toString()).toBe(bytes.toString());
      });

      it('refuses a range past the end or malformed', async () => {
        const { digest } = await store.put(chunked(bytes));
        await expect(store.get(digest, { start: 20 })).rejects.toBeInstanceOf(InvalidInputError);
        await expect(store.get(digest, { start: 5, end: 4 })).rejects.toBeInstanceOf(InvalidInputError);
        await expect(store.get(digest, { start: -1 })).rejects.toBeInstanceOf(InvalidInputError);
      });

      it('throws NotFoundError for a missing digest', async () => {
        const missing = digestOf(randomBytes(8));
        await expect(store.get(missing)).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.get(missing, { start: 1, end: 2 })).rejects.toBeInstanceOf(NotFoundError);
      });

      it('refuses malformed digests everywhere with InvalidInputError', async () => {
        for (const bad of ['', 'sha256:xyz', 'sha512:' + 'a'.repeat(128), 'a'.repeat(64), `sha256:${'a'.repeat(63)}/`]) {
          await expect(store.get(bad)).rejects.toBeInstanceOf(InvalidInputError);
          await expect(store.stat(bad)).rejects.toBeInstanceOf(InvalidInputError);
          await expect(store.delete(bad)).rejects.toBeInstanceOf(InvalidInputError);
        }
        await expect(store.get(`sha256:../../${'a'.repeat(58)}`)).rejects.toBeInstanceOf(InvalidInputError);
      });
    });

    describe('sendTo', () => {
      /** A destination that keeps what it is given, slowly (so the sender must wait for it), and records how it ended. */
      function slowSink(delayEveryBytes = 256 * 1024): { sink: Writable; received: () => Buffer; state: { writes: number; ended: boolean } } {
        const chunks: Buffer[] = [];
        const state = { writes: 0, ended: false };
        let sinceDelay = 0;
        const sink = new Writable({
          highWaterMark: 16 * 1024,
          write(chunk: Buffer, _encoding, callback) {
            chunks.push(chunk);
            state.writes++;
            sinceDelay += chunk.length;
            if (sinceDelay < delayEveryBytes) return callback();
            sinceDelay = 0;
            setTimeout(callback, 2);
          },
          final(callback) {
            state.ended = true;
            callback();
          },
        });
        return { sink, received: () => Buffer.concat(chunks), state };
      }

      it('writes the whole object into the destination, waiting for it when it is full, and ends it', async () => {
        const bytes = randomBytes(3 * 1024 * 1024 + 17);
        const { digest } = await store.put(chunked(bytes, 64 * 1024));
        const { sink, received, state } = slowSink();
        await store.sendTo(digest, sink);
        expect(state.ended).toBe(true);
        expect(received().length).toBe(bytes.length);
        expect(digestOf(received())).toBe(digest);
      });

      it('writes an inclusive range, and a range from 0 to the end', async () => {
        const bytes = Buffer.from('0123456789abcdefghij');
        const { digest } = await store.put(chunked(bytes, 3));
        const middle = slowSink();
        await store.sendTo(digest, middle.sink, { start: 2, end: 5 });
        expect(middle.received().toString()).toBe('2345');
        const tail = slowSink();
        await store.sendTo(digest, tail.sink, { start: 15 });
        expect(tail.received().toString()).toBe('fghij');
        const whole = slowSink();
        await store.sendTo(digest, whole.sink, { start: 0 });
        expect(whole.received().toString()).toBe(bytes.toString());
      });

      it('throws NotFoundError for a missing digest without touching the destination', async () => {
        const { sink, state } = slowSink();
        await expect(store.sendTo(digestOf(randomBytes(8)), sink)).rejects.toBeInstanceOf(NotFoundError);
        expect(state.writes).toBe(0);
        expect(state.ended).toBe(false);
        expect(sink.destroyed).toBe(false);
      });

      it('refuses a malformed digest or range with InvalidInputError', async () => {
        const { digest } = await store.put(chunked(Buffer.from('abc')));
        await expect(store.sendTo('sha256:xyz', slowSink().sink)).rejects.toBeInstanceOf(InvalidInputError);
        await expect(store.sendTo(digest, slowSink().sink, { start: 5, end: 4 })).rejects.toBeInstanceOf(InvalidInputError);
        await expect(store.sendTo(digest, slowSink().sink, { start: 3 })).rejects.toBeInstanceOf(InvalidInputError);
      });

      it('stops and rejects when the destination goes away mid-transfer, and serves the next caller whole', async () => {
        const bytes = randomBytes(4 * 1024 * 1024);
        const { digest } = await store.put(chunked(bytes, 64 * 1024));
        const { sink, state } = slowSink(64 * 1024);
        sink.on('error', () => undefined);
        const sending = store.sendTo(digest, sink);
        // Checked every millisecond: the transfer is cut while most of it is still to come.
        await waitUntil(() => state.writes > 0, 'the store writes to the destination', 30_000, 1);
        sink.destroy(new Error('client went away'));
        await expect(sending).rejects.toThrow();
        expect(state.ended).toBe(false);
        const again = slowSink();
        await store.sendTo(digest, again.sink);
        expect(digestOf(again.received())).toBe(digest);
      });
    });

    describe('stat, exists, delete, list', () => {
      it('reports what is stored and forgets what is deleted', async () => {
        const bytes = randomBytes(1_234);
        const { digest } = await store.put(chunked(bytes));
        const found = await store.stat(digest);
        expect(found).toMatchObject({ digest, size: 1_234 });
        // Within the last ten minutes (and the clocks of test and server agree that closely).
        expect(Math.abs(found!.lastModified!.getTime() - Date.now())).toBeLessThan(600_000);
        expect(await store.exists(digest)).toBe(true);

        await store.delete(digest);
        expect(await store.stat(digest)).toBeNull();
        expect(await store.exists(digest)).toBe(false);
        await expect(store.get(digest)).rejects.toBeInstanceOf(NotFoundError);
        await expect(store.delete(digest)).resolves.toBeUndefined();
      });

      it('lists every object with its size, and filters by age', async () => {
        const a = randomBytes(100);
        const b = randomBytes(200);
        await store.put(chunked(a));
        await store.put(chunked(b));
        const listed = await collect(store.list());
        expect(listed.map(({ digest, size }) => ({ digest, size })).sort((x, y) => x.size - y.size)).toEqual([
          { digest: digestOf(a), size: 100 },
          { digest: digestOf(b), size: 200 },
        ]);
        expect((await collect(store.list({ olderThan: new Date(Date.now() + 60_000) }))).length).toBe(2);
        expect(await collect(store.list({ olderThan: new Date(Date.now() - 3_600_000) }))).toEqual([]);
      });

      it('answers ping', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
      });
    });

    describe('collectGarbage', () => {
      it('deletes only unreferenced objects older than the grace period', async () => {
        const kept = await store.put(chunked(randomBytes(300)));
        const garbage = await store.put(chunked(randomBytes(400)));
        const referenced = (digests: string[]) => Promise.resolve(new Set(digests.filter((d) => d === kept.digest)));

        // Everything is younger than an hour: nothing is a candidate yet.
        const early = await collectGarbage(store, referenced, { olderThan: new Date(Date.now() - 3_600_000) });
        expect(early).toMatchObject({ scanned: 0, deleted: 0 });
        expect(await store.exists(garbage.digest)).toBe(true);

        const late = await collectGarbage(store, referenced, { olderThan: new Date(Date.now() + 60_000) });
        expect(late).toMatchObject({ scanned: 2, referenced: 1, deleted: 1, deletedBytes: 400, failed: [] });
        expect(await store.exists(kept.digest)).toBe(true);
        expect(await store.exists(garbage.digest)).toBe(false);
      });

      it('asks about references in batches and deletes nothing on a dry run', async () => {
        for (let i = 0; i < 3; i++) await store.put(chunked(randomBytes(50)));
        const asked: string[][] = [];
        const none = (digests: string[]) => {
          asked.push(digests);
          return Promise.resolve(new Set<string>());
        };
        const result = await collectGarbage(store, none, { olderThan: new Date(Date.now() + 60_000), batchSize: 2, dryRun: true });
        expect(result).toMatchObject({ scanned: 3, deleted: 3 });
        expect(asked.map((batch) => batch.length)).toEqual([2, 1]);
        expect((await collect(store.list())).length).toBe(3);
      });

      it('keeps everything when the reference check fails, and reports it', async () => {
        const { digest } = await store.put(chunked(randomBytes(50)));
        const broken = () => Promise.reject(new Error('database unavailable'));
        const result = await collectGarbage(store, broken, { olderThan: new Date(Date.now() + 60_000) });
        expect(result.deleted).toBe(0);
        expect(result.failed).toEqual([{ digest, message: 'database unavailable' }]);
        expect(await store.exists(digest)).toBe(true);
      });
    });
  });
}
