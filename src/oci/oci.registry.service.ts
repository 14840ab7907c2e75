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

export { MAX_MANIFEST_BYTES, type BlobResult, type ManifestResult } from './oci.pulls.js';
export type { PushedManifestResult } from './oci.pushes.js';

export class OciRegistryService {
  readonly uploads: UploadSessionStore;
  private readonly pulls: OciPullService;
  private readonly pushes: OciPushService;

  /** Both halves are built by the composition root. */
  constructor(uploads: UploadSessionStore, pulls: OciPullService, pushes: OciPushService) {
    this.uploads = uploads;
    this.pulls = pulls;
    this.pushes = pushes;
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

  listTags(actor: Principal, name: string): Promise<string[]> {
    return this.pulls.listTags(actor, name);
  }

  getManifest(actor: Principal, name: string, reference: string): Promise<ManifestResult> {
    return this.pulls.getManifest(actor, name, reference);
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

  putManifest(
    actor: Principal,
    name: string,
    reference: string,
    body: Buffer,
    contentType: string | undefined,
    options: { signal?: AbortSignal } = {},
  ): Promise<PushedManifestResult> {
    return this.pushes.putManifest(actor, name, reference, body, contentType, options);
  }
}
