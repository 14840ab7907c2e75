/** `packctl pack push`: check a pack locally with the server's reader, then upload it to a HOSTED registry. */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { sha256File } from '../../../platform/hashing.js';
import { DomainError } from '../../../errors.js';
import { CliError, UsageError } from '../../errors.js';
import { graphql } from '../../generated/gql.js';
import type { PushPackMutation } from '../../generated/graphql.js';
import { formatBytes, formatIssues, shortDigest } from '../../output.js';
import { createTransferProgress } from '../../progress.js';
import { connect, resolveWriteRegistry } from '../../session.js';
import { examples } from '../examples.js';
import { toCliIssue } from './issues.js';
import { readPrivateKey, signVersion } from '../../pack-signing.js';
import { registryClientOf } from './sign.js';

const PUSH_PACK = graphql(`
  mutation PushPack($registry: String!, $archive: Upload!, $force: Boolean, $message: String, $digest: String, $size: Int) {
    pushPack(registry: $registry, archive: $archive, force: $force, message: $message, digest: $digest, size: $size) {
      version
      digest
      size
      tags
      pack {
        name
      }
      registry {
        name
      }
    }
  }
`);

const EXISTING_VERSION = graphql(`
  query ExistingVersion($name: String!, $version: String!, $registry: String) {
    packVersion(name: $name, version: $version, registry: $registry) {
      version
      digest
    }
  }
`);

export function registerPackPush(pack: Command): void {
  pack
    .command('push')
    .description(
      'Check a pack folder (or its .tar.gz) with the server\'s pack reader, then upload it to a HOSTED registry; ' +
        'nothing is uploaded when the registry already holds the same digest.',
    )
    .argument('<path>', 'a pack folder (NAME-VERSION/ with pack.json and values.yaml) or a .tar.gz of one')
    .option('--registry <name>', 'the HOSTED registry (default: the only HOSTED registry)')
    .option('--force', 'overwrite a published version that has a different digest (needs --message)')
    .option('-m, --message <text>', 'why a forced push overwrites a version')
    .option('--sign', 'sign the version with --key before pushing it (a registry that requires signatures checks it on push)')
    .option('--key <file>', 'with --sign: the private key (from `packctl key generate`)')
    .option('--passphrase-file <file>', 'with --sign: the file holding the key\'s passphrase')
    .addHelpText(
      'after',
      examples(`  $ packctl pack push ./crossplane-2.1.3 --registry team
  $ packctl pack push crossplane-2.1.3.tar.gz
  $ packctl pack push ./crossplane-2.1.3 --force -m "fix values.yaml typo"`),
    )
    .action(async (target: string, options: { registry?: string; force?: boolean; message?: string; sign?: boolean; key?: string; passphraseFile?: string }, command: Command) => {
      if (options.force && !options.message?.trim()) throw new UsageError('--force overwrites a published version: say why with --message.');
      if (options.sign && !options.key) throw new UsageError('--sign needs --key <private key file>.');
      const signingKey = options.sign ? await readPrivateKey(options.key!, options.passphraseFile) : undefined;
      const session = await connect(command);
      const { client, out } = session;
      const work = await mkdtemp(path.join(tmpdir(), 'packctl-push-'));
      try {
        const built = await archiveOf(target, work);
        // The server's own pack reader (loaded only for the commands that need it): one rule set.
        const { readPackArchive } = await import('../../../packs/pack.reader.js');
        const read = await readPackArchive(built.path);
        if (!read.ok) {
          const errors = read.issues.filter((issue) => issue.severity === 'error').length;
          throw new CliError(`${target} is not a valid pack: ${errors} error(s) found locally; nothing was uploaded.`, {
            issues: read.issues.map(toCliIssue),
          });
        }
        if (read.issues.length > 0 && !out.json) process.stderr.write(`${formatIssues(read.issues.map(toCliIssue))}\n`);
        const { name, version } = read.pack.manifest;
        const registry = await resolveWriteRegistry(client, options.registry);
        const base = { registry, name, version, digest: built.digest, size: built.size, warnings: read.issues.map(toCliIssue) };

        const { packVersion: existing } = await client.request(EXISTING_VERSION, { name, version, registry });
        if (existing && existing.version === version) {
          if (existing.digest === built.digest) {
            out.result({ status: 'unchanged', ...base }, () => `${name}:${version} unchanged (same digest ${shortDigest(built.digest)}) in registry ${registry}; nothing uploaded.`);
            return;
          }
          if (!options.force) {
            throw new CliError(`${name}:${version} is already in registry ${registry} with a different digest (${shortDigest(existing.digest)}).`, {
              code: 'CONFLICT',
              hint: 'Publish a new version, or overwrite this one with --force --message "why".',
            });
          }
        }

        // The signature goes first: it may precede its subject, and a REQUIRE registry checks it when the version lands.
        if (signingKey) {
          await signVersion(registryClientOf(session), { registry, pack: name, version, digest: built.digest, size: built.size }, signingKey);
          out.note(`signed ${name}:${version} (${shortDigest(built.digest)})`);
        }
        const progress = createTransferProgress({ verb: 'pushing', label: built.label, total: built.size, enabled: !out.json || process.stderr.isTTY });
        let pushed: PushPackMutation['pushPack'];
        try {
          ({ pushPack: pushed } = await client.upload(
            PUSH_PACK,
            // The digest and size computed above are declared: the service then stores the bytes as they arrive.
            { registry, archive: null, force: options.force ?? null, message: options.message?.trim() || null, ...declaredArchive(built) },
            { variable: 'variables.archive', path: built.path, filename: built.label },
            (sent) => progress.update(sent),
          ));
          progress.finish();
        } catch (error) {
          progress.abort();
          throw error;
        }
        out.result({ status: existing ? 'overwritten' : 'pushed', ...base, digest: pushed.digest, tags: pushed.tags }, () =>
          `${existing ? 'overwrote' : 'pushed'} ${pushed.pack.name}:${pushed.version} to registry ${pushed.registry.name} (${shortDigest(pushed.digest)}, ${formatBytes(built.size)})`,
        );
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    });
}

/** GraphQL's Int is 32-bit: an archive past 2 GiB goes undeclared (the service then spools it, as for any undeclared push). */
function declaredArchive(built: { digest: string; size: number }): { digest: string | null; size: number | null } {
  return built.size <= 2 ** 31 - 1 ? { digest: built.digest, size: built.size } : { digest: null, size: null };
}

/** The tarball to push: built from a folder (deterministically, so digests compare) or the archive as given. */
async function archiveOf(target: string, work: string): Promise<{ path: string; label: string; digest: string; size: number }> {
  const info = await stat(target).catch(() => null);
  if (!info) throw new CliError(`${target} does not exist.`);
  if (info.isDirectory()) {
    const label = `${path.basename(path.resolve(target))}.tar.gz`;
    const { createPackTarball } = await import('../../../packs/pack.archive.js');
    try {
      const created = await createPackTarball(target, path.join(work, label));
      return { path: created.path, label, digest: `sha256:${created.sha256}`, size: created.size };
    } catch (error) {
      if (error instanceof DomainError) throw new CliError(error.message);
      throw new CliError(`Could not pack ${target} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
    }
  }
  if (!info.isFile()) throw new CliError(`${target} is neither a folder nor a file.`);
  return { path: path.resolve(target), label: path.basename(target), ...(await sha256File(target)) };
}
