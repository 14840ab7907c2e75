/**
 * OCI image layouts on disk, for tests that drive real OCI clients (skopeo): write an ORAS-style
 * pack artifact (empty config, one tarball layer) as a layout, and read a layout skopeo wrote.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sha256Digest } from './tar-builder.js';

export interface LayoutManifest {
  schemaVersion: number;
  mediaType?: string;
  config: { mediaType: string; digest: string; size: number };
  layers: Array<{ mediaType: string; digest: string; size: number; annotations?: Record<string, string> }>;
  annotations?: Record<string, string>;
}

async function writeBlob(dir: string, bytes: Buffer): Promise<string> {
  const digest = sha256Digest(bytes);
  await mkdir(path.join(dir, 'blobs', 'sha256'), { recursive: true });
  await writeFile(path.join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length)), bytes);
  return digest;
}

/** An OCI layout holding `tarball` as `oras push ... NAME-VERSION.tar.gz` would, under `ref`. */
export async function writePackLayout(
  dir: string,
  ref: string,
  tarball: Buffer,
  title: string,
  options: { extraLayers?: Buffer[]; annotations?: Record<string, string> } = {},
): Promise<{ manifestDigest: string; layerDigest: string }> {
  const config = Buffer.from('{}');
  const configDigest = await writeBlob(dir, config);
  const layerDigest = await writeBlob(dir, tarball);
  const layers: LayoutManifest['layers'] = [
    { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layerDigest, size: tarball.length, annotations: { 'org.opencontainers.image.title': title } },
  ];
  for (const extra of options.extraLayers ?? []) {
    layers.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: await writeBlob(dir, extra), size: extra.length });
  }
  const manifest: LayoutManifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.unknown.config.v1+json', digest: configDigest, size: config.length },
    layers,
    ...(options.annotations ? { annotations: options.annotations } : {}),
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest));
  const manifestDigest = await writeBlob(dir, manifestBytes);
  await writeFile(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(
    path.join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: manifestDigest,
          size: manifestBytes.length,
          annotations: { 'org.opencontainers.image.ref.name': ref },
        },
      ],
    }),
  );
  return { manifestDigest, layerDigest };
}

/** The manifest a layout holds under `ref`, and a reader of its blobs. */
export async function readLayout(dir: string, ref: string): Promise<{ manifestDigest: string; manifest: LayoutManifest; blob(digest: string): Promise<Buffer> }> {
  const index = JSON.parse(await readFile(path.join(dir, 'index.json'), 'utf8')) as {
    manifests: Array<{ digest: string; annotations?: Record<string, string> }>;
  };
  const entry = index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === ref);
  if (!entry) throw new Error(`no ${ref} in ${dir}`);
  const blob = (digest: string) => readFile(path.join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length)));
  const manifest = JSON.parse((await blob(entry.digest)).toString('utf8')) as LayoutManifest;
  return { manifestDigest: entry.digest, manifest, blob };
}
