/** `packctl key generate`: signing keys for `pack sign` and `pack push --sign` (docs/signatures.md). */
import { generateKeyPairSync } from 'node:crypto';
import { open, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { CliError } from '../../errors.js';
import { readPassphrase } from '../../pack-signing.js';
import { outputOf } from '../../session.js';
import { examples } from '../examples.js';

export function registerKeyCommands(program: Command): void {
  const key = program
    .command('key')
    .description('Signing keys for packs (ECDSA P-256 or Ed25519, cosign-compatible PEM).')
    .addHelpText('after', examples(`  $ packctl key generate ./release --passphrase-file ./passphrase.txt`));
  key
    .command('generate')
    .description('Write a key pair: PREFIX.key (the private key, encrypted with the passphrase, mode 0600) and PREFIX.pub (give it to setTrustPolicy).')
    .argument('<prefix>', 'path and file name without extension, e.g. ./release')
    .requiredOption('--passphrase-file <file>', 'a file whose first line (8 characters or more) encrypts the private key')
    .addOption(new Option('--algorithm <name>', 'key type').choices(['ecdsa-p256', 'ed25519']).default('ecdsa-p256'))
    .addHelpText('after', examples(`  $ packctl key generate ./release --passphrase-file ./passphrase.txt
  $ packctl key generate ./ops --algorithm ed25519 --passphrase-file ./passphrase.txt`))
    .action(async (prefix: string, options: { passphraseFile: string; algorithm: 'ecdsa-p256' | 'ed25519' }, command: Command) => {
      const out = outputOf(command);
      const passphrase = await readPassphrase(options.passphraseFile);
      const pair = options.algorithm === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }).toString();
      const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
      const keyFile = path.resolve(`${prefix}.key`);
      const pubFile = path.resolve(`${prefix}.pub`);
      // Created 0600 and never overwritten: a private key is not replaced by accident.
      const handle = await open(keyFile, 'wx', 0o600).catch((error: NodeJS.ErrnoException) => {
        throw new CliError(error.code === 'EEXIST' ? `${keyFile} exists; choose another prefix.` : `Cannot create ${keyFile} (${error.code}).`);
      });
      try {
        await handle.writeFile(privatePem);
      } finally {
        await handle.close();
      }
      await writeFile(pubFile, publicPem, { mode: 0o644 });
      out.result({ privateKey: keyFile, publicKey: pubFile, algorithm: options.algorithm }, () => `wrote ${keyFile} (private, encrypted, 0600) and ${pubFile}`);
    });
}
