/**
 * The pack tarball of a converted Helm chart, written in one pass: tar headers and the small files
 * from memory, the chart archive streamed from disk, gzip, hashed on the way to the file. Its bytes
 * are exactly those `createPackTarball` gives for the same files laid out in a folder (headers from
 * node-tar's own `Header`, the same sorted order, modes, zero mtime and portable gzip header), so a
 * chart converted before or after this writer existed has the same digest; without the folder, the
 * tar library's per-entry stat/open/read and a second read to hash it (the sync profile of issue 13:
 * ~1 ms and a dozen file operations a version).
 *
 * Entries whose names need a pax header (very long chart names) are beyond this writer: it answers
 * null and the caller lays out the folder for `createPackTarball`.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';
import { Header } from 'tar';
import { Sha256Hasher, digestOf } from '../platform/hashing.js';

const BLOCK = 512;
/** End of archive: two zero blocks, all node-tar writes after the last entry. */
const END = Buffer.alloc(2 * BLOCK);
/** Tarballs up to this size are assembled and compressed in memory (bounded: fetch concurrency x this). */
const IN_MEMORY_BYTES = 1024 * 1024;

/** One entry: a folder, a file from memory, or a file streamed from disk (its size known). */
export type TarballEntry =
  | { path: string; kind: 'folder' }
  | { path: string; kind: 'file'; bytes: Buffer }
  | { path: string; kind: 'disk'; file: string; size: number };

/**
 * Writes `entries` (in the order given: the caller sorts them as createPackTarball would) as a gzip
 * tarball at `outFile`; answers its digest and size, or null when an entry needs a pax header.
 * With `inMemory`, a tarball small enough to be built in memory is answered as `bytes` instead,
 * and no file is written.
 */
export async function writeTarball(
  entries: readonly TarballEntry[],
  outFile: string,
  options: { inMemory?: boolean } = {},
): Promise<{ digest: string; size: number; bytes?: Buffer } | null> {
  const headers: Buffer[] = [];
  let total = END.length;
  for (const entry of entries) {
    const header = headerOf(entry);
    if (!header) return null;
    headers.push(header);
    total += BLOCK + (entry.kind === 'folder' ? 0 : padded(entry.kind === 'file' ? entry.bytes.length : entry.size));
  }
  // A small pack (most charts) is built and compressed in memory at once: a stream would cost more
  // than the work (a threadpool round trip per small write, a pipeline's teardown per tarball).
  if (total <= IN_MEMORY_BYTES) {
    const parts: Buffer[] = [];
    for (const [i, entry] of entries.entries()) {
      parts.push(headers[i]);
      if (entry.kind === 'folder') continue;
      const bytes = entry.kind === 'file' ? entry.bytes : await readFile(entry.file);
      if (bytes.length !== (entry.kind === 'file' ? bytes.length : entry.size)) throw changed(entry);
      parts.push(bytes, Buffer.alloc(padded(bytes.length) - bytes.length));
    }
    parts.push(END);
    const gzip = portable(gzipSync(Buffer.concat(parts)));
    // The caller that can take the bytes gets them instead of a file it would only read back.
    if (options.inMemory) return { digest: digestOf(gzip), size: gzip.length, bytes: gzip };
    await mkdir(dirname(outFile), { recursive: true });
    await writeFile(outFile, gzip);
    return { digest: digestOf(gzip), size: gzip.length };
  }
  const hasher = new Sha256Hasher();
  let first = true;
  // The folder is made only for a file: a tarball kept in memory needs none.
  await mkdir(dirname(outFile), { recursive: true });
  await pipeline(
    async function* tar() {
      for (const [i, entry] of entries.entries()) {
        yield headers[i];
        if (entry.kind === 'folder') continue;
        let size = 0;
        if (entry.kind === 'file') {
          size = entry.bytes.length;
          yield entry.bytes;
        } else {
          for await (const chunk of createReadStream(entry.file)) {
            size += (chunk as Buffer).length;
            yield chunk as Buffer;
          }
          // The header promised a size: a file that changed under us would frame the archive wrongly.
          if (size !== entry.size) throw changed(entry);
        }
        if (size % BLOCK !== 0) yield Buffer.alloc(BLOCK - (size % BLOCK));
      }
      yield END;
    },
    createGzip(),
    async function* hash(chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        if (first) {
          first = false;
          portable(chunk);
        }
        hasher.update(chunk);
        yield chunk;
      }
    },
    createWriteStream(outFile),
  );
  return { digest: `sha256:${hasher.hex()}`, size: hasher.size };
}

/** node-tar's portable gzip: the header's OS byte says "unknown" (0xff), not this machine's. */
function portable(gzipStart: Buffer): Buffer {
  gzipStart[9] = 0xff;
  return gzipStart;
}

function padded(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}

function changed(entry: TarballEntry): Error {
  return new Error(`${entry.kind === 'disk' ? entry.file : entry.path} changed while it was archived.`);
}

/** The entry's header block as node-tar writes it with `portable: true, mtime: new Date(0)`, or null when it needs pax. */
function headerOf(entry: TarballEntry): Buffer | null {
  const folder = entry.kind === 'folder';
  const header = new Header({
    path: folder && !entry.path.endsWith('/') ? `${entry.path}/` : entry.path,
    mode: folder ? 0o755 : 0o644,
    size: entry.kind === 'folder' ? 0 : entry.kind === 'file' ? entry.bytes.length : entry.size,
    // Portable folders carry no mtime; files the zero time createPackTarball gives.
    mtime: folder ? undefined : new Date(0),
    type: folder ? 'Directory' : 'File',
  });
  if (header.encode()) return null;
  return header.block!;
}

/** The size of a file about to be streamed into a tarball. */
export async function fileSize(file: string): Promise<number> {
  return (await stat(file)).size;
}
