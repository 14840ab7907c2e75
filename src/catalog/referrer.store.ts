/**
 * The ArtifactReferrer table: OCI manifests pushed with a `subject` (signatures, SBOMs) or to
 * cosign's `sha256-<hex>.sig` tag, linked to the manifest they refer to. The only SQL on it. A
 * referrer follows its subject: it is listed and served while a version holds the subject's pack
 * tarball (`subjectLayer`), and the collector keeps its blobs exactly that long (artifact-rows.store.ts).
 * A referrer pushed before its subject waits with `subjectLayer` null until the subject lands
 * (`attachSubject`); the collector's grace period is how long it may wait.
 */
import type { Db } from '../platform/database.js';
import { Prisma } from '../generated/prisma/client.js';
import type { Principal } from '../auth/principal.js';
import { readableRegistrySql } from './pack.store.reads.js';
import type { CatalogChanges } from './catalog.changes.js';

export interface ReferrerRow {
  digest: string;
  subjectDigest: string;
  subjectLayer: string | null;
  mediaType: string;
  artifactType: string;
  size: bigint;
  blobs: string[];
  annotations: Record<string, string> | null;
  tag: string | null;
  createdAt: Date;
}

export interface NewReferrer {
  registryId: string;
  pack: string;
  digest: string;
  subjectDigest: string;
  subjectLayer: string | null;
  mediaType: string;
  artifactType: string;
  size: number;
  blobs: string[];
  annotations: Record<string, string> | null;
  tag: string | null;
}

/** Listed only while its manifest is stored and its subject (when known) is a version's: a referrer follows its subject. */
/**
 * Whether the version `v` (a "PackVersion" row) of the pack named `packName` has a signature that a
 * trusted key of its registry's current policy verifies: a referrer linked to its tarball whose
 * `verifiedKey` is set. The one definition of "verified" for the listing's `verified` filter and
 * profile validation's UNSIGNED_PACK.
 */
export function versionVerifiedSql(packName: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM "ArtifactReferrer" f
    WHERE f."registryId" = v."registryId" AND f.pack = ${packName} AND f."subjectLayer" = v.digest AND f."verifiedKey" IS NOT NULL)`;
}

const LIVE = Prisma.sql`EXISTS (SELECT 1 FROM "Artifact" a WHERE a.digest = f.digest)
  AND (f."subjectLayer" IS NULL OR EXISTS (SELECT 1 FROM "PackVersion" v WHERE v.digest = f."subjectLayer" AND v."registryId" = f."registryId"))`;

export class ReferrerStore {
  constructor(
    private readonly prisma: Db,
    /**
     * The `verified` filter of the listing and profile validation's signature state read
     * `verifiedKey` and `subjectLayer`: a change of either is a catalog change (cached pages and
     * resolutions drop).
     */
    private readonly changes?: CatalogChanges,
  ) {}

  /** Records which trusted key verifies each referrer now (null: none); notifies a catalog change when any differs. */
  async setVerified(registryId: string, pack: string, verified: Array<{ digest: string; keyName: string | null }>): Promise<void> {
    if (verified.length === 0) return;
    const changed = await this.prisma.$executeRaw`
      UPDATE "ArtifactReferrer" f SET "verifiedKey" = u.key
      FROM unnest(${verified.map((v) => v.digest)}::text[], ${verified.map((v) => v.keyName)}::text[]) AS u(digest, key)
      WHERE f."registryId" = ${registryId}::uuid AND f.pack = ${pack} AND f.digest = u.digest AND f."verifiedKey" IS DISTINCT FROM u.key`;
    if (changed > 0) this.changes?.changed();
  }

  /** Every referrer of a registry (a policy change checks them all again), or only some of one pack's. */
  async ofRegistry(registryId: string, only?: { pack: string; digests: string[] }): Promise<Array<ReferrerRow & { pack: string }>> {
    const some = only ? Prisma.sql`AND f.pack = ${only.pack} AND f.digest = ANY(${only.digests}::text[])` : Prisma.empty;
    return this.prisma.$queryRaw<Array<ReferrerRow & { pack: string }>>`
      SELECT f.pack, f.digest, f."subjectDigest", f."subjectLayer", f."mediaType", f."artifactType", f.size, f.blobs, f.annotations, f.tag, f."createdAt"
      FROM "ArtifactReferrer" f WHERE f."registryId" = ${registryId}::uuid ${some} AND EXISTS (SELECT 1 FROM "Artifact" a WHERE a.digest = f.digest)`;
  }

  /** Records (or re-records, e.g. moved to a tag again) a pushed referrer manifest; its object is stored already. */
  async record(row: NewReferrer): Promise<void> {
    const data = { ...row, size: BigInt(row.size), annotations: row.annotations ?? Prisma.DbNull };
    await this.prisma.artifactReferrer.upsert({
      where: { registryId_pack_digest: { registryId: row.registryId, pack: row.pack, digest: row.digest } },
      create: data,
      update: { tag: row.tag ?? undefined, subjectLayer: row.subjectLayer ?? undefined, createdAt: new Date() },
    });
    // Re-recorded with its subject known, an already verified referrer may now sign a version.
    if (row.subjectLayer !== null) this.changes?.changed();
  }

  /** Links the referrers waiting for one of `subjectDigests` (a version's manifests) to the version's tarball. */
  async attachSubject(registryId: string, pack: string, subjectDigests: string[], layer: string): Promise<void> {
    const { count } = await this.prisma.artifactReferrer.updateMany({
      where: { registryId, pack, subjectDigest: { in: subjectDigests }, subjectLayer: null },
      data: { subjectLayer: layer },
    });
    if (count > 0) this.changes?.changed();
  }

  /** `attachSubject` for a registry known by name (a read found the subject). */
  async attachSubjectByName(registryName: string, pack: string, subjectDigests: string[], layer: string): Promise<void> {
    const count = await this.prisma.$executeRaw`
      UPDATE "ArtifactReferrer" f SET "subjectLayer" = ${layer}
      FROM "Registry" r WHERE r.id = f."registryId" AND r.name = ${registryName}
        AND f.pack = ${pack} AND f."subjectDigest" = ANY(${subjectDigests}::text[]) AND f."subjectLayer" IS NULL`;
    if (count > 0) this.changes?.changed();
  }

  /** The live referrers of `subjectDigest` in a repository the caller may read, oldest first. */
  async list(actor: Principal, registryName: string, pack: string, subjectDigest: string): Promise<ReferrerRow[]> {
    return this.prisma.$queryRaw<ReferrerRow[]>`
      SELECT f.digest, f."subjectDigest", f."subjectLayer", f."mediaType", f."artifactType", f.size, f.blobs, f.annotations, f.tag, f."createdAt"
      FROM "ArtifactReferrer" f JOIN "Registry" r ON r.id = f."registryId"
      WHERE r.name = ${registryName} AND ${readableRegistrySql(actor)} AND f.pack = ${pack} AND f."subjectDigest" = ${subjectDigest} AND ${LIVE}
      ORDER BY f."createdAt", f.digest`;
  }

  /** The referrers of any of `subjectDigests` in one registry (for the signature check of a push: no read scope). */
  async ofSubjects(registryId: string, pack: string, subjectDigests: string[]): Promise<ReferrerRow[]> {
    return this.prisma.$queryRaw<ReferrerRow[]>`
      SELECT f.digest, f."subjectDigest", f."subjectLayer", f."mediaType", f."artifactType", f.size, f.blobs, f.annotations, f.tag, f."createdAt"
      FROM "ArtifactReferrer" f
      WHERE f."registryId" = ${registryId}::uuid AND f.pack = ${pack} AND f."subjectDigest" = ANY(${subjectDigests}::text[])
        AND EXISTS (SELECT 1 FROM "Artifact" a WHERE a.digest = f.digest)
      ORDER BY f."createdAt", f.digest`;
  }

  /** `ofSubjects` for many versions at once (a page of the API): one statement; `key` says which request a row answers. */
  async ofSubjectsMany(
    requests: Array<{ key: number; registryId: string; pack: string; subject: string; layer: string }>,
  ): Promise<Array<ReferrerRow & { key: number }>> {
    if (requests.length === 0) return [];
    // By the canonical manifest, or by the version's tarball for referrers of a manifest pushed with other bytes (linked on push).
    return this.prisma.$queryRaw<Array<ReferrerRow & { key: number }>>`
      SELECT q.key, f.digest, f."subjectDigest", f."subjectLayer", f."mediaType", f."artifactType", f.size, f.blobs, f.annotations, f.tag, f."createdAt"
      FROM unnest(${requests.map((r) => r.key)}::int[], ${requests.map((r) => r.registryId)}::uuid[], ${requests.map((r) => r.pack)}::text[],
                  ${requests.map((r) => r.subject)}::text[], ${requests.map((r) => r.layer)}::text[])
        AS q(key, "registryId", pack, subject, layer)
      JOIN "ArtifactReferrer" f ON f."registryId" = q."registryId" AND f.pack = q.pack AND (f."subjectDigest" = q.subject OR f."subjectLayer" = q.layer)
      WHERE EXISTS (SELECT 1 FROM "Artifact" a WHERE a.digest = f.digest)
      ORDER BY f."createdAt", f.digest`;
  }

  /** One live referrer manifest of a readable repository, by its digest, or (newest first) by its tag-schema tag. */
  async find(actor: Principal, registryName: string, pack: string, reference: { digest?: string; tag?: string }): Promise<ReferrerRow | null> {
    const match = reference.digest ? Prisma.sql`f.digest = ${reference.digest}` : Prisma.sql`f.tag = ${reference.tag ?? ''}`;
    const [row] = await this.prisma.$queryRaw<ReferrerRow[]>`
      SELECT f.digest, f."subjectDigest", f."subjectLayer", f."mediaType", f."artifactType", f.size, f.blobs, f.annotations, f.tag, f."createdAt"
      FROM "ArtifactReferrer" f JOIN "Registry" r ON r.id = f."registryId"
      WHERE r.name = ${registryName} AND ${readableRegistrySql(actor)} AND f.pack = ${pack} AND ${match} AND ${LIVE}
      ORDER BY f."createdAt" DESC LIMIT 1`;
    return row ?? null;
  }

  /** The tag-schema tags of a readable repository's live referrers. */
  async tags(actor: Principal, registryName: string, pack: string): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<Array<{ tag: string }>>`
      SELECT DISTINCT f.tag FROM "ArtifactReferrer" f JOIN "Registry" r ON r.id = f."registryId"
      WHERE r.name = ${registryName} AND ${readableRegistrySql(actor)} AND f.pack = ${pack} AND f.tag IS NOT NULL AND ${LIVE}`;
    return rows.map((r) => r.tag);
  }
}
