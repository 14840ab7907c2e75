/**
 * DATA_DIR is the service's private folder: the embedded database, the local artifact store, upload
 * spools, the generated secret key and the bootstrap admin token all live in it. Only the service's
 * own user may read or enter it: the folder is 0700 and everything in it 0600 (folders 0700).
 *
 * The 0700 folder is the barrier that matters (no other user can open anything under it, whatever
 * a file's own mode); the file modes are the second line, for the day someone loosens the folder.
 */
import { chmod, lstat, mkdir, opendir, stat } from 'node:fs/promises';
import path from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
/** The process umask that makes every file and folder the service creates private to its user. */
export const PRIVATE_UMASK = 0o077;

/** DATA_DIR can't be made private (a shared folder such as /tmp, or owned by another user). */
export class DataDirError extends Error {
  readonly code = 'DATA_DIR_UNSAFE';
  constructor(message: string) {
    super(message);
    this.name = 'DataDirError';
  }
}

function ownedByUs(uid: number): boolean {
  const me = process.getuid?.();
  // Root may chmod anything; elsewhere (Windows) there are no POSIX modes to set.
  return me === undefined || me === 0 || me === uid;
}

const octal = (mode: number) => `0${(mode & 0o7777).toString(8)}`;

/**
 * Creates DATA_DIR with mode 0700, or tightens an existing one the service owns to 0700 (and its
 * contents to 0600/0700: data written by an older version, or by a start without the umask).
 * Refuses a world-writable or sticky folder (such as /tmp): chmod 0700 on it would break every
 * other user of it, and anything inside could have been planted by someone else.
 */
export async function prepareDataDir(dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const info = await stat(dataDir);
  if (!info.isDirectory()) throw new DataDirError(`DATA_DIR ${dataDir} is not a folder.`);
  if (info.mode & 0o1002) {
    throw new DataDirError(
      `DATA_DIR ${dataDir} is a shared folder (mode ${octal(info.mode)}, writable by every user): give the service a folder of its own, e.g. ${path.join(dataDir, 'pack-catalog')}.`,
    );
  }
  if ((info.mode & 0o777) !== PRIVATE_DIR_MODE) {
    if (!ownedByUs(info.uid)) {
      throw new DataDirError(
        `DATA_DIR ${dataDir} belongs to uid ${info.uid} and is open to other users (mode ${octal(info.mode)}); the service (uid ${process.getuid?.()}) can't make it private: chown it to the service's user or chmod it 0700.`,
      );
    }
    await chmod(dataDir, PRIVATE_DIR_MODE);
  }
  await makeTreePrivate(dataDir);
}

/**
 * Sets every folder under `root` to 0700 and every other entry (files, sockets) to 0600. Symbolic
 * links are never followed (a link inside must not make the service chmod something outside); an
 * entry removed meanwhile is skipped.
 */
export async function makeTreePrivate(root: string): Promise<void> {
  let dir;
  try {
    dir = await opendir(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for await (const entry of dir) {
    const full = path.join(root, entry.name);
    let info;
    try {
      info = await lstat(full);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    if (info.isSymbolicLink() || !ownedByUs(info.uid)) continue;
    const wanted = info.isDirectory() ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE;
    if ((info.mode & 0o7777) !== wanted) {
      await chmod(full, wanted).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    }
    if (info.isDirectory()) await makeTreePrivate(full);
  }
}

/**
 * Makes every file and folder this process creates from now on private to its user (umask 077),
 * so spools, temporary files and objects written anywhere in the code are 0600 without each writer
 * remembering it. Called by main.ts for the service's own process; a library caller (tests, benches)
 * keeps its umask, and the explicit modes and the tightening in `prepareDataDir` still apply.
 */
export function restrictNewFilesToOwner(): void {
  process.umask(PRIVATE_UMASK);
}
