/**
 * Writing pack tarballs (`packctl push` of a folder, the default registry's seed, converted Helm
 * charts): deterministic bytes, so the same folder always gives the same digest.
 */
import { lstat, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { create as createTar } from 'tar';
import { InvalidInputError } from '../errors.js';
import { hexOfDigest, sha256File } from '../platform/hashing.js';

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
  const { digest, size } = await sha256File(output);
  return { path: output, size, sha256: hexOfDigest(digest) };
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
