/**
 * The signature check of the one write path (pack.ingest.ts): before a version's rows are written,
 * a registry's trust policy may require (REQUIRE) or ask for (WARN) a valid signature from one of
 * its keys. The catalog defines the question; the OCI feature, which knows manifests and referrers,
 * answers it (src/oci/oci.signature-gate.ts), plugged in by the composition root.
 */
import { InvalidInputError } from '../errors.js';
import type { PackIssue } from '../packs/pack.types.js';
import type { SignatureFailureCode } from '../packs/pack.signature.js';

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
}

export interface SignatureGate {
  /** Throws `SignatureRefusedError` when the registry requires a signature this version lacks; answers warnings under WARN. */
  check(request: SignatureGateRequest): Promise<PackIssue[]>;
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
