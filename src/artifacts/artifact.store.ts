/**
 * The artifact store: content-addressed bytes (pack tarballs, logos, charts) kept apart from the
 * metadata rows that point at them. Keys are `blobs/sha256/<hex>`, so the same bytes are stored once
 * and a digest alone is enough to find them.
 *
 * Write order everywhere: the object is written and its digest verified first, the row that points
 * at it is written after (by the caller); an object with no row is garbage for `collectGarbage`,
 * while a row never points at a missing object.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { InvalidInputError, PayloadTooLargeError } from '../errors.js';
import { PRIVATE_FILE_MODE } from '../platform/data-dir.js';
import { DIGEST_ALGORITHM, Sha256Hasher } from '../platform/hashing.js';
import type { DeclaredPut, DeclaredPutOptions } from './declared-put.js';

/** What a successful put stored. */
export interface StoredArtifact {
  /** `sha256:<64 lowercase hex>` of the stored bytes. */
  digest: string;
  /** Size in bytes. */
  size: number;
}

/** What the store knows about one stored object. */
export interface ArtifactStat {
  /** `sha256:<64 lowercase hex>`. */
  digest: string;
  /** Size in bytes. */
  size: number;
  /** When the object was last written (or re-put); the garbage collector's grace period counts from it. */
  lastModified?: Date;
}

/** Checks and hints for a put. Every check runs before anything is visible under the final key. */
export interface PutOptions {
  /** The digest the caller claims (`sha256:<hex>`); a different actual digest is refused with `InvalidInputError`. */
  expectedDigest?: string;
  /** The size the caller claims; a different actual size is refused with `InvalidInputError`. */
  expectedSize?: number;
  /** Refuse (with `PayloadTooLargeError`) as soon as more than this many bytes arrive. */
  maxBytes?: number;
  /** Content type recorded with the object where the backend keeps one (S3); defaults to `application/octet-stream`. */
  contentType?: string;
  /**
   * The put may resolve before the object survives a crash; it does once `sync()` resolves. For
   * batches: many puts, one `sync()`, then the rows that point at them. Ignored by stores without
   * `sync` (whose puts are durable when they resolve).
   */
  deferSync?: boolean;
}

/** An inclusive byte range, as in HTTP `Range: bytes=start-end`; without `end`, up to the last byte. */
export interface ByteRange {
  /** First byte, zero based. */
  start: number;
  /** Last byte, inclusive; clamped to the object's last byte. */
  end?: number;
}

/** Options of `ArtifactStore.list`. */
export interface ListOptions {
  /** Only objects last modified strictly before this instant. */
  olderThan?: Date;
}

/**
 * Content-addressed storage for artifact bytes. Implementations: `MinioArtifactStore` (any S3 API)
 * and `FilesystemArtifactStore` (a local directory, for the embedded default).
 *
 * Memory stays flat whatever the artifact size: bytes are streamed, never buffered whole.
 */
export interface ArtifactStore {
  /** Which backend this is. */
  readonly kind: 's3' | 'filesystem';

  /**
   * Streams `source` in, hashing as it goes; verifies `expectedDigest`/`expectedSize`/`maxBytes`;
   * stores the bytes under `blobs/sha256/<hex>`. `source` may be bytes already in memory (a small
   * tarball a sync built), which a backend may write without a stream. Idempotent: putting the same bytes twice is fine
   * (and refreshes the object's `lastModified`, so a collector does not delete bytes that were just
   * put again). Never leaves a partial object under the final key.
   *
   * @throws InvalidInputError on a malformed `expectedDigest`, a digest or size mismatch.
   * @throws PayloadTooLargeError when more than `maxBytes` arrive.
   */
  put(source: NodeJS.ReadableStream | Readable | Buffer, options?: PutOptions): Promise<StoredArtifact>;

  /**
   * Puts a file already on disk (its size is known up front) — the efficient path for spooled
   * uploads. The file is hashed (and the digest checked against `expectedDigest` when given) and left
   * in place: the caller owns it.
   */
  putFile(filePath: string, options?: PutOptions): Promise<StoredArtifact>;

  /**
   * Starts a put whose digest and size the caller declares (declared-put.ts): the bytes go to the
   * final key while they arrive, the last of them held back until the caller commits, so nothing
   * appears under the key before every check passed. Objects larger than a single PUT (S3) are not
   * offered: null, and the caller spools as for an undeclared upload.
   *
   * @throws InvalidInputError on a malformed digest or size.
   * @throws PayloadTooLargeError when the declared size is over `maxBytes`.
   */
  beginPut(options: DeclaredPutOptions): Promise<DeclaredPut | null>;

  /**
   * Makes every object put so far with `deferSync` durable. Absent where a put is durable when it
   * resolves (S3: an object is there once its PUT is answered).
   */
  sync?(): Promise<void>;

  /**
   * Opens the stored bytes, whole or an inclusive `range` of them.
   *
   * @throws NotFoundError when no object has this digest.
   * @throws InvalidInputError on a malformed digest or a range that starts past the last byte.
   */
  get(digest: string, range?: ByteRange): Promise<Readable>;

  /**
   * Writes the stored bytes, whole or an inclusive `range` of them, into `destination` and ends it;
   * resolves once it has finished. The download path: a backend that can hand its bytes over
   * without an intermediate stream does (S3 writes the response body straight into `destination`).
   * Nothing is written to `destination` before the object is found, so the caller can still answer
   * with an error; a failure after that destroys `destination`.
   *
   * @throws NotFoundError when no object has this digest.
   * @throws InvalidInputError on a malformed digest or a range that starts past the last byte.
   */
  sendTo(digest: string, destination: Writable, range?: ByteRange): Promise<void>;

  /** Size and age of the object, or null when there is none. */
  stat(digest: string): Promise<ArtifactStat | null>;

  /** Whether an object with this digest is stored. */
  exists(digest: string): Promise<boolean>;

  /** Removes the object; removing a missing object is not an error. */
  delete(digest: string): Promise<void>;

  /** Every stored object (in no promised order), optionally only those older than a date. */
  list(options?: ListOptions): AsyncIterable<ArtifactStat>;

  /**
   * A presigned URL a client can download the bytes from directly (s3), or null when downloads must
   * be proxied by the service (filesystem). With `fileName`, the download is offered under that name;
   * with `contentType`, it is served as that type.
   */
  presignedGetUrl(digest: string, expirySeconds: number, fileName?: string, contentType?: string): Promise<string | null>;

  /** Reachability check for /readyz: resolves when the store can serve, throws otherwise. */
  ping(): Promise<void>;
}

/** Prefix of every object key. */
export const BLOB_PREFIX = 'blobs/sha256/';

const DIGEST_PATTERN = /^sha256:([a-f0-9]{64})$/;
const HEX_PATTERN = /^[a-f0-9]{64}$/;

/** A digest taken apart. */
export interface ParsedDigest {
  algorithm: 'sha256';
  hex: string;
}

/**
 * Parses `sha256:<64 lowercase hex>` (the OCI digest form); anything else throws.
 *
 * @throws InvalidInputError naming the expected form.
 */
export function parseDigest(digest: string): ParsedDigest {
  const match = typeof digest === 'string' ? DIGEST_PATTERN.exec(digest) : null;
  if (!match) {
    throw new InvalidInputError(`Invalid digest ${describeValue(digest)}: expected "sha256:" followed by 64 lowercase hex digits.`, {
      field: 'digest',
    });
  }
  return { algorithm: 'sha256', hex: match[1]! };
}

/** The object key of a digest: `blobs/sha256/<hex>`. @throws InvalidInputError on a malformed digest. */
export function digestToKey(digest: string): string {
  return `${BLOB_PREFIX}${parseDigest(digest).hex}`;
}

/** The digest an object key stands for, or null when the key is not a blob key. */
export function keyToDigest(key: string): string | null {
  if (!key.startsWith(BLOB_PREFIX)) return null;
  return hexToDigest(key.slice(BLOB_PREFIX.length));
}

/** `sha256:<hex>` for a bare hex string, or null when it is not 64 lowercase hex digits. */
export function hexToDigest(hex: string): string | null {
  return HEX_PATTERN.test(hex) ? `${DIGEST_ALGORITHM}:${hex}` : null;
}

/**
 * Checks what can be checked before reading a byte: a well-formed `expectedDigest`, sane sizes,
 * and an `expectedSize` (or a known size) that fits `maxBytes`.
 */
export function checkPutOptions(options: PutOptions, knownSize?: number): void {
  if (options.expectedDigest !== undefined) parseDigest(options.expectedDigest);
  for (const field of ['expectedSize', 'maxBytes'] as const) {
    const value = options[field];
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
      throw new InvalidInputError(`${field} must be a non-negative integer.`, { field });
    }
  }
  const size = knownSize ?? options.expectedSize;
  if (size !== undefined && options.maxBytes !== undefined && size > options.maxBytes) {
    throw tooLarge(options.maxBytes);
  }
  if (knownSize !== undefined && options.expectedSize !== undefined && knownSize !== options.expectedSize) {
    throw sizeMismatch(options.expectedSize, knownSize);
  }
}

/** Compares what was received with what the caller claimed. */
export function verifyArtifact(actual: StoredArtifact, options: PutOptions): void {
  if (options.expectedSize !== undefined && actual.size !== options.expectedSize) {
    throw sizeMismatch(options.expectedSize, actual.size);
  }
  if (options.expectedDigest !== undefined && actual.digest !== options.expectedDigest) {
    throw new InvalidInputError(`Digest mismatch: expected ${options.expectedDigest}, received bytes hash to ${actual.digest}.`, {
      field: 'digest',
    });
  }
}

/**
 * Streams `source` into a new file at `filePath` (created exclusively), hashing and counting as it
 * goes, and stops as soon as `maxBytes` or `expectedSize` is exceeded. With `durable`, the file is
 * fsynced before this resolves. Resolves or rejects only once the file is closed; the caller removes
 * the file on failure. Verifies the result against `options` before returning.
 *
 * With `tap`, every chunk is also written to `tap` (waiting while it is full), which is ended after
 * the last chunk, or destroyed with the error when spooling fails: a reader of the same bytes (the
 * archive check of a push) runs in the same pass instead of reading the file again. A tap that
 * closes early (its reader stopped) is dropped and spooling goes on: the caller's limits and errors
 * stay those of the whole upload.
 */
export async function spoolToFile(
  source: NodeJS.ReadableStream | Readable,
  filePath: string,
  options: PutOptions,
  { durable = false, tap }: { durable?: boolean; tap?: Writable } = {},
): Promise<StoredArtifact> {
  const hasher = new Sha256Hasher();
  const limit = options.maxBytes;
  const expected = options.expectedSize;
  // 0600: spools and objects hold users' uploads, readable by the service's user only.
  const out = createWriteStream(filePath, { flags: 'wx', flush: durable, mode: PRIVATE_FILE_MODE });
  // Wait for the file to exist, so a failure below can never race its creation and leave it behind.
  await once(out, 'open');
  try {
    await pipeline(
      source,
      async function* hashAndCount(chunks: AsyncIterable<Buffer | string>) {
        // Small chunks (an upload read as it arrives) are passed on in batches: each file write and
        // each step of the tap's reader (gunzip) costs a round trip through the thread pool, whatever its size.
        let batch: Buffer[] = [];
        let batched = 0;
        const flush = async function* () {
          const bytes = batch.length === 1 ? batch[0]! : Buffer.concat(batch, batched);
          batch = [];
          batched = 0;
          if (tap && !tap.destroyed && !tap.write(bytes)) await drainedOrClosed(tap);
          yield bytes;
        };
        for await (const chunk of chunks) {
          const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
          const size = hasher.size + bytes.length;
          // Stop reading at once: an oversized upload must not fill the disk before it is refused.
          if (limit !== undefined && size > limit) throw tooLarge(limit);
          if (expected !== undefined && size > expected) throw sizeMismatch(expected, size, true);
          hasher.update(bytes);
          batch.push(bytes);
          batched += bytes.length;
          if (batched >= SPOOL_BATCH_BYTES) yield* flush();
        }
        if (batched > 0) yield* flush();
        tap?.end();
      },
      out,
    );
  } catch (error) {
    tap?.destroy(error as Error);
    throw error;
  } finally {
    if (!out.closed) await once(out, 'close').catch(() => undefined);
  }
  const stored = hasher.result();
  verifyArtifact(stored, options);
  return stored;
}

/** Bytes `spoolToFile` gathers before a write: 4 to 16 chunks of a socket or file read. */
const SPOOL_BATCH_BYTES = 256 * 1024;

/** Resolves when `stream` can take more, or is gone (the caller then stops writing, or looks at why). */
export function drainedOrClosed(stream: Writable): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}

/** A fresh, unguessable temporary file name inside `dir`. */
export function temporaryPath(dir: string): string {
  return join(dir, `${randomUUID()}.part`);
}

/** Removes a file if it is there; cleanup must never mask the error that caused it. */
export async function removeQuietly(filePath: string): Promise<void> {
  await rm(filePath, { force: true }).catch(() => undefined);
}

/** Checks a byte range's shape (not its fit to an object, which only the backend knows). */
export function checkRange(range: ByteRange | undefined): void {
  if (!range) return;
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || start < 0 || (end !== undefined && (!Number.isSafeInteger(end) || end < start))) {
    throw new InvalidInputError(`Invalid byte range ${start}-${end ?? ''}: start must be >= 0 and end >= start.`, { field: 'range' });
  }
}

/** The error for a range that starts past the last byte. */
export function rangeNotSatisfiable(range: ByteRange, size: number): InvalidInputError {
  return new InvalidInputError(`Byte range ${range.start}-${range.end ?? ''} is not satisfiable: the artifact has ${size} bytes.`, {
    field: 'range',
  });
}

function tooLarge(maxBytes: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`Artifact too large: the limit is ${maxBytes} bytes.`, { maxBytes });
}

function sizeMismatch(expected: number, actual: number, atLeast = false): InvalidInputError {
  return new InvalidInputError(`Size mismatch: expected ${expected} bytes, received ${atLeast ? 'at least ' : ''}${actual}.`, {
    field: 'size',
  });
}

function describeValue(value: unknown): string {
  if (typeof value !== 'string') return `of type ${typeof value}`;
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}...` : value);
}
