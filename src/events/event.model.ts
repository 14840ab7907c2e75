/**
 * Catalog events: what changed in the catalog or a registry, recorded once in the change's own
 * transaction (the transactional outbox, event.store.ts) and read by webhooks and subscriptions.
 */
import type { CatalogEventType } from '../generated/prisma/enums.js';

export type { CatalogEventType } from '../generated/prisma/enums.js';

/** Every event type, in the order the docs list them. */
export const CATALOG_EVENT_TYPES: readonly CatalogEventType[] = [
  'PACK_VERSION_PUBLISHED',
  'PACK_VERSION_DELETED',
  'PACK_TAG_MOVED',
  'PACK_LIFECYCLE_CHANGED',
  'SYNC_FAILED',
  'SYNC_RECOVERED',
  'PROFILE_INVALIDATED',
];

/** An event as a write path records it; the registry's name is filled in from `registryId` when it is written. */
export interface CatalogEventInput {
  type: CatalogEventType;
  registryId?: string | null;
  pack?: string | null;
  version?: string | null;
  /** Small, bounded JSON: what the change was (digests, tags, states, the profile hit), never content. */
  data?: Record<string, unknown>;
}

/** A recorded event. `id` is the outbox's sequence (a decimal string): the order events were written in. */
export interface CatalogEventRecord {
  id: string;
  type: CatalogEventType;
  occurredAt: Date;
  registryId: string | null;
  registryName: string | null;
  pack: string | null;
  version: string | null;
  data: Record<string, unknown>;
}

/** Which events a reader wants; an absent or empty list matches all. */
export interface CatalogEventFilter {
  types?: readonly CatalogEventType[] | null;
  /** Registry ids. */
  registryIds?: readonly string[] | null;
  packs?: readonly string[] | null;
}

/** The PostgreSQL channel an event's id is announced on (pg_notify on commit; subscriptions LISTEN). */
export const CATALOG_EVENTS_CHANNEL = 'catalog_events';

/** A version whose deletion, disabling or deprecation may break saved profiles that use it. */
export interface InvalidatedVersion {
  registryId: string;
  registryName: string;
  pack: string;
  version: string;
  /** The version's publisher tags: a layer may name it through one. */
  tags: readonly string[];
  /** What happened to it: DELETED, REMOVED_UPSTREAM, DEPRECATED or DISABLED. */
  reason: string;
}

/** A saved profile version with a layer on an invalidated version. */
export interface ProfileUse {
  profileId: string;
  name: string;
  version: string;
  /** The invalidated version, index into the list asked. */
  of: number;
  layerIndex: number;
}
