/** Plain rows the catalog reads: packs with their registry, and the light columns of versions. */
import type { Layer, TrustEnforcement } from '../generated/prisma/enums.js';
import type { RegistryRecord } from '../registries/registry.model.js';

export interface PackRow {
  id: string;
  registryId: string;
  name: string;
  displayName: string;
  layer: Layer;
  addonType: string | null;
  addonSubType: string | null;
  cloudTypes: string[];
  group: string | null;
  logoDigest: string | null;
  deprecated: boolean;
  createdAt: Date;
  updatedAt: Date;
  registry: RegistryRecord;
}

/** A version without its large and JSON columns (values, readme, constraints...), which load on demand. */
export interface VersionRow {
  id: string;
  packId: string;
  registryId: string;
  version: string;
  digest: string;
  size: bigint;
  charts: string[];
  manifests: string[];
  cloudTypes: string[];
  deprecated: boolean;
  /** A publisher's setPackVersionLifecycle (packs/pack-lifecycle.ts reads it); null or absent: as pack.json says. */
  lifecycle?: unknown;
  removedAt: Date | null;
  message: string | null;
  publishedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * A version's signature state as it is now (not immutable: a signature push or a trust policy
 * change moves it, and both are catalog changes): whether a trusted key of its registry verifies
 * one of its signatures, and how strictly that registry's policy asks for one.
 */
export interface VersionTrust {
  verified: boolean;
  enforce: TrustEnforcement;
}

/** A version row with its signature state, as profile resolution reads it. */
export type TrustedVersionRow = VersionRow & { trust: VersionTrust };

export const VERSION_ROW_SELECT = {
  id: true,
  packId: true,
  registryId: true,
  version: true,
  digest: true,
  size: true,
  charts: true,
  manifests: true,
  cloudTypes: true,
  deprecated: true,
  lifecycle: true,
  removedAt: true,
  message: true,
  publishedBy: true,
  createdAt: true,
  updatedAt: true,
} as const;

/** Sources of one pack name, highest registry priority first (ties by registry name). */
export function sortSources<T extends { registry: { priority: number; name: string } }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => b.registry.priority - a.registry.priority || a.registry.name.localeCompare(b.registry.name));
}
