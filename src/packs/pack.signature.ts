/**
 * Pack signatures in cosign's layout (docs/signatures.md), pure: the simple-signing payload, the
 * signature manifest (one layer per signature, the signature in the layer's
 * `dev.cosignproject.cosign/signature` annotation), signing, and verification against named
 * public keys (ECDSA P-256 with SHA-256, DER signatures; Ed25519), with node:crypto only. Shared by
 * the service (pushes, syncs, the API) and packctl (sign, verify).
 */
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { digestOf } from '../platform/hashing.js';

export const SIMPLE_SIGNING_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
export const COSIGN_SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
/** Ours, optional: the sha256 of the signer's public key (SPKI DER), so a failed check can say "tampered" rather than "unknown key". */
export const KEY_HINT_ANNOTATION = 'dev.packcatalog.signature/key';
/** cosign's artifactType for signatures stored as OCI 1.1 referrers. */
export const COSIGN_SIGNATURE_ARTIFACT_TYPE = 'application/vnd.dev.cosign.artifact.sig.v1+json';
export const IMAGE_CONFIG_TYPE = 'application/vnd.oci.image.config.v1+json';
const SIMPLE_SIGNING_KIND = 'cosign container image signature';

export type SignatureAlgorithm = 'ECDSA_P256_SHA256' | 'ED25519';

/** Why a signature was not accepted: one code per cause. */
export type SignatureFailureCode =
  | 'SIGNATURE_MALFORMED'
  | 'SIGNATURE_DIGEST_MISMATCH'
  | 'SIGNATURE_TAMPERED'
  | 'SIGNATURE_UNKNOWN_KEY'
  | 'SIGNATURE_MISSING';

export interface TrustedKey {
  name: string;
  publicKeyPem: string;
}

export type SignatureCheck =
  | { ok: true; keyName: string; algorithm: SignatureAlgorithm; signedDigest: string }
  | { ok: false; code: SignatureFailureCode; message: string };

/** One signature as stored: the payload's bytes and the layer that carried them. */
export interface SignatureLayer {
  payload: Buffer;
  /** The layer descriptor's digest, which the payload must hash to. */
  digest: string;
  annotations: Record<string, string>;
}

/** The algorithm of a public key, or null when it is not one we verify. */
export function algorithmOf(key: KeyObject): SignatureAlgorithm | null {
  if (key.asymmetricKeyType === 'ed25519') return 'ED25519';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ECDSA_P256_SHA256';
  return null;
}

/** Parses a PEM public key we can verify with; null when it is not PEM, or not P-256 or Ed25519. */
export function parsePublicKey(pem: string): { key: KeyObject; algorithm: SignatureAlgorithm } | null {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    return null;
  }
  const algorithm = algorithmOf(key);
  return algorithm ? { key, algorithm } : null;
}

/** The key hint of a public key: sha256 of its SPKI DER. */
export function keyHintOf(key: KeyObject): string {
  return digestOf(key.export({ type: 'spki', format: 'der' }));
}

/** cosign's simple-signing payload naming the signed manifest digest. */
export function simpleSigningPayload(dockerReference: string, manifestDigest: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      critical: { identity: { 'docker-reference': dockerReference }, image: { 'docker-manifest-digest': manifestDigest }, type: SIMPLE_SIGNING_KIND },
      optional: null,
    }),
  );
}

/** Signs a payload as cosign does: ECDSA P-256 over SHA-256 (DER), or Ed25519 over the bytes; base64. */
export function signPayload(payload: Buffer, privateKey: KeyObject): string {
  const algorithm = algorithmOf(createPublicKey(privateKey));
  if (!algorithm) throw new RangeError('Only ECDSA P-256 and Ed25519 keys sign packs.');
  return sign(algorithm === 'ED25519' ? null : 'sha256', payload, privateKey).toString('base64');
}

/** The digest a simple-signing payload signs, or null when it is not one. */
export function signedDigestOf(payload: Buffer): string | null {
  try {
    const doc = JSON.parse(payload.toString('utf8')) as { critical?: { image?: { 'docker-manifest-digest'?: unknown }; type?: unknown } };
    const digest = doc?.critical?.image?.['docker-manifest-digest'];
    return typeof digest === 'string' && /^sha256:[a-f0-9]{64}$/.test(digest) ? digest : null;
  } catch {
    return null;
  }
}

/**
 * Checks one signature layer of a manifest `subject` against `keys`. In order: a payload that does
 * not hash to its descriptor is tampered; a missing or non-base64 annotation, or a payload that is no
 * simple-signing JSON, is malformed; a payload naming another digest is a signature over another
 * manifest; then the trusted keys are tried: with our key hint, a trusted hinted key that fails means
 * tampered bytes, a hint no trusted key has means an unknown key; without one (plain cosign), a
 * signature no key verifies is from an unknown key.
 */
export function verifySignatureLayer(layer: SignatureLayer, subject: string, keys: TrustedKey[]): SignatureCheck {
  if (digestOf(layer.payload) !== layer.digest) {
    return { ok: false, code: 'SIGNATURE_TAMPERED', message: `The signed payload does not hash to its descriptor's ${layer.digest}.` };
  }
  const encoded = layer.annotations[COSIGN_SIGNATURE_ANNOTATION];
  if (typeof encoded !== 'string' || encoded === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) {
    return { ok: false, code: 'SIGNATURE_MALFORMED', message: `The layer has no base64 ${COSIGN_SIGNATURE_ANNOTATION} annotation.` };
  }
  const signedDigest = signedDigestOf(layer.payload);
  if (!signedDigest) {
    return { ok: false, code: 'SIGNATURE_MALFORMED', message: 'The payload is not a simple-signing document naming critical.image.docker-manifest-digest.' };
  }
  if (signedDigest !== subject) {
    return { ok: false, code: 'SIGNATURE_DIGEST_MISMATCH', message: `The signature is over ${signedDigest}, not ${subject}.` };
  }
  const signature = Buffer.from(encoded, 'base64');
  const hint = layer.annotations[KEY_HINT_ANNOTATION];
  let hinted: TrustedKey | undefined;
  for (const trusted of keys) {
    const parsed = parsePublicKey(trusted.publicKeyPem);
    if (!parsed) continue;
    const isHinted = hint !== undefined && keyHintOf(parsed.key) === hint;
    if (isHinted) hinted = trusted;
    if (hint !== undefined && !isHinted) continue;
    let valid = false;
    try {
      valid = verify(parsed.algorithm === 'ED25519' ? null : 'sha256', layer.payload, parsed.key, signature);
    } catch {
      valid = false; // a signature of the wrong shape for this key is simply not this key's
    }
    if (valid) return { ok: true, keyName: trusted.name, algorithm: parsed.algorithm, signedDigest };
  }
  if (hinted) {
    return { ok: false, code: 'SIGNATURE_TAMPERED', message: `The payload is not what key "${hinted.name}" signed.` };
  }
  return { ok: false, code: 'SIGNATURE_UNKNOWN_KEY', message: 'No trusted key made this signature.' };
}

/** The config blob of a signature manifest: cosign's empty image config naming the payload layers. */
export function signatureConfig(payloadDigests: string[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      architecture: '',
      created: '0001-01-01T00:00:00Z',
      history: [{ created: '0001-01-01T00:00:00Z' }],
      os: '',
      rootfs: { type: 'layers', diff_ids: payloadDigests },
      config: {},
    }),
  );
}

/** A signature manifest in cosign's layout, with `subject` so it is a referrer of the signed manifest. */
export function signatureManifest(
  subject: { digest: string; size: number; mediaType: string },
  config: Buffer,
  layers: Array<{ payload: Buffer; annotations: Record<string, string> }>,
): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: COSIGN_SIGNATURE_ARTIFACT_TYPE,
      config: { mediaType: IMAGE_CONFIG_TYPE, digest: digestOf(config), size: config.length },
      layers: layers.map((l) => ({ mediaType: SIMPLE_SIGNING_TYPE, digest: digestOf(l.payload), size: l.payload.length, annotations: l.annotations })),
      subject,
    }),
  );
}
