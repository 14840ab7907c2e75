/**
 * The catalog seen through the OCI distribution API: every live pack version of every registry the
 * caller may read is `<registry>/spectro-packs/archive/<pack>:<version>`, one gzip tarball layer
 * under a deterministic manifest; pushes into HOSTED registries land through `PackIngestService`,
 * the same reader and rules as `pushPack`.
 *
 * Write order of a push: an uploaded blob goes to the artifact store first, then gets its Artifact
 * row (so a manifest can find it, and a row never points at a missing object); the manifest PUT then
 * ingests the layer (object already stored, then the version rows).
 */
import path from 'node:path';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Db } from '../platform/database.js';
import type { ArtifactStore, ByteRange } from '../artifacts/artifact.store.js';
import { sha256File } from '../artifacts/artifact.store.js';
import { assertCanPublish, assertCanRead, canReadRegistry, readableRegistryWhere, type AccessPolicy, type Principal } from '../auth/principal.js';
import type { PackIngestService } from '../catalog/pack.ingest.js';
import type { PackQueryService } from '../catalog/pack.query.service.js';
import { isPublisherTag, type PackPublishService } from '../catalog/pack.publish.service.js';
import type { ArtifactAccessService } from '../catalog/artifact.access.js';
import { createCatalogLoaders } from '../catalog/catalog.loaders.js';
import type { ReadPack } from '../packs/pack.types.js';
import { OciError, toOciError } from './oci.errors.js';
import {
  EMPTY_CONFIG_BYTES,
  EMPTY_CONFIG_DIGEST,
  DOCKER_MANIFEST_TYPE,
  isDigest,
  isTag,
  OCI_MANIFEST_TYPE,
  packManifest,
  parsePushedManifest,
  parseRepositoryName,
  repositoryName,
  sha256Digest,
  type RepositoryName,
} from './oci.manifest.js';
import { UploadSessionStore, type UploadSession } from './oci.uploads.js';

export interface ManifestResult {
  bytes: Buffer;
  digest: string;
  mediaType: string;
}

export interface BlobResult {
  digest: string;
  size: number;
  open(range?: ByteRange): Promise<Readable>;
}

export interface PushedManifestResult {
  digest: string;
  name: string;
  version: string;
  status: 'created' | 'updated' | 'unchanged';
  /** The publisher tag the push set or moved to this version, when it was pushed to one. */
  tag?: string;
}

/** Pushed manifests are read into memory: bound them. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** Media type recorded for a blob pushed over OCI, until a manifest says what it is. */
const UPLOADED_BLOB_TYPE = 'application/octet-stream';

export class OciRegistryService {
  readonly uploads: UploadSessionStore;

  constructor(
    private readonly deps: {
      prisma: Db;
      artifacts: ArtifactStore;
      ingest: PackIngestService;
      packQueries: PackQueryService;
      /** Decides which blobs a caller may pull, as it does for `/artifacts`. */
      artifactAccess: ArtifactAccessService;
      policy: AccessPolicy;
      /** Sets publisher tags, as addPackTag does (a push to `group__label` moves the tag). */
      tags: Pick<PackPublishService, 'addTag'>;
      /** Upload sessions and manifest scratch space, with their quotas (shared: the composition root sweeps them). */
      uploads: UploadSessionStore;
    },
  ) {
    this.uploads = deps.uploads;
  }

  assertCanRead(actor: Principal): void {
    assertCanRead(actor, this.deps.policy);
  }

  parseName(name: string): RepositoryName {
    const parsed = parseRepositoryName(name);
    if (!parsed) {
      throw new OciError('NAME_INVALID', `Repositories here are named <registry>/spectro-packs/archive/<pack>, not "${name}".`, { name });
    }
    return parsed;
  }

  /** Every repository with a live version in a registry the caller may read, in lexical order. */
  async listRepositories(actor: Principal): Promise<string[]> {
    this.assertCanRead(actor);
    const rows = await this.deps.prisma.pack.findMany({
      where: { versions: { some: { removedAt: null } }, registry: readableRegistryWhere(actor) },
      select: { name: true, registry: { select: { name: true } } },
    });
    return rows
      .map((r) => ({ parsed: parseRepositoryName(repositoryName(r.registry.name, r.name)), name: repositoryName(r.registry.name, r.name) }))
      .filter((r) => r.parsed !== null)
      .map((r) => r.name)
      .sort(compareStrings);
  }

  /** The live versions of a repository's pack, in lexical order (as the spec paginates tags). */
  async listTags(actor: Principal, name: string): Promise<string[]> {
    this.assertCanRead(actor);
    const pack = await this.findPack(actor, name);
    const versions = await this.deps.prisma.packVersion.findMany({ where: { packId: pack.id, removedAt: null }, select: { version: true } });
    return versions
      .map((v) => v.version)
      .filter(isTag)
      .sort(compareStrings);
  }

  /** The manifest of a version named by version (or tag, `latest`) or by manifest digest. */
  async getManifest(actor: Principal, name: string, reference: string): Promise<ManifestResult> {
    this.assertCanRead(actor);
    const pack = await this.findPack(actor, name);
    const unknown = new OciError('MANIFEST_UNKNOWN', `${name} has no manifest ${reference}.`, { name, reference });
    const versions = await this.deps.prisma.packVersion.findMany({
      where: { packId: pack.id },
      select: { version: true, digest: true, size: true, removedAt: true },
    });
    const manifestOf = (v: { version: string; digest: string; size: bigint }) =>
      packManifest({ name: pack.name, version: v.version, digest: v.digest, size: Number(v.size) });
    if (isDigest(reference)) {
      for (const v of versions) {
        const manifest = manifestOf(v);
        if (manifest.digest === reference) return { ...manifest, mediaType: OCI_MANIFEST_TYPE };
      }
      const pushed = await this.pushedManifest(reference, versions);
      if (pushed) return pushed;
      throw unknown;
    }
    if (!isTag(reference)) throw new OciError('MANIFEST_INVALID', `"${reference}" is neither a tag nor a digest.`);
    // Exact versions first (removed ones still pull), then Palette tags, parent tags and `latest`.
    let version = versions.find((v) => v.version === reference);
    if (!version) {
      const loaders = createCatalogLoaders(this.deps.prisma, actor);
      const packRow = (await this.deps.packQueries.findPackRows(actor, loaders, pack.name, pack.registryName))[0];
      const row = packRow ? await this.deps.packQueries.resolveInPack(loaders, packRow, reference) : null;
      version = row ? versions.find((v) => v.version === row.version) : undefined;
    }
    if (!version) throw unknown;
    return { ...manifestOf(version), mediaType: OCI_MANIFEST_TYPE };
  }

  /**
   * A blob: the empty config, or a stored object the caller may download (the same decision as
   * `/artifacts`: a version, logo or pushed manifest of a registry it may read needs it).
   */
  async getBlob(actor: Principal, name: string, digest: string): Promise<BlobResult> {
    this.assertCanRead(actor);
    this.parseName(name);
    if (!isDigest(digest)) throw new OciError('DIGEST_INVALID', `Invalid digest "${digest}".`);
    if (digest === EMPTY_CONFIG_DIGEST) {
      return { digest, size: EMPTY_CONFIG_BYTES.length, open: async (range) => Readable.from([sliceRange(EMPTY_CONFIG_BYTES, range)]) };
    }
    const row = await this.deps.artifactAccess.servable(actor, digest);
    if (!row) throw new OciError('BLOB_UNKNOWN', `No blob ${digest}.`, { digest });
    return { digest, size: Number(row.size), open: (range) => this.deps.artifacts.get(digest, range) };
  }

  /** The HOSTED registry a repository pushes into, after the caller's publish rights are checked. */
  async writableRegistry(actor: Principal, name: string): Promise<{ id: string; name: string; kind: 'HOSTED'; repo: RepositoryName }> {
    const repo = this.parseName(name);
    try {
      assertCanPublish(actor, repo.registry);
    } catch (error) {
      throw toOciError(error) ?? error;
    }
    const registry = await this.deps.prisma.registry.findUnique({ where: { name: repo.registry } });
    // A registry hidden from the caller doesn't exist for it, for pushes as for pulls.
    if (!registry || !canReadRegistry(actor, registry)) throw new OciError('NAME_UNKNOWN', `Registry "${repo.registry}" does not exist.`, { name });
    if (registry.kind !== 'HOSTED') {
      throw new OciError('DENIED', `Registry "${repo.registry}" is ${registry.kind}: push to a HOSTED registry.`, { name });
    }
    return { id: registry.id, name: registry.name, kind: 'HOSTED', repo };
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
    return this.uploads.start(name, ownerOf(actor));
  }

  async uploadStatus(actor: Principal, name: string, uuid: string): Promise<number> {
    await this.writableRegistry(actor, name);
    await this.uploads.open(uuid, name, ownerOf(actor));
    return this.uploads.size(uuid);
  }

  /** PATCH: appends a chunk; `start` (from Content-Range) must be where the upload stands. */
  async appendUpload(actor: Principal, name: string, uuid: string, body: Readable, start?: number): Promise<number> {
    await this.writableRegistry(actor, name);
    await this.uploads.open(uuid, name, ownerOf(actor));
    const size = await this.uploads.size(uuid);
    if (start !== undefined && start !== size) {
      throw new OciError('RANGE_INVALID', `The chunk starts at ${start}, but the upload holds ${size} bytes.`, { size });
    }
    try {
      return await this.uploads.append(uuid, body);
    } catch (error) {
      if (error instanceof OciError) await this.uploads.remove(uuid);
      throw error;
    }
  }

  /** PUT ?digest=: appends the last chunk, verifies the digest and stores the blob. */
  async finishUpload(actor: Principal, name: string, uuid: string, digest: string, body: Readable): Promise<void> {
    await this.writableRegistry(actor, name);
    await this.uploads.open(uuid, name, ownerOf(actor));
    if (!isDigest(digest)) throw new OciError('DIGEST_INVALID', `Invalid digest "${digest}".`);
    try {
      await this.uploads.append(uuid, body);
      await this.storeBlob(this.uploads.dataPath(uuid), digest);
    } finally {
      await this.uploads.remove(uuid);
    }
  }

  /** POST ?digest=: a whole blob in one request. */
  async uploadMonolithic(actor: Principal, name: string, digest: string, body: Readable): Promise<void> {
    if (!isDigest(digest)) throw new OciError('DIGEST_INVALID', `Invalid digest "${digest}".`);
    const session = await this.startUpload(actor, name);
    try {
      await this.uploads.append(session.uuid, body);
      await this.storeBlob(this.uploads.dataPath(session.uuid), digest);
    } finally {
      await this.uploads.remove(session.uuid);
    }
  }

  async cancelUpload(actor: Principal, name: string, uuid: string): Promise<void> {
    await this.writableRegistry(actor, name);
    await this.uploads.open(uuid, name, ownerOf(actor));
    await this.uploads.remove(uuid);
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
    const digest = sha256Digest(body);
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
    const scratch = await this.uploads.openScratch(ownerOf(actor), pushed.layer.size);
    const dir = scratch.dir;
    try {
      const archivePath = path.join(dir, 'pack.tar.gz');
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
          signal,
        });
      } catch (error) {
        throw toOciError(error, 'MANIFEST_INVALID') ?? error;
      }
      // The layer was recorded as an opaque upload; it is now known to be a pack tarball.
      await this.deps.prisma.artifact.updateMany({
        where: { digest: pushed.layer.digest, mediaType: UPLOADED_BLOB_TYPE },
        data: { mediaType: 'application/gzip' },
      });
      // Tags serve the canonical manifest; a pushed one that differs (ORAS adds a creation time) is
      // kept too, so pulling by the digest the client was given keeps working. Object first, then row.
      const canonical = packManifest({ name: outcome.name, version: outcome.version, digest: pushed.layer.digest, size: pushed.layer.size });
      if (canonical.digest !== digest) {
        await this.deps.artifacts.put(Readable.from([body]), { expectedDigest: digest, expectedSize: body.length, contentType: pushed.mediaType });
        await this.deps.prisma.artifact.createMany({ data: [{ digest, size: BigInt(body.length), mediaType: pushed.mediaType }], skipDuplicates: true });
      }
      if (publisherTag) {
        try {
          await this.deps.tags.addTag(actor, registry.name, outcome.name, outcome.version, publisherTag);
        } catch (error) {
          throw toOciError(error, 'MANIFEST_INVALID') ?? error;
        }
      }
      return { digest, name: outcome.name, version: outcome.version, status: outcome.status, tag: publisherTag };
    } finally {
      await scratch.release();
    }
  }

  /** A manifest pushed with other bytes than the canonical one, when its layer is a version of this pack. */
  private async pushedManifest(digest: string, versions: Array<{ digest: string }>): Promise<ManifestResult | null> {
    const row = await this.deps.prisma.artifact.findUnique({ where: { digest } });
    if (!row || (row.mediaType !== OCI_MANIFEST_TYPE && row.mediaType !== DOCKER_MANIFEST_TYPE) || row.size > BigInt(MAX_MANIFEST_BYTES)) return null;
    const chunks: Buffer[] = [];
    for await (const chunk of await this.deps.artifacts.get(digest)) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    let layer: string;
    try {
      layer = parsePushedManifest(bytes, row.mediaType).layer.digest;
    } catch {
      return null;
    }
    return versions.some((v) => v.digest === layer) ? { bytes, digest, mediaType: row.mediaType } : null;
  }

  /** Verifies a spooled blob, stores it (object first), then records it (row after). */
  private async storeBlob(filePath: string, digest: string): Promise<void> {
    const actual = await sha256File(filePath);
    if (actual.digest !== digest) {
      throw new OciError('DIGEST_INVALID', `The upload hashes to ${actual.digest}, not ${digest}.`, { digest: actual.digest });
    }
    await this.deps.artifacts.putFile(filePath, { expectedDigest: digest, expectedSize: actual.size, contentType: UPLOADED_BLOB_TYPE });
    await this.deps.prisma.artifact.createMany({
      data: [{ digest, size: BigInt(actual.size), mediaType: UPLOADED_BLOB_TYPE }],
      skipDuplicates: true,
    });
  }

  /** The repository's pack, when its registry is one the caller may read (else unknown, as if absent). */
  private async findPack(actor: Principal, name: string): Promise<{ id: string; name: string; registryName: string }> {
    const repo = this.parseName(name);
    const pack = await this.deps.prisma.pack.findFirst({
      where: { name: repo.pack, registry: { AND: [{ name: repo.registry }, readableRegistryWhere(actor)] }, versions: { some: {} } },
      select: { id: true, name: true },
    });
    if (!pack) throw new OciError('NAME_UNKNOWN', `No repository ${name}.`, { name });
    return { ...pack, registryName: repo.registry };
  }
}

/** Who owns an upload session: another token can't append to it. */
function ownerOf(actor: Principal): string {
  return actor.tokenId ?? `${actor.kind}:${actor.name}`;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sliceRange(bytes: Buffer, range?: ByteRange): Buffer {
  if (!range) return bytes;
  return bytes.subarray(range.start, range.end === undefined ? undefined : range.end + 1);
}
