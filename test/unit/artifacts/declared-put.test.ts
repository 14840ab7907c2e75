/**
 * DeclaredPut (src/artifacts/declared-put.ts) against an in-memory sink: the backend never has the
 * last bytes before commit (so it can't complete an object a later check refuses), gets all of them
 * on commit, and is dropped on abort; the declaration is enforced as the bytes pass.
 */
import { randomBytes } from 'node:crypto';
import { PassThrough, Readable, Writable } from 'node:stream';
import { DeclaredPut, type DeclaredPutSink } from '../../../src/artifacts/declared-put.js';
import { sha256Digest } from '../../helpers/tar-builder.js';

/** A sink that keeps what it is sent and records whether it was finished or discarded. */
function memorySink() {
  const chunks: Buffer[] = [];
  const events: string[] = [];
  const body = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  const done = new Promise<void>((resolve, reject) => {
    body.on('finish', resolve);
    body.on('close', () => reject(new Error('closed before finish')));
  });
  const sink: DeclaredPutSink = {
    body,
    done,
    finish: async () => void events.push('finish'),
    discard: async () => void events.push('discard'),
  };
  return { sink, events, received: () => Buffer.concat(chunks) };
}

/** `bytes` as a stream of 64 KiB chunks, as a socket or file would hand them over. */
function chunked(bytes: Buffer): Readable {
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += 64 * 1024) parts.push(bytes.subarray(at, at + 64 * 1024));
  return Readable.from(parts);
}

describe('DeclaredPut', () => {
  it('sends all but the last batch while receiving, the rest only on commit, and taps every byte', async () => {
    const bytes = randomBytes(1024 * 1024 + 123);
    const { sink, events, received } = memorySink();
    const put = new DeclaredPut(sink, { expectedDigest: sha256Digest(bytes), expectedSize: bytes.length });
    const tapped: Buffer[] = [];
    const tap = new PassThrough();
    tap.on('data', (chunk: Buffer) => tapped.push(chunk));

    expect(await put.receive(chunked(bytes), { tap })).toEqual({ digest: sha256Digest(bytes), size: bytes.length });
    expect(Buffer.concat(tapped).equals(bytes)).toBe(true);
    const before = received();
    expect(before.length).toBeGreaterThan(0);
    expect(before.length).toBeLessThan(bytes.length);
    expect(bytes.subarray(0, before.length).equals(before)).toBe(true);
    expect(events).toEqual([]);

    await put.commit();
    expect(received().equals(bytes)).toBe(true);
    expect(events).toEqual(['finish']);
    // Once committed, an abort (a caller's finally) changes nothing.
    await put.abort();
    expect(events).toEqual(['finish']);
  });

  it('refuses a digest mismatch after the last byte, without handing the backend the last batch; abort drops the put', async () => {
    const bytes = randomBytes(600 * 1024);
    const { sink, events, received } = memorySink();
    const put = new DeclaredPut(sink, { expectedDigest: sha256Digest(randomBytes(8)), expectedSize: bytes.length });
    await expect(put.receive(chunked(bytes))).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'digest' } });
    expect(received().length).toBeLessThan(bytes.length);
    await put.abort();
    expect(sink.body!.destroyed).toBe(true);
    expect(events).toEqual(['discard']);
    await expect(put.commit()).rejects.toThrow('nothing verified');
  });

  it('lets the backend go early on drop (a refused archive): receiving goes on and verifies, nothing more is sent, commit is refused', async () => {
    const bytes = randomBytes(2 * 1024 * 1024);
    const { sink, events, received } = memorySink();
    const put = new DeclaredPut(sink, { expectedDigest: sha256Digest(bytes), expectedSize: bytes.length });
    const source = new PassThrough();
    const receiving = put.receive(source);
    source.write(bytes.subarray(0, 768 * 1024));
    await new Promise((resolve) => setTimeout(resolve, 20));
    put.drop(new Error('the archive check failed'));
    const sentBeforeDrop = received().length;
    source.end(bytes.subarray(768 * 1024));
    expect(await receiving).toEqual({ digest: sha256Digest(bytes), size: bytes.length });
    expect(received().length).toBe(sentBeforeDrop);
    expect(sink.body!.destroyed).toBe(true);
    await expect(put.commit()).rejects.toThrow('nothing verified');
    await put.abort();
    expect(events).toEqual(['discard']);
  });

  it('stops reading as soon as the upload passes the declared size or maxBytes', async () => {
    const bytes = randomBytes(512 * 1024);
    const longer = new DeclaredPut(memorySink().sink, { expectedDigest: sha256Digest(bytes), expectedSize: 100 * 1024 });
    await expect(longer.receive(chunked(bytes))).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'size' } });
    const shorter = new DeclaredPut(memorySink().sink, { expectedDigest: sha256Digest(bytes), expectedSize: bytes.length + 1 });
    await expect(shorter.receive(chunked(bytes))).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'size' } });
    const limited = new DeclaredPut(memorySink().sink, { expectedDigest: sha256Digest(bytes), expectedSize: bytes.length, maxBytes: 128 * 1024 });
    await expect(limited.receive(chunked(bytes))).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('with the object already stored, only verifies the bytes and commits by finishing (no body)', async () => {
    const bytes = randomBytes(300 * 1024);
    const events: string[] = [];
    const put = new DeclaredPut(
      { body: null, done: Promise.resolve(), finish: async () => void events.push('touch'), discard: async () => void events.push('discard') },
      { expectedDigest: sha256Digest(bytes), expectedSize: bytes.length },
    );
    expect(put.alreadyStored).toBe(true);
    await put.receive(chunked(bytes));
    await put.commit();
    expect(events).toEqual(['touch']);
  });

  it('fails the receipt with the backend\'s own refusal when it stops taking the body', async () => {
    const bytes = randomBytes(1024 * 1024);
    const body = new PassThrough({ highWaterMark: 1024 });
    let refuse!: (error: Error) => void;
    const done = new Promise<void>((_resolve, reject) => (refuse = reject));
    const put = new DeclaredPut({ body, done, finish: async () => undefined, discard: async () => undefined }, { expectedDigest: sha256Digest(bytes), expectedSize: bytes.length });
    const receiving = put.receive(chunked(bytes));
    // The backend answers (say, 403) and its connection goes.
    setTimeout(() => {
      refuse(new Error('AccessDenied'));
      body.destroy();
    }, 10);
    await expect(receiving).rejects.toThrow('AccessDenied');
  });
});
