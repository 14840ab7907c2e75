/**
 * How a run treats its registry: what becomes of a version its source stops listing, how strictly
 * fetched packs are read, and whether the registry is scheduled again. Upstream registries follow
 * `upstreamPolicy`; the DEFAULT registry's start-up sync has its own (default-registry.seeder.ts).
 */
import type { RegistryKind } from '../../generated/prisma/enums.js';

export interface SyncPolicy {
  /**
   * A stored version the source no longer lists: `remove` hides it from the catalog; `deprecate`
   * keeps it listed, flagged deprecated (profiles built on it keep working and say so).
   */
  vanished: 'remove' | 'deprecate';
  /** After a run, the registry's next sync time is set (its interval, with jitter); otherwise it syncs only when asked. */
  scheduled: boolean;
  /** How fetched packs are ingested. */
  ingest: {
    mode: 'sync' | 'seed';
    publishedBy: string;
    lenient: boolean;
    checkReferencedFiles: boolean;
  };
}

/** An upstream's packs are taken as they are published: warts become warnings, a vanished version is removed. */
export function upstreamPolicy(registry: { name: string; kind: RegistryKind }): SyncPolicy {
  return {
    vanished: 'remove',
    scheduled: true,
    ingest: {
      mode: 'sync',
      publishedBy: `sync:${registry.name}`,
      lenient: true,
      // DIRECTORY trees may be metadata-only mirrors (pack.json and values without their charts).
      checkReferencedFiles: registry.kind !== 'DIRECTORY',
    },
  };
}
