import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { lstat, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Parser, create as createTar, type ReadEntry } from 'tar';
import { InvalidInputError } from '../errors.js';
import { PackIssueCode, hasErrors, packError } from './pack.issues.js';
import { TarFraming, TarFramingStop } from './tar.framing.js';
import type { PackIssue } from './pack.types.js';

/** Bounds on what reading one archive may cost. Every limit refuses the archive when crossed. */
export interface ArchiveLimits {
  /** Entries of any kind (files, folders, refused links, extended headers...), counted as read. */
  maxEntries: number;
  /** Bytes gunzip actually produced; reading stops the moment it is crossed (gzip bombs). */
  maxDecompressedBytes: number;
  /** Bytes of the gzip file itself. */
  maxArchiveBytes: number;
  /** Size cap of each small file kept in memory (pack.json, values.yaml, README.md, logo...). */
  maxFileBytes: number;
}

export const DEFAULT_ARCHIVE_LIMITS: Readonly<ArchiveLimits> = Object.freeze({
  maxEntries: 10_000,
  maxDecompressedBytes: 1024 ** 3,
  maxArchiveBytes: 100 * 1024 ** 2,
  maxFileBytes: 5 * 1024 ** 2,
});

/** What one pass over an archive found. */
export interface ArchiveScan {
  /** Problems found; any error means the archive must be refused. */
  issues: PackIssue[];
  /** False when reading stopped early (limit crossed, corrupt data): `files` is then partial. */
  complete: boolean;
  /** Regular files, normalised (`a/b`, no `./`), in archive order, each once. */
  files: string[];
  directories: string[];
  /** Contents of the files the `keep` predicate asked for, when within `maxFileBytes`. */
  kept: Map<string, Buffer>;
  /** Files `keep` asked for that were over `maxFileBytes` (contents dropped). */
  oversized: Set<string>;
  stats: ArchiveStats;
}

/** What reading cost, counted on the bytes actually read. */
export interface ArchiveStats {
  /** Headers of any kind (files, folders, links, extended headers...). */
  entries: number;
  /** Bytes of the gzip file read. */
  compressedBytes: number;
  /** Bytes gunzip produced and the reader consumed (the tar, then any padding after its end). */
  decompressedBytes: number;
  /** Bytes of the tar handed to the tar parser: up to and including the end-of-archive marker. */
  parsedBytes: number;
  /** Bytes read after the end-of-archive marker (zero padding, or reading stopped at the first other byte). */
  trailingBytes: number;
}

export interface ScanOptions {
  limits?: Partial<ArchiveLimits>;
  /** Which regular files to keep in memory (each capped at `maxFileBytes`). */
  keep?: (filePath: string) => boolean;
  /** Stops the read at once (the request went away, the service is stopping): the call then rejects with the signal's reason. */
  signal?: AbortSignal;
}

// Past this many refused entries the archive is plainly hostile; more messages help nobody.
const MAX_ENTRY_ISSUES = 50;
const MAX_PATH_LENGTH = 4096;
// How many capped small files one scan may hold in memory at once (pack.json, values, README...).
const KEPT_FILES_BUDGET = 8;
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

/** The default limits with the given ones laid over them. */
export function resolveLimits(limits: Partial<ArchiveLimits> = {}): ArchiveLimits {
  const merged = { ...DEFAULT_ARCHIVE_LIMITS };
  for (const key of Object.keys(merged) as Array<keyof ArchiveLimits>) {
    const value = limits[key];
    if (value !== undefined) merged[key] = value;
  }
  return merged;
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

interface WalkHandlers {
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
async function walkArchive(
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
    await pipeline(source, compressedCounter, createGunzip(), feedParser, { signal });
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
async function openArchive(archivePath: string, limits: ArchiveLimits): Promise<{ stream: Readable } | { issue: PackIssue }> {
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

function emptyScan(issue: PackIssue): ArchiveScan {
  return {
    issues: [issue],
    complete: false,
    files: [],
    directories: [],
    kept: new Map(),
    oversized: new Set(),
    stats: { entries: 0, compressedBytes: 0, decompressedBytes: 0, parsedBytes: 0, trailingBytes: 0 },
  };
}

/**
 * Read a gzip tarball as a stream without writing anything to disk: vet every entry, list the
 * regular files and keep in memory only the small files `keep` selects (each capped at
 * `maxFileBytes`). Hostile archives (path traversal, links, devices, too many entries, gzip
 * bombs, data after the end of the tar, truncated or non-gzip data) come back as error issues;
 * this throws only the reason of an aborted `signal`.
 * `source` is a file path or a readable stream (an upload), which is consumed.
 */
export async function scanArchive(source: string | Readable, options: ScanOptions = {}): Promise<ArchiveScan> {
  const limits = resolveLimits(options.limits);
  const { signal } = options;
  if (signal?.aborted) {
    if (typeof source !== 'string') source.destroy();
    throw signal.reason;
  }
  let stream: Readable;
  if (typeof source === 'string') {
    const opened = await openArchive(source, limits);
    if ('issue' in opened) return emptyScan(opened.issue);
    stream = opened.stream;
  } else {
    stream = source;
  }
  const keep = options.keep ?? (() => false);
  const kept = new Map<string, Buffer>();
  const oversized = new Set<string>();
  // Many folders each holding a capped pack.json must not add up to gigabytes in memory.
  const keptBudget = KEPT_FILES_BUDGET * limits.maxFileBytes;
  let keptBytes = 0;
  let overBudget: PackIssue | undefined;
  const refuseBudget = (): void => {
    overBudget ??= packError(PackIssueCode.ARCHIVE_TOO_LARGE, 'The archive holds more pack metadata files than one pack needs.');
  };
  const walked = await walkArchive(
    stream,
    limits,
    {
      onFile(filePath, entry) {
        if (!keep(filePath)) {
          entry.resume();
          return;
        }
        // The header's size only refuses early; the bytes received are what the caps count.
        if (entry.size > limits.maxFileBytes || keptBytes + entry.size > keptBudget) {
          if (entry.size > limits.maxFileBytes) {
            oversized.add(filePath);
            kept.delete(filePath);
          } else {
            refuseBudget();
          }
          entry.resume();
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        let dropped = false;
        entry.on('data', (chunk: Buffer) => {
          if (dropped) return;
          size += chunk.length;
          keptBytes += chunk.length;
          if (size > limits.maxFileBytes || keptBytes > keptBudget) {
            dropped = true;
            chunks.length = 0;
            if (size > limits.maxFileBytes) oversized.add(filePath);
            else refuseBudget();
            return;
          }
          chunks.push(chunk);
        });
        entry.on('end', () => {
          if (dropped) return;
          kept.set(filePath, Buffer.concat(chunks));
          oversized.delete(filePath);
        });
      },
      failure: () => overBudget,
    },
    signal,
  );
  signal?.throwIfAborted();
  return { ...walked, kept, oversized };
}

export interface ExtractResult {
  ok: boolean;
  issues: PackIssue[];
  /** Regular files written, relative to `destDir`. */
  files: string[];
}

/**
 * Extract a pack tarball into `destDir` (an empty folder the caller created, typically a temp
 * folder) with the checks of {@link scanArchive}: nothing is ever written outside `destDir`,
 * no link or device is ever created, and file modes are reduced to 0644/0755. When the archive is
 * refused, or `signal` aborts, whatever was already written is removed again; a refusal answers
 * `ok: false`, an abort rejects with the signal's reason. Never throws otherwise.
 */
export async function extractPackArchive(
  archivePath: string,
  destDir: string,
  limits: Partial<ArchiveLimits> = {},
  options: { signal?: AbortSignal } = {},
): Promise<ExtractResult> {
  const { signal } = options;
  signal?.throwIfAborted();
  const resolvedLimits = resolveLimits(limits);
  const root = path.resolve(destDir);
  const opened = await openArchive(archivePath, resolvedLimits);
  if ('issue' in opened) return { ok: false, issues: [opened.issue], files: [] };

  const created = new Set<string>();
  const openStreams = new Set<WriteStream>();
  const writes: Array<Promise<void>> = [];
  let failure: PackIssue | undefined;
  const fail = (error: unknown): void => {
    const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'I/O error';
    failure ??= packError(PackIssueCode.ARCHIVE_EXTRACT_FAILED, `Extracting the archive failed (${code}).`);
  };
  const targetOf = (relative: string): string => {
    const target = path.resolve(root, ...relative.split('/'));
    // checkArchivePath already refused anything that could escape; this guards the guard.
    if (!target.startsWith(root + path.sep)) throw Object.assign(new Error('path escapes destination'), { code: 'EPERM' });
    created.add(relative.split('/')[0]);
    return target;
  };

  const walked = await walkArchive(opened.stream, resolvedLimits, {
    onDirectory(directoryPath) {
      if (failure) return;
      try {
        mkdirSync(targetOf(directoryPath), { recursive: true, mode: 0o755 });
      } catch (error) {
        fail(error);
      }
    },
    onFile(filePath, entry) {
      if (failure) {
        entry.resume();
        return;
      }
      try {
        const target = targetOf(filePath);
        mkdirSync(path.dirname(target), { recursive: true, mode: 0o755 });
        const output = createWriteStream(target, { mode: (entry.mode ?? 0) & 0o111 ? 0o755 : 0o644 });
        openStreams.add(output);
        writes.push(
          new Promise<void>((resolve) => {
            output.on('close', () => {
              openStreams.delete(output);
              resolve();
            });
            output.on('error', (error) => {
              fail(error);
              // Unpiped first: a destroyed stream never drains, and the parser would wait forever.
              entry.unpipe(output);
              entry.resume();
            });
          }),
        );
        entry.pipe(output);
      } catch (error) {
        fail(error);
        entry.resume();
      }
    },
    failure: () => failure,
  }, signal);

  // A stopped read leaves its current file half-piped: such a stream would never close by itself.
  if (!walked.complete || failure) for (const output of openStreams) output.destroy();
  await Promise.all(writes);
  const issues = [...walked.issues];
  if (failure && !issues.includes(failure)) issues.push(failure);
  const ok = walked.complete && !hasErrors(issues);
  if (!ok) {
    await Promise.all([...created].map((top) => rm(path.join(root, top), { recursive: true, force: true })));
    signal?.throwIfAborted();
    return { ok, issues, files: [] };
  }
  return { ok, issues, files: walked.files };
}

export interface CreatedTarball {
  path: string;
  size: number;
  /** Hex SHA-256 of the tarball bytes. */
  sha256: string;
}

// Files a pack folder may hold by accident that must never be published.
const EXCLUDED_NAMES = new Set(['.git', '.DS_Store']);

/**
 * Build the gzip tarball `packctl push` uploads: the folder's contents under one top folder named
 * after the folder (`NAME-VERSION/...`). The bytes depend only on the folder's contents, so the
 * same folder gives the same digest twice: entries in sorted order, mtime 0, no owner names or
 * ids, modes reduced to 0644/0755. `.git` and `.DS_Store` are left out. Throws
 * {@link InvalidInputError} when the folder holds links or special files (a reader would refuse
 * the archive anyway) or is not a folder.
 */
export async function createPackTarball(dir: string, outFile: string): Promise<CreatedTarball> {
  const root = path.resolve(dir);
  const info = await stat(root).catch(() => null);
  if (!info?.isDirectory()) throw new InvalidInputError(`"${dir}" is not a folder.`, { field: 'dir' });
  const output = path.resolve(outFile);
  // A tarball written into the folder it packs would end up inside itself, half-written.
  if (output.startsWith(root + path.sep)) {
    throw new InvalidInputError('Write the tarball outside the pack folder.', { field: 'outFile' });
  }
  const base = path.basename(root);
  const entries: string[] = [base];
  const refused: string[] = [];
  await collectSorted(root, base, entries, refused);
  if (refused.length > 0) {
    throw new InvalidInputError(`The pack folder holds links or special files, which packs may not contain: ${refused.join(', ')}.`, {
      field: 'dir',
    });
  }
  await createTar(
    {
      file: output,
      cwd: path.dirname(root),
      gzip: true,
      portable: true,
      mtime: new Date(0),
      noDirRecurse: true,
      onWriteEntry(entry) {
        // Checkout umasks differ between machines; the archive must not.
        if (entry.stat) {
          const executable = entry.stat.isDirectory() || (entry.stat.mode & 0o111) !== 0;
          entry.stat.mode = (entry.stat.mode & ~0o7777) | (executable ? 0o755 : 0o644);
        }
      },
    },
    entries,
  );
  return { path: output, ...(await digestFile(output)) };
}

async function collectSorted(absolute: string, relative: string, into: string[], refused: string[]): Promise<void> {
  const names = (await readdir(absolute)).filter((name) => !EXCLUDED_NAMES.has(name)).sort(compareCodeUnits);
  for (const name of names) {
    const childAbsolute = path.join(absolute, name);
    const childRelative = `${relative}/${name}`;
    const info = await lstat(childAbsolute);
    if (info.isDirectory()) {
      into.push(childRelative);
      await collectSorted(childAbsolute, childRelative, into, refused);
    } else if (info.isFile()) {
      into.push(childRelative);
    } else {
      refused.push(childRelative);
    }
  }
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function digestFile(file: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
}
