/**
 * The signatures an upstream OCI registry holds for a pack manifest, fetched with the pack so they
 * are verified against the downstream registry's trust policy (docs/signatures.md): its referrers
 * (OCI 1.1 `GET /v2/<repo>/referrers/<digest>`), else cosign's `sha256-<hex>.sig` tag. Bounded: a
 * few small manifests and blobs. A signature that can't be fetched is left out (the item then
 * counts as unsigned, which only a REQUIRE policy refuses), never a reason to fail the item.
 */
import { digestOf } from '../../../platform/hashing.js';
import type { UpstreamSignatures } from '../../sync/sink.js';
import type { OciClient } from './oci.client.js';

const MAX_REFERRERS = 8;
const MAX_BLOBS_PER_MANIFEST = 8;
const MAX_MANIFEST_BYTES = 64 * 1024;
const MAX_BLOB_BYTES = 64 * 1024;
const SIMPLE_SIGNING_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
const MANIFEST_ACCEPT = 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json';

interface Descriptor {
  digest?: unknown;
  mediaType?: unknown;
  artifactType?: unknown;
  size?: unknown;
}

export async function fetchUpstreamSignatures(
  client: OciClient,
  repository: string,
  subject: string,
  scope: string,
  signal: AbortSignal,
): Promise<UpstreamSignatures | undefined> {
  const get = (path: string, accept: string, maxBytes: number) => client.request(path, { scope, signal, accept, maxBytes }).catch(() => null);
  const manifests: UpstreamSignatures['manifests'] = [];
  const index = await get(`/v2/${repository}/referrers/${subject}`, 'application/vnd.oci.image.index.v1+json', MAX_MANIFEST_BYTES);
  const listed = index?.status === 200 ? (parse(index.body) as { manifests?: Descriptor[] } | null)?.manifests : undefined;
  if (Array.isArray(listed)) {
    for (const d of listed.slice(0, MAX_REFERRERS)) {
      if (typeof d?.digest !== 'string' || !/^sha256:[a-f0-9]{64}$/.test(d.digest)) continue;
      const response = await get(`/v2/${repository}/manifests/${d.digest}`, MANIFEST_ACCEPT, MAX_MANIFEST_BYTES);
      if (response?.status === 200 && digestOf(response.body) === d.digest) manifests.push({ bytes: response.body, tag: null });
    }
  } else {
    const tag = `${subject.replace(':', '-')}.sig`;
    const response = await get(`/v2/${repository}/manifests/${tag}`, MANIFEST_ACCEPT, MAX_MANIFEST_BYTES);
    if (response?.status === 200) manifests.push({ bytes: response.body, tag });
  }
  const blobs: Buffer[] = [];
  for (const manifest of manifests) {
    const doc = parse(manifest.bytes) as { config?: Descriptor; layers?: Descriptor[] } | null;
    const wanted = [doc?.config, ...(Array.isArray(doc?.layers) ? doc.layers.filter((l) => l?.mediaType === SIMPLE_SIGNING_TYPE) : [])];
    for (const d of wanted.slice(0, MAX_BLOBS_PER_MANIFEST + 1)) {
      if (typeof d?.digest !== 'string' || !/^sha256:[a-f0-9]{64}$/.test(d.digest) || (typeof d.size === 'number' && d.size > MAX_BLOB_BYTES)) continue;
      const response = await get(`/v2/${repository}/blobs/${d.digest}`, '*/*', MAX_BLOB_BYTES);
      if (response?.status === 200 && digestOf(response.body) === d.digest) blobs.push(response.body);
    }
  }
  return manifests.length > 0 ? { subject, manifests, blobs } : undefined;
}

function parse(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
}
