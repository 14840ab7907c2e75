/**
 * The rows of many ingested versions of one registry, written in one transaction with a fixed
 * number of statements (plus one per pack whose row changes), in plain SQL: per version, Prisma's
 * query compilation and row decoding cost more CPU than the database spends on the rows (the sync
 * profile of issue 13: ~10 ms a version, 40 % of a Helm sync).
 *
 * Which version is the pack's newest comes from `Pack.latestVersion` (the highest live version),
 * never from loading every version: the cost of a write does not grow with the pack's history.
 * A null `latestVersion` (a row from before the column, or after a removal) is computed once from
 * the pack's live versions and stored.
 *
 * Every object these rows point at is stored (and durable) before this runs: the caller's rule.
 */
import { randomUUID } from 'node:crypto';
import { Prisma } from '../generated/prisma/client.js';
import type { ReadPack } from '../packs/pack.types.js';
import { compareVersions } from '../packs/version.js';
import type { EventRecorder } from '../events/event.store.js';
import type { CatalogEventInput } from '../events/event.model.js';
import { isDeprecated, packColumnsOf, versionColumnsOf } from './pack.store.columns.js';
import { invalidatedVersions, lifecycleEvent, publishedEvent, type InvalidatedRow } from './pack.store.events.js';
import { refreshPackDeprecated } from './pack.store.lifecycle.js';

/** The rows of one version whose objects are stored already. */
export interface BatchedVersion {
  pack: ReadPack;
  /** The archive object, and the logo object when the pack has one. */
  archive: { digest: string; size: number };
  logo: { digest: string; size: number } | null;
  upstreamMarker: string | null;
  message: string | null;
  publishedBy: string;
  /**
   * A stored version of the same name with other bytes: replaced (`true`: syncs, seeds, forced
   * pushes), or left alone and answered as a conflict (`false`: a push must not overwrite).
   */
  overwrite: boolean;
}

/** What became of one version of a batch. */
export type BatchedOutcome =
  | { status: 'created' | 'updated' | 'unchanged'; versionId: string }
  | { status: 'conflict'; versionId: string; storedDigest: string };

interface PackState {
  id: string;
  name: string;
  latestVersion: string | null;
}

interface ExistingVersion {
  id: string;
  packId: string;
  version: string;
  digest: string;
  removedAt: Date | null;
  upstreamMarker: string | null;
  deprecated: boolean;
  /** A publisher's lifecycle is set: it wins over what new bytes say (pack.store.lifecycle.ts). */
  lifecycleSet: boolean;
}

/**
 * Writes a batch of versions of registry `registryId` (names and versions distinct within the
 * batch) in `tx`; answers one outcome per write, in order. Same bytes as stored is `unchanged`
 * (the version is made live again with the new marker); other bytes update, or conflict.
 * The batch's events (published, revived, lifecycle changed by new bytes) are recorded through
 * `events` in the same transaction, in one statement; a conflict records none.
 */
export async function writeVersionBatch(
  tx: Prisma.TransactionClient,
  registryId: string,
  writes: readonly BatchedVersion[],
  events?: EventRecorder,
): Promise<BatchedOutcome[]> {
  if (writes.length === 0) return [];
  const names = [...new Set(writes.map((w) => w.pack.manifest.name))].sort();

  // 1. Pack rows exist (metadata filled in by step 5), locked in name order: concurrent writers
  // of one pack take turns on its latestVersion, and two batches never wait on each other in a cycle.
  await tx.$executeRaw`
    INSERT INTO "Pack" (id, "registryId", name, "displayName", layer, "cloudTypes", "updatedAt")
    VALUES ${Prisma.join(names.map((name) => {
      const m = newestOf(writes.filter((w) => w.pack.manifest.name === name)).pack.manifest;
      const c = packColumnsOf(m);
      return Prisma.sql`(${randomUUID()}::uuid, ${registryId}::uuid, ${name}, ${c.displayName}, ${c.layer}::"Layer", ${c.cloudTypes}::text[], CURRENT_TIMESTAMP)`;
    }))}
    ON CONFLICT ("registryId", name) DO NOTHING`;
  const packs = await tx.$queryRaw<PackState[]>`
    SELECT id::text AS id, name, "latestVersion" FROM "Pack"
    WHERE "registryId" = ${registryId}::uuid AND name = ANY(${names}::text[])
    ORDER BY name FOR UPDATE`;
  const packByName = new Map(packs.map((p) => [p.name, p]));
  const packIds = packs.map((p) => p.id);

  // 2. What is stored under these names and versions, and the newest live version of packs that lack it.
  const versions = [...new Set(writes.map((w) => w.pack.manifest.version))];
  const existing = await tx.$queryRaw<ExistingVersion[]>`
    SELECT id::text AS id, "packId"::text AS "packId", version, digest, "removedAt", "upstreamMarker", deprecated,
      coalesce(lifecycle ? 'state', false) AS "lifecycleSet" FROM "PackVersion"
    WHERE "packId" = ANY(${packIds}::uuid[]) AND version = ANY(${versions}::text[])`;
  const existingOf = new Map(existing.map((v) => [`${v.packId}\u0000${v.version}`, v]));
  const unknownLatest = packs.filter((p) => p.latestVersion === null).map((p) => p.id);
  const latest = new Map(packs.map((p) => [p.id, p.latestVersion]));
  if (unknownLatest.length > 0) {
    const live = await tx.$queryRaw<Array<{ packId: string; version: string }>>`
      SELECT "packId"::text AS "packId", version FROM "PackVersion" WHERE "packId" = ANY(${unknownLatest}::uuid[]) AND "removedAt" IS NULL`;
    for (const row of live) latest.set(row.packId, maxVersion(latest.get(row.packId) ?? null, row.version));
  }

  // 3. Each write against what is stored.
  const outcomes: BatchedOutcome[] = [];
  const inserts: Prisma.Sql[] = [];
  const updates: Array<{ id: string; write: BatchedVersion }> = [];
  const revived: Array<{ id: string; marker: string | null }> = [];
  /** Per pack: the highest version written (whose metadata the pack takes if it is the newest), and the highest made live. */
  const touched = new Map<string, { written: BatchedVersion | null; live: string | null }>();
  const recorded: CatalogEventInput[] = [];
  const invalidated: InvalidatedRow[] = [];
  for (const write of writes) {
    const m = write.pack.manifest;
    const pack = packByName.get(m.name)!;
    const stored = existingOf.get(`${pack.id}\u0000${m.version}`);
    const touch = touched.get(pack.id) ?? { written: null, live: null };
    touched.set(pack.id, touch);
    if (stored && stored.digest === write.archive.digest) {
      if (stored.removedAt || (write.upstreamMarker && stored.upstreamMarker !== write.upstreamMarker)) {
        revived.push({ id: stored.id, marker: write.upstreamMarker ?? stored.upstreamMarker });
        if (stored.removedAt) {
          touch.live = maxVersion(touch.live, m.version);
          recorded.push(publishedEvent(registryId, m.name, m.version, { digest: stored.digest, status: 'revived', publishedBy: write.publishedBy }));
        }
      }
      outcomes.push({ status: 'unchanged', versionId: stored.id });
      continue;
    }
    if (stored && !write.overwrite) {
      outcomes.push({ status: 'conflict', versionId: stored.id, storedDigest: stored.digest });
      continue;
    }
    touch.written = touch.written && compareVersions(touch.written.pack.manifest.version, m.version) >= 0 ? touch.written : write;
    touch.live = maxVersion(touch.live, m.version);
    const deprecated = isDeprecated(m);
    const status = stored ? 'updated' : 'created';
    recorded.push(
      publishedEvent(registryId, m.name, m.version, { digest: write.archive.digest, status, publishedBy: write.publishedBy, message: write.message, deprecated }),
    );
    if (stored) {
      updates.push({ id: stored.id, write });
      outcomes.push({ status: 'updated', versionId: stored.id });
      // New bytes of a version (a sync, a forced push) may carry another lifecycle in their pack.json.
      if (!stored.lifecycleSet && stored.deprecated !== deprecated) {
        recorded.push(lifecycleEvent(registryId, m.name, m.version, stored.deprecated ? 'DEPRECATED' : 'ACTIVE', deprecated ? 'DEPRECATED' : 'ACTIVE'));
        if (deprecated) invalidated.push({ versionId: stored.id, registryId, pack: m.name, version: m.version, reason: 'DEPRECATED' });
      }
    } else {
      const id = randomUUID();
      inserts.push(versionValues(id, pack.id, registryId, write));
      outcomes.push({ status: 'created', versionId: id });
    }
  }

  // 4. Artifact rows, then the versions that point at them.
  const artifacts = new Map<string, Prisma.Sql>();
  for (const [i, write] of writes.entries()) {
    if (outcomes[i].status !== 'created' && outcomes[i].status !== 'updated') continue;
    const { archive, logo } = write;
    artifacts.set(archive.digest, Prisma.sql`(${archive.digest}, ${archive.size}::bigint, 'application/gzip')`);
    if (logo) artifacts.set(logo.digest, Prisma.sql`(${logo.digest}, ${logo.size}::bigint, 'image/png')`);
  }
  if (artifacts.size > 0) {
    await tx.$executeRaw`INSERT INTO "Artifact" (digest, size, "mediaType") VALUES ${Prisma.join([...artifacts.values()])} ON CONFLICT (digest) DO NOTHING`;
  }
  if (inserts.length > 0) {
    await tx.$executeRaw`
      INSERT INTO "PackVersion" (id, "packId", "registryId", version, digest, size, "values", presets, schema, readme, annotations,
        constraints, charts, manifests, "cloudTypes", "packJson", deprecated, "upstreamMarker", message, "publishedBy", "updatedAt")
      VALUES ${Prisma.join(inserts)}`;
  }
  for (const { id, write } of updates) {
    const c = versionColumnsOf(write.pack);
    await tx.$executeRaw`
      UPDATE "PackVersion" SET digest = ${write.archive.digest}, size = ${write.archive.size}::bigint, "values" = ${c.values},
        presets = ${jsonText(c.presets)}::jsonb, schema = ${jsonText(c.schema)}::jsonb, readme = ${c.readme},
        annotations = ${jsonText(c.annotations)}::jsonb, constraints = ${jsonText(c.constraints)}::jsonb, charts = ${c.charts}::text[],
        manifests = ${c.manifests}::text[], "cloudTypes" = ${c.cloudTypes}::text[], "packJson" = ${jsonText(c.packJson)}::jsonb,
        -- A lifecycle a publisher or ADMIN set (setPackVersionLifecycle) outlives new bytes: its flag stays in step with it.
        deprecated = CASE WHEN lifecycle ? 'state' THEN lifecycle->>'state' <> 'ACTIVE' ELSE ${c.deprecated} END, "removedAt" = NULL, "upstreamMarker" = ${write.upstreamMarker}, message = ${write.message},
        "publishedBy" = ${write.publishedBy}, "updatedAt" = CURRENT_TIMESTAMP
      WHERE id = ${id}::uuid`;
  }
  if (revived.length > 0) {
    await tx.$executeRaw`
      UPDATE "PackVersion" AS v SET "removedAt" = NULL, "upstreamMarker" = r.marker, "updatedAt" = CURRENT_TIMESTAMP
      FROM unnest(${revived.map((r) => r.id)}::uuid[], ${revived.map((r) => r.marker)}::text[]) AS r(id, marker)
      WHERE v.id = r.id`;
  }

  // 5. Packs: the newest written version's metadata when it is the newest live one, and the new newest.
  for (const [packId, touch] of touched) {
    const before = latest.get(packId) ?? null;
    const after = maxVersion(before, touch.live);
    const written = touch.written?.pack.manifest.version;
    if (touch.written && written !== undefined && (before === null || compareVersions(written, before) >= 0)) {
      const c = packColumnsOf(touch.written.pack.manifest);
      const logo = touch.written.logo?.digest ?? null;
      await tx.$executeRaw`
        UPDATE "Pack" SET "displayName" = ${c.displayName}, layer = ${c.layer}::"Layer", "addonType" = ${c.addonType},
          "addonSubType" = ${c.addonSubType}, "cloudTypes" = ${c.cloudTypes}::text[], "group" = ${c.group}, deprecated = ${c.deprecated},
          "logoDigest" = COALESCE(${logo}, "logoDigest"), "latestVersion" = ${after}, "updatedAt" = CURRENT_TIMESTAMP
        WHERE id = ${packId}::uuid`;
    } else if (after !== before || packs.find((p) => p.id === packId)?.latestVersion === null) {
      await tx.$executeRaw`UPDATE "Pack" SET "latestVersion" = ${after} WHERE id = ${packId}::uuid`;
    }
  }
  // The pack's deprecated flag follows its versions' lifecycle, a set one included (the one rule, pack.store.lifecycle.ts).
  await refreshPackDeprecated(tx, [...touched.keys()]);

  // 6. The batch's events, in the same transaction: one insert (plus one lookup when a version was deprecated).
  if (events && recorded.length > 0) await events.record(tx, recorded, await invalidatedVersions(tx, invalidated));
  return outcomes;
}

/** The newest live version of these packs may have changed (a removal, a revival, a delete): it is worked out afresh by the next write. */
export async function forgetLatestVersion(tx: Prisma.TransactionClient, packIds: readonly string[]): Promise<void> {
  if (packIds.length === 0) return;
  await tx.$executeRaw`UPDATE "Pack" SET "latestVersion" = NULL WHERE id = ANY(${[...packIds]}::uuid[])`;
}

function versionValues(id: string, packId: string, registryId: string, write: BatchedVersion): Prisma.Sql {
  const c = versionColumnsOf(write.pack);
  return Prisma.sql`(${id}::uuid, ${packId}::uuid, ${registryId}::uuid, ${write.pack.manifest.version}, ${write.archive.digest},
    ${write.archive.size}::bigint, ${c.values}, ${jsonText(c.presets)}::jsonb, ${jsonText(c.schema)}::jsonb, ${c.readme},
    ${jsonText(c.annotations)}::jsonb, ${jsonText(c.constraints)}::jsonb, ${c.charts}::text[], ${c.manifests}::text[],
    ${c.cloudTypes}::text[], ${jsonText(c.packJson)}::jsonb, ${c.deprecated}, ${write.upstreamMarker}, ${write.message},
    ${write.publishedBy}, CURRENT_TIMESTAMP)`;
}

/** A JSON column's value as text for a `::jsonb` cast; SQL NULL for what Prisma would store as DbNull. */
function jsonText(value: unknown): string | null {
  if (value === null || value === undefined || value === Prisma.DbNull) return null;
  return JSON.stringify(value);
}

function maxVersion(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareVersions(a, b) >= 0 ? a : b;
}

function newestOf(writes: readonly BatchedVersion[]): BatchedVersion {
  return writes.reduce((best, w) => (compareVersions(w.pack.manifest.version, best.pack.manifest.version) > 0 ? w : best));
}
