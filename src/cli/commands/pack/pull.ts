/** `packctl pack pull`: download a version, verify its digest, extract it safely into a folder. */
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { findPackRoot } from '../../../packs/pack.root.js';
import { CliError } from '../../errors.js';
import { graphql } from '../../generated/gql.js';
import { formatBytes, shortDigest } from '../../output.js';
import { createTransferProgress } from '../../progress.js';
import { parsePackRef, versionQueryOf } from '../../refs.js';
import { connect } from '../../session.js';
import { examples } from '../examples.js';
import { toCliIssue } from './issues.js';
import { versionNotFound } from './version-not-found.js';
import { requireSignature } from './sign.js';

const PULL_VERSION = graphql(`
  query PullVersion($name: String!, $version: String!, $registry: String) {
    packVersion(name: $name, version: $version, registry: $registry) {
      version
      digest
      size
      downloadUrl
      pack {
        name
      }
      registry {
        name
      }
    }
  }
`);

export function registerPackPull(pack: Command): void {
  pack
    .command('pull')
    .description('Download a pack version, verify its sha256 digest and extract it safely into DIR (the pack\'s files at DIR\'s root).')
    .argument('<ref>', 'NAME, NAME:VERSION, NAME:TAG (lts__1.29.4, 1.29.x) or NAME@sha256:DIGEST; NAME alone means latest')
    .argument('<dir>', 'an empty (or new) folder')
    .option('--registry <name>', 'pull from this registry (default: the highest-priority registry holding the pack)')
    .option('--archive-only', 'keep the verified NAME-VERSION.tar.gz in DIR instead of extracting it')
    .option('--force', 'write into a folder that is not empty (files of the pack replace existing ones)')
    .option('--verify', 'refuse the version, before writing anything, without a valid signature (docs/signatures.md)')
    .option('--key <file>', 'with --verify: the PEM public key the signature must be from (default: the registry\'s trust policy)')
    .addHelpText(
      'after',
      examples(`  $ packctl pack pull crossplane:2.1.3 ./crossplane
  $ packctl pack pull kubernetes:1.31.x ./k8s --registry default
  $ packctl pack pull crossplane@sha256:4f2c...e9 ./crossplane --archive-only`),
    )
    .action(async (refText: string, dir: string, options: { registry?: string; archiveOnly?: boolean; force?: boolean; verify?: boolean; key?: string }, command: Command) => {
      const ref = parsePackRef(refText);
      const dest = path.resolve(dir);
      // Before anything is asked or downloaded: a folder that can't take the pack fails at once.
      const destExists = await checkDestination(dest, dir, options.force ?? false);
      const session = await connect(command);
      const { client, out } = session;
      const { packVersion: found } = await client.request(PULL_VERSION, {
        name: ref.name,
        version: versionQueryOf(ref),
        registry: options.registry ?? null,
      });
      if (!found) throw await versionNotFound(client, ref.name, versionQueryOf(ref), refText, options.registry);
      if (ref.digest && found.digest !== ref.digest) {
        throw new CliError(`The server answered ${refText} with digest ${found.digest}.`, { code: 'DIGEST_MISMATCH' });
      }
      if (!found.downloadUrl) throw new CliError(`${ref.name}:${found.version} has no download URL.`);

      if (!destExists) await mkdir(dest, { recursive: true });
      // Staged inside DEST: same file system, so the final moves are renames, and nothing half-written is left at DEST's root.
      const staging = await mkdtemp(path.join(dest, '.packctl-pull-'));
      try {
        const archivePath = path.join(staging, 'pack.tar.gz');
        const label = `${found.pack.name}-${found.version}.tar.gz`;
        const progress = createTransferProgress({
          verb: 'pulling',
          label,
          total: found.size ?? undefined,
          enabled: !out.json || process.stderr.isTTY,
        });
        let downloaded;
        try {
          downloaded = await client.download(found.downloadUrl, archivePath, (received) => progress.update(received));
          progress.finish();
        } catch (error) {
          progress.abort();
          throw error;
        }
        if (downloaded.digest !== found.digest) {
          throw new CliError(`The download's digest ${downloaded.digest} is not the published ${found.digest}; nothing was written.`, {
            code: 'DIGEST_MISMATCH',
          });
        }
        if (options.verify) {
          const signer = await requireSignature(
            session,
            { registry: found.registry.name, pack: found.pack.name, version: found.version, digest: downloaded.digest, size: downloaded.size },
            options.key,
          );
          out.note(`${found.pack.name}:${found.version}: signature verified (${signer})`);
        }
        let files: string[];
        if (options.archiveOnly) {
          await replaceEntry(archivePath, path.join(dest, label));
          files = [label];
        } else {
          files = await extractInto(archivePath, staging, dest);
        }
        const result = {
          name: found.pack.name,
          version: found.version,
          registry: found.registry.name,
          digest: found.digest,
          size: downloaded.size,
          dir: dest,
          files,
        };
        out.result(result, () =>
          `pulled ${result.name}:${result.version} from registry ${result.registry} (${shortDigest(result.digest)}, ${formatBytes(result.size)}) ` +
          `into ${dir} (${options.archiveOnly ? label : `${files.length} files`})`,
        );
      } finally {
        await rm(staging, { recursive: true, force: true });
      }
    });
}

/**
 * DEST must be a folder that is empty or absent, unless `force`: resolves with whether it exists.
 * Each refusal has its code, for scripts.
 */
async function checkDestination(dest: string, shown: string, force: boolean): Promise<boolean> {
  let entries: string[];
  try {
    entries = await readdir(dest);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return false;
    if (code === 'ENOTDIR') throw new CliError(`${shown} is a file, not a folder; pull into an empty (or new) folder.`, { code: 'DIR_IS_FILE' });
    throw new CliError(`Could not read ${shown} (${code ?? 'I/O error'}).`, { code: 'DIR_UNREADABLE' });
  }
  if (entries.length > 0 && !force) {
    throw new CliError(`${shown} is not empty; pull into an empty (or new) folder, or pass --force to write into it.`, { code: 'DIR_NOT_EMPTY' });
  }
  return true;
}

/**
 * Extract the archive (with the server's reader rules: no links, no escaping paths, bounded size)
 * into the staging folder, then move the pack's files (found where the server's reader finds the
 * pack: at the archive's root or in its NAME-VERSION/ folder) to DEST's root. Returns the files,
 * relative to DEST.
 */
async function extractInto(archivePath: string, staging: string, dest: string): Promise<string[]> {
  const extractDir = path.join(staging, 'x');
  await mkdir(extractDir);
  const { extractPackArchive } = await import('../../../packs/pack.archive.js');
  const extracted = await extractPackArchive(archivePath, extractDir);
  if (!extracted.ok) {
    throw new CliError('The downloaded archive was refused by the pack reader; nothing was written.', { issues: extracted.issues.map(toCliIssue) });
  }
  // A published archive holds one pack (the server read it with the same rule); failing that, take it whole.
  const prefix = findPackRoot(extracted.files).prefix ?? '';
  const root = prefix ? path.join(extractDir, prefix.slice(0, -1)) : extractDir;
  for (const entry of await readdir(root)) await replaceEntry(path.join(root, entry), path.join(dest, entry));
  return extracted.files.filter((file) => file.startsWith(prefix)).map((file) => file.slice(prefix.length)).sort();
}

/** Move `from` to `to`, replacing whatever is there (DEST was checked empty, or --force was given). */
async function replaceEntry(from: string, to: string): Promise<void> {
  await rm(to, { recursive: true, force: true });
  await rename(from, to);
}
