/**
 * DIRECTORY: a tree of pack folders on local disk, laid out like spectrocloud/pack-central
 * (`<endpoint>/packs/<name>-<version>/`) or as a plain folder of pack folders. Each folder holding a
 * pack.json is one pack version; its name and version come from pack.json (folder names lie:
 * `crossplane-1.16` holds 1.16.0). The marker is a content hash of the folder, so a copied tree
 * with new mtimes is still "unchanged", and an edit of any file is a change.
 */
import { createWriteStream, type Dirent } from 'node:fs';
import { chmod, lstat, mkdir, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { UpstreamError } from '../../../errors.js';
import { hexOfDigest, Sha256Hasher, sha256Stream } from '../../../platform/hashing.js';
import { describeJsonSyntaxError } from '../../../packs/parse-errors.js';
import { createPackTarball } from '../../../packs/pack.archive.js';
import type { AdapterOptions, AdapterRegistry, FetchedPack, ListingProblem, RegistryAdapter, UpstreamItem, UpstreamListing } from '../adapter.js';
import { errorMessage, inWorkDir, mapConcurrent } from '../support.js';
import { assertFolderInside, describeRefused, listFolder, openRegularFile, readSmallRegularFile, UnreadableFileError } from './folder-reader.js';

export interface DirectoryPackRef {
  /** Absolute path of the pack folder. */
  folder: string;
}

const MAX_PACK_JSON_BYTES = 1024 * 1024;
const MAX_ENTRIES_PER_PACK = 10_000;

/** The folder a DIRECTORY endpoint names (an absolute path or a file:// URL). */
export function directoryRoot(endpoint: string): string {
  const root = endpoint.startsWith('file://') ? fileURLToPath(endpoint) : endpoint;
  if (!path.isAbsolute(root)) throw new UpstreamError('A DIRECTORY registry\'s endpoint must be an absolute path or a file:// URL.');
  return path.resolve(root);
}

export class DirectoryRegistryAdapter implements RegistryAdapter<DirectoryPackRef> {
  private readonly root: string;

  constructor(
    registry: AdapterRegistry,
    private readonly options: AdapterOptions,
  ) {
    this.root = directoryRoot(registry.endpoint ?? '');
  }

  async list(signal: AbortSignal): Promise<UpstreamListing<DirectoryPackRef>> {
    const packsRoot = await this.packsRoot();
    let children: Dirent[];
    try {
      children = await readdir(packsRoot, { withFileTypes: true });
    } catch (error) {
      throw new UpstreamError(`The folder ${packsRoot} could not be read (${(error as NodeJS.ErrnoException).code ?? 'I/O error'}).`);
    }
    const problems: ListingProblem[] = [];
    const folders: string[] = [];
    for (const child of children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (child.name.startsWith('.')) continue;
      if (child.isDirectory()) folders.push(child.name);
      // A link may look like a pack folder but leads anywhere (outside the registry's folder too): said, never followed.
      else if (child.isSymbolicLink()) problems.push({ item: child.name, message: new UnreadableFileError(child.name, 'a symbolic link').message });
    }
    const found = await mapConcurrent(folders, this.options.listConcurrency ?? 8, async (folder) => {
      if (signal.aborted) throw signal.reason;
      const absolute = path.join(packsRoot, folder);
      const identity = await readIdentity(packsRoot, absolute);
      if (identity === 'none') return null;
      if ('problem' in identity) {
        problems.push({ item: folder, message: identity.problem });
        return null;
      }
      try {
        const marker = await hashFolder(absolute);
        return { name: identity.name, version: identity.version, marker, ref: { folder: absolute } } satisfies UpstreamItem<DirectoryPackRef>;
      } catch (error) {
        problems.push({ item: folder, name: identity.name, version: identity.version, message: errorMessage(error) });
        return null;
      }
    });
    const items: Array<UpstreamItem<DirectoryPackRef>> = [];
    const seen = new Map<string, string>();
    for (const [index, item] of found.entries()) {
      if (!item) continue;
      const key = `${item.name}@${item.version}`;
      const first = seen.get(key);
      if (first) {
        problems.push({ item: folders[index], name: item.name, version: item.version, message: `Same pack version as the folder ${first}; that one is used.` });
        continue;
      }
      seen.set(key, folders[index]);
      items.push(item);
    }
    return { items, problems };
  }

  /**
   * The tarball is built from a copy made with the same safe reads as the listing, never from the
   * folder itself: the archiver opens files by path, and one swapped for a FIFO since the listing
   * would block it for good.
   */
  async fetch(item: UpstreamItem<DirectoryPackRef>, signal: AbortSignal): Promise<FetchedPack> {
    const folder = item.ref!.folder;
    if (signal.aborted) throw signal.reason;
    const label = path.basename(folder);
    // The folder may have been swapped for a link (or its parent) since the listing.
    const packsRoot = await this.packsRoot();
    if (path.dirname(folder) !== packsRoot) throw new UpstreamError(`${label} is no longer inside the registry's folder.`);
    await assertFolderInside(packsRoot, folder, label);
    return inWorkDir(this.options.tmpDir, `${item.name}-${item.version}`, async (dir) => {
      const copy = path.join(dir, 'copy', label);
      await copyPackFolder(folder, copy, signal);
      const out = path.join(dir, `${label}.tar.gz`);
      const tarball = await createPackTarball(copy, out);
      return { archivePath: out, digest: `sha256:${tarball.sha256}`, size: tarball.size };
    });
  }

  /** `<root>/packs` when it is a folder (pack-central's layout; a link named so is not followed), else the root itself. */
  private async packsRoot(): Promise<string> {
    // The root itself is the administrator's choice and may be reached through a link; nothing below it is.
    const root = await realpath(this.root).catch((error: NodeJS.ErrnoException) => {
      throw new UpstreamError(`The folder ${this.root} is not readable (${error.code ?? 'I/O error'}).`);
    });
    const info = await stat(root);
    if (!info.isDirectory()) throw new UpstreamError(`${this.root} is not a folder.`);
    const nested = path.join(root, 'packs');
    const packs = await lstat(nested).catch(() => null);
    return packs?.isDirectory() ? nested : root;
  }
}

/** Name and version from a folder's pack.json; `none` when the folder holds no pack.json at all. */
async function readIdentity(parent: string, folder: string): Promise<{ name: string; version: string } | { problem: string } | 'none'> {
  let text: string;
  try {
    await assertFolderInside(parent, folder, path.basename(folder));
    text = await readSmallRegularFile(path.join(folder, 'pack.json'), 'pack.json', MAX_PACK_JSON_BYTES);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'none';
    if (error instanceof UpstreamError) return { problem: error.message };
    return { problem: `pack.json could not be read (${code ?? 'I/O error'}).` };
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    // Never the parser's own message: it quotes the text.
    return { problem: `pack.json is not valid JSON${describeJsonSyntaxError(text, error)}.` };
  }
  const record = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  if (typeof record.name !== 'string' || record.name.trim() === '') return { problem: 'pack.json has no name.' };
  if (typeof record.version !== 'string' || record.version.trim() === '') return { problem: 'pack.json has no version.' };
  return { name: record.name, version: record.version };
}

/**
 * `sha256:` over the sorted (relative path, size, content sha256) of every regular file in the
 * folder. A folder holding links or special files can't become a pack: an UpstreamError names them.
 */
export async function hashFolder(folder: string): Promise<string> {
  const listing = await listFolder(folder, MAX_ENTRIES_PER_PACK);
  if (listing.refused.length > 0) throw new UpstreamError(describeRefused(listing.refused));
  const outer = new Sha256Hasher();
  for (const file of listing.files) {
    const { handle } = await openRegularFile(path.join(folder, file), file).catch(rethrowReadable(file));
    const content = await sha256Stream(handle.createReadStream({ autoClose: false })).finally(() => handle.close());
    outer.update(`${file}\0${content.size}\0${hexOfDigest(content.digest)}\n`);
  }
  return outer.result().digest;
}

/** Copies the folders and regular files of `from` into `to` (created), with the same safe reads. */
async function copyPackFolder(from: string, to: string, signal: AbortSignal): Promise<void> {
  const listing = await listFolder(from, MAX_ENTRIES_PER_PACK);
  if (listing.refused.length > 0) throw new UpstreamError(describeRefused(listing.refused));
  await mkdir(to, { recursive: true });
  for (const folder of listing.folders) await mkdir(path.join(to, folder), { recursive: true });
  for (const file of listing.files) {
    if (signal.aborted) throw signal.reason;
    const { handle, stats } = await openRegularFile(path.join(from, file), file).catch(rethrowReadable(file));
    const target = path.join(to, file);
    try {
      await pipeline(handle.createReadStream({ autoClose: false }), createWriteStream(target, { flags: 'wx' }), { signal });
    } finally {
      await handle.close();
    }
    // The archive keeps only whether a file is executable.
    await chmod(target, (stats.mode & 0o111) !== 0 ? 0o755 : 0o644);
  }
}

/** A file gone or unreadable since the listing: an UpstreamError naming it by its relative path only. */
function rethrowReadable(label: string): (error: unknown) => never {
  return (error) => {
    if (error instanceof UpstreamError) throw error;
    throw new UpstreamError(`${label} could not be read (${(error as NodeJS.ErrnoException).code ?? 'I/O error'}).`);
  };
}
