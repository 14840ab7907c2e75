/**
 * The canonical OCI manifest of a pack version (deterministic bytes, so a pack version always has
 * the same manifest digest): what `/v2` serves for a version, and what a signature signs. Here, in
 * the shared pack layer, so packctl computes the digest it signs without asking the server.
 */
import { digestOf } from '../platform/hashing.js';

export const OCI_MANIFEST_TYPE = 'application/vnd.oci.image.manifest.v1+json';
/** The config media type ORAS 1.0 writes for artifacts with no config. */
export const EMPTY_CONFIG_TYPE = 'application/vnd.unknown.config.v1+json';
export const EMPTY_CONFIG_BYTES = Buffer.from('{}');
export const EMPTY_CONFIG_DIGEST = 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';
export const PACK_LAYER_TYPE = 'application/vnd.oci.image.layer.v1.tar+gzip';
export const TITLE_ANNOTATION = 'org.opencontainers.image.title';

/** The manifest of one pack version, as bytes with a fixed key order and no timestamps. */
export function packManifest(pack: { name: string; version: string; digest: string; size: number }): { bytes: Buffer; digest: string } {
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST_TYPE,
    config: { mediaType: EMPTY_CONFIG_TYPE, digest: EMPTY_CONFIG_DIGEST, size: EMPTY_CONFIG_BYTES.length },
    layers: [
      {
        mediaType: PACK_LAYER_TYPE,
        digest: pack.digest,
        size: pack.size,
        annotations: { [TITLE_ANNOTATION]: `${pack.name}-${pack.version}.tar.gz` },
      },
    ],
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  return { bytes, digest: digestOf(bytes) };
}
