/**
 * Reading a DIRECTORY registry's folder without trusting what is in it. Anyone who can write there
 * could otherwise make the service follow a link out of the folder (`pack.json -> /etc/passwd`, then
 * quoted in a sync error) or open a FIFO, which blocks the opening thread forever: libuv has four,
 * and /readyz, downloads and pushes all wait behind them.
 *
 * So: only regular files are opened, with `O_NOFOLLOW | O_NONBLOCK` (a link fails to open, a FIFO
 * opens at once instead of waiting for a writer), and the open descriptor is checked with fstat
 * (what was opened is what is read: no window between a check and the open). Folders are walked
 * by their own entry types, never through links; links and special files are reported by name.
 * No message here quotes a byte of a file.
 */
import { constants, type Dirent, type Stats } from 'node:fs';
import { lstat, open, readdir, realpath, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { UpstreamError } from '../../../errors.js';

const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
/** Names a pack folder may hold by accident that are never read nor published (as createPackTarball does). */
export const SKIPPED_NAMES = new Set(['.git', '.DS_Store']);

/** What a file system entry is, for messages: `a symbolic link`, `a FIFO`... */
export function describeEntry(entry: Pick<Stats, 'isFile' | 'isDirectory' | 'isSymbolicLink' | 'isFIFO' | 'isSocket' | 'isBlockDevice' | 'isCharacterDevice'>): string {
  if (entry.isSymbolicLink()) return 'a symbolic link';
  if (entry.isFIFO()) return 'a FIFO';
  if (entry.isSocket()) return 'a socket';
  if (entry.isBlockDevice() || entry.isCharacterDevice()) return 'a device';
  if (entry.isDirectory()) return 'a folder';
  return entry.isFile() ? 'a regular file' : 'a special file';
}

/** A file that is not a regular file (or could not be opened); the message names `label` and its kind only. */
export class UnreadableFileError extends UpstreamError {
  constructor(
    readonly label: string,
    readonly reason: string,
  ) {
    super(`${label} is ${reason}; only regular files inside the registry's folder are read.`);
  }
}

/**
 * Opens `file` for reading if, and only if, it is a regular file reached without a link. The
 * caller closes the handle. ENOENT is rethrown as it is (callers treat "absent" apart).
 */
export async function openRegularFile(file: string, label: string): Promise<{ handle: FileHandle; stats: Stats }> {
  // lstat first so that devices are never opened at all (opening one can have effects); fstat below is the real check.
  const seen = await lstat(file);
  if (!seen.isFile()) throw new UnreadableFileError(label, describeEntry(seen));
  let handle: FileHandle;
  try {
    handle = await open(file, OPEN_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw error;
    // ELOOP: it became a link since the lstat.
    throw new UnreadableFileError(label, code === 'ELOOP' ? 'a symbolic link' : `unreadable (${code ?? 'I/O error'})`);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new UnreadableFileError(label, describeEntry(stats));
    return { handle, stats };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** The whole of a small regular file as text, or an UnreadableFileError / UpstreamError; ENOENT rethrown. */
export async function readSmallRegularFile(file: string, label: string, maxBytes: number): Promise<string> {
  const { handle, stats } = await openRegularFile(file, label);
  try {
    if (stats.size > maxBytes) throw new UpstreamError(`${label} is larger than ${maxBytes} bytes.`);
    const buffer = Buffer.alloc(stats.size + 1);
    let length = 0;
    // Read one byte past the size fstat gave: a file growing meanwhile is caught, not truncated silently.
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > stats.size) throw new UpstreamError(`${label} changed while it was read.`);
    }
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    await handle.close();
  }
}

export interface FolderListing {
  /** Folders, relative with `/`, parents before children. */
  folders: string[];
  /** Regular files, relative with `/`, sorted. */
  files: string[];
  /** Links and special files: never opened, reported by name. */
  refused: Array<{ path: string; kind: string }>;
}

/** Every entry under `folder`, by entry type (links are not followed). */
export async function listFolder(folder: string, maxEntries: number): Promise<FolderListing> {
  const listing: FolderListing = { folders: [], files: [], refused: [] };
  const walk = async (absolute: string, relative: string) => {
    const children: Dirent[] = await readdir(absolute, { withFileTypes: true });
    children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const child of children) {
      if (SKIPPED_NAMES.has(child.name)) continue;
      const childRelative = relative ? `${relative}/${child.name}` : child.name;
      if (child.isDirectory()) {
        listing.folders.push(childRelative);
        await walk(path.join(absolute, child.name), childRelative);
      } else if (child.isFile()) listing.files.push(childRelative);
      else listing.refused.push({ path: childRelative, kind: describeEntry(child) });
      if (listing.files.length + listing.refused.length + listing.folders.length > maxEntries) {
        throw new UpstreamError(`The folder holds more than ${maxEntries} entries.`);
      }
    }
  };
  await walk(folder, '');
  listing.files.sort();
  return listing;
}

/** One sentence naming (a bounded number of) links and special files, never their targets. */
export function describeRefused(refused: FolderListing['refused']): string {
  const shown = refused.slice(0, 10).map((entry) => `${entry.path.slice(0, 200)} (${entry.kind})`);
  const more = refused.length > shown.length ? ` and ${refused.length - shown.length} more` : '';
  return `The pack folder holds links or special files, which packs may not contain: ${shown.join(', ')}${more}.`;
}

/**
 * Checks that `folder` is a real folder directly inside `parentReal` (a resolved path): not a link,
 * and not reached through one (a parent swapped for a link since the listing).
 */
export async function assertFolderInside(parentReal: string, folder: string, label: string): Promise<void> {
  const seen = await lstat(folder).catch((error: NodeJS.ErrnoException) => {
    throw new UpstreamError(`${label} could not be read (${error.code ?? 'I/O error'}).`);
  });
  if (!seen.isDirectory()) throw new UnreadableFileError(label, describeEntry(seen));
  const real = await realpath(folder);
  if (real !== path.join(parentReal, path.basename(folder))) {
    throw new UpstreamError(`${label} resolves outside the registry's folder; links are not followed.`);
  }
}
