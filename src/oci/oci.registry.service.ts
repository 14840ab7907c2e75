/**
 * The catalog seen through the OCI distribution API: every live pack version of every registry the
 * caller may read is `<registry>/spectro-packs/archive/<pack>:<version>`, one gzip tarball layer
 * under a deterministic manifest; pushes into HOSTED registries land through `PackIngestService`,
 * the same reader and rules as `pushPack`. This is the API the router calls; the work is split by
 * concern: reads in oci.pulls.ts, uploads and manifest pushes in oci.pushes.ts.
 */
import type { Readable } from 'node:stream';
import type { Principal } from '../auth/principal.js';
import { parseName, type BlobResult, type ManifestResult, type OciPullService } from './oci.pulls.js';
import type { OciPushService, PushedManifestResult } from './oci.pushes.js';
import type { RepositoryName } from './oci.manifest.js';
import type { UploadSession, UploadSessionStore } from './oci.uploads.js';
import type { OciReferrerService, PushedReferrer } from './oci.referrers.js';
import { parseReferrerManifest } from './oci.referrer-manifest.js';
import { OciError } from './oci.errors.js';

export { MAX_MANIFEST_BYTES, type BlobResult, type ManifestResult } from './oci.pulls.js';
export type { PushedManifestResult } from './oci.pushes.js';

export class OciRegistryService {
  readonly uploads: UploadSessionStore;
  private readonly pulls: OciPullService;
  private readonly pushes: OciPushService;
  private readonly referrers: OciReferrerService;

  /** Every part is built by the composition root. */
  constructor(uploads: UploadSessionStore, pulls: OciPullService, pushes: OciPushService, referrers: OciReferrerService) {
    this.uploads = uploads;
    this.pulls = pulls;
    this.pushes = pushes;
    this.referrers = referrers;
  }

  assertCanRead(actor: Principal): void {
    this.pulls.assertCanRead(actor);
  }

  parseName(name: string): RepositoryName {
    return parseName(name);
  }

  listRepositories(actor: Principal): Promise<string[]> {
    return this.pulls.listRepositories(actor);
  }

  /** The pack's versions, and the tag-schema tags of its signatures (cosign lists them before pulling). */
  async listTags(actor: Principal, name: string): Promise<string[]> {
    const versions = await this.pulls.listTags(actor, name);
    const sigTags = await this.referrers.tags(actor, name);
    return [...versions, ...sigTags].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** A pack version's manifest, else a referrer's (by digest, or by its `sha256-<hex>.sig` tag). */
  async getManifest(actor: Principal, name: string, reference: string): Promise<ManifestResult> {
    try {
      return await this.pulls.getManifest(actor, name, reference);
    } catch (error) {
      if (!(error instanceof OciError) || error.code !== 'MANIFEST_UNKNOWN') throw error;
      const referrer = await this.referrers.manifest(actor, name, reference);
      if (!referrer) throw error;
      return referrer;
    }
  }

  /** `GET /v2/<name>/referrers/<digest>`: an image index, filtered by `artifactType` when asked. */
  listReferrers(actor: Principal, name: string, subject: string, artifactType?: string): Promise<{ body: Buffer; filtered: boolean }> {
    this.pulls.assertCanRead(actor);
    return this.referrers.list(actor, name, subject, artifactType);
  }

  getBlob(actor: Principal, name: string, digest: string): Promise<BlobResult> {
    return this.pulls.getBlob(actor, name, digest);
  }

  writableRegistry(actor: Principal, name: string): Promise<{ id: string; name: string; kind: 'HOSTED'; repo: RepositoryName }> {
    return this.pushes.writableRegistry(actor, name);
  }

  hasBlob(actor: Principal, digest: string): Promise<boolean> {
    return this.pushes.hasBlob(actor, digest);
  }

  startUpload(actor: Principal, name: string): Promise<UploadSession> {
    return this.pushes.startUpload(actor, name);
  }

  uploadStatus(actor: Principal, name: string, uuid: string): Promise<number> {
    return this.pushes.uploadStatus(actor, name, uuid);
  }

  appendUpload(actor: Principal, name: string, uuid: string, body: Readable, start?: number): Promise<number> {
    return this.pushes.appendUpload(actor, name, uuid, body, start);
  }

  finishUpload(actor: Principal, name: string, uuid: string, digest: string, body: Readable): Promise<void> {
    return this.pushes.finishUpload(actor, name, uuid, digest, body);
  }

  uploadMonolithic(actor: Principal, name: string, digest: string, body: Readable): Promise<void> {
    return this.pushes.uploadMonolithic(actor, name, digest, body);
  }

  cancelUpload(actor: Principal, name: string, uuid: string): Promise<void> {
    return this.pushes.cancelUpload(actor, name, uuid);
  }

  /** A pack manifest, or a referrer (a manifest with a `subject`, or pushed to a `sha256-<hex>.sig` tag). */
  async putManifest(
    actor: Principal,
    name: string,
    reference: string,
    body: Buffer,
    contentType: string | undefined,
    options: { signal?: AbortSignal } = {},
  ): Promise<({ kind: 'pack' } & PushedManifestResult) | ({ kind: 'referrer' } & PushedReferrer)> {
    const registry = await this.pushes.writableRegistry(actor, name);
    const referrer = parseReferrerManifest(body, contentType, reference);
    if (referrer) return { kind: 'referrer', ...(await this.referrers.push(actor, registry, name, reference, body, referrer)) };
    const pushed = await this.pushes.putManifest(actor, name, reference, body, contentType, options);
    await this.referrers.attach(pushed.subject);
    return { kind: 'pack', ...pushed };
  }
}
