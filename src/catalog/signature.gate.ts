/**
 * The signature check of the one write path (pack.ingest.ts): before a version's rows are written,
 * a registry's trust policy may require (REQUIRE) or ask for (WARN) a valid signature from one of
 * its keys. The catalog defines the question; the OCI feature, which knows manifests and referrers,
 * answers it (src/oci/oci.signature-gate.ts), plugged in by the composition root.
 */
import { InvalidInputError } from '../errors.js';
import type { PackIssue } from '../packs/pack.types.js';
import type { SignatureFailureCode } from '../packs/pack.signature.js';
import type { UpstreamSignatures } from '../registries/sync/sink.js';

export interface SignatureGateRequest {
  registry: { id: string; name: string };
  pack: string;
  version: string;
  /** The pack tarball. */
  digest: string;
  size: number;
  mode: 'push' | 'sync' | 'seed';
  /** Manifests besides the version's canonical one that a signature may name (an OCI push's own bytes). */
  manifestDigests?: string[];
  /** A sync's upstream signatures of the version's manifest: stored as its referrers, then checked with the others. */
  upstream?: UpstreamSignatures;
}

export interface SignatureGate {
  /**
   * Stores a sync's upstream signatures (whatever the policy), then throws `SignatureRefusedError`
   * when the registry requires a signature this version lacks; answers warnings under WARN.
   */
  check(request: SignatureGateRequest): Promise<PackIssue[]>;
}

/** A version as the signature reader needs it. */
export interface SignedVersionRef {
  registryId: string;
  pack: string;
  version: string;
  digest: string;
  size: number;
}

/** One signature of a version, checked against its registry's current trust policy. */
export interface VersionSignatureInfo {
  /** The trusted key that made it; null when no trusted key verifies it. */
  keyName: string | null;
  algorithm: string | null;
  verified: boolean;
  /** Why it is not verified (a SIGNATURE_* code); null when verified. */
  failure: SignatureFailureCode | null;
  /** When the signature was pushed here. */
  signedAt: Date;
}

export interface SignatureReader {
  /** Each version's signatures, in order: a page's worth in a bounded number of statements. */
  signaturesOf(versions: readonly SignedVersionRef[]): Promise<VersionSignatureInfo[][]>;
}

/** A version refused by its registry's trust policy: `reason` says which check failed (extensions.issues[0].code). */
export class SignatureRefusedError extends InvalidInputError {
  constructor(
    readonly reason: SignatureFailureCode,
    message: string,
  ) {
    super(`${reason}: ${message}`, { field: 'signature', issues: [{ code: reason, path: 'signature', message }] });
  }
}
