/**
 * Pure OCI pieces: repository names and checks of a pushed manifest (the canonical pack manifest
 * is in packs/pack.oci-manifest.ts).
 */
import { OciError } from './oci.errors.js';
import type { ManifestFormat } from '../artifacts/artifact.gc.job.js';
import { OCI_MANIFEST_TYPE, PACK_LAYER_TYPE, TITLE_ANNOTATION } from '../packs/pack.oci-manifest.js';

// The canonical manifest lives with the pack format (packctl signs its digest); re-exported for the OCI front door.
export { EMPTY_CONFIG_BYTES, EMPTY_CONFIG_DIGEST, EMPTY_CONFIG_TYPE, OCI_MANIFEST_TYPE, PACK_LAYER_TYPE, TITLE_ANNOTATION, packManifest } from '../packs/pack.oci-manifest.js';
export const DOCKER_MANIFEST_TYPE = 'application/vnd.docker.distribution.manifest.v2+json';
const ACCEPTED_LAYER_TYPES = new Set([PACK_LAYER_TYPE, 'application/vnd.docker.image.rootfs.diff.tar.gzip', 'application/gzip', 'application/tar+gzip']);
/** Packs live at `<registry>/spectro-packs/archive/<pack>`, as Palette expects of an OCI pack registry. */
export const PACK_PATH = 'spectro-packs/archive';

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REPOSITORY_PATTERN = new RegExp(`^(${COMPONENT})/spectro-packs/archive/(${COMPONENT})$`);
const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;
const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

export interface RepositoryName {
  registry: string;
  pack: string;
}

export function repositoryName(registry: string, pack: string): string {
  return `${registry}/${PACK_PATH}/${pack}`;
}

/** Splits a repository name; null when it is not one this registry serves. */
export function parseRepositoryName(name: string): RepositoryName | null {
  const match = REPOSITORY_PATTERN.exec(name);
  return match ? { registry: match[1]!, pack: match[2]! } : null;
}

export function isDigest(reference: string): boolean {
  return DIGEST_PATTERN.test(reference);
}

export function isTag(reference: string): boolean {
  return TAG_PATTERN.test(reference);
}

export interface PushedManifest {
  mediaType: string;
  configDigest: string;
  layer: { digest: string; size: number; title?: string };
}

interface Descriptor {
  mediaType?: unknown;
  digest?: unknown;
  size?: unknown;
  annotations?: unknown;
}

function invalid(message: string, detail?: unknown): OciError {
  return new OciError('MANIFEST_INVALID', message, detail);
}

/** The format the garbage collector and downloads read stored manifests with (what each one needs). */
export const PUSHED_MANIFEST_FORMAT: ManifestFormat = {
  mediaTypes: [OCI_MANIFEST_TYPE, DOCKER_MANIFEST_TYPE],
  linksOf(body, mediaType) {
    try {
      const pushed = parsePushedManifest(body, mediaType);
      return { layer: pushed.layer.digest, config: pushed.configDigest };
    } catch {
      return null; // a manifest that doesn't parse is never served, so it needs nothing
    }
  },
};

/** Checks a pushed manifest: an OCI (or Docker v2) image manifest with exactly one gzip tarball layer (the ORAS layout). */
export function parsePushedManifest(body: Buffer, contentType: string | undefined): PushedManifest {
  let doc: { schemaVersion?: unknown; mediaType?: unknown; config?: Descriptor; layers?: unknown };
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch {
    throw invalid('The manifest is not JSON.');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw invalid('The manifest is not a JSON object.');
  const declared = typeof doc.mediaType === 'string' ? doc.mediaType : (contentType?.split(';')[0]?.trim() ?? OCI_MANIFEST_TYPE);
  if (declared !== OCI_MANIFEST_TYPE && declared !== DOCKER_MANIFEST_TYPE) {
    throw new OciError('UNSUPPORTED', `Only image manifests holding one pack tarball are accepted, not ${declared}.`, { mediaType: declared });
  }
  if (doc.schemaVersion !== 2) throw invalid('schemaVersion must be 2.');
  const config = doc.config;
  if (!config || typeof config !== 'object' || typeof config.digest !== 'string' || !isDigest(config.digest)) {
    throw invalid('The manifest has no valid config descriptor.');
  }
  if (!Array.isArray(doc.layers) || doc.layers.length !== 1) {
    throw invalid(`A pack manifest has exactly one layer (the pack tarball); this one has ${Array.isArray(doc.layers) ? doc.layers.length : 0}.`);
  }
  const layer = doc.layers[0] as Descriptor;
  if (!layer || typeof layer !== 'object' || typeof layer.digest !== 'string' || !isDigest(layer.digest)) {
    throw invalid('The layer descriptor has no valid sha256 digest.');
  }
  if (typeof layer.size !== 'number' || !Number.isSafeInteger(layer.size) || layer.size < 0) throw invalid('The layer descriptor has no valid size.');
  if (typeof layer.mediaType !== 'string' || !ACCEPTED_LAYER_TYPES.has(layer.mediaType)) {
    throw invalid(`The layer must be a gzip tarball (${PACK_LAYER_TYPE}), not ${String(layer.mediaType)}.`);
  }
  const annotations = layer.annotations && typeof layer.annotations === 'object' ? (layer.annotations as Record<string, unknown>) : {};
  const title = typeof annotations[TITLE_ANNOTATION] === 'string' ? (annotations[TITLE_ANNOTATION] as string) : undefined;
  return { mediaType: declared, configDigest: config.digest, layer: { digest: layer.digest, size: layer.size, title } };
}
