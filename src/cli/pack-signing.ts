/**
 * packctl's signing and verification of pack versions, in the layout of docs/signatures.md: the
 * signature (cosign simple signing, one layer) is pushed as an OCI referrer of the version's
 * canonical manifest, by digest and to cosign's `sha256-<hex>.sig` tag.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { packManifest, OCI_MANIFEST_TYPE } from '../packs/pack.oci-manifest.js';
import {
  COSIGN_SIGNATURE_ANNOTATION,
  KEY_HINT_ANNOTATION,
  SIMPLE_SIGNING_TYPE,
  keyHintOf,
  parsePublicKey,
  signPayload,
  signatureConfig,
  signatureManifest,
  simpleSigningPayload,
  verifySignatureLayer,
  type SignatureCheck,
} from '../packs/pack.signature.js';
import { digestOf } from '../platform/hashing.js';
import { CliError, UsageError } from './errors.js';
import { RegistryClient } from './registry-client.js';

export interface SignedVersion {
  registry: string;
  pack: string;
  version: string;
  /** The pack tarball's digest and size. */
  digest: string;
  size: number;
}

/** The private key of `packctl key generate` (PKCS#8 PEM, encrypted) or any unencrypted P-256/Ed25519 PEM key. */
export async function readPrivateKey(file: string, passphraseFile: string | undefined): Promise<KeyObject> {
  const pem = await readFile(file, 'utf8').catch(() => {
    throw new UsageError(`Cannot read the key file ${file}.`);
  });
  const passphrase = passphraseFile ? await readPassphrase(passphraseFile) : undefined;
  try {
    const key = createPrivateKey(passphrase === undefined ? { key: pem, format: 'pem' } : { key: pem, format: 'pem', passphrase });
    if (!parsePublicKey(createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString())) {
      throw new UsageError(`${file} is not an ECDSA P-256 or Ed25519 key.`);
    }
    return key;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(passphrase === undefined ? `${file} is encrypted or not a PEM private key: give --passphrase-file.` : `Cannot decrypt ${file}: wrong passphrase?`);
  }
}

export async function readPassphrase(file: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => {
    throw new UsageError(`Cannot read the passphrase file ${file}.`);
  });
  // One line, as `echo secret > file` writes it.
  const passphrase = text.replace(/\r?\n$/, '');
  if (passphrase.length < 8) throw new UsageError('A key passphrase has at least 8 characters.');
  return passphrase;
}

/** Signs a version's canonical manifest and pushes the signature (blobs, then the manifest by digest and to its .sig tag). */
export async function signVersion(client: RegistryClient, version: SignedVersion, key: KeyObject): Promise<{ subject: string; signature: string }> {
  const repo = RegistryClient.repository(version.registry, version.pack);
  const subject = packManifest({ name: version.pack, version: version.version, digest: version.digest, size: version.size });
  const payload = simpleSigningPayload(repo, subject.digest);
  const annotations = { [COSIGN_SIGNATURE_ANNOTATION]: signPayload(payload, key), [KEY_HINT_ANNOTATION]: keyHintOf(createPublicKey(key)) };
  const config = signatureConfig([digestOf(payload)]);
  const manifest = signatureManifest({ digest: subject.digest, size: subject.bytes.length, mediaType: OCI_MANIFEST_TYPE }, config, [{ payload, annotations }]);
  await client.uploadBlob(repo, payload);
  await client.uploadBlob(repo, config);
  const digest = digestOf(manifest);
  await client.putManifest(repo, digest, manifest, OCI_MANIFEST_TYPE);
  // cosign looks here on registries without the referrers API.
  await client.putManifest(repo, `${subject.digest.replace(':', '-')}.sig`, manifest, OCI_MANIFEST_TYPE);
  return { subject: subject.digest, signature: digest };
}

/**
 * Checks a version's signatures with a local public key: the served manifest must be the version's
 * canonical one (so it names these tarball bytes), and one signature over it must verify.
 */
export async function verifyVersion(client: RegistryClient, version: SignedVersion, publicKeyPem: string, keyName: string): Promise<SignatureCheck> {
  if (!parsePublicKey(publicKeyPem)) throw new UsageError('The public key is not a PEM ECDSA P-256 or Ed25519 key.');
  const repo = RegistryClient.repository(version.registry, version.pack);
  const expected = packManifest({ name: version.pack, version: version.version, digest: version.digest, size: version.size });
  const served = await client.manifest(repo, expected.digest);
  if (!served || served.digest !== expected.digest) {
    throw new CliError(`The registry does not serve ${version.pack}:${version.version}'s manifest ${expected.digest}.`, { code: 'DIGEST_MISMATCH' });
  }
  const failures: SignatureCheck[] = [];
  for (const referrer of await client.referrers(repo, expected.digest)) {
    const manifest = await client.manifest(repo, referrer.digest);
    if (!manifest) continue;
    const doc = JSON.parse(manifest.bytes.toString('utf8')) as { layers?: Array<{ mediaType?: string; digest: string; annotations?: Record<string, string> }> };
    for (const layer of doc.layers ?? []) {
      if (layer.mediaType !== SIMPLE_SIGNING_TYPE) continue;
      const payload = await client.blob(repo, layer.digest);
      const check = verifySignatureLayer({ payload, digest: layer.digest, annotations: layer.annotations ?? {} }, expected.digest, [{ name: keyName, publicKeyPem }]);
      if (check.ok) return check;
      failures.push(check);
    }
  }
  return failures[0] ?? { ok: false, code: 'SIGNATURE_MISSING', message: `${version.pack}:${version.version} has no signature.` };
}
