/**
 * Answers the catalog's signature questions (catalog/signature.gate.ts) from the signatures stored as
 * OCI referrers: the cosign-layout manifests referring to a version's canonical manifest (or the
 * manifest an OCI push sent), each simple-signing layer checked against the registry's trusted keys
 * (packs/pack.signature.ts). At a write, REQUIRE refuses a version without one valid signature, WARN
 * accepts it with a warning, NONE checks nothing; for the API, each signature with whether it verifies.
 */
import { Readable } from 'node:stream';
import type { ArtifactStore } from '../artifacts/artifact.store.js';
import type { ArtifactRowStore } from '../catalog/artifact-rows.store.js';
import type { UpstreamSignatures } from '../registries/sync/sink.js';
import { digestOf } from '../platform/hashing.js';
import type { ReferrerRow, ReferrerStore } from '../catalog/referrer.store.js';
import {
  SignatureRefusedError,
  type SignatureGate,
  type SignatureGateRequest,
  type SignatureReader,
  type SignedVersionRef,
  type VersionSignatureInfo,
} from '../catalog/signature.gate.js';
import type { PackIssue } from '../packs/pack.types.js';
import { SIMPLE_SIGNING_TYPE, verifySignatureLayer, type SignatureCheck, type SignatureFailureCode, type TrustedKey } from '../packs/pack.signature.js';
import type { TrustPolicyRecord } from '../registries/trust-policy.model.js';
import { OCI_MANIFEST_TYPE, packManifest } from './oci.manifest.js';
import { parseReferrerManifest } from './oci.referrer-manifest.js';

/** Signed payloads are tiny JSON documents; a signature manifest is a few descriptors. */
const MAX_PAYLOAD_BYTES = 64 * 1024;
const MAX_MANIFEST_BYTES = 1024 * 1024;
/** A version with more signature layers than this is checked on its first ones only. */
const MAX_LAYERS_CHECKED = 32;
/** Manifests and payloads are content addressed (immutable): this many are kept in memory. */
const BLOB_CACHE_ENTRIES = 2000;

/** How long a sync reuses its registry's policy: a policy change reaches running syncs within this. */
const SYNC_POLICY_TTL_MS = 2000;

/** Most telling first: why a version's signatures failed, when none was valid. */
const FAILURE_ORDER: SignatureFailureCode[] = ['SIGNATURE_TAMPERED', 'SIGNATURE_DIGEST_MISMATCH', 'SIGNATURE_UNKNOWN_KEY', 'SIGNATURE_MALFORMED'];

export interface VersionSignature {
  check: SignatureCheck;
  /** When the signature was pushed. */
  signedAt: Date;
}

export interface OciSignatureGateDeps {
  policies: {
    policyFor(registryId: string): Promise<TrustPolicyRecord>;
    policiesFor(registryIds: readonly string[]): Promise<Map<string, TrustPolicyRecord>>;
    onSave?(listener: (registryId: string) => void | Promise<void>): void;
  };
  referrers: Pick<ReferrerStore, 'ofSubjects' | 'ofSubjectsMany' | 'record' | 'setVerified' | 'ofRegistry' | 'attachSubject'>;
  artifacts: ArtifactStore;
  /** Records the objects of upstream signatures (the Artifact rows). */
  artifactRows: Pick<ArtifactRowStore, 'record'>;
}

export class OciSignatureGate implements SignatureGate, SignatureReader {
  private readonly blobs = new Map<string, Buffer | null>();
  private readonly syncPolicies = new Map<string, { policy: TrustPolicyRecord; until: number }>();

  constructor(private readonly deps: OciSignatureGateDeps) {
    // A change made here is seen by the next sync item at once; other replicas' within SYNC_POLICY_TTL_MS.
    deps.policies.onSave?.(async (registryId) => {
      this.syncPolicies.delete(registryId);
      await this.recheckRegistry(registryId);
    });
  }

  /**
   * Records which trusted key verifies each of `digests` (referrers of `pack` in a registry) under
   * the registry's current policy: what the listing's `verified` filter reads. Called when a
   * referrer lands (push, sync); a policy change rechecks the whole registry.
   */
  async recheck(registryId: string, pack: string, digests: string[]): Promise<void> {
    const policy = await this.deps.policies.policyFor(registryId);
    if (digests.length === 0) return;
    const rows = await this.deps.referrers.ofRegistry(registryId, { pack, digests });
    await this.storeVerified(registryId, rows, policy.keys);
  }

  private async recheckRegistry(registryId: string): Promise<void> {
    const policy = await this.deps.policies.policyFor(registryId);
    await this.storeVerified(registryId, await this.deps.referrers.ofRegistry(registryId), policy.keys);
  }

  private async storeVerified(registryId: string, rows: Array<ReferrerRow & { pack: string }>, keys: TrustedKey[]): Promise<void> {
    const byPack = new Map<string, Array<{ digest: string; keyName: string | null }>>();
    for (const row of rows) {
      const checks = await this.checkRows([row], keys);
      const ok = checks.find((c) => c.check.ok)?.check;
      const list = byPack.get(row.pack) ?? [];
      list.push({ digest: row.digest, keyName: ok && ok.ok ? ok.keyName : null });
      byPack.set(row.pack, list);
    }
    for (const [pack, verified] of byPack) await this.deps.referrers.setVerified(registryId, pack, verified);
  }

  async check(request: SignatureGateRequest): Promise<PackIssue[]> {
    if (request.mode === 'seed') return [];
    if (request.upstream) await this.recordUpstream(request, request.upstream);
    // Signatures pushed before their subject now follow it (listed, kept by the collector, seen by the `verified` filter).
    if (request.mode === 'push') await this.deps.referrers.attachSubject(request.registry.id, request.pack, subjectsOf(request, request.manifestDigests), request.digest);
    const policy = request.mode === 'sync' ? await this.syncPolicy(request.registry.id) : await this.deps.policies.policyFor(request.registry.id);
    if (policy.enforce === 'NONE') return [];
    const rows = await this.deps.referrers.ofSubjects(request.registry.id, request.pack, subjectsOf(request, request.manifestDigests));
    const signatures = await this.checkRows(rows, policy.keys);
    if (signatures.some((s) => s.check.ok)) return [];
    const failures = signatures.flatMap((s) => (s.check.ok ? [] : [s.check]));
    const worst = FAILURE_ORDER.map((code) => failures.find((f) => f.code === code)).find((f) => f !== undefined);
    const reason: SignatureFailureCode = worst?.code ?? 'SIGNATURE_MISSING';
    const message = worst?.message ?? `${request.pack}:${request.version} has no signature; registry "${request.registry.name}" requires one from a trusted key.`;
    if (policy.enforce === 'REQUIRE') throw new SignatureRefusedError(reason, message);
    return [{ code: reason, severity: 'warning', message, path: 'signature' }];
  }

  /**
   * A sync asks for every item of a run: its registry's policy is read at most once per
   * SYNC_POLICY_TTL_MS, so a sync of thousands of items costs no statement per item (a push always
   * reads the policy as it is).
   */
  private async syncPolicy(registryId: string): Promise<TrustPolicyRecord> {
    const now = Date.now();
    const cached = this.syncPolicies.get(registryId);
    if (cached && cached.until > now) return cached.policy;
    const policy = await this.deps.policies.policyFor(registryId);
    this.syncPolicies.set(registryId, { policy, until: now + SYNC_POLICY_TTL_MS });
    return policy;
  }

  /** Signatures of many versions: one statement for the policies, one for the referrers, cached blob reads. */
  async signaturesOf(versions: readonly SignedVersionRef[]): Promise<VersionSignatureInfo[][]> {
    if (versions.length === 0) return [];
    const policies = await this.deps.policies.policiesFor([...new Set(versions.map((v) => v.registryId))]);
    const rows = await this.deps.referrers.ofSubjectsMany(
      versions.map((v, key) => ({ key, registryId: v.registryId, pack: v.pack, subject: subjectsOf(v)[0]!, layer: v.digest })),
    );
    return Promise.all(
      versions.map(async (v, key) => {
        const checked = await this.checkRows(
          rows.filter((r) => r.key === key),
          policies.get(v.registryId)?.keys ?? [],
        );
        return checked.map(({ check, signedAt }) =>
          check.ok
            ? { keyName: check.keyName, algorithm: check.algorithm, verified: true, failure: null, signedAt }
            : { keyName: null, algorithm: null, verified: false, failure: check.code, signedAt },
        );
      }),
    );
  }

  /**
   * Stores a sync's upstream signature manifests of the version's manifest as its referrers (as a
   * push would: objects first, then their Artifact rows, then the referrer rows), linked to the
   * version's tarball, so they follow it like pushed ones. A manifest that is no referrer of that
   * subject is left out.
   */
  private async recordUpstream(request: SignatureGateRequest, upstream: UpstreamSignatures): Promise<void> {
    const recorded: string[] = [];
    for (const blob of upstream.blobs) {
      const digest = digestOf(blob);
      await this.deps.artifacts.put(Readable.from([blob]), { expectedDigest: digest, expectedSize: blob.length, contentType: 'application/octet-stream' });
      await this.deps.artifactRows.record([{ digest, size: BigInt(blob.length), mediaType: 'application/octet-stream' }]);
    }
    for (const { bytes, tag } of upstream.manifests) {
      const digest = digestOf(bytes);
      const manifest = safeParse(bytes, OCI_MANIFEST_TYPE, tag ?? digest);
      if (!manifest || manifest.subject !== upstream.subject) continue;
      await this.deps.artifacts.put(Readable.from([bytes]), { expectedDigest: digest, expectedSize: bytes.length, contentType: manifest.mediaType });
      await this.deps.artifactRows.record([{ digest, size: BigInt(bytes.length), mediaType: manifest.mediaType }]);
      await this.deps.referrers.record({
        registryId: request.registry.id,
        pack: request.pack,
        digest,
        subjectDigest: upstream.subject,
        subjectLayer: request.digest,
        mediaType: manifest.mediaType,
        artifactType: manifest.artifactType,
        size: bytes.length,
        blobs: [...new Set([manifest.config.digest, ...manifest.layers.map((l) => l.digest)])],
        annotations: manifest.annotations,
        tag: manifest.tag,
      });
      recorded.push(digest);
    }
    await this.recheck(request.registry.id, request.pack, recorded);
  }

  /** Every simple-signing layer of `rows`, checked against `keys`. */
  private async checkRows(rows: ReferrerRow[], keys: TrustedKey[]): Promise<VersionSignature[]> {
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
    const cached = this.blobs.get(digest);
    if (cached) return cached;
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of await this.deps.artifacts.get(digest)) {
        size += (chunk as Buffer).length;
        if (size > limit) return null;
        chunks.push(chunk as Buffer);
      }
    } catch {
      return null; // a missing object is a signature that can't be checked: not valid (and not cached: it may come)
    }
    const bytes = Buffer.concat(chunks);
    if (this.blobs.size >= BLOB_CACHE_ENTRIES) this.blobs.delete(this.blobs.keys().next().value!);
    this.blobs.set(digest, bytes);
    return bytes;
  }
}

/** The manifests a version's signature may name: its canonical one first, then any pushed ones. */
function subjectsOf(v: { pack: string; version: string; digest: string; size: number }, extra: string[] = []): string[] {
  const canonical = packManifest({ name: v.pack, version: v.version, digest: v.digest, size: v.size }).digest;
  return [...new Set([canonical, ...extra])];
}

function safeParse(body: Buffer, mediaType: string, reference: string) {
  try {
    return parseReferrerManifest(body, mediaType, reference);
  } catch {
    return null;
  }
}
