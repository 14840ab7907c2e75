/**
 * The Artifact table (one row per stored object) and the questions asked of it together with the
 * rows that reference objects (a version's digest, a pack's logo, a pushed manifest's layer). Part of
 * the catalog's store: the only SQL on Artifact. It answers the collector through
 * `ArtifactReferences`, the interface src/artifacts defines.
 */
import type { Db } from '../platform/database.js';
import { Prisma } from '../generated/prisma/client.js';
import type { Principal } from '../auth/principal.js';
import type { ArtifactReferences, ManifestLinks, ReleasedArtifactRow } from '../artifacts/artifact.gc.job.js';
import { readableRegistrySql } from './pack.store.reads.js';

export interface ArtifactRow {
  digest: string;
  size: bigint;
  mediaType: string;
}

/** An Artifact row with whether a version or logo needs it: in a registry the caller may read, and anywhere. */
export interface ArtifactNeeds {
  artifact: ArtifactRow;
  neededByReadable: boolean;
  neededAtAll: boolean;
}

/** The digests live manifests need (themselves and their config blobs), as a SQL subquery of one `digest` column. */
function neededByManifests(links: ManifestLinks[]): Prisma.Sql {
  const manifests = links.map((l) => l.digest);
  const layers = links.map((l) => l.layer);
  const configs = links.map((l) => l.config);
  return Prisma.sql`
    SELECT m.digest FROM unnest(${manifests}::text[], ${layers}::text[], ${configs}::text[]) AS m(digest, layer, config)
    WHERE EXISTS (SELECT 1 FROM "PackVersion" v WHERE v.digest = m.layer)
    UNION ALL
    SELECT m.config FROM unnest(${manifests}::text[], ${layers}::text[], ${configs}::text[]) AS m(digest, layer, config)
    WHERE EXISTS (SELECT 1 FROM "PackVersion" v WHERE v.digest = m.layer)
    UNION ALL
    ${NEEDED_BY_REFERRERS}`;
}

/** A referrer (referrer.store.ts) and its blobs live while its subject's version does. */
const NEEDED_BY_REFERRERS = Prisma.sql`SELECT x.digest FROM "ArtifactReferrer" f CROSS JOIN LATERAL unnest(f.blobs || f.digest) AS x(digest)
    WHERE EXISTS (SELECT 1 FROM "PackVersion" v WHERE v.digest = f."subjectLayer" AND v."registryId" = f."registryId")`;

/** A referrer of a repository in registry `r` that needs `a.digest` (itself or a blob), subject live or not yet pushed. */
const REFERRER_NEEDS = Prisma.sql`SELECT 1 FROM "ArtifactReferrer" f JOIN "Registry" r ON r.id = f."registryId"
    WHERE (f.digest = a.digest OR a.digest = ANY(f.blobs))
      AND (f."subjectLayer" IS NULL OR EXISTS (SELECT 1 FROM "PackVersion" v WHERE v.digest = f."subjectLayer" AND v."registryId" = f."registryId"))`;

export class ArtifactRowStore implements ArtifactReferences {
  constructor(private readonly prisma: Db) {}

  find(digest: string): Promise<ArtifactRow | null> {
    return this.prisma.artifact.findUnique({ where: { digest }, select: { digest: true, size: true, mediaType: true } });
  }

  /** Records stored objects; a row already there is kept as it is. */
  async record(rows: ArtifactRow[]): Promise<void> {
    await this.prisma.artifact.createMany({ data: rows, skipDuplicates: true });
  }

  /** Gives the object `digest` the media type `to`, when it is still recorded as `from`. */
  async retype(digest: string, from: string, to: string): Promise<void> {
    await this.prisma.artifact.updateMany({ where: { digest, mediaType: from }, data: { mediaType: to } });
  }

  /** The Artifact row of `digest` and what needs it (a version or logo, readable by the caller or by anyone): one statement. */
  async needs(actor: Principal, digest: string): Promise<ArtifactNeeds | null> {
    const readable = readableRegistrySql(actor);
    const [row] = await this.prisma.$queryRaw<Array<ArtifactRow & { neededByReadable: boolean; neededAtAll: boolean }>>`
      SELECT a.digest, a.size, a."mediaType",
        (EXISTS (SELECT 1 FROM "PackVersion" v JOIN "Registry" r ON r.id = v."registryId" WHERE v.digest = a.digest AND ${readable})
         OR EXISTS (SELECT 1 FROM "Pack" p JOIN "Registry" r ON r.id = p."registryId" WHERE p."logoDigest" = a.digest AND ${readable})
         OR EXISTS (${REFERRER_NEEDS} AND ${readable})) AS "neededByReadable",
        (EXISTS (SELECT 1 FROM "PackVersion" v WHERE v.digest = a.digest)
         OR EXISTS (SELECT 1 FROM "Pack" p WHERE p."logoDigest" = a.digest)
         OR EXISTS (${REFERRER_NEEDS})) AS "neededAtAll"
      FROM "Artifact" a WHERE a.digest = ${digest}`;
    if (!row) return null;
    return {
      artifact: { digest: row.digest, size: row.size, mediaType: row.mediaType },
      neededByReadable: row.neededByReadable,
      neededAtAll: row.neededAtAll,
    };
  }

  /** Whether one of `digests` is a version's tarball in a registry the caller may read. */
  async isReadableVersionDigest(actor: Principal, digests: string[]): Promise<boolean> {
    const readable = readableRegistrySql(actor);
    const [version] = await this.prisma.$queryRaw<Array<{ one: number }>>`
      SELECT 1 AS one FROM "PackVersion" v JOIN "Registry" r ON r.id = v."registryId"
      WHERE v.digest = ANY(${digests}::text[]) AND ${readable} LIMIT 1`;
    return version !== undefined;
  }

  ofMediaTypes(mediaTypes: string[]): Promise<ArtifactRow[]> {
    return this.prisma.artifact.findMany({ where: { mediaType: { in: mediaTypes } }, select: { digest: true, size: true, mediaType: true } });
  }

  /**
   * Releases the rows of `digests` that nothing live needs and that are older than `cutoff`, and
   * answers the digests whose objects must stay: the live ones and those that still have a row (too
   * young, or referenced again meanwhile). One transaction: the DELETE re-checks every reference
   * itself, and the foreign key from PackVersion makes a version written concurrently fail the
   * delete rather than lose its artifact.
   */
  async releaseUnneeded(
    digests: string[],
    links: ManifestLinks[],
    cutoff: Date,
    dryRun: boolean,
  ): Promise<{ kept: Set<string>; released: ReleasedArtifactRow[] }> {
    if (digests.length === 0) return { kept: new Set(), released: [] };
    // timestamp(3) columns hold UTC; a literal's zone is ignored by the cast, so pass the UTC text.
    const before = cutoff.toISOString();
    return this.prisma.$transaction(async (tx) => {
      let released: ReleasedArtifactRow[] = [];
      if (!dryRun) {
        released = await tx.$queryRaw<ReleasedArtifactRow[]>`
          WITH needed AS (${neededByManifests(links)})
          DELETE FROM "Artifact" a
          WHERE a.digest = ANY(${digests}::text[])
            AND a."createdAt" < ${before}::timestamp
            AND NOT EXISTS (SELECT 1 FROM "PackVersion" v WHERE v.digest = a.digest)
            AND NOT EXISTS (SELECT 1 FROM "Pack" p WHERE p."logoDigest" = a.digest)
            AND NOT EXISTS (SELECT 1 FROM needed n WHERE n.digest = a.digest)
          RETURNING a.digest, a.size, a."mediaType", a."createdAt"`;
      }
      const kept = await tx.$queryRaw<Array<{ digest: string }>>`
        WITH needed AS (${neededByManifests(links)})
        SELECT d.digest FROM unnest(${digests}::text[]) AS d(digest)
        WHERE EXISTS (SELECT 1 FROM "PackVersion" v WHERE v.digest = d.digest)
           OR EXISTS (SELECT 1 FROM "Pack" p WHERE p."logoDigest" = d.digest)
           OR EXISTS (SELECT 1 FROM needed n WHERE n.digest = d.digest)
           OR EXISTS (SELECT 1 FROM "Artifact" a WHERE a.digest = d.digest AND (${!dryRun} OR a."createdAt" >= ${before}::timestamp))`;
      return { kept: new Set(kept.map((r) => r.digest)), released };
    });
  }

  async restore(rows: ReleasedArtifactRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.prisma.artifact.createMany({ data: rows, skipDuplicates: true });
  }
}
