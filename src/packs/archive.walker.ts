/**
 * The one loop every archive read goes through (scans, extractions): gunzip, framing, the tar
 * parser and the checks on each entry. Internal to the pack archive module; callers use
 * `scanArchive` and `extractPackArchive` (pack.archive.ts).
 */
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { PackIssueCode, packError } from './pack.issues.js';
import { TarFraming, TarFramingStop } from './tar.framing.js';
import type { ArchiveLimits, ArchiveScan, ArchiveStats } from './pack.archive.js';
import type { PackIssue } from './pack.types.js';

/**
 * Output per gunzip step. Each step is a round trip through the thread pool: zlib's default (16 KiB)
 * takes four times as many as this for the same archive (a 200 MiB pack: 0.5 s of CPU instead of 0.3).
 */
const GUNZIP_CHUNK_BYTES = 64 * 1024;

// Past this many refused entries the archive is plainly hostile; more messages help nobody.
const MAX_ENTRY_ISSUES = 50;
const MAX_PATH_LENGTH = 4096;
// Pax headers only carry paths and times here; the library's 1 MiB default is far more than needed.
const MAX_META_ENTRY_BYTES = 64 * 1024;
const GZIP_MAGIC = [0x1f, 0x8b];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

/** Thrown inside the stream pipeline to stop reading at once; never escapes this module. */
class StopReading extends Error {
  constructor(readonly issue?: PackIssue) {
    super(issue?.message ?? 'stopped');
  }
}

type PathCheck = { ok: true; path: string } | { ok: false; issue: PackIssue };

/**
 * Normalise an entry path (`./a//b/` -> `a/b`) and refuse the ones that could land outside the
 * destination on any platform: `..` segments, absolute paths (`/x`, `C:x`), backslashes
 * (separators on Windows, where packctl also extracts) and NUL bytes.
 */
export function checkArchivePath(rawPath: string): PathCheck {
  const shown = JSON.stringify(rawPath.length > 200 ? `${rawPath.slice(0, 200)}...` : rawPath);
  if (rawPath.startsWith('/') || /^[A-Za-z]:/.test(rawPath)) {
    return { ok: false, issue: packError(PackIssueCode.ARCHIVE_PATH_TRAVERSAL, `Entry ${shown} has an absolute path.`, rawPath) };
  }
  const segments = rawPath.split(/[\\/]/);
  if (segments.includes('..')) {
    return { ok: false, issue: packError(PackIssueCode.ARCHIVE_PATH_TRAVERSAL, `Entry ${shown} climbs out of the archive with "..".`, rawPath) };
  }
  if (rawPath.includes('\\') || rawPath.includes('\0') || rawPath.length > MAX_PATH_LENGTH) {
    return {
      ok: false,
      issue: packError(
        PackIssueCode.ARCHIVE_PATH_INVALID,
        `Entry ${shown} has a path that is not portable (backslash, NUL byte or over ${MAX_PATH_LENGTH} characters).`,
        rawPath.slice(0, MAX_PATH_LENGTH),
      ),
    };
  }
  return { ok: true, path: segments.filter((segment) => segment !== '' && segment !== '.').join('/') };
}

function startsWith(buffer: Buffer, magic: readonly number[]): boolean {
  return buffer.length >= magic.length && magic.every((byte, index) => buffer[index] === byte);
}

export interface WalkHandlers {
  /** Called for every accepted regular file; must consume the entry (read it, pipe it or resume it). */
  onFile(filePath: string, entry: ReadEntry): void;
  onDirectory?(directoryPath: string): void;
  /** Errors raised by the handlers' own work (a failed disk write) stop reading too. */
  failure?(): PackIssue | undefined;
}

/**
 * The one loop every archive read goes through: count and cap compressed bytes, gunzip, count and
 * cap the bytes actually decompressed, frame the tar stream block by block (stopping at its
 * end-of-archive marker, refusing what follows), parse tar, vet each entry. Decompression happens
 * here rather than inside `tar` so that the byte budget is enforced on the real output and nested
 * compression is refused instead of silently unpacked. Every limit is checked on bytes read, never
 * on what a header claims (a claim over the limit only refuses earlier).
 * When `signal` aborts, reading stops at once; the caller learns it from the signal.
 */
export async function walkArchive(
  source: Readable,
  limits: ArchiveLimits,
  handlers: WalkHandlers,
  signal?: AbortSignal,
): Promise<Omit<ArchiveScan, 'kept' | 'oversized'>> {
  const issues: PackIssue[] = [];
  const files = new Set<string>();
  const directories = new Set<string>();
  const stats: ArchiveStats = { entries: 0, compressedBytes: 0, decompressedBytes: 0, parsedBytes: 0, trailingBytes: 0 };
  const framing = new TarFraming({ maxHeaders: limits.maxEntries, maxMetaEntryBytes: MAX_META_ENTRY_BYTES });
  let stopIssue: PackIssue | undefined;
  let entryIssues = 0;
  let parserSawEnd = false;

  const stop = (issue: PackIssue): void => {
    stopIssue ??= issue;
  };
  const halt = (issue?: PackIssue): StopReading => {
    if (issue) stop(issue);
    return new StopReading(issue);
  };
  const refuseEntry = (issue: PackIssue, entry: ReadEntry): void => {
    entry.resume();
    issues.push(issue);
    if (++entryIssues >= MAX_ENTRY_ISSUES) {
      stop(packError(PackIssueCode.ARCHIVE_CORRUPT, `Reading stopped after ${MAX_ENTRY_ISSUES} refused entries.`));
    }
  };
  // The parser must frame every entry as the framing did; handlers never throw into the parser.
  const confirmFraming = (entry: ReadEntry): boolean => {
    try {
      framing.confirm(entry.startBlockSize);
      return true;
    } catch (error) {
      stop((error as TarFramingStop).issue);
      return false;
    }
  };

  const onEntry = (entry: ReadEntry): void => {
    if (stopIssue || !confirmFraming(entry)) {
      entry.resume();
      return;
    }
    const checked = checkArchivePath(entry.path);
    if (!checked.ok) return refuseEntry(checked.issue, entry);
    const shown = JSON.stringify(checked.path);
    switch (entry.type) {
      case 'File':
      case 'OldFile':
      case 'ContiguousFile':
        if (checked.path === '') {
          return refuseEntry(packError(PackIssueCode.ARCHIVE_PATH_INVALID, 'A file entry has an empty path.', entry.path), entry);
        }
        // Only an early exit: the bytes read are what the limit is counted on.
        if (stats.decompressedBytes + entry.size > limits.maxDecompressedBytes) {
          entry.resume();
          return stop(tooLarge(limits));
        }
        files.add(checked.path);
        return handlers.onFile(checked.path, entry);
      case 'Directory':
        entry.resume();
        if (checked.path !== '') {
          directories.add(checked.path);
          handlers.onDirectory?.(checked.path);
        }
        return;
      case 'SymbolicLink':
      case 'Link': {
        const kind = entry.type === 'Link' ? 'a hard link' : 'a symbolic link';
        const message = `Entry ${shown} is ${kind} (to ${JSON.stringify(entry.linkpath ?? '')}); packs may not hold links.`;
        return refuseEntry(packError(PackIssueCode.ARCHIVE_LINK, message, checked.path), entry);
      }
      case 'CharacterDevice':
      case 'BlockDevice':
      case 'FIFO': {
        const message = `Entry ${shown} is a ${entry.type === 'FIFO' ? 'FIFO' : 'device'}; packs hold only files and folders.`;
        return refuseEntry(packError(PackIssueCode.ARCHIVE_DEVICE, message, checked.path), entry);
      }
      default:
        return refuseEntry(
          packError(PackIssueCode.ARCHIVE_UNSUPPORTED_ENTRY, `Entry ${shown} has the unsupported type ${entry.type}.`, checked.path),
          entry,
        );
    }
  };

  const parser = new Parser({ strict: false, zstd: false, maxMetaEntrySize: MAX_META_ENTRY_BYTES, onReadEntry: onEntry });
  // tar drops entry types it does not know (sparse files, volume labels) without an 'entry' event.
  parser.on('ignoredEntry', (entry: ReadEntry) => {
    if (stopIssue || !confirmFraming(entry)) return;
    const message = entry.meta
      ? 'An extended header is larger than any real pack needs.'
      : `Entry ${JSON.stringify(entry.path)} has the unsupported type ${entry.type}.`;
    issues.push(packError(entry.meta ? PackIssueCode.ARCHIVE_CORRUPT : PackIssueCode.ARCHIVE_UNSUPPORTED_ENTRY, message));
  });
  parser.on('eof', () => {
    parserSawEnd = true;
  });
  parser.on('warn', (_code: string, message: string) => {
    stop(packError(PackIssueCode.ARCHIVE_CORRUPT, `The archive is not a readable tar: ${message}.`));
  });
  parser.on('error', (error: Error) => {
    stop(packError(PackIssueCode.ARCHIVE_CORRUPT, `The archive is not a readable tar: ${error.message}.`));
  });
  const parserEnded = new Promise<void>((resolve) => parser.once('end', resolve));

  let head = Buffer.alloc(0);
  const compressedCounter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      stats.compressedBytes += chunk.length;
      if (stats.compressedBytes > limits.maxArchiveBytes) {
        return callback(halt(packError(PackIssueCode.ARCHIVE_TOO_LARGE, `The archive is larger than ${formatBytes(limits.maxArchiveBytes)}.`)));
      }
      if (head.length < GZIP_MAGIC.length) {
        head = Buffer.concat([head, chunk]);
        if (head.length >= GZIP_MAGIC.length && !startsWith(head, GZIP_MAGIC)) return callback(halt(notGzip()));
      }
      callback(null, chunk);
    },
    flush(callback) {
      callback(head.length < GZIP_MAGIC.length ? halt(notGzip()) : null);
    },
  });

  let sniffed = false;
  let parserClosed = false;
  const feedParser = async (decompressed: AsyncIterable<Buffer>): Promise<void> => {
    for await (const chunk of decompressed) {
      stats.decompressedBytes += chunk.length;
      if (stats.decompressedBytes > limits.maxDecompressedBytes) throw halt(tooLarge(limits));
      if (!sniffed) {
        sniffed = true;
        if (startsWith(chunk, GZIP_MAGIC) || startsWith(chunk, ZSTD_MAGIC)) {
          throw halt(packError(PackIssueCode.ARCHIVE_CORRUPT, 'The archive is compressed twice; push a single gzip tarball.'));
        }
      }
      let archivePart: Buffer;
      try {
        archivePart = framing.take(chunk);
      } catch (error) {
        throw error instanceof TarFramingStop ? halt(error.issue) : error;
      } finally {
        stats.entries = framing.headers;
        stats.parsedBytes = framing.archiveBytes;
        stats.trailingBytes = framing.trailingBytes;
      }
      if (parserClosed) continue; // past the end marker: only the padding check above runs
      const flowing = parser.write(archivePart);
      checkStopped();
      if (framing.ended) {
        parserClosed = true;
        parser.end();
        continue;
      }
      // Only a file being written to a slow disk holds the parser back; it resumes on drain.
      if (!flowing) await once(parser, 'drain', { signal });
      checkStopped();
    }
    if (!parserClosed) parser.end();
    await unlessAborted(parserEnded, signal);
    checkStopped();
    // Both must have framed the archive alike, down to where it ends.
    try {
      framing.assertAllConfirmed();
      if (framing.ended !== parserSawEnd) throw new TarFramingStop(packError(PackIssueCode.ARCHIVE_CORRUPT, 'The end of the tar is ambiguous.'));
    } catch (error) {
      throw error instanceof TarFramingStop ? halt(error.issue) : error;
    }
  };
  const checkStopped = (): void => {
    const failure = handlers.failure?.();
    if (failure) stop(failure);
    if (stopIssue) throw halt();
  };

  try {
    await pipeline(source, compressedCounter, createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES }), feedParser, { signal });
  } catch (error) {
    // A stop recorded before the throw wins: pipeline may surface its own AbortError instead.
    if (!signal?.aborted) stop(describeReadError(error));
  }
  if (signal?.aborted) stop(packError(PackIssueCode.ARCHIVE_CORRUPT, 'Reading the archive was aborted.'));
  if (stopIssue) issues.push(stopIssue);
  return { issues, complete: stopIssue === undefined, files: [...files], directories: [...directories], stats };
}

/** Waits for `work`, or rejects with the signal's reason as soon as it aborts. */
async function unlessAborted(work: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return work;
  signal.throwIfAborted();
  let onAbort: (() => void) | undefined;
  const abortion = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([work, abortion]);
  } finally {
    signal.removeEventListener('abort', onAbort!);
  }
}

function tooLarge(limits: ArchiveLimits): PackIssue {
  return packError(PackIssueCode.ARCHIVE_TOO_LARGE, `The archive unpacks to more than ${formatBytes(limits.maxDecompressedBytes)}.`);
}

function notGzip(): PackIssue {
  return packError(PackIssueCode.ARCHIVE_NOT_GZIP, 'The archive is not gzip-compressed: push a .tar.gz of the pack folder.');
}

function describeReadError(error: unknown): PackIssue {
  if (error instanceof StopReading) {
    return error.issue ?? packError(PackIssueCode.ARCHIVE_CORRUPT, 'Reading the archive stopped.');
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'Z_BUF_ERROR') return packError(PackIssueCode.ARCHIVE_CORRUPT, 'The archive is truncated: the gzip stream ends early.');
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return packError(PackIssueCode.ARCHIVE_CORRUPT, `The gzip data is corrupt (${(error as Error).message}).`);
  }
  // File-system messages carry server paths: only the error code goes out.
  return packError(PackIssueCode.PACK_UNREADABLE, `The archive could not be read (${code ?? 'I/O error'}).`);
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3 && bytes % 1024 ** 3 === 0) return `${bytes / 1024 ** 3} GiB`;
  if (bytes >= 1024 ** 2 && bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** Opens a file for scanning, refusing it up front when its size alone breaks the limit. */
export async function openArchive(archivePath: string, limits: ArchiveLimits): Promise<{ stream: Readable } | { issue: PackIssue }> {
  try {
    const info = await stat(archivePath);
    if (!info.isFile()) return { issue: packError(PackIssueCode.PACK_UNREADABLE, 'The archive is not a regular file.') };
    if (info.size > limits.maxArchiveBytes) {
      return { issue: packError(PackIssueCode.ARCHIVE_TOO_LARGE, `The archive is larger than ${formatBytes(limits.maxArchiveBytes)}.`) };
    }
  } catch (error) {
    return { issue: describeReadError(error) };
  }
  return { stream: createReadStream(archivePath) };
}
