/**
 * Pure pieces of OCI 1.1 referrers (distribution-spec "Pushing Manifests with Subject", "Listing
 * Referrers"; image-spec "Guidelines for Artifact Usage"): which pushed manifest is a referrer, what
 * it needs and how it is described in the referrers index, and cosign's tag-schema fallback tag.
 */
import { OciError } from './oci.errors.js';
import { DOCKER_MANIFEST_TYPE, isDigest, OCI_MANIFEST_TYPE } from './oci.manifest.js';

export const OCI_INDEX_TYPE = 'application/vnd.oci.image.index.v1+json';
/** image-spec: the config media type of an artifact with no config of its own; not a usable artifactType. */
export const OCI_EMPTY_TYPE = 'application/vnd.oci.empty.v1+json';
const SIG_TAG = /^sha256-([a-f0-9]{64})\.sig$/;

export interface ReferrerDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

export interface ReferrerManifest {
  mediaType: string;
  /** The `artifactType`, else the config's media type (distribution-spec: what the referrers list reports). */
  artifactType: string;
  /** The subject's digest: from `subject`, else from the tag-schema tag it was pushed to. */
  subject: string;
  config: ReferrerDescriptor;
  layers: ReferrerDescriptor[];
  annotations: Record<string, string> | null;
  /** Whether it named its subject in `subject` (then a push answers `OCI-Subject`). */
  hasSubjectField: boolean;
  /** The `sha256-<hex>.sig` tag it was pushed to, if any. */
  tag: string | null;
}

/** The subject digest a cosign tag-schema tag (`sha256-<hex>.sig`) names, or null. */
export function subjectOfSigTag(tag: string): string | null {
  const match = SIG_TAG.exec(tag);
  return match ? `sha256:${match[1]}` : null;
}

/** The tag-schema tag of a subject: where cosign looks for its signatures on a registry without referrers. */
export function sigTagOf(subject: string): string {
  return `${subject.replace(':', '-')}.sig`;
}

function invalid(message: string, detail?: unknown): OciError {
  return new OciError('MANIFEST_INVALID', message, detail);
}

function descriptor(value: unknown, path: string): ReferrerDescriptor {
  const d = value as { mediaType?: unknown; digest?: unknown; size?: unknown; annotations?: unknown } | null;
  if (!d || typeof d !== 'object') throw invalid(`${path} is not a descriptor.`, { path });
  if (typeof d.mediaType !== 'string' || d.mediaType === '') throw invalid(`${path}.mediaType is missing.`, { path: `${path}.mediaType` });
  if (typeof d.digest !== 'string' || !isDigest(d.digest)) throw invalid(`${path}.digest is not a sha256 digest.`, { path: `${path}.digest` });
  if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0) throw invalid(`${path}.size is not a size.`, { path: `${path}.size` });
  const annotations = stringMap(d.annotations, `${path}.annotations`);
  return { mediaType: d.mediaType, digest: d.digest, size: d.size, ...(annotations ? { annotations } : {}) };
}

function stringMap(value: unknown, path: string): Record<string, string> | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw invalid(`${path} must map strings to strings.`, { path });
  }
  return value as Record<string, string>;
}

/**
 * The pushed manifest as a referrer, or null when it is not one (no `subject` and not pushed to a
 * `sha256-<hex>.sig` tag): then it is a pack manifest, checked by `parsePushedManifest`.
 */
export function parseReferrerManifest(body: Buffer, contentType: string | undefined, reference: string): ReferrerManifest | null {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch {
    return null; // not JSON: parsePushedManifest says so in its own words
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return null;
  const tag = subjectOfSigTag(reference) ? reference : null;
  if (doc.subject === undefined && !tag) return null;
  const mediaType = typeof doc.mediaType === 'string' ? doc.mediaType : (contentType?.split(';')[0]?.trim() ?? OCI_MANIFEST_TYPE);
  if (mediaType !== OCI_MANIFEST_TYPE && mediaType !== DOCKER_MANIFEST_TYPE) {
    throw new OciError('UNSUPPORTED', `A referrer must be an image manifest (${OCI_MANIFEST_TYPE}), not ${mediaType}.`, { mediaType });
  }
  if (doc.schemaVersion !== 2) throw invalid('schemaVersion must be 2.');
  const config = descriptor(doc.config, 'config');
  if (!Array.isArray(doc.layers)) throw invalid('layers must be a list.', { path: 'layers' });
  const layers = doc.layers.map((layer, i) => descriptor(layer, `layers[${i}]`));
  const subjectDescriptor = doc.subject === undefined ? null : descriptor(doc.subject, 'subject');
  const subject = subjectDescriptor?.digest ?? subjectOfSigTag(reference)!;
  if (subjectDescriptor && tag && subjectOfSigTag(tag) !== subject) {
    throw invalid(`The tag ${tag} names another subject than the manifest's subject ${subject}.`, { path: 'subject' });
  }
  if (doc.artifactType !== undefined && (typeof doc.artifactType !== 'string' || doc.artifactType === '')) {
    throw invalid('artifactType must be a media type.', { path: 'artifactType' });
  }
  const artifactType = (doc.artifactType as string | undefined) ?? config.mediaType;
  return {
    mediaType,
    artifactType,
    subject,
    config,
    layers,
    annotations: stringMap(doc.annotations, 'annotations'),
    hasSubjectField: subjectDescriptor !== null,
    tag,
  };
}

/** The referrers list of a subject: an image index whose descriptors carry artifactType and annotations. */
export function referrersIndex(
  referrers: Array<{ mediaType: string; digest: string; size: number; artifactType: string; annotations: Record<string, string> | null }>,
): Buffer {
  const manifests = referrers.map((r) => ({
    mediaType: r.mediaType,
    digest: r.digest,
    size: r.size,
    artifactType: r.artifactType,
    ...(r.annotations && Object.keys(r.annotations).length > 0 ? { annotations: r.annotations } : {}),
  }));
  return Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX_TYPE, manifests }));
}
