/**
 * Artifacts in a local directory: the embedded default, for a single process with no S3 at hand.
 *
 * Layout under `root`: `blobs/sha256/<hex>` (the objects) and `tmp/` (uploads in flight). A put
 * writes to `tmp/<random>.part` while hashing, fsyncs, then renames onto the final name: a rename
 * within one file system is atomic, so a reader sees either no object or the whole, verified one.
 * The rename itself survives a crash once the directory is fsynced: at once for a plain put; at the
 * next `sync()` for a put with `deferSync` (one directory fsync for a whole batch of objects; the
 * file's own data is always fsynced before its rename, so the final name never shows partial bytes).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { access, constants, mkdir, open, opendir, rename, stat, unlink, utimes } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { NotFoundError } from '../errors.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../platform/data-dir.js';
import {
  checkPutOptions,
  checkRange,
  hexToDigest,
  parseDigest,
  rangeNotSatisfiable,
  removeQuietly,
  spoolToFile,
  temporaryPath,
  type ArtifactStat,
  type ArtifactStore,
  type ByteRange,
  type ListOptions,
  type PutOptions,
  type StoredArtifact,
  verifyArtifact,
} from './artifact.store.js';
import { digestOf } from '../platform/hashing.js';
import { DeclaredPut, type DeclaredPutOptions } from './declared-put.js';

/** An `ArtifactStore` over a local directory. Build it with `FilesystemArtifactStore.create(root)`. */
export class FilesystemArtifactStore implements ArtifactStore {
  readonly kind = 'filesystem' as const;
  private readonly blobDir: string;
  private readonly tmpDir: string;
  /** Renames since the last directory fsync began: `sync()` owes them one. */
  private unsynced = 0;
  /** The directory fsync running now, if any. */
  private syncing: Promise<void> | undefined;

  private constructor(readonly root: string) {
    this.blobDir = join(root, 'blobs', 'sha256');
    this.tmpDir = join(root, 'tmp');
  }

  /** Opens (creating if missing) a store rooted at `root`. */
  static async create(root: string): Promise<FilesystemArtifactStore> {
    const store = new FilesystemArtifactStore(root);
    // Private to the service's user like the rest of DATA_DIR (objects are written 0600 by spoolToFile).
    await mkdir(store.blobDir, { recursive: true, mode: PRIVATE_DIR_MODE });
    await mkdir(store.tmpDir, { recursive: true, mode: PRIVATE_DIR_MODE });
    return store;
  }

  async put(source: NodeJS.ReadableStream | Readable | Buffer, options: PutOptions = {}): Promise<StoredArtifact> {
    checkPutOptions(options, Buffer.isBuffer(source) ? source.length : undefined);
    const tmp = temporaryPath(this.tmpDir);
    try {
      const stored = Buffer.isBuffer(source) ? await writeBytes(source, tmp, options) : await spoolToFile(source, tmp, options, { durable: true });
      await this.commit(tmp, parseDigest(stored.digest).hex, options.deferSync ?? false);
      return stored;
    } catch (error) {
      // After a successful rename the temporary name is gone already: only a failure leaves it.
      await removeQuietly(tmp);
      throw error;
    }
  }

  async putFile(filePath: string, options: PutOptions = {}): Promise<StoredArtifact> {
    checkPutOptions(options, (await stat(filePath)).size);
    // The caller's file may live on another file system and stays the caller's: copy it in, hashing.
    return this.put(createReadStream(filePath), options);
  }

  async beginPut(options: DeclaredPutOptions): Promise<DeclaredPut> {
    checkPutOptions(options);
    const hex = parseDigest(options.expectedDigest).hex;
    const existing = await this.stat(options.expectedDigest);
    if (existing && existing.size === options.expectedSize) {
      // The bytes are only verified; committing gives the object a fresh mtime, as a rename over it would, for the collector.
      const target = this.blobPath(options.expectedDigest);
      const touch = async () => {
        const now = new Date();
        await utimes(target, now, now);
      };
      return new DeclaredPut({ body: null, done: Promise.resolve(), finish: touch, discard: async () => undefined }, options);
    }
    // A temporary file in the store's own directory (same file system: the rename is atomic), fsynced on close.
    const tmp = temporaryPath(this.tmpDir);
    const body = createWriteStream(tmp, { flags: 'wx', flush: true, mode: PRIVATE_FILE_MODE });
    // Closed (so fsynced, or never to be written again), not only finished: the rename or removal comes after.
    const closed = () => (body.closed ? Promise.resolve() : new Promise<void>((resolve) => body.once('close', () => resolve())));
    const done = finished(body).then(closed);
    return new DeclaredPut(
      {
        body,
        done,
        finish: () =>
          this.commit(tmp, hex, false).catch(async (error: unknown) => {
            await removeQuietly(tmp);
            throw error;
          }),
        discard: async () => {
          await closed();
          await removeQuietly(tmp);
        },
      },
      options,
    );
  }

  async get(digest: string, range?: ByteRange): Promise<Readable> {
    const path = this.blobPath(digest);
    checkRange(range);
    // Open first: a missing blob is a NotFoundError now, not a stream error later, and a concurrent
    // delete can't pull the bytes from under an open descriptor.
    const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' ? new NotFoundError(`Artifact ${digest} not found.`) : error;
    });
    try {
      if (range) {
        const { size } = await handle.stat();
        if (range.start >= size && !(range.start === 0 && size === 0)) throw rangeNotSatisfiable(range, size);
      }
      return handle.createReadStream({ start: range?.start, end: range?.end });
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async sendTo(digest: string, destination: Writable, range?: ByteRange): Promise<void> {
    // A file read stream has no extra layer to skip: get() opens it, checking existence first.
    await pipeline(await this.get(digest, range), destination);
  }

  async stat(digest: string): Promise<ArtifactStat | null> {
    const path = this.blobPath(digest);
    try {
      const info = await stat(path);
      return { digest, size: info.size, lastModified: info.mtime };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async exists(digest: string): Promise<boolean> {
    return (await this.stat(digest)) !== null;
  }

  async delete(digest: string): Promise<void> {
    await unlink(this.blobPath(digest)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  async *list(options: ListOptions = {}): AsyncIterable<ArtifactStat> {
    const dir = await opendir(this.blobDir);
    for await (const entry of dir) {
      const digest = entry.isFile() ? hexToDigest(entry.name) : null;
      if (!digest) continue;
      // The entry may have been deleted since the directory was read: skip it, don't fail the listing.
      const found = await this.stat(digest);
      if (!found) continue;
      if (options.olderThan && !(found.lastModified! < options.olderThan)) continue;
      yield found;
    }
  }

  /** Always null: a directory has no URL of its own, so the service proxies downloads. */
  async presignedGetUrl(digest: string, _expirySeconds?: number, _fileName?: string, _contentType?: string): Promise<string | null> {
    parseDigest(digest);
    return null;
  }

  async ping(): Promise<void> {
    await access(this.blobDir, constants.R_OK | constants.W_OK);
    await access(this.tmpDir, constants.R_OK | constants.W_OK);
  }

  private blobPath(digest: string): string {
    return join(this.blobDir, parseDigest(digest).hex);
  }

  /** Makes the renames of every put with `deferSync` so far survive a crash (one directory fsync). */
  async sync(): Promise<void> {
    // A fsync running now may have begun before our renames: wait for it, then run one of our own.
    while (this.unsynced > 0 || this.syncing) {
      if (this.syncing) {
        await this.syncing;
        continue;
      }
      this.unsynced = 0;
      this.syncing = syncDirectory(this.blobDir).finally(() => (this.syncing = undefined));
      await this.syncing;
      return;
    }
  }

  /** Moves a verified temporary file onto its final name; durably unless `deferSync` (then `sync()` does). */
  private async commit(tmp: string, hex: string, deferSync: boolean): Promise<void> {
    const target = join(this.blobDir, hex);
    // Renaming over an existing blob replaces identical bytes, and the fresh mtime of the new file
    // tells the collector these bytes were just put again, so it must not delete them before the row lands.
    await rename(tmp, target);
    this.unsynced++;
    if (!deferSync) await this.sync();
  }
}

/**
 * Bytes held in memory to a new file (created exclusively, 0600 like a spool), fsynced: what
 * spoolToFile does for a stream, without one (a sync's small tarballs: no pipeline per object).
 * Verified before anything is written.
 */
async function writeBytes(bytes: Buffer, filePath: string, options: PutOptions): Promise<StoredArtifact> {
  const stored = { digest: digestOf(bytes), size: bytes.length };
  verifyArtifact(stored, options);
  const handle = await open(filePath, 'wx', PRIVATE_FILE_MODE);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return stored;
}

/** Makes a rename in `dir` survive a crash (best effort: not every platform can fsync a directory). */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => null);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Some platforms refuse fsync on a directory; the data itself was fsynced before the rename.
  } finally {
    await handle.close();
  }
}
