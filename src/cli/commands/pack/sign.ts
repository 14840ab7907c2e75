/** `packctl pack sign` and `packctl pack verify`: signatures of published versions (docs/signatures.md). */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CliError, UsageError } from '../../errors.js';
import { graphql } from '../../generated/gql.js';
import { shortDigest } from '../../output.js';
import { readPrivateKey, signVersion, verifyVersion, type SignedVersion } from '../../pack-signing.js';
import { parsePackRef, versionQueryOf } from '../../refs.js';
import { RegistryClient } from '../../registry-client.js';
import { connect, type Session } from '../../session.js';
import { examples } from '../examples.js';
import { versionNotFound } from './version-not-found.js';

const SIGNED_VERSION = graphql(`
  query SignedVersion($name: String!, $version: String!, $registry: String) {
    packVersion(name: $name, version: $version, registry: $registry) {
      version
      digest
      size
      pack {
        name
      }
      registry {
        name
      }
      signatures {
        keyName
        algorithm
        verified
        failure
        signedAt
      }
    }
  }
`);

/** The version a ref names, with what signing needs. */
async function findVersion(session: Session, refText: string, registry: string | undefined) {
  const ref = parsePackRef(refText);
  const { packVersion: found } = await session.client.request(SIGNED_VERSION, { name: ref.name, version: versionQueryOf(ref), registry: registry ?? null });
  if (!found) throw await versionNotFound(session.client, ref.name, versionQueryOf(ref), refText, registry);
  const version: SignedVersion = { registry: found.registry.name, pack: found.pack.name, version: found.version, digest: found.digest, size: found.size ?? 0 };
  return { found, version };
}

export function registryClientOf(session: Session): RegistryClient {
  return new RegistryClient({ url: session.server.url, token: session.server.token, insecure: session.server.insecure });
}

export function registerPackSign(pack: Command): void {
  pack
    .command('sign')
    .description('Sign a published version with a private key: the signature is pushed next to it as an OCI referrer (cosign layout).')
    .argument('<ref>', 'NAME:VERSION (or a tag)')
    .requiredOption('--key <file>', 'the private key (from `packctl key generate`)')
    .option('--passphrase-file <file>', 'the file holding the key\'s passphrase')
    .option('--registry <name>', 'the registry holding the version')
    .addHelpText('after', examples(`  $ packctl pack sign crossplane:2.1.3 --key ./release.key --passphrase-file ./passphrase.txt --registry team`))
    .action(async (refText: string, options: { key: string; passphraseFile?: string; registry?: string }, command: Command) => {
      const key = await readPrivateKey(options.key, options.passphraseFile);
      const session = await connect(command);
      const { version } = await findVersion(session, refText, options.registry);
      const signed = await signVersion(registryClientOf(session), version, key);
      session.out.result({ ...version, subject: signed.subject, signature: signed.signature }, () =>
        `signed ${version.pack}:${version.version} in registry ${version.registry} (manifest ${shortDigest(signed.subject)}, signature ${shortDigest(signed.signature)})`,
      );
    });
}

export function registerPackVerify(pack: Command): void {
  pack
    .command('verify')
    .description('Check a version\'s signatures: with --key, locally against that public key; without, as the server checks them against its registry\'s trust policy.')
    .argument('<ref>', 'NAME:VERSION (or a tag)')
    .option('--key <file>', 'a PEM public key to verify with, here')
    .option('--registry <name>', 'the registry holding the version')
    .addHelpText('after', examples(`  $ packctl pack verify crossplane:2.1.3 --key ./release.pub
  $ packctl pack verify crossplane:2.1.3 --registry team`))
    .action(async (refText: string, options: { key?: string; registry?: string }, command: Command) => {
      const session = await connect(command);
      const { found, version } = await findVersion(session, refText, options.registry);
      const label = `${version.pack}:${version.version}`;
      if (options.key) {
        const pem = await readFile(options.key, 'utf8').catch(() => {
          throw new UsageError(`Cannot read the public key ${options.key}.`);
        });
        const check = await verifyVersion(registryClientOf(session), version, pem, options.key);
        if (!check.ok) throw new CliError(`${label} is not signed by ${options.key}: ${check.message}`, { code: check.code });
        session.out.result({ ...version, verified: true, algorithm: check.algorithm }, () => `${label}: verified with ${options.key} (${check.algorithm})`);
        return;
      }
      const verified = found.signatures.filter((s) => s.verified);
      if (verified.length === 0) {
        const failure = found.signatures.find((s) => s.failure)?.failure ?? 'SIGNATURE_MISSING';
        throw new CliError(`${label} has no signature from a key registry ${version.registry} trusts (${failure}).`, { code: failure });
      }
      session.out.result({ ...version, signatures: found.signatures }, () => `${label}: verified, signed by ${verified.map((s) => s.keyName).join(', ')}`);
    });
}

/**
 * Refuses a downloaded version without a valid signature, before anything is extracted: with a key
 * file, checked here over the canonical manifest naming exactly the downloaded digest; without,
 * as the server checks it against the registry's trust policy.
 */
export async function requireSignature(session: Session, version: SignedVersion, keyFile: string | undefined): Promise<string> {
  const label = `${version.pack}:${version.version}`;
  if (keyFile) {
    const pem = await readFile(keyFile, 'utf8').catch(() => {
      throw new UsageError(`Cannot read the public key ${keyFile}.`);
    });
    const check = await verifyVersion(registryClientOf(session), version, pem, keyFile);
    if (!check.ok) throw new CliError(`${label} is not signed by ${keyFile}: ${check.message} Nothing was written.`, { code: check.code });
    return keyFile;
  }
  const { found } = await findVersion(session, `${version.pack}:${version.version}`, version.registry);
  if (found.digest !== version.digest) throw new CliError(`${label} now has digest ${found.digest}, not the downloaded ${version.digest}.`, { code: 'DIGEST_MISMATCH' });
  const verified = found.signatures.filter((s) => s.verified);
  if (verified.length === 0) {
    const failure = found.signatures.find((s) => s.failure)?.failure ?? 'SIGNATURE_MISSING';
    throw new CliError(`${label} has no signature from a key registry ${version.registry} trusts (${failure}); nothing was written.`, { code: failure });
  }
  return verified.map((s) => s.keyName).join(', ');
}
