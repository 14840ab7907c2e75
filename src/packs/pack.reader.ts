import type { Dirent } from 'node:fs';
import { lstat, readFile, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { resolveLimits, scanArchive, type ArchiveLimits, type ArchiveScan } from './pack.archive.js';
import { PackIssueCode, packError, packWarning } from './pack.issues.js';
import { findPackRoot } from './pack.root.js';
import type { PackIssue, PackReadResult } from './pack.types.js';
import { isPackMetadataFile, validatePackContents, type PackSource, type PackValidationOptions } from './pack.validate.js';

export interface PackReadOptions extends PackValidationOptions {
  limits?: Partial<ArchiveLimits>;
  /** Stops reading an archive at once; the read then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Read and validate a pack tarball (`.tar.gz`) without extracting it. The pack may sit in one
 * top folder (`NAME-VERSION/pack.json`, what `tar -czf x.tgz NAME-VERSION` gives) or at the
 * archive root. Returns `ok: false` with every problem found (hostile entries, limits crossed,
 * bad pack.json/values/presets/schema, missing chart or manifest files), or `ok: true` with the
 * parsed pack and its warnings. Throws only the reason of an aborted `signal`.
 */
export async function readPackArchive(archivePath: string, options: PackReadOptions = {}): Promise<PackReadResult> {
  return packFromScan(await scanArchive(archivePath, { limits: options.limits, keep: isMetadataCandidate, signal: options.signal }), options);
}

/** {@link readPackArchive} over a stream (an upload), which it consumes. */
export async function readPackArchiveStream(source: Readable, options: PackReadOptions = {}): Promise<PackReadResult> {
  return packFromScan(await scanArchive(source, { limits: options.limits, keep: isMetadataCandidate, signal: options.signal }), options);
}

// The pack root is not known until the whole archive is listed, so metadata at depth one or two is kept.
function isMetadataCandidate(filePath: string): boolean {
  const segments = filePath.split('/');
  return segments.length <= 2 && isPackMetadataFile(segments[segments.length - 1]);
}

function packFromScan(scan: ArchiveScan, options: PackValidationOptions): PackReadResult {
  // After a stop (limit, corrupt data) the listing is partial: judging the pack on it would mislead.
  if (!scan.complete) return { ok: false, issues: scan.issues };
  const root = findPackRoot(scan.files);
  const issues = [...scan.issues, ...root.issues];
  if (root.prefix === null) return { ok: false, issues };

  const prefix = root.prefix;
  const files: string[] = [];
  const outside: string[] = [];
  for (const file of scan.files) {
    if (file.startsWith(prefix)) files.push(file.slice(prefix.length));
    else outside.push(file);
  }
  if (outside.length > 0) {
    const shown = outside.slice(0, 5).join(', ') + (outside.length > 5 ? `, and ${outside.length - 5} more` : '');
    issues.push(packWarning(PackIssueCode.ARCHIVE_EXTRA_FILES, `Files outside the pack folder are ignored: ${shown}.`));
  }
  const content = new Map<string, Buffer>();
  const oversized = new Set<string>();
  for (const file of files) {
    if (file.includes('/')) continue;
    const bytes = scan.kept.get(prefix + file);
    if (bytes) content.set(file, bytes);
    if (scan.oversized.has(prefix + file)) oversized.add(file);
  }
  const result = validatePackContents({ files, content, oversized, rootFolder: prefix === '' ? null : prefix.slice(0, -1) }, options);
  return mergeIssues(result, issues);
}

function mergeIssues(result: PackReadResult, before: PackIssue[]): PackReadResult {
  if (before.length === 0) return result;
  const issues = [...before, ...result.issues];
  if (!result.ok || issues.some((issue) => issue.severity === 'error')) return { ok: false, issues };
  return { ok: true, pack: result.pack, issues };
}

/**
 * Read and validate a pack folder on disk (the built-in default registry, DIRECTORY registries)
 * with the same rules as {@link readPackArchive}. Symbolic links are followed only when they
 * resolve inside the folder; others, and FIFOs, sockets and devices, are errors and never opened.
 * Only root-level metadata files are read, each after a size check. Never throws.
 */
export async function readPackDirectory(dir: string, options: PackReadOptions = {}): Promise<PackReadResult> {
  const limits = resolveLimits(options.limits);
  let root: string;
  try {
    root = await realpath(dir);
    if (!(await stat(root)).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'I/O error';
    return { ok: false, issues: [packError(PackIssueCode.PACK_UNREADABLE, `The pack folder could not be read (${code}).`)] };
  }
  const walk = new DirectoryWalk(root, limits);
  await walk.visit(root, '');
  if (walk.stopped) return { ok: false, issues: walk.issues };
  const source: PackSource = { files: walk.files, content: walk.content, oversized: walk.oversized, rootFolder: null };
  return mergeIssues(validatePackContents(source, options), walk.issues);
}

class DirectoryWalk {
  readonly files: string[] = [];
  readonly content = new Map<string, Buffer>();
  readonly oversized = new Set<string>();
  readonly issues: PackIssue[] = [];
  stopped = false;
  private entries = 0;
  private readonly visitedDirectories = new Set<string>();

  constructor(
    private readonly root: string,
    private readonly limits: ArchiveLimits,
  ) {}

  async visit(absolute: string, relative: string): Promise<void> {
    // A link back to a folder already walked would loop forever.
    if (this.visitedDirectories.has(absolute)) return;
    this.visitedDirectories.add(absolute);
    let children: Dirent[];
    try {
      children = await readdir(absolute, { withFileTypes: true });
    } catch (error) {
      return this.fail(error, relative);
    }
    children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const child of children) {
      if (this.stopped) return;
      if (++this.entries > this.limits.maxEntries) {
        this.stopped = true;
        this.issues.push(packError(PackIssueCode.ARCHIVE_TOO_MANY_ENTRIES, `The pack folder holds more than ${this.limits.maxEntries} entries.`));
        return;
      }
      await this.visitEntry(path.join(absolute, child.name), relative === '' ? child.name : `${relative}/${child.name}`);
    }
  }

  private async visitEntry(absolute: string, relative: string): Promise<void> {
    let target = absolute;
    let info;
    try {
      info = await lstat(absolute);
      if (info.isSymbolicLink()) {
        target = await realpath(absolute).catch(() => '');
        if (target === '' || !this.isInside(target)) {
          this.issues.push(packError(PackIssueCode.ARCHIVE_LINK, `"${relative}" is a link that points outside the pack folder (or nowhere).`, relative));
          return;
        }
        info = await stat(target);
      }
    } catch (error) {
      return this.fail(error, relative);
    }
    if (info.isDirectory()) return this.visit(target, relative);
    if (!info.isFile()) {
      this.issues.push(packError(PackIssueCode.ARCHIVE_DEVICE, `"${relative}" is not a regular file or folder.`, relative));
      return;
    }
    this.files.push(relative);
    if (relative.includes('/') || !isPackMetadataFile(relative)) return;
    if (info.size > this.limits.maxFileBytes) {
      this.oversized.add(relative);
      return;
    }
    try {
      this.content.set(relative, await readFile(target));
    } catch (error) {
      this.fail(error, relative);
    }
  }

  private isInside(target: string): boolean {
    return target === this.root || target.startsWith(this.root + path.sep);
  }

  private fail(error: unknown, relative: string): void {
    const code = (error as NodeJS.ErrnoException).code ?? 'I/O error';
    this.issues.push(packError(PackIssueCode.PACK_UNREADABLE, `"${relative || '.'}" could not be read (${code}).`, relative || undefined));
  }
}
