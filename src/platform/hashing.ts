/**
 * The one sha256 helper for content digests: pack tarballs, charts, manifests, uploads and
 * downloads are all named `sha256:<64 lowercase hex>`, and this is where those names are computed.
 *
 * Imports nothing but Node, so the CLI, the pack format code and the registry adapters use it
 * without pulling in the server.
 */
import { createHash, type BinaryLike } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** The only digest algorithm artifacts are named by. */
export const DIGEST_ALGORITHM = 'sha256';

const DIGEST_PREFIX = `${DIGEST_ALGORITHM}:`;

/** The digest of some bytes and how many there were. */
export interface HashedBytes {
  /** `sha256:<64 lowercase hex>`. */
  digest: string;
  /** Size in bytes. */
  size: number;
}

/**
 * sha256 and byte count of bytes as they pass: for a pipeline that checks limits, reports progress
 * or writes the bytes somewhere while they are hashed.
 */
export class Sha256Hasher {
  private readonly hash = createHash(DIGEST_ALGORITHM);
  private bytes = 0;

  /** Bytes seen so far. */
  get size(): number {
    return this.bytes;
  }

  update(chunk: Uint8Array | string): this {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.hash.update(bytes);
    this.bytes += bytes.length;
    return this;
  }

  /** The 64 hex digits. Call once, after the last chunk. */
  hex(): string {
    return this.hash.digest('hex');
  }

  /** `sha256:<hex>` and size. Call once, after the last chunk. */
  result(): HashedBytes {
    return { digest: `${DIGEST_PREFIX}${this.hex()}`, size: this.bytes };
  }
}

/** The 64 hex digits of the sha256 of `bytes`. */
export function sha256Hex(bytes: BinaryLike): string {
  return createHash(DIGEST_ALGORITHM).update(bytes).digest('hex');
}

/** `sha256:<hex>` of bytes held in memory (a manifest, an index, a small body). */
export function digestOf(bytes: BinaryLike): string {
  return `${DIGEST_PREFIX}${sha256Hex(bytes)}`;
}

/** The hex digits of a `sha256:<hex>` digest computed here. */
export function hexOfDigest(digest: string): string {
  return digest.startsWith(DIGEST_PREFIX) ? digest.slice(DIGEST_PREFIX.length) : digest;
}

/** Digest and size of a stream, read to its end. */
export async function sha256Stream(source: AsyncIterable<Uint8Array | string>): Promise<HashedBytes> {
  const hasher = new Sha256Hasher();
  for await (const chunk of source) hasher.update(chunk);
  return hasher.result();
}

/** Digest and size of a file, read as a stream. */
export async function sha256File(filePath: string): Promise<HashedBytes> {
  return sha256Stream(createReadStream(filePath));
}
