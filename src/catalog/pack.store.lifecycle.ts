/**
 * What a pack's row derives from its versions' lifecycle, in SQL: the one rule, run in the
 * transaction of every write that changes a version's lifecycle or the set of live versions
 * (setPackVersionLifecycle, ingested batches, removals upstream).
 *
 * `Pack.deprecated` (the listing hides such packs unless `includeDeprecated`; `Pack.deprecated`
 * answers it) is true when none of the pack's live versions is ACTIVE: a publisher who deprecates
 * old versions keeps the pack listed, one who deprecates or disables the last ACTIVE version hides
 * it. That is Palette's reading of per-version states and what the DEFAULT seeding already does (a
 * pack none of whose versions is kept is deprecated), and on pack-central's data it agrees with the
 * newest version's `system_state` (old versions deprecated, the newest ACTIVE). A pack with no live
 * version keeps its flag.
 */
import { Prisma } from '../generated/prisma/client.js';

/**
 * Whether version `v` is ACTIVE, as packs/pack-lifecycle.ts `lifecycleOf` reads it: a publisher's
 * setting wins; else the catalog's flag and pack.json's `system_state` annotation.
 */
const VERSION_ACTIVE = Prisma.sql`(
  CASE WHEN v.lifecycle ? 'state' THEN v.lifecycle->>'state' = 'ACTIVE'
       ELSE NOT v.deprecated AND coalesce(v.annotations->>'system_state', '') NOT IN ('deprecated', 'disabled') END)`;

/** Recomputes `Pack.deprecated` of these packs from their live versions' lifecycle (rule above). */
export async function refreshPackDeprecated(tx: Prisma.TransactionClient, packIds: readonly string[]): Promise<void> {
  if (packIds.length === 0) return;
  await tx.$executeRaw`
    UPDATE "Pack" p SET deprecated = NOT EXISTS (
      SELECT 1 FROM "PackVersion" v WHERE v."packId" = p.id AND v."removedAt" IS NULL AND ${VERSION_ACTIVE})
    WHERE p.id = ANY(${[...packIds]}::uuid[])
      AND EXISTS (SELECT 1 FROM "PackVersion" v WHERE v."packId" = p.id AND v."removedAt" IS NULL)`;
}
