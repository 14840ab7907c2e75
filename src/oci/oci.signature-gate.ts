/**
 * Answers the catalog's signature question (catalog/signature.gate.ts) from the signatures stored as
 * OCI referrers: the cosign-layout manifests referring to the version's canonical manifest (or the
 * manifest an OCI push sent), each simple-signing layer checked against the registry's trusted keys
 * (packs/pack.signature.ts). REQUIRE refuses a version without one valid signature; WARN accepts it
 * with a warning; NONE checks nothing.
 */
import type { ArtifactStore } from '../artifacts/artifact.store.js';
import type { ReferrerStore } from '../catalog/referrer.store.js';
import { SignatureRefusedError, type SignatureGate, type SignatureGateRequest } from '../catalog/signature.gate.js';
import type { PackIssue } from '../packs/pack.types.js';
import { SIMPLE_SIGNING_TYPE, verifySignatureLayer, type SignatureCheck, type SignatureFailureCode, type TrustedKey } from '../packs/pack.signature.js';
import type { TrustPolicyRecord } from '../registries/trust-policy.model.js';
import { packManifest } from './oci.manifest.js';
import { parseReferrerManifest } from './oci.referrer-manifest.js';

/** Signed payloads are tiny JSON documents; a signature manifest is a few descriptors. */
const MAX_PAYLOAD_BYTES = 64 * 1024;
const MAX_MANIFEST_BYTES = 1024 * 1024;
/** A version with more signature layers than this is checked on its first ones only. */
const MAX_LAYERS_CHECKED = 32;

/** Most telling first: why a version's signatures failed, when none was valid. */
const FAILURE_ORDER: SignatureFailureCode[] = ['SIGNATURE_TAMPERED', 'SIGNATURE_DIGEST_MISMATCH', 'SIGNATURE_UNKNOWN_KEY', 'SIGNATURE_MALFORMED'];

export interface VersionSignature {
  check: SignatureCheck;
  /** When the signature was pushed. */
  signedAt: Date;
}

export interface OciSignatureGateDeps {
  policies: { policyFor(registryId: string): Promise<TrustPolicyRecord> };
  referrers: Pick<ReferrerStore, 'ofSubjects'>;
  artifacts: ArtifactStore;
}

export class OciSignatureGate implements SignatureGate {
  constructor(private readonly deps: OciSignatureGateDeps) {}

  async check(request: SignatureGateRequest): Promise<PackIssue[]> {
    if (request.mode === 'seed') return [];
    const policy = await this.deps.policies.policyFor(request.registry.id);
    if (policy.enforce === 'NONE') return [];
    const signatures = await this.signaturesOf(request, policy.keys);
    if (signatures.some((s) => s.check.ok)) return [];
    const failures = signatures.flatMap((s) => (s.check.ok ? [] : [s.check]));
    const worst = FAILURE_ORDER.map((code) => failures.find((f) => f.code === code)).find((f) => f !== undefined);
    const reason: SignatureFailureCode = worst?.code ?? 'SIGNATURE_MISSING';
    const message = worst?.message ?? `${request.pack}:${request.version} has no signature; registry "${request.registry.name}" requires one from a trusted key.`;
    if (policy.enforce === 'REQUIRE') throw new SignatureRefusedError(reason, message);
    return [{ code: reason, severity: 'warning', message, path: 'signature' }];
  }

  /** Every signature layer referring to the version's manifests, checked against `keys`. */
  async signaturesOf(request: Omit<SignatureGateRequest, 'mode'>, keys: TrustedKey[]): Promise<VersionSignature[]> {
    const canonical = packManifest({ name: request.pack, version: request.version, digest: request.digest, size: request.size }).digest;
    const subjects = [...new Set([canonical, ...(request.manifestDigests ?? [])])];
    const rows = await this.deps.referrers.ofSubjects(request.registry.id, request.pack, subjects);
    const results: VersionSignature[] = [];
    for (const row of rows) {
      const body = await this.read(row.digest, MAX_MANIFEST_BYTES);
      // Parsed as it was pushed: by its tag-schema tag, else by digest (then it has a subject).
      const manifest = body ? safeParse(body, row.mediaType, row.tag ?? row.digest) : null;
      for (const layer of manifest?.layers ?? []) {
        if (layer.mediaType !== SIMPLE_SIGNING_TYPE || results.length >= MAX_LAYERS_CHECKED) continue;
        const payload = layer.size <= MAX_PAYLOAD_BYTES ? await this.read(layer.digest, MAX_PAYLOAD_BYTES) : null;
        const check: SignatureCheck = payload
          ? verifySignatureLayer({ payload, digest: layer.digest, annotations: layer.annotations ?? {} }, row.subjectDigest, keys)
          : { ok: false, code: 'SIGNATURE_MALFORMED', message: `The signed payload ${layer.digest} is missing or larger than ${MAX_PAYLOAD_BYTES} bytes.` };
        results.push({ check, signedAt: row.createdAt });
      }
    }
    return results;
  }

  private async read(digest: string, limit: number): Promise<Buffer | null> {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of await this.deps.artifacts.get(digest)) {
        size += (chunk as Buffer).length;
        if (size > limit) return null;
        chunks.push(chunk as Buffer);
      }
    } catch {
      return null; // a missing object is a signature that can't be checked: not valid
    }
    return Buffer.concat(chunks);
  }
}

function safeParse(body: Buffer, mediaType: string, reference: string) {
  try {
    return parseReferrerManifest(body, mediaType, reference);
  } catch {
    return null;
  }
}
