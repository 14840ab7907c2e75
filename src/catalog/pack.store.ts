/**
 * The catalog's store: the only code that runs SQL on Pack, PackVersion, PackTag (reads in
 * pack.store.reads.ts, writes here) and Artifact (artifact-rows.store.ts). Services keep the rules
 * (who may write, what conflicts) and call it; the mapping between a `PackManifest` and the
 * columns is pack.store.columns.ts.
 */
import type { Db } from '../platform/database.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { PackLifecycleOverride } from '../packs/pack-lifecycle.js';
import type { ReadPack } from '../packs/pack.types.js';
import type { ArtifactRowStore } from './artifact-rows.store.js';
import type { CatalogChangeNotifier } from './catalog.changes.js';
import { eventRecorder, type EventRecorder } from '../events/event.store.js';
import { forgetLatestVersion, writeVersionBatch, type BatchedOutcome, type BatchedVersion } from './pack.store.batch.js';
import { invalidatedVersions, lifecycleEvent, publishedEvent, type InvalidatedRow } from './pack.store.events.js';
import { refreshPackDeprecated } from './pack.store.lifecycle.js';
import { PackStoreReads } from './pack.store.reads.js';

export type { BatchedOutcome, BatchedVersion } from './pack.store.batch.js';

/** A stored version as ingestion compares it with what arrives. */
export interface StoredVersion {
  id: string;
  packId: string;
  digest: string;
  removedAt: Date | null;
  upstreamMarker: string | null;
}

export interface VersionMarker {
  name: string;
  version: string;
  upstreamMarker: string | null;
  digest: string;
  removedAt: Date | null;
}

/** The rows of one ingested version: its objects are stored already. */
export interface VersionWrite {
  registryId: string;
  pack: ReadPack;
  /** The archive object, and the logo object when the pack has one. */
  archive: { digest: string; size: number };
  logo: { digest: string; size: number } | null;
  /** The version row this write replaces (same registry, name and version), if any. */
  existingId?: string;
  upstreamMarker: string | null;
  message: string | null;
  publishedBy: string;
}

export class PackStore extends PackStoreReads {
  /** The Artifact table: objects the catalog, OCI pushes and the collector record. */
  readonly artifacts: ArtifactRowStore;

  /**
   * Told after every write to packs, versions or tags commits, so read caches (here and, by NOTIFY,
   * in other replicas) drop what they hold: every catalog write path runs through this store.
   */
  private readonly changes: CatalogChangeNotifier;

  /** Records each write's events in the write's own transaction (the outbox, src/events/). */
  private readonly events: EventRecorder;

  constructor(prisma: Db, artifacts: ArtifactRowStore, changes: CatalogChangeNotifier = { changed: () => undefined }, events: EventRecorder = eventRecorder()) {
    super(prisma);
    this.artifacts = artifacts;
    this.changes = changes;
    this.events = events;
  }

  findVersion(registryId: string, name: string, version: string): Promise<StoredVersion | null> {
    return this.prisma.packVersion.findFirst({
      where: { registryId, version, pack: { name } },
      select: { id: true, packId: true, digest: true, removedAt: true, upstreamMarker: true },
    });
  }

  /** The same bytes seen again: the version is live again, with the upstream's current marker. */
  async reviveVersion(id: string, upstreamMarker: string | null): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const before = await tx.packVersion.findUniqueOrThrow({ where: { id }, select: { removedAt: true } });
      const row = await tx.packVersion.update({
        where: { id },
        data: { removedAt: null, upstreamMarker },
        select: { packId: true, registryId: true, version: true, digest: true, pack: { select: { name: true } } },
      });
      // A version back from removal may be the newest again: the pack's next write works it out afresh.
      await forgetLatestVersion(tx, [row.packId]);
      if (before.removedAt) await this.events.record(tx, [publishedEvent(row.registryId, row.pack.name, row.version, { digest: row.digest, status: 'revived' })]);
    });
    this.changes.changed();
  }

  /**
   * Writes the Artifact, Pack and PackVersion rows of one version in one transaction (its objects
   * are stored already: a row never points at a missing object). A stored version other than
   * `existingId` with other bytes (a concurrent writer won) is left alone: the outcome says `conflict`.
   */
  async writeVersion(write: VersionWrite): Promise<BatchedOutcome> {
    const [outcome] = await this.writeVersions(write.registryId, [{ ...write, overwrite: write.existingId !== undefined }]);
    return outcome;
  }

  /**
   * Writes the rows of many versions of one registry in one transaction (pack.store.batch.ts; the
   * objects are stored and durable already). Names and versions must be distinct within a batch.
   * Answers one outcome per write, in order; a stored version with other bytes is a `conflict`
   * where the write may not overwrite it.
   */
  async writeVersions(registryId: string, writes: readonly BatchedVersion[]): Promise<BatchedOutcome[]> {
    if (writes.length === 0) return [];
    const outcomes = await this.inTransactionWithRetry((tx) => writeVersionBatch(tx, registryId, writes, this.events));
    if (outcomes.some((o) => o.status !== 'conflict')) this.changes.changed();
    return outcomes;
  }

  /**
   * Runs the row writes in one transaction, retrying when PostgreSQL reports a deadlock or
   * serialization failure (P2034) or the pool had no connection in time (P2028): concurrent
   * pushes of the same pack may collide on its rows, and the loser's retry then sees the winner.
   */
  private async inTransactionWithRetry<T>(work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.prisma.$transaction(work, { maxWait: 15_000, timeout: 30_000 });
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (attempt >= 4 || (code !== 'P2034' && code !== 'P2028')) throw error;
        await new Promise((resolve) => setTimeout(resolve, 25 * attempt + Math.random() * 50));
      }
    }
  }

  async listVersionMarkers(registryId: string): Promise<VersionMarker[]> {
    const rows = await this.prisma.packVersion.findMany({
      where: { registryId },
      select: { version: true, upstreamMarker: true, digest: true, removedAt: true, pack: { select: { name: true } } },
    });
    return rows.map((r) => ({ name: r.pack.name, version: r.version, upstreamMarker: r.upstreamMarker, digest: r.digest, removedAt: r.removedAt }));
  }

  /** Marks live versions removed upstream (they stay pullable); answers how many were marked. */
  async markRemoved(registryId: string, versions: Array<{ name: string; version: string }>): Promise<number> {
    if (versions.length === 0) return 0;
    const rows = await this.prisma.packVersion.findMany({
      where: { registryId, removedAt: null, OR: versions.map((v) => ({ version: v.version, pack: { name: v.name } })) },
      select: { id: true, packId: true },
    });
    const count = await this.prisma.$transaction(async (tx) => {
      const { count: marked } = await tx.packVersion.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { removedAt: new Date() } });
      // The newest of these packs may be gone: their next write works it out afresh.
      await forgetLatestVersion(tx, [...new Set(rows.map((r) => r.packId))]);
      // So may their last ACTIVE version.
      await refreshPackDeprecated(tx, [...new Set(rows.map((r) => r.packId))]);
      return marked;
    });
    if (count > 0) this.changes.changed();
    return count;
  }

  /**
   * Deprecates the versions of a registry whose `name@version` is not in `kept` (and each pack none
   * of whose versions is kept); answers how many versions were deprecated.
   */
  async deprecateVersionsNotIn(registryId: string, kept: Set<string>): Promise<number> {
    const count = await this.prisma.$transaction(async (tx) => {
      const versions = await tx.packVersion.findMany({
        where: { registryId, deprecated: false },
        select: { id: true, version: true, packId: true, pack: { select: { name: true } } },
      });
      const dropped = versions.filter((v) => !kept.has(`${v.pack.name}@${v.version}`));
      if (dropped.length === 0) return 0;
      await tx.packVersion.updateMany({ where: { id: { in: dropped.map((v) => v.id) } }, data: { deprecated: true } });
      const packIds = [...new Set(dropped.map((v) => v.packId))];
      const stillKept = await tx.packVersion.groupBy({ by: ['packId'], where: { packId: { in: packIds }, deprecated: false } });
      const keep = new Set(stillKept.map((r) => r.packId));
      await tx.pack.updateMany({ where: { id: { in: packIds.filter((id) => !keep.has(id)) } }, data: { deprecated: true } });
      const rows: InvalidatedRow[] = dropped.map((v) => ({ versionId: v.id, registryId, pack: v.pack.name, version: v.version, reason: 'DEPRECATED' }));
      const changes = rows.map((r) => lifecycleEvent(registryId, r.pack, r.version, 'ACTIVE', 'DEPRECATED', { reason: 'VANISHED_UPSTREAM' }));
      await this.events.record(tx, changes, await invalidatedVersions(tx, rows));
      return dropped.length;
    });
    if (count > 0) this.changes.changed();
    return count;
  }

  /** Deletes a version, and its pack with it when it was the last one. Its objects stay for the collector. */
  async deleteVersion(version: { id: string; packId: string }, actor?: string): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const row = await tx.packVersion.findUniqueOrThrow({
        where: { id: version.id },
        select: { registryId: true, version: true, digest: true, pack: { select: { name: true } } },
      });
      // Read before the delete: the version's tags go with it.
      const invalidated = await invalidatedVersions(tx, [{ versionId: version.id, registryId: row.registryId, pack: row.pack.name, version: row.version, reason: 'DELETED' }]);
      await tx.packVersion.delete({ where: { id: version.id } });
      const left = await tx.packVersion.count({ where: { packId: version.packId } });
      if (left === 0) await tx.pack.delete({ where: { id: version.packId } });
      else await forgetLatestVersion(tx, [version.packId]);
      const deleted = { type: 'PACK_VERSION_DELETED' as const, registryId: row.registryId, pack: row.pack.name, version: row.version, data: { reason: 'DELETED', digest: row.digest, deletedBy: actor ?? null } };
      await this.events.record(tx, [deleted], invalidated);
    });
    this.changes.changed();
  }

  /**
   * A publisher's lifecycle of one version (packs/pack-lifecycle.ts), its `deprecated` flag kept in
   * step and its pack's `deprecated` recomputed in the same transaction (pack.store.lifecycle.ts):
   * a catalog change, so listing pages and resolution caches at the old generation are dropped.
   * A change of state, eol or replacement records PACK_LIFECYCLE_CHANGED; a move to DEPRECATED or
   * DISABLED also PROFILE_INVALIDATED for the saved profiles on the version (same transaction).
   */
  async setLifecycle(versionId: string, lifecycle: PackLifecycleOverride): Promise<void> {
    const state = lifecycle.state ?? 'ACTIVE';
    await this.prisma.$transaction(async (tx) => {
      const before = await tx.packVersion.findUniqueOrThrow({
        where: { id: versionId },
        select: { registryId: true, version: true, deprecated: true, lifecycle: true, pack: { select: { name: true } } },
      });
      const { packId } = await tx.packVersion.update({
        where: { id: versionId },
        data: { lifecycle: lifecycle as Prisma.InputJsonValue, deprecated: state !== 'ACTIVE' },
        select: { packId: true },
      });
      await refreshPackDeprecated(tx, [packId]);
      const previous = (before.lifecycle ?? null) as PackLifecycleOverride | null;
      const from = previous?.state ?? (before.deprecated ? 'DEPRECATED' : 'ACTIVE');
      const same = from === state && (previous?.eol ?? null) === (lifecycle.eol ?? null) && (previous?.replacedBy ?? null) === (lifecycle.replacedBy ?? null);
      if (same) return;
      const pack = before.pack.name;
      const invalidated =
        state !== 'ACTIVE' && from !== state
          ? await invalidatedVersions(tx, [{ versionId, registryId: before.registryId, pack, version: before.version, reason: state }])
          : [];
      const extra = { eol: lifecycle.eol ?? null, replacedBy: lifecycle.replacedBy ?? null, setBy: lifecycle.setBy ?? null };
      await this.events.record(tx, [lifecycleEvent(before.registryId, pack, before.version, from, state, extra)], invalidated);
    });
    this.changes.changed();
  }

  /** Points `tag` of a pack at a version: a tag names one version, so setting it again moves it (PACK_TAG_MOVED). */
  async setTag(version: { id: string; packId: string }, tag: string, actor?: string): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      // One statement moves the tag, so callers setting it at once meet on the unique key (the later
      // one updates, none fails, none waits on a lock held across statements); a caller that changes
      // nothing writes nothing and records no event.
      const previous = await tx.$queryRaw<{ version: string }[]>`
        SELECT v.version FROM "PackTag" t JOIN "PackVersion" v ON v.id = t."versionId"
        WHERE t."packId" = ${version.packId}::uuid AND t.tag = ${tag}`;
      const moved = await tx.$queryRaw<{ moved: number }[]>`
        INSERT INTO "PackTag" (id, "packId", "versionId", tag) VALUES (gen_random_uuid(), ${version.packId}::uuid, ${version.id}::uuid, ${tag})
        ON CONFLICT ("packId", tag) DO UPDATE SET "versionId" = EXCLUDED."versionId"
        WHERE "PackTag"."versionId" IS DISTINCT FROM EXCLUDED."versionId"
        RETURNING 1 AS moved`;
      if (moved.length === 0) return;
      const row = await tx.packVersion.findUniqueOrThrow({ where: { id: version.id }, select: { version: true, registryId: true, pack: { select: { name: true } } } });
      const from = previous[0]?.version ?? null;
      await this.events.record(tx, [tagEvent(row.registryId, row.pack.name, row.version, { tag, from, to: row.version, by: actor ?? null })]);
    });
    this.changes.changed();
  }

  /** Deletes `tag` of pack `name` in a registry; answers whether there was one (PACK_TAG_MOVED to nothing). */
  async deleteTag(registryId: string, name: string, tag: string, actor?: string): Promise<boolean> {
    const deleted = await this.prisma.$transaction(async (tx) => {
      const row = await tx.packTag.findFirst({ where: { tag, pack: { name, registryId } }, select: { id: true, version: { select: { version: true } } } });
      if (!row) return false;
      await tx.packTag.delete({ where: { id: row.id } });
      await this.events.record(tx, [tagEvent(registryId, name, row.version.version, { tag, from: row.version.version, to: null, by: actor ?? null })]);
      return true;
    });
    if (deleted) this.changes.changed();
    return deleted;
  }
}

/** A publisher tag moved (parent tags are computed from versions and record nothing). */
function tagEvent(registryId: string, pack: string, version: string, data: { tag: string; from: string | null; to: string | null; by: string | null }) {
  return { type: 'PACK_TAG_MOVED' as const, registryId, pack, version, data };
}
