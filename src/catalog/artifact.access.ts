/**
 * Authorised access to stored artifacts, for `GET /artifacts/sha256/<hex>` and the OCI blob
 * endpoint alike: `servable` is the one answer to "may this caller have these bytes".
 */
import type { Readable, Writable } from 'node:stream';
import type { ArtifactStore, ByteRange } from '../artifacts/artifact.store.js';
import { hexToDigest } from '../artifacts/artifact.store.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import { assertCanRead, type AccessPolicy, type Principal } from '../auth/principal.js';
import { ManifestLinkReader, type ManifestFormat } from '../artifacts/artifact.gc.job.js';
import type { ArtifactRowStore } from './artifact-rows.store.js';

export interface ArtifactDownload {
  digest: string;
  size: number;
  mediaType: string;
  /**
   * With presigned downloads enabled (S3_PRESIGNED_DOWNLOADS) on a store that has URLs: a
   * short-lived presigned URL of the bytes, served as `mediaType` (and offered as `fileName` when
   * given), for the caller to redirect a GET to. Signed only when asked (HEAD and conditional
   * answers need none).
   */
  redirectUrl?: () => Promise<string | null>;
  open(range?: ByteRange): Promise<Readable>;
  /** Writes the bytes (or a range) into `destination` and ends it: the cheapest way to serve them (see ArtifactStore.sendTo). */
  send(destination: Writable, range?: ByteRange): Promise<void>;
}

/** A stored object the caller may download. */
export interface ServableArtifact {
  digest: string;
  size: number;
  mediaType: string;
}

/**
 * Lifetime of a presigned download URL: the client follows the redirect at once, so minutes are
 * plenty, and a URL that leaks is useless soon after (it skips every later access check).
 */
const PRESIGNED_DOWNLOAD_SECONDS = 300;

export class ArtifactAccessService {
  /** Pushed manifests are immutable (content addressed): their links are read once per process. */
  private readonly manifests: ManifestLinkReader;

  constructor(
    private readonly rows: ArtifactRowStore,
    private readonly artifacts: ArtifactStore,
    private readonly policy: AccessPolicy,
    private readonly options: { presignedDownloads: boolean },
    manifestFormat: ManifestFormat,
  ) {
    this.manifests = new ManifestLinkReader(rows, artifacts, manifestFormat);
  }

  async open(actor: Principal, hex: string, fileName?: string): Promise<ArtifactDownload> {
    assertCanRead(actor, this.policy);
    const digest = hexToDigest(hex);
    if (!digest) throw new InvalidInputError('An artifact is addressed by 64 lowercase hex digits of its sha256.', { field: 'digest' });
    const row = await this.servable(actor, digest);
    if (!row) throw new NotFoundError(`No artifact ${digest}.`);
    const redirectUrl = this.options.presignedDownloads
      ? () => this.artifacts.presignedGetUrl(digest, PRESIGNED_DOWNLOAD_SECONDS, fileName, row.mediaType)
      : undefined;
    return {
      ...row,
      redirectUrl,
      open: (range) => this.artifacts.get(digest, range),
      send: (destination, range) => this.artifacts.sendTo(digest, destination, range),
    };
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
    return (await this.rows.isReadableVersionDigest(actor, layers)) ? found.artifact : null;
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
    const found = await this.rows.needs(actor, digest);
    if (!found) return null;
    const { artifact } = found;
    return { ...found, artifact: { digest: artifact.digest, size: Number(artifact.size), mediaType: artifact.mediaType } };
  }
}
