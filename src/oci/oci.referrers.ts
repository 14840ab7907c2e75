/**
 * OCI 1.1 referrers on `/v2`: manifests pushed with a `subject` (or to cosign's `sha256-<hex>.sig`
 * tag) are stored like any artifact (object first, then its Artifact row, then its referrer row),
 * listed by `GET /v2/<name>/referrers/<digest>`, and served by digest or by their tag. They follow
 * their subject: listed, served and kept by the collector while a version holds the subject's
 * tarball (referrer.store.ts). A referrer may arrive before its subject (distribution-spec "Pushing
 * Manifests with Subject"): it is linked when the subject lands.
 */
import { Readable } from 'node:stream';
import type { ArtifactStore } from '../artifacts/artifact.store.js';
import type { Principal } from '../auth/principal.js';
import type { ArtifactRowStore } from '../catalog/artifact-rows.store.js';
import type { ReferrerRow, ReferrerStore } from '../catalog/referrer.store.js';
import { digestOf } from '../platform/hashing.js';
import { OciError } from './oci.errors.js';
import { EMPTY_CONFIG_DIGEST, isDigest, isTag, type RepositoryName } from './oci.manifest.js';
import { referrersIndex, subjectOfSigTag, type ReferrerManifest } from './oci.referrer-manifest.js';
import { parseName, type ManifestResult } from './oci.pulls.js';

export interface OciReferrerDeps {
  referrers: ReferrerStore;
  artifacts: ArtifactStore;
  artifactRows: ArtifactRowStore;
  /** The tarball of the version whose manifest (canonical or pushed) is `digest`, in a repository the caller may read; null when absent. */
  subjectLayer(actor: Principal, name: string, digest: string): Promise<string | null>;
  /** Whether the caller may use an uploaded blob (the push service's rule). */
  hasBlob(actor: Principal, digest: string): Promise<boolean>;
  /** Records whether a trusted key verifies the referrers just stored (the signature gate). */
  recheck(registryId: string, pack: string, digests: string[]): Promise<void>;
}

export interface PushedReferrer {
  digest: string;
  subject: string;
  /** Whether the manifest named its subject in `subject` (the push then answers `OCI-Subject`). */
  hasSubjectField: boolean;
  tag: string | null;
}

export class OciReferrerService {
  constructor(private readonly deps: OciReferrerDeps) {}

  /** Stores a referrer manifest pushed to `registry` (its publish rights checked by the caller). */
  async push(actor: Principal, registry: { id: string; repo: RepositoryName }, name: string, reference: string, body: Buffer, manifest: ReferrerManifest): Promise<PushedReferrer> {
    const digest = digestOf(body);
    if (isDigest(reference) && reference !== digest) throw new OciError('DIGEST_INVALID', `The manifest hashes to ${digest}, not ${reference}.`);
    if (!isDigest(reference) && !manifest.tag) {
      // Any other tag is a pack version's: a referrer is addressed by digest or by its tag-schema tag.
      throw new OciError('MANIFEST_INVALID', `A manifest with a subject is pushed by digest or to ${'sha256-<hex>.sig'}, not to "${reference}".`);
    }
    for (const blob of [manifest.config, ...manifest.layers]) {
      if (blob.digest === EMPTY_CONFIG_DIGEST) continue;
      if (!(await this.deps.hasBlob(actor, blob.digest))) {
        throw new OciError('MANIFEST_BLOB_UNKNOWN', `The blob ${blob.digest} was not uploaded.`, { digest: blob.digest });
      }
    }
    // Object first, then rows: a row never names a missing object.
    await this.deps.artifacts.put(Readable.from([body]), { expectedDigest: digest, expectedSize: body.length, contentType: manifest.mediaType });
    await this.deps.artifactRows.record([{ digest, size: BigInt(body.length), mediaType: manifest.mediaType }]);
    const subjectLayer = await this.deps.subjectLayer(actor, name, manifest.subject);
    await this.deps.referrers.record({
      registryId: registry.id,
      pack: registry.repo.pack,
      digest,
      subjectDigest: manifest.subject,
      subjectLayer,
      mediaType: manifest.mediaType,
      artifactType: manifest.artifactType,
      size: body.length,
      blobs: [...new Set([manifest.config.digest, ...manifest.layers.map((l) => l.digest)])],
      annotations: manifest.annotations,
      tag: manifest.tag,
    });
    await this.deps.recheck(registry.id, registry.repo.pack, [digest]);
    return { digest, subject: manifest.subject, hasSubjectField: manifest.hasSubjectField, tag: manifest.tag };
  }

  /** Links the referrers waiting for a manifest just pushed (or its version's canonical one) to the version's tarball. */
  async attach(subject: { registryId: string; pack: string; digests: string[]; layer: string }): Promise<void> {
    await this.deps.referrers.attachSubject(subject.registryId, subject.pack, subject.digests, subject.layer);
  }

  /** The referrers index of `subject`, filtered by `artifactType` when asked (then `filtered` is true). */
  async list(actor: Principal, name: string, subject: string, artifactType?: string): Promise<{ body: Buffer; filtered: boolean }> {
    const repo = parseName(name);
    if (!isDigest(subject)) throw new OciError('DIGEST_INVALID', `Invalid digest "${subject}".`, { digest: subject });
    let rows = await this.deps.referrers.list(actor, repo.registry, repo.pack, subject);
    await this.linkWaiting(actor, name, repo, subject, rows);
    if (artifactType) rows = rows.filter((r) => r.artifactType === artifactType);
    return { body: referrersIndex(rows.map((r) => ({ ...r, size: Number(r.size) }))), filtered: artifactType !== undefined };
  }

  /** A referrer manifest by digest or by its tag-schema tag, or null. */
  async manifest(actor: Principal, name: string, reference: string): Promise<ManifestResult | null> {
    const repo = parseName(name);
    const byTag = !isDigest(reference);
    if (byTag && (!isTag(reference) || !subjectOfSigTag(reference))) return null;
    const row = await this.deps.referrers.find(actor, repo.registry, repo.pack, byTag ? { tag: reference } : { digest: reference });
    if (!row) return null;
    const chunks: Buffer[] = [];
    for await (const chunk of await this.deps.artifacts.get(row.digest)) chunks.push(chunk as Buffer);
    return { bytes: Buffer.concat(chunks), digest: row.digest, mediaType: row.mediaType };
  }

  tags(actor: Principal, name: string): Promise<string[]> {
    const repo = parseName(name);
    return this.deps.referrers.tags(actor, repo.registry, repo.pack);
  }

  /** Links referrers pushed before their subject, once the subject is here (a pushPack lands no OCI manifest push to do it). */
  private async linkWaiting(actor: Principal, name: string, repo: RepositoryName, subject: string, rows: ReferrerRow[]): Promise<void> {
    if (!rows.some((r) => r.subjectLayer === null)) return;
    const layer = await this.deps.subjectLayer(actor, name, subject);
    if (layer) await this.deps.referrers.attachSubjectByName(repo.registry, repo.pack, [subject], layer);
  }
}
