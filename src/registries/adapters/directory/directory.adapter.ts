/**
 * DIRECTORY: a tree of pack folders on local disk, laid out like spectrocloud/pack-central
 * (`<endpoint>/packs/<name>-<version>/`) or as a plain folder of pack folders. Each folder holding a
 * pack.json is one pack version; its name and version come from pack.json (folder names lie:
 * `crossplane-1.16` holds 1.16.0). The marker is a content hash of the folder, so a copied tree
 * with new mtimes is still "unchanged", and an edit of any file is a change.
 */
import { createHash } from 'node:crypto';
import { createReadStream, type Dirent } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UpstreamError } from '../../../errors.js';
import { createPackTarball } from '../../../packs/pack.archive.js';
import type { AdapterOptions, AdapterRegistry, FetchedPack, ListingProblem, RegistryAdapter, UpstreamItem, UpstreamListing } from '../adapter.js';
import { errorMessage, inWorkDir, mapConcurrent } from '../support.js';

export interface DirectoryPackRef {
  /** Absolute path of the pack folder. */
  folder: string;
}

const MAX_PACK_JSON_BYTES = 1024 * 1024;
const MAX_FILES_PER_PACK = 10_000;
const SKIPPED_NAMES = new Set(['.git', '.DS_Store']);

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
    const folders = children
      .filter((child) => child.isDirectory() && !child.name.startsWith('.'))
      .map((child) => child.name)
      .sort();
    const problems: ListingProblem[] = [];
    const found = await mapConcurrent(folders, this.options.listConcurrency ?? 8, async (folder) => {
      if (signal.aborted) throw signal.reason;
      const absolute = path.join(packsRoot, folder);
      const identity = await readIdentity(absolute);
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

  async fetch(item: UpstreamItem<DirectoryPackRef>, signal: AbortSignal): Promise<FetchedPack> {
    const folder = item.ref!.folder;
    if (signal.aborted) throw signal.reason;
    return inWorkDir(this.options.tmpDir, `${item.name}-${item.version}`, async (dir) => {
      const out = path.join(dir, `${path.basename(folder)}.tar.gz`);
      await createPackTarball(folder, out);
      return out;
    });
  }

  /** `<root>/packs` when it exists (pack-central's layout), else the root itself. */
  private async packsRoot(): Promise<string> {
    const info = await stat(this.root).catch((error: NodeJS.ErrnoException) => {
      throw new UpstreamError(`The folder ${this.root} is not readable (${error.code ?? 'I/O error'}).`);
    });
    if (!info.isDirectory()) throw new UpstreamError(`${this.root} is not a folder.`);
    const nested = path.join(this.root, 'packs');
    const packs = await stat(nested).catch(() => null);
    return packs?.isDirectory() ? nested : this.root;
  }
}

/** Name and version from a folder's pack.json; `none` when the folder holds no pack.json at all. */
async function readIdentity(folder: string): Promise<{ name: string; version: string } | { problem: string } | 'none'> {
  let text: string;
  try {
    const handle = await open(path.join(folder, 'pack.json'), 'r');
    try {
      const info = await handle.stat();
      if (!info.isFile()) return { problem: 'pack.json is not a regular file.' };
      if (info.size > MAX_PACK_JSON_BYTES) return { problem: 'pack.json is larger than 1 MiB.' };
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'none';
    return { problem: `pack.json could not be read (${code ?? 'I/O error'}).` };
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { problem: `pack.json is not valid JSON (${(error as Error).message}).` };
  }
  const record = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  if (typeof record.name !== 'string' || record.name.trim() === '') return { problem: 'pack.json has no name.' };
  if (typeof record.version !== 'string' || record.version.trim() === '') return { problem: 'pack.json has no version.' };
  return { name: record.name, version: record.version };
}

/**
 * `sha256:` over the sorted (relative path, size, content sha256) of every file in the folder;
 * links are followed only inside the folder, like the pack reader does.
 */
export async function hashFolder(folder: string): Promise<string> {
  const files: string[] = [];
  // Links and special files are never opened (a link to /dev/zero would never end); their names count.
  const others: string[] = [];
  const walk = async (absolute: string, relative: string) => {
    const children = await readdir(absolute, { withFileTypes: true });
    for (const child of children) {
      if (SKIPPED_NAMES.has(child.name)) continue;
      const childRelative = relative ? `${relative}/${child.name}` : child.name;
      if (child.isDirectory()) await walk(path.join(absolute, child.name), childRelative);
      else if (child.isFile()) files.push(childRelative);
      else others.push(childRelative);
      if (files.length + others.length > MAX_FILES_PER_PACK) throw new UpstreamError(`The folder holds more than ${MAX_FILES_PER_PACK} files.`);
    }
  };
  await walk(folder, '');
  files.sort();
  const outer = createHash('sha256');
  for (const file of files) {
    const inner = createHash('sha256');
    let size = 0;
    for await (const chunk of createReadStream(path.join(folder, file))) {
      inner.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    outer.update(`${file}\0${size}\0${inner.digest('hex')}\n`);
  }
  for (const other of others.sort()) outer.update(`${other}\0special\n`);
  return `sha256:${outer.digest('hex')}`;
}
