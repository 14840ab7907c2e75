/**
 * A put whose digest and size the caller declares before the first byte (a push whose client hashed
 * its archive, as packctl does): the key is known at once, so the bytes go to their final place
 * while they arrive, instead of being spooled and sent only once the last byte told the digest.
 *
 * What keeps it safe:
 * - The bytes are hashed and counted as they pass; more than the declared size (or `maxBytes`)
 *   stops the upload at once, and what arrived must hash to the declared digest.
 * - The last batch of bytes is held back from the backend until `commit()`. A backend completes an
 *   object only with its last byte (the S3 PUT carries the declared Content-Length; the file store
 *   renames its temporary file), so until the caller has checked everything it wants (our own hash,
 *   the archive check, conflicts, signatures) no object can appear, on any backend, even one that
 *   verifies nothing. `abort()` then drops the put (the PUT's connection is cut, the temporary file
 *   removed).
 * - When the object is already stored with the declared size, nothing is sent: the bytes are only
 *   hashed and verified, and `commit()` refreshes the object's age for the collector.
 */
import type { Readable, Writable } from 'node:stream';

import { InvalidInputError, PayloadTooLargeError } from '../errors.js';
import { Sha256Hasher } from '../platform/hashing.js';
import { drainedOrClosed, type StoredArtifact } from './artifact.store.js';

/** What the caller declares, and the limit it enforces. */
export interface DeclaredPutOptions {
  /** `sha256:<hex>` the bytes must hash to: the object key. */
  expectedDigest: string;
  /** The exact number of bytes that will arrive. */
  expectedSize: number;
  /** Refuse as soon as more than this many bytes arrive. */
  maxBytes?: number;
  contentType?: string;
}

/** Where a backend takes the bytes of one declared put. */
export interface DeclaredPutSink {
  /** Receives the bytes; null when the object is stored already (the bytes are then only verified). */
  body: Writable | null;
  /** Settles once the backend has taken the whole body (after `body.end()`); rejects on its refusal. */
  done: Promise<void>;
  /** After `done`: makes the object visible (and durable) under its key. */
  finish(): Promise<void>;
  /** Drops the put: no object appears (the body was destroyed before its last bytes). */
  discard(): Promise<void>;
}

/** Bytes gathered before a write: the held-back tail is at most this much. */
const BATCH_BYTES = 256 * 1024;

export class DeclaredPut {
  private readonly hasher = new Sha256Hasher();
  /** The last batch, held back from the backend until `commit()`. */
  private tail: Buffer | null = null;
  private received: StoredArtifact | undefined;
  private sinkError: Error | undefined;
  private state: 'open' | 'committed' | 'aborted' = 'open';
  /** The backend was let go early (`drop`): the bytes are still received and verified, sent nowhere. */
  private dropped = false;

  constructor(
    private readonly sink: DeclaredPutSink,
    private readonly options: DeclaredPutOptions,
  ) {
    // A refusal of the backend mid-body is read by receive(); it must not go unhandled meanwhile.
    sink.done.catch((error: Error) => {
      this.sinkError ??= error;
    });
    // abort() destroys the body with its reason, possibly before the backend wired its own listeners
    // (the S3 request starts after the credentials check): that error is ours, never uncaught.
    sink.body?.on('error', () => undefined);
  }

  /** Whether the object was already stored (nothing is being sent). */
  get alreadyStored(): boolean {
    return this.sink.body === null;
  }

  /**
   * Reads `source` to its end: hashed, counted, passed to `tap` (as `spoolToFile` does: waiting
   * while it is full, ended after the last chunk, destroyed with the error on failure, dropped if it
   * closes early) and sent to the backend, all but the last batch. Resolves with what arrived once
   * it matches the declaration; rejects otherwise (the caller then aborts).
   */
  async receive(source: NodeJS.ReadableStream | Readable, { tap }: { tap?: Writable } = {}): Promise<StoredArtifact> {
    const { expectedSize, expectedDigest, maxBytes } = this.options;
    let batch: Buffer[] = [];
    let batched = 0;
    const flush = async () => {
      const bytes = batch.length === 1 ? batch[0]! : Buffer.concat(batch, batched);
      batch = [];
      batched = 0;
      if (tap && !tap.destroyed && !tap.write(bytes)) await drainedOrClosed(tap);
      // The previous batch goes out now that a later one exists: the newest is always held back.
      if (this.tail) await this.send(this.tail);
      this.tail = bytes;
    };
    try {
      for await (const chunk of source as AsyncIterable<Buffer | string>) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        const size = this.hasher.size + bytes.length;
        // Stop at once: an oversized upload must not be sent on before it is refused.
        if (maxBytes !== undefined && size > maxBytes) {
          throw new PayloadTooLargeError(`Artifact too large: the limit is ${maxBytes} bytes.`, { maxBytes });
        }
        if (size > expectedSize) throw sizeMismatch(expectedSize, size, true);
        this.hasher.update(bytes);
        batch.push(bytes);
        batched += bytes.length;
        if (batched >= BATCH_BYTES) await flush();
        if (this.sinkError && !this.dropped) throw this.sinkError;
      }
      if (batched > 0) await flush();
      tap?.end();
    } catch (error) {
      tap?.destroy(error as Error);
      throw error;
    }
    const received = this.hasher.result();
    if (received.size !== expectedSize) throw sizeMismatch(expectedSize, received.size);
    if (received.digest !== expectedDigest) {
      throw new InvalidInputError(`Digest mismatch: expected ${expectedDigest}, received bytes hash to ${received.digest}.`, { field: 'digest' });
    }
    this.received = received;
    return received;
  }

  /**
   * Lets the backend go before the upload ends, when the caller already knows it will refuse it (the
   * archive check failed midway): the PUT is cut now rather than after the last byte. `receive` goes
   * on (the upload's own limits and errors still answer); `commit` is then refused, `abort` cleans up.
   */
  drop(reason: Error = new Error('The put was dropped.')): void {
    if (this.state !== 'open' || this.dropped) return;
    this.dropped = true;
    this.tail = null;
    const { body } = this.sink;
    if (body && !body.destroyed) body.destroy(reason);
  }

  /** Sends the held-back bytes and completes the object; resolves once it is stored. Only after `receive` resolved. */
  async commit(): Promise<StoredArtifact> {
    if (!this.received || this.state !== 'open' || this.dropped) throw new Error('DeclaredPut.commit: nothing verified to commit.');
    this.state = 'committed';
    const { body } = this.sink;
    if (body) {
      if (this.tail) await this.send(this.tail);
      this.tail = null;
      body.end();
    }
    await this.sink.done;
    await this.sink.finish();
    return this.received;
  }

  /** Drops the put (no object is completed); a no-op once committed or aborted. */
  async abort(reason: Error = new Error('The put was abandoned.')): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'aborted';
    this.tail = null;
    const { body } = this.sink;
    if (body && !body.destroyed) body.destroy(reason);
    await this.sink.done.catch(() => undefined);
    await this.sink.discard();
  }

  private async send(bytes: Buffer): Promise<void> {
    const { body } = this.sink;
    if (!body || this.dropped) return;
    if (this.sinkError) throw this.sinkError;
    if (!body.write(bytes)) await drainedOrClosed(body);
    // Dropped while this batch waited (the archive check failed meanwhile): the body was cut on
    // purpose, and the check's refusal answers, not the cut.
    if (this.dropped) return;
    if (this.sinkError || body.destroyed) {
      // The backend's own answer (a refusal, a cut connection) says more than "destroyed": wait for it.
      await this.sink.done.catch(() => undefined);
      throw this.sinkError ?? new Error('The artifact store stopped taking the upload.');
    }
  }
}

function sizeMismatch(expected: number, actual: number, atLeast = false): InvalidInputError {
  return new InvalidInputError(`Size mismatch: expected ${expected} bytes, received ${atLeast ? 'at least ' : ''}${actual}.`, { field: 'size' });
}
