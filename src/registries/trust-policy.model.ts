/** A registry's trust policy as the services see it. */
import type { TrustEnforcement } from '../generated/prisma/enums.js';
import type { SignatureAlgorithm } from '../packs/pack.signature.js';

export interface TrustPolicyKey {
  name: string;
  algorithm: SignatureAlgorithm;
  publicKeyPem: string;
}

export interface TrustPolicyRecord {
  registryId: string;
  enforce: TrustEnforcement;
  keys: TrustPolicyKey[];
  updatedBy: string | null;
  updatedAt: Date | null;
}
