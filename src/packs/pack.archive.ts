/**
 * The one pack archive reader: every archive the service or packctl opens (pushPack, OCI manifest
 * pushes, syncs, Helm chart extraction, `packctl pack pull`/`push`) is read here, under one
 * {@link ArchiveLimits} object.
 *
 * Reading policy: the limits are counted on the bytes actually read (gzip bytes, bytes gunzip
 * produced, headers met, bytes of each kept file), never on what a header claims; the tar stream
 * is framed block by block and the tar parser sees nothing past the end-of-archive marker; after
 * it, up to 64 KiB of zero padding is accepted (a tar record) and anything else, or more, is
 * refused as `ARCHIVE_TRAILING_DATA` as soon as it is seen, so a small gzip of a pack followed by
 * hundreds of megabytes of zeros costs at most ~64 KiB of extra inflating. A caller's AbortSignal
 * stops a read at once (the request went away, the service is stopping).
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { PackIssueCode, hasErrors, packError } from './pack.issues.js';
import { openArchive, walkArchive } from './archive.walker.js';
import type { PackIssue } from './pack.types.js';

// The path rule and the tarball writer live beside the reader; callers know them from here.
export { checkArchivePath } from './archive.walker.js';
export { createPackTarball, type CreatedTarball } from './pack.tarball.js';

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

// How many capped small files one scan may hold in memory at once (pack.json, values, README...).
const KEPT_FILES_BUDGET = 8;

/** The default limits with the given ones laid over them. */
export function resolveLimits(limits: Partial<ArchiveLimits> = {}): ArchiveLimits {
  const merged = { ...DEFAULT_ARCHIVE_LIMITS };
  for (const key of Object.keys(merged) as Array<keyof ArchiveLimits>) {
    const value = limits[key];
    if (value !== undefined) merged[key] = value;
  }
  return merged;
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
  let stopped = false;
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
              // Once the read stopped we destroy the open streams ourselves; a chunk still in the
              // pipe then fails with ERR_STREAM_DESTROYED, which is our doing, not an I/O failure.
              if (!stopped) fail(error);
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
  if (!walked.complete || failure) {
    stopped = true;
    for (const output of openStreams) output.destroy();
  }
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
