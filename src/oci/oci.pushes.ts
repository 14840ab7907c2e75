/**
 * OCI writes into HOSTED registries: blob uploads (sessions, chunks, monolithic) and manifest
 * pushes, which land through `PackIngestService` with the same reader and rules as `pushPack`.
 *
 * Write order of a push: an uploaded blob goes to the artifact store first, then gets its Artifact
 * row (so a manifest can find it, and a row never points at a missing object); the manifest PUT then
 * ingests the layer (object already stored, then the version rows).
 */
import path from 'node:path';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { ArtifactStore } from '../artifacts/artifact.store.js';
import { digestOf, sha256File } from '../platform/hashing.js';
import { assertCanPublish, type Principal } from '../auth/principal.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import type { ArtifactAccessService } from '../catalog/artifact.access.js';
import type { ArtifactRowStore } from '../catalog/artifact-rows.store.js';
import type { PackIngestService } from '../catalog/pack.ingest.js';
import { SignatureRefusedError } from '../catalog/signature.gate.js';
import { isPublisherTag, type PackPublishService } from '../catalog/pack.publish.service.js';
import type { ReadPack } from '../packs/pack.types.js';
import { OciError, toOciError } from './oci.errors.js';
import { EMPTY_CONFIG_DIGEST, isDigest, isTag, packManifest, parsePushedManifest, type RepositoryName } from './oci.manifest.js';
import { parseName } from './oci.pulls.js';
import type { UploadSession, UploadSessionStore } from './oci.uploads.js';

export interface PushedManifestResult {
  digest: string;
  name: string;
  version: string;
  status: 'created' | 'updated' | 'unchanged';
  /** The publisher tag the push set or moved to this version, when it was pushed to one. */
  tag?: string;
  /** Where referrers waiting for this manifest (or the version's canonical one) link to: the registry, pack and tarball. */
  subject: { registryId: string; pack: string; digests: string[]; layer: string };
}

/** Media type recorded for a blob pushed over OCI, until a manifest says what it is. */
const UPLOADED_BLOB_TYPE = 'application/octet-stream';

export interface OciPushDeps {
  artifacts: ArtifactStore;
  /** The Artifact rows of uploaded blobs and pushed manifests. */
  artifactRows: ArtifactRowStore;
  ingest: PackIngestService;
  /** Decides which stored blobs a push may reuse. */
  artifactAccess: ArtifactAccessService;
  /** Which registry takes pushes (the one HOSTED check), and publisher tags (a push to `group__label` moves the tag). */
  publish: Pick<PackPublishService, 'addTag' | 'writableRegistry'>;
  /** Upload sessions and manifest scratch space, with their quotas (shared: the composition root sweeps them). */
  uploads: UploadSessionStore;
}

export class OciPushService {
  constructor(private readonly deps: OciPushDeps) {}

  /** The HOSTED registry a repository pushes into, after the caller's publish rights are checked. */
  async writableRegistry(actor: Principal, name: string): Promise<{ id: string; name: string; kind: 'HOSTED'; repo: RepositoryName }> {
    const repo = parseName(name);
    try {
      assertCanPublish(actor, repo.registry);
    } catch (error) {
      throw toOciError(error) ?? error;
    }
    try {
      const registry = await this.deps.publish.writableRegistry(actor, repo.registry);
      return { id: registry.id, name: registry.name, kind: 'HOSTED', repo };
    } catch (error) {
      // A registry hidden from the caller doesn't exist for it, for pushes as for pulls.
      if (error instanceof NotFoundError) throw new OciError('NAME_UNKNOWN', error.message, { name });
      if (error instanceof ForbiddenError) throw new OciError('DENIED', error.message, { name });
      throw error;
    }
  }

  /**
   * Whether a push may use a blob already here (cross-repository mounts, a manifest's config): one
   * the caller uploaded or may download. A blob needed only by registries hidden from it is absent.
   */
  async hasBlob(actor: Principal, digest: string): Promise<boolean> {
    if (digest === EMPTY_CONFIG_DIGEST) return true;
    return (await this.deps.artifactAccess.reusableForPush(actor, digest)) !== null;
  }

  async startUpload(actor: Principal, name: string): Promise<UploadSession> {
    await this.writableRegistry(actor, name);
    return this.deps.uploads.start(name, ownerOf(actor));
  }

  async uploadStatus(actor: Principal, name: string, uuid: string): Promise<number> {
    await this.writableRegistry(actor, name);
    await this.deps.uploads.open(uuid, name, ownerOf(actor));
    return this.deps.uploads.size(uuid);
  }

  /** PATCH: appends a chunk; `start` (from Content-Range) must be where the upload stands. */
  async appendUpload(actor: Principal, name: string, uuid: string, body: Readable, start?: number): Promise<number> {
    const { uploads } = this.deps;
    await this.writableRegistry(actor, name);
    await uploads.open(uuid, name, ownerOf(actor));
    const size = await uploads.size(uuid);
    if (start !== undefined && start !== size) {
      throw new OciError('RANGE_INVALID', `The chunk starts at ${start}, but the upload holds ${size} bytes.`, { size });
    }
    try {
      return await uploads.append(uuid, body);
    } catch (error) {
      if (error instanceof OciError) await uploads.remove(uuid);
      throw error;
    }
  }

  /** PUT ?digest=: appends the last chunk, verifies the digest and stores the blob. */
  async finishUpload(actor: Principal, name: string, uuid: string, digest: string, body: Readable): Promise<void> {
    const { uploads } = this.deps;
    await this.writableRegistry(actor, name);
    await uploads.open(uuid, name, ownerOf(actor));
    if (!isDigest(digest)) throw new OciError('DIGEST_INVALID', `Invalid digest "${digest}".`);
    try {
      await uploads.append(uuid, body);
      await this.storeBlob(await uploads.assemble(uuid), digest);
    } finally {
      await uploads.remove(uuid);
    }
  }

  /** POST ?digest=: a whole blob in one request. */
  async uploadMonolithic(actor: Principal, name: string, digest: string, body: Readable): Promise<void> {
    const { uploads } = this.deps;
    if (!isDigest(digest)) throw new OciError('DIGEST_INVALID', `Invalid digest "${digest}".`);
    const session = await this.startUpload(actor, name);
    try {
      await uploads.append(session.uuid, body);
      await this.storeBlob(await uploads.assemble(session.uuid), digest);
    } finally {
      await uploads.remove(session.uuid);
    }
  }

  async cancelUpload(actor: Principal, name: string, uuid: string): Promise<void> {
    await this.writableRegistry(actor, name);
    await this.deps.uploads.open(uuid, name, ownerOf(actor));
    await this.deps.uploads.remove(uuid);
  }

  /**
   * PUT of a manifest: one gzip pack tarball layer, already uploaded; the pack goes through the pack
   * reader and `PackIngestService` in push mode (a different digest for a published version is a
   * conflict; force is not offered over OCI).
   */
  async putManifest(
    actor: Principal,
    name: string,
    reference: string,
    body: Buffer,
    contentType: string | undefined,
    options: { signal?: AbortSignal } = {},
  ): Promise<PushedManifestResult> {
    const { signal } = options;
    const registry = await this.writableRegistry(actor, name);
    const pushed = parsePushedManifest(body, contentType);
    const digest = digestOf(body);
    if (isDigest(reference)) {
      if (reference !== digest) throw new OciError('DIGEST_INVALID', `The manifest hashes to ${digest}, not ${reference}.`);
    } else if (!isTag(reference)) {
      throw new OciError('MANIFEST_INVALID', `"${reference}" is neither a tag nor a digest.`);
    }
    if (!(await this.hasBlob(actor, pushed.configDigest))) {
      throw new OciError('MANIFEST_BLOB_UNKNOWN', `The config blob ${pushed.configDigest} was not uploaded.`, { digest: pushed.configDigest });
    }
    // Only a layer the caller uploaded or may download: naming a digest of a hidden registry copies nothing.
    const layer = await this.deps.artifactAccess.reusableForPush(actor, pushed.layer.digest);
    if (!layer) throw new OciError('MANIFEST_BLOB_UNKNOWN', `The layer blob ${pushed.layer.digest} was not uploaded.`, { digest: pushed.layer.digest });
    if (Number(layer.size) !== pushed.layer.size) {
      throw new OciError('SIZE_INVALID', `The layer ${pushed.layer.digest} has ${layer.size} bytes, not ${pushed.layer.size}.`);
    }

    // A publisher tag (`lts__1.29.4`) names no version: the push sets (or moves) it to pack.json's version.
    const publisherTag = !isDigest(reference) && isPublisherTag(reference) ? reference : undefined;

    // The layer is copied to the spool while it is read: charged to the pusher's spool quota meanwhile.
    const scratch = await this.deps.uploads.openScratch(ownerOf(actor), pushed.layer.size);
    try {
      const archivePath = path.join(scratch.dir, 'pack.tar.gz');
      await pipeline(await this.deps.artifacts.get(pushed.layer.digest), createWriteStream(archivePath, { flags: 'wx' }), { signal });
      // Checked on the pack the ingest reads (once), before anything is written: the repository and tag must name what pack.json says.
      const accept = (pack: ReadPack): void => {
        const { name: packName, version } = pack.manifest;
        if (packName !== registry.repo.pack) {
          throw new OciError('MANIFEST_INVALID', `The pack is "${packName}" (pack.json), but the repository names "${registry.repo.pack}".`, {
            packName,
          });
        }
        if (!isDigest(reference) && !publisherTag && reference !== version) {
          throw new OciError('MANIFEST_INVALID', `The tag must be the pack version ${version} (pack.json) or a publisher tag (group__label), not "${reference}".`, {
            version,
          });
        }
      };
      let outcome;
      try {
        outcome = await this.deps.ingest.ingest({
          registry: { id: registry.id, name: registry.name, kind: registry.kind },
          archivePath,
          digest: pushed.layer.digest,
          size: pushed.layer.size,
          publishedBy: actor.name,
          mode: 'push',
          force: false,
          accept,
          manifestDigests: [digest],
          signal,
        });
      } catch (error) {
        if (error instanceof SignatureRefusedError) throw new OciError('DENIED', error.message, { reason: error.reason });
        throw toOciError(error, 'MANIFEST_INVALID') ?? error;
      }
      // The layer was recorded as an opaque upload; it is now known to be a pack tarball.
      await this.deps.artifactRows.retype(pushed.layer.digest, UPLOADED_BLOB_TYPE, 'application/gzip');
      // Tags serve the canonical manifest; a pushed one that differs (ORAS adds a creation time) is
      // kept too, so pulling by the digest the client was given keeps working. Object first, then row.
      const canonical = packManifest({ name: outcome.name, version: outcome.version, digest: pushed.layer.digest, size: pushed.layer.size });
      if (canonical.digest !== digest) {
        await this.deps.artifacts.put(Readable.from([body]), { expectedDigest: digest, expectedSize: body.length, contentType: pushed.mediaType });
        await this.deps.artifactRows.record([{ digest, size: BigInt(body.length), mediaType: pushed.mediaType }]);
      }
      if (publisherTag) {
        try {
          await this.deps.publish.addTag(actor, registry.name, outcome.name, outcome.version, publisherTag);
        } catch (error) {
          throw toOciError(error, 'MANIFEST_INVALID') ?? error;
        }
      }
      const subject = { registryId: registry.id, pack: outcome.name, digests: [...new Set([digest, canonical.digest])], layer: pushed.layer.digest };
      return { digest, name: outcome.name, version: outcome.version, status: outcome.status, tag: publisherTag, subject };
    } finally {
      await scratch.release();
    }
  }

  /** Verifies a spooled blob, stores it (object first), then records it (row after). */
  private async storeBlob(filePath: string, digest: string): Promise<void> {
    const actual = await sha256File(filePath);
    if (actual.digest !== digest) {
      throw new OciError('DIGEST_INVALID', `The upload hashes to ${actual.digest}, not ${digest}.`, { digest: actual.digest });
    }
    await this.deps.artifacts.putFile(filePath, { expectedDigest: digest, expectedSize: actual.size, contentType: UPLOADED_BLOB_TYPE });
    await this.deps.artifactRows.record([{ digest, size: BigInt(actual.size), mediaType: UPLOADED_BLOB_TYPE }]);
  }
}

/** Who owns an upload session: another token can't append to it. */
function ownerOf(actor: Principal): string {
  return actor.tokenId ?? `${actor.kind}:${actor.name}`;
}
