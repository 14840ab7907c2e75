/** cosign-layout signatures, pure: keys made with node:crypto, one distinct code per refusal. */
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  COSIGN_SIGNATURE_ANNOTATION,
  KEY_HINT_ANNOTATION,
  keyHintOf,
  parsePublicKey,
  signPayload,
  simpleSigningPayload,
  verifySignatureLayer,
  type SignatureLayer,
} from '../../../src/packs/pack.signature.js';

const sha256 = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const SUBJECT = sha256('subject manifest');
const OTHER = sha256('another manifest');

function keyPair(kind: 'ec' | 'ed25519'): { privateKey: KeyObject; publicKey: KeyObject; pem: string } {
  const pair = kind === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  return { ...pair, pem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

function layerFor(payload: Buffer, privateKey: KeyObject, extra: Record<string, string> = {}): SignatureLayer {
  return { payload, digest: sha256(payload), annotations: { [COSIGN_SIGNATURE_ANNOTATION]: signPayload(payload, privateKey), ...extra } };
}

describe('cosign signature verification', () => {
  it.each([['ec', 'ECDSA_P256_SHA256'], ['ed25519', 'ED25519']] as const)('accepts a %s signature from a trusted key', (kind, algorithm) => {
    const signer = keyPair(kind);
    const other = keyPair('ec');
    const layer = layerFor(simpleSigningPayload('reg/spectro-packs/archive/demo', SUBJECT), signer.privateKey);
    const result = verifySignatureLayer(layer, SUBJECT, [{ name: 'other', publicKeyPem: other.pem }, { name: 'release', publicKeyPem: signer.pem }]);
    expect(result).toEqual({ ok: true, keyName: 'release', algorithm, signedDigest: SUBJECT });
  });

  it('refuses a tampered payload (re-uploaded under its new digest) with SIGNATURE_TAMPERED when the key is hinted', () => {
    const signer = keyPair('ec');
    const original = simpleSigningPayload('reg/x', SUBJECT);
    const signed = layerFor(original, signer.privateKey, { [KEY_HINT_ANNOTATION]: keyHintOf(signer.publicKey) });
    const edited = Buffer.from(original.toString().replace('reg/x', 'reg/y'));
    const result = verifySignatureLayer({ ...signed, payload: edited, digest: sha256(edited) }, SUBJECT, [{ name: 'k', publicKeyPem: signer.pem }]);
    expect(result).toMatchObject({ ok: false, code: 'SIGNATURE_TAMPERED' });
  });

  it('refuses payload bytes that do not hash to their descriptor with SIGNATURE_TAMPERED', () => {
    const signer = keyPair('ed25519');
    const layer = layerFor(simpleSigningPayload('reg/x', SUBJECT), signer.privateKey);
    const result = verifySignatureLayer({ ...layer, payload: Buffer.concat([layer.payload, Buffer.from(' ')]) }, SUBJECT, [{ name: 'k', publicKeyPem: signer.pem }]);
    expect(result).toMatchObject({ ok: false, code: 'SIGNATURE_TAMPERED' });
  });

  it('refuses a signature over another digest with SIGNATURE_DIGEST_MISMATCH', () => {
    const signer = keyPair('ec');
    const layer = layerFor(simpleSigningPayload('reg/x', OTHER), signer.privateKey);
    expect(verifySignatureLayer(layer, SUBJECT, [{ name: 'k', publicKeyPem: signer.pem }])).toMatchObject({ ok: false, code: 'SIGNATURE_DIGEST_MISMATCH' });
  });

  it('refuses a signature from an untrusted key with SIGNATURE_UNKNOWN_KEY, hinted or not', () => {
    const signer = keyPair('ec');
    const trusted = keyPair('ed25519');
    const payload = simpleSigningPayload('reg/x', SUBJECT);
    const keys = [{ name: 'trusted', publicKeyPem: trusted.pem }];
    expect(verifySignatureLayer(layerFor(payload, signer.privateKey), SUBJECT, keys)).toMatchObject({ ok: false, code: 'SIGNATURE_UNKNOWN_KEY' });
    const hinted = layerFor(payload, signer.privateKey, { [KEY_HINT_ANNOTATION]: keyHintOf(signer.publicKey) });
    expect(verifySignatureLayer(hinted, SUBJECT, keys)).toMatchObject({ ok: false, code: 'SIGNATURE_UNKNOWN_KEY' });
  });

  it('refuses a missing, non-base64 annotation or a payload that is not simple-signing with SIGNATURE_MALFORMED', () => {
    const signer = keyPair('ec');
    const keys = [{ name: 'k', publicKeyPem: signer.pem }];
    const payload = simpleSigningPayload('reg/x', SUBJECT);
    expect(verifySignatureLayer({ payload, digest: sha256(payload), annotations: {} }, SUBJECT, keys)).toMatchObject({ code: 'SIGNATURE_MALFORMED' });
    expect(verifySignatureLayer({ payload, digest: sha256(payload), annotations: { [COSIGN_SIGNATURE_ANNOTATION]: 'not base64!' } }, SUBJECT, keys)).toMatchObject({
      code: 'SIGNATURE_MALFORMED',
    });
    const notJson = Buffer.from('{"critical":{}}');
    expect(verifySignatureLayer(layerFor(notJson, signer.privateKey), SUBJECT, keys)).toMatchObject({ code: 'SIGNATURE_MALFORMED' });
  });

  it('parses only P-256 and Ed25519 PEM public keys', () => {
    expect(parsePublicKey(keyPair('ec').pem)?.algorithm).toBe('ECDSA_P256_SHA256');
    expect(parsePublicKey(keyPair('ed25519').pem)?.algorithm).toBe('ED25519');
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(parsePublicKey(p384)).toBeNull();
    expect(parsePublicKey('not a key')).toBeNull();
  });
});
