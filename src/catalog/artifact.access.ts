/**
 * Authorised access to stored artifacts, for `GET /artifacts/sha256/<hex>` and the OCI blob
 * endpoint alike: `servable` is the one answer to "may this caller have these bytes".
 */
import type { Readable } from 'node:stream';
import type { Db } from '../platform/database.js';
import type { ArtifactStore, ByteRange } from '../artifacts/artifact.store.js';
import { hexToDigest } from '../artifacts/artifact.store.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import { assertCanRead, type AccessPolicy, type Principal } from '../auth/principal.js';
import { ManifestLinkReader } from '../artifacts/artifact.gc.job.js';
import { readableRegistrySql } from './pack.query.service.js';

export interface ArtifactDownload {
  digest: string;
  size: number;
  mediaType: string;
  /** A presigned URL to redirect to, when the store offers one and they are enabled. */
  redirectUrl?: string;
  open(range?: ByteRange): Promise<Readable>;
}

/** A stored object the caller may download. */
export interface ServableArtifact {
  digest: string;
  size: number;
  mediaType: string;
}

export class ArtifactAccessService {
  /** Pushed manifests are immutable (content addressed): their links are read once per process. */
  private readonly manifests: ManifestLinkReader;

  constructor(
    private readonly prisma: Db,
    private readonly artifacts: ArtifactStore,
    private readonly policy: AccessPolicy,
    private readonly options: { presignedDownloads: boolean },
  ) {
    this.manifests = new ManifestLinkReader(prisma, artifacts);
  }

  async open(actor: Principal, hex: string, fileName?: string): Promise<ArtifactDownload> {
    assertCanRead(actor, this.policy);
    const digest = hexToDigest(hex);
    if (!digest) throw new InvalidInputError('An artifact is addressed by 64 lowercase hex digits of its sha256.', { field: 'digest' });
    const row = await this.servable(actor, digest);
    if (!row) throw new NotFoundError(`No artifact ${digest}.`);
    const redirectUrl = this.options.presignedDownloads
      ? ((await this.artifacts.presignedGetUrl(digest, 300, fileName)) ?? undefined)
      : undefined;
    return { ...row, redirectUrl, open: (range) => this.artifacts.get(digest, range) };
  }

  /**
   * The object `digest` names, when something live needs it and the caller may read that thing: a
   * pack version (removed upstream ones included: they stay pullable) or a pack's logo in a registry
   * the caller may read, or a manifest pushed over OCI whose layer is such a version (and that
   * manifest's config blob, which a pull by the manifest's digest asks for). Null otherwise:
   * an object no row needs (awaiting the collector, an upload no manifest took) or needed only in
   * registries hidden from the caller is not found, whoever asks.
   */
  async servable(actor: Principal, digest: string): Promise<ServableArtifact | null> {
    assertCanRead(actor, this.policy);
    const found = await this.lookup(actor, digest);
    if (!found) return null;
    if (found.neededByReadable) return found.artifact;
    // The same links the collector keeps alive: a pushed manifest itself, or its config blob.
    const layers = (await this.manifests.all())
      .filter((link) => link.digest === digest || link.config === digest)
      .map((link) => link.layer);
    if (layers.length === 0) return null;
    const readable = readableRegistrySql(actor);
    const [version] = await this.prisma.$queryRaw<Array<{ one: number }>>`
      SELECT 1 AS one FROM "PackVersion" v JOIN "Registry" r ON r.id = v."registryId"
      WHERE v.digest = ANY(${layers}::text[]) AND ${readable} LIMIT 1`;
    return version ? found.artifact : null;
  }

  /**
   * The stored object `digest` when an OCI push may use it as its layer without uploading it: one
   * the caller may download, or an upload nothing needs yet. An object needed only in registries
   * hidden from the caller is not offered: a digest is no key to a PRIVATE registry's packs.
   */
  async reusableForPush(actor: Principal, digest: string): Promise<ServableArtifact | null> {
    const found = await this.lookup(actor, digest);
    if (!found) return null;
    return found.neededByReadable || !found.neededAtAll ? found.artifact : null;
  }

  /** The Artifact row, and whether a version or logo needs it: in a registry the caller may read, and anywhere. One statement. */
  private async lookup(
    actor: Principal,
    digest: string,
  ): Promise<{ artifact: ServableArtifact; neededByReadable: boolean; neededAtAll: boolean } | null> {
    const readable = readableRegistrySql(actor);
    const [row] = await this.prisma.$queryRaw<
      Array<{ digest: string; size: bigint; mediaType: string; neededByReadable: boolean; neededAtAll: boolean }>
    >`
      SELECT a.digest, a.size, a."mediaType",
        (EXISTS (SELECT 1 FROM "PackVersion" v JOIN "Registry" r ON r.id = v."registryId" WHERE v.digest = a.digest AND ${readable})
         OR EXISTS (SELECT 1 FROM "Pack" p JOIN "Registry" r ON r.id = p."registryId" WHERE p."logoDigest" = a.digest AND ${readable})) AS "neededByReadable",
        (EXISTS (SELECT 1 FROM "PackVersion" v WHERE v.digest = a.digest)
         OR EXISTS (SELECT 1 FROM "Pack" p WHERE p."logoDigest" = a.digest)) AS "neededAtAll"
      FROM "Artifact" a WHERE a.digest = ${digest}`;
    if (!row) return null;
    return {
      artifact: { digest: row.digest, size: Number(row.size), mediaType: row.mediaType },
      neededByReadable: row.neededByReadable,
      neededAtAll: row.neededAtAll,
    };
  }
}
