/**
 * The catalog's event types as packctl offers them (the schema's CatalogEventType): commands check
 * a name against them before anything is sent. Written as a record over the generated type so the
 * typecheck fails when the schema gains or loses one; listed in the order the docs list them.
 */
import type { CatalogEventType } from './generated/graphql.js';

const KNOWN: Record<CatalogEventType, true> = {
  PACK_VERSION_PUBLISHED: true,
  PACK_VERSION_DELETED: true,
  PACK_TAG_MOVED: true,
  PACK_LIFECYCLE_CHANGED: true,
  SYNC_FAILED: true,
  SYNC_RECOVERED: true,
  PROFILE_INVALIDATED: true,
};

export const EVENT_TYPES = Object.keys(KNOWN) as readonly CatalogEventType[];
