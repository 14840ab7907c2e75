/**
 * OCI reads: the repository catalog, tag lists, manifests (the canonical one of each live pack
 * version, or the bytes a client pushed) and blobs, for registries the caller may read. The
 * catalog's rows come through its store; which blob a caller may have, through `ArtifactAccessService`.
 */
import { Readable } from 'node:stream';
import type { ArtifactStore, ByteRange } from '../artifacts/artifact.store.js';
import { assertCanRead, type AccessPolicy, type Principal } from '../auth/principal.js';
import type { ArtifactAccessService } from '../catalog/artifact.access.js';
import { createCatalogLoaders } from '../catalog/catalog.loaders.js';
import type { PackQueryService } from '../catalog/pack.query.service.js';
import type { PackStore } from '../catalog/pack.store.js';
import { OciError } from './oci.errors.js';
import {
  DOCKER_MANIFEST_TYPE,
  EMPTY_CONFIG_BYTES,
  EMPTY_CONFIG_DIGEST,
  isDigest,
  isTag,
  OCI_MANIFEST_TYPE,
  packManifest,
  parsePushedManifest,
  parseRepositoryName,
  repositoryName,
  type RepositoryName,
} from './oci.manifest.js';

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

/** Pushed manifests are read into memory: bound them. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export interface OciPullDeps {
  catalog: PackStore;
  artifacts: ArtifactStore;
  packQueries: PackQueryService;
  /** Decides which blobs a caller may pull, as it does for `/artifacts`. */
  artifactAccess: ArtifactAccessService;
  policy: AccessPolicy;
}

/** A repository name this registry serves, or NAME_INVALID. */
export function parseName(name: string): RepositoryName {
  const parsed = parseRepositoryName(name);
  if (!parsed) {
    throw new OciError('NAME_INVALID', `Repositories here are named <registry>/spectro-packs/archive/<pack>, not "${name}".`, { name });
  }
  return parsed;
}

export class OciPullService {
  constructor(private readonly deps: OciPullDeps) {}

  assertCanRead(actor: Principal): void {
    assertCanRead(actor, this.deps.policy);
  }

  /** Every repository with a live version in a registry the caller may read, in lexical order. */
  async listRepositories(actor: Principal): Promise<string[]> {
    this.assertCanRead(actor);
    const rows = await this.deps.catalog.repositoryPacks(actor);
    return rows
      .map((r) => repositoryName(r.registryName, r.name))
      .filter((name) => parseRepositoryName(name) !== null)
      .sort(compareStrings);
  }

  /** The live versions of a repository's pack, in lexical order (as the spec paginates tags). */
  async listTags(actor: Principal, name: string): Promise<string[]> {
    this.assertCanRead(actor);
    const pack = await this.findPack(actor, name);
    return (await this.deps.catalog.liveVersionNames(pack.id)).filter(isTag).sort(compareStrings);
  }

  /** The manifest of a version named by version (or tag, `latest`) or by manifest digest. */
  async getManifest(actor: Principal, name: string, reference: string): Promise<ManifestResult> {
    this.assertCanRead(actor);
    const pack = await this.findPack(actor, name);
    const unknown = new OciError('MANIFEST_UNKNOWN', `${name} has no manifest ${reference}.`, { name, reference });
    const versions = await this.deps.catalog.versionBlobs(pack.id);
    const canonicalOf = (v: { version: string; digest: string; size: bigint }) =>
      packManifest({ name: pack.name, version: v.version, digest: v.digest, size: Number(v.size) });
    if (isDigest(reference)) {
      for (const v of versions) {
        const manifest = canonicalOf(v);
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
      const loaders = createCatalogLoaders(this.deps.catalog, actor);
      const packRow = (await this.deps.packQueries.findPackRows(actor, loaders, pack.name, pack.registryName))[0];
      const row = packRow ? await this.deps.packQueries.resolveInPack(loaders, packRow, reference) : null;
      version = row ? versions.find((v) => v.version === row.version) : undefined;
    }
    if (!version) throw unknown;
    return { ...canonicalOf(version), mediaType: OCI_MANIFEST_TYPE };
  }

  /**
   * A blob: the empty config, or a stored object the caller may download (the same decision as
   * `/artifacts`: a version, logo or pushed manifest of a registry it may read needs it).
   */
  async getBlob(actor: Principal, name: string, digest: string): Promise<BlobResult> {
    this.assertCanRead(actor);
    parseName(name);
    if (!isDigest(digest)) throw new OciError('DIGEST_INVALID', `Invalid digest "${digest}".`);
    if (digest === EMPTY_CONFIG_DIGEST) {
      return { digest, size: EMPTY_CONFIG_BYTES.length, open: async (range) => Readable.from([sliceRange(EMPTY_CONFIG_BYTES, range)]) };
    }
    const row = await this.deps.artifactAccess.servable(actor, digest);
    if (!row) throw new OciError('BLOB_UNKNOWN', `No blob ${digest}.`, { digest });
    return { digest, size: Number(row.size), open: (range) => this.deps.artifacts.get(digest, range) };
  }

  /**
   * The tarball of the version whose manifest is `digest` (its canonical one, or one pushed with
   * other bytes), in a repository the caller may read: what a referrer of that manifest follows.
   */
  async subjectLayer(actor: Principal, name: string, digest: string): Promise<string | null> {
    const repo = parseName(name);
    const pack = await this.deps.catalog.findReadablePack(actor, repo.registry, repo.pack);
    if (!pack) return null;
    const versions = await this.deps.catalog.versionBlobs(pack.id);
    for (const v of versions) {
      if (packManifest({ name: pack.name, version: v.version, digest: v.digest, size: Number(v.size) }).digest === digest) return v.digest;
    }
    const pushed = await this.pushedManifest(digest, versions);
    return pushed ? parsePushedManifest(pushed.bytes, pushed.mediaType).layer.digest : null;
  }

  /** A manifest pushed with other bytes than the canonical one, when its layer is a version of this pack. */
  private async pushedManifest(digest: string, versions: Array<{ digest: string }>): Promise<ManifestResult | null> {
    const row = await this.deps.catalog.artifacts.find(digest);
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

  /** The repository's pack, when its registry is one the caller may read (else unknown, as if absent). */
  private async findPack(actor: Principal, name: string): Promise<{ id: string; name: string; registryName: string }> {
    const repo = parseName(name);
    const pack = await this.deps.catalog.findReadablePack(actor, repo.registry, repo.pack);
    if (!pack) throw new OciError('NAME_UNKNOWN', `No repository ${name}.`, { name });
    return { ...pack, registryName: repo.registry };
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sliceRange(bytes: Buffer, range?: ByteRange): Buffer {
  if (!range) return bytes;
  return bytes.subarray(range.start, range.end === undefined ? undefined : range.end + 1);
}
