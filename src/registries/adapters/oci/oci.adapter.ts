/**
 * OCI: packs stored as OCI artifacts the way `oras push` lays them out, at
 * `<basePath>/spectro-packs/archive/<name>:<version>`, one layer holding the pack tarball; plus
 * Helm charts stored as OCI artifacts (config `application/vnd.cncf.helm.config.v1+json`) anywhere
 * else under the base path, which become add-on packs.
 *
 * Repositories come from the registry's `repositories` setting when it has one (an entry without
 * `/` is a pack name, one with `/` a repository path under the base path), otherwise from
 * `/v2/_catalog`. The marker of each item is its manifest digest.
 */
import { UpstreamError } from '../../../errors.js';
import { digestOf } from '../../../platform/hashing.js';
import type { RegistryCredentials } from '../../registry.model.js';
import type { AdapterOptions, AdapterRegistry, FetchedPack, ListingProblem, RegistryAdapter, UpstreamItem, UpstreamListing } from '../adapter.js';
import { fetchUpstreamSignatures } from './oci.signatures.js';
import { convertHelmChartToPack } from '../../../packs/helm-chart.js';
import { stripLeadingV } from '../../../packs/version.js';
import { parseJsonBody, parseLinkHeader } from '../../../platform/http-client.js';
import { statusError, type RegistryHttpClient } from '../registry-http.js';
import { inWorkDir, mapConcurrent } from '../support.js';
import { OciClient } from './oci.client.js';

export const OCI_MEDIA_TYPES = {
  imageManifest: 'application/vnd.oci.image.manifest.v1+json',
  imageIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  helmConfig: 'application/vnd.cncf.helm.config.v1+json',
  helmChart: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
  /** What `oras push` gives a file by default. */
  orasFileLayer: 'application/vnd.oci.image.layer.v1.tar',
  gzipLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  titleAnnotation: 'org.opencontainers.image.title',
} as const;

const MANIFEST_ACCEPT = [
  OCI_MEDIA_TYPES.imageManifest,
  OCI_MEDIA_TYPES.dockerManifest,
  OCI_MEDIA_TYPES.imageIndex,
  OCI_MEDIA_TYPES.dockerManifestList,
].join(', ');
const PACKS_FOLDER = 'spectro-packs/archive';
const PAGE_SIZE = 1000;
const MAX_PAGES = 1000;
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** Pack layers up to this size are fetched into memory (bounded: fetch concurrency x this). */
const IN_MEMORY_LAYER_BYTES = 1024 * 1024;
const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;
const SIDECAR_TAG = /^sha256-[a-f0-9]{64}(\.[a-z]+)?$/;

export interface OciItemRef {
  repository: string;
  tag: string;
  kind: 'pack' | 'chart';
  layer: { digest: string; size?: number };
}

interface Descriptor {
  mediaType?: unknown;
  digest?: unknown;
  size?: unknown;
  annotations?: Record<string, unknown>;
}

interface Manifest {
  mediaType?: unknown;
  config?: Descriptor;
  layers?: unknown;
  manifests?: unknown;
}

export class OciRegistryAdapter implements RegistryAdapter<OciItemRef> {
  private readonly client: OciClient;
  /** Repository path prefix, `''` or `team/packs` (the endpoint's own path joined with basePath). */
  private readonly prefix: string;

  constructor(
    private readonly registry: AdapterRegistry,
    credentials: RegistryCredentials | null,
    private readonly options: AdapterOptions,
    http: RegistryHttpClient,
  ) {
    const endpoint = new URL(registry.endpoint!);
    this.prefix = [endpoint.pathname, registry.basePath ?? '']
      .flatMap((part) => part.split('/'))
      .filter(Boolean)
      .join('/');
    this.client = new OciClient(endpoint.origin, credentials, http);
  }

  async list(signal: AbortSignal): Promise<UpstreamListing<OciItemRef>> {
    const repositories = await this.repositories(signal);
    const problems: ListingProblem[] = [];
    const perRepository = await mapConcurrent(repositories, Math.min(4, this.options.listConcurrency ?? 8), async (repository) =>
      this.listRepository(repository, signal, problems),
    );
    const items = perRepository.flat();
    // A pack repository and a chart repository may both claim a name@version: the pack wins.
    const seen = new Set<string>();
    const unique: Array<UpstreamItem<OciItemRef>> = [];
    for (const item of [...items.filter((i) => i.ref!.kind === 'pack'), ...items.filter((i) => i.ref!.kind === 'chart')]) {
      const key = `${item.name}@${item.version}`;
      if (seen.has(key)) {
        problems.push({
          item: `${item.ref!.repository}:${item.ref!.tag}`,
          name: item.name,
          version: item.version,
          message: 'Another repository already provides this pack version; this one is skipped.',
        });
        continue;
      }
      seen.add(key);
      unique.push(item);
    }
    return { items: unique, problems };
  }

  async fetch(item: UpstreamItem<OciItemRef>, signal: AbortSignal): Promise<FetchedPack> {
    const ref = item.ref!;
    // A small pack layer (its size is in the manifest) comes into memory: no file written, none read back.
    if (ref.kind === 'pack' && ref.layer.size !== undefined && ref.layer.size <= IN_MEMORY_LAYER_BYTES) {
      const response = await this.client.request(`/v2/${ref.repository}/blobs/${ref.layer.digest}`, {
        scope: pullScope(ref.repository),
        signal,
        maxBytes: ref.layer.size,
      });
      if (response.status !== 200) throw statusError(response);
      const digest = digestOf(response.body);
      if (digest !== ref.layer.digest || response.body.length !== ref.layer.size) {
        throw new UpstreamError(
          `The layer ${ref.repository}@${ref.layer.digest} arrived as ${response.body.length} bytes hashing to ${digest}, not what its manifest says.`,
        );
      }
      const signatures = await fetchUpstreamSignatures(this.client, ref.repository, item.marker, pullScope(ref.repository), signal);
      return { archive: response.body, digest, size: response.body.length, signatures, cleanup: async () => undefined };
    }
    return inWorkDir(this.options.tmpDir, `${item.name}-${item.version}`, async (dir) => {
      const blob = await this.client.download(`/v2/${ref.repository}/blobs/${ref.layer.digest}`, {
        scope: pullScope(ref.repository),
        signal,
        dir,
        expectedDigest: ref.layer.digest,
        expectedSize: ref.layer.size,
        maxBytes: this.options.maxArtifactBytes,
      });
      // The download verified the layer's digest: the ingest need not hash the tarball again.
      if (ref.kind === 'pack') {
        const signatures = await fetchUpstreamSignatures(this.client, ref.repository, item.marker, pullScope(ref.repository), signal);
        return { archivePath: blob.path, digest: blob.digest, size: blob.size, signatures };
      }
      const host = new URL(this.client.origin).host;
      const converted = await convertHelmChartToPack(blob.path, dir, {
        kind: 'oci',
        chartUrl: `oci://${host}/${ref.repository}:${ref.tag}`,
        repository: `oci://${host}/${ref.repository}`,
      }, { signal, inMemory: true });
      return { archivePath: converted.archivePath, archive: converted.archive, digest: converted.digest, size: converted.size };
    });
  }

  /** The repositories to look at, under the prefix. */
  private async repositories(signal: AbortSignal): Promise<string[]> {
    const under = (path: string) => (this.prefix ? `${this.prefix}/${path}` : path);
    if (this.registry.repositories.length > 0) {
      return [...new Set(this.registry.repositories.map((entry) => entry.replace(/^\/+|\/+$/g, '')).filter(Boolean))].map((entry) =>
        entry.includes('/') ? under(entry) : under(`${PACKS_FOLDER}/${entry}`),
      );
    }
    const names: string[] = [];
    let next: string | undefined = `/v2/_catalog?n=${PAGE_SIZE}`;
    for (let page = 0; next; page++) {
      if (page >= MAX_PAGES) throw new UpstreamError(`The registry's catalog runs past ${MAX_PAGES} pages.`);
      const response = await this.client.request(next, { scope: 'registry:catalog:*', signal, accept: 'application/json' });
      if ([403, 404, 405].includes(response.status)) {
        throw new UpstreamError(
          `The registry offers no repository catalog (/v2/_catalog answered HTTP ${response.status}); list the repositories in the registry's "repositories" setting.`,
          response.status,
        );
      }
      if (response.status !== 200) throw statusError(response);
      const body = parseJsonBody<{ repositories?: unknown }>(response);
      if (!Array.isArray(body.repositories)) throw new UpstreamError('The registry\'s /v2/_catalog answer has no "repositories" list.');
      names.push(...body.repositories.filter((r): r is string => typeof r === 'string'));
      // Resolved against the page we asked for (on the registry), never a redirect target; the client refuses foreign origins.
      next = parseLinkHeader(response.headers.link, this.client.url(next)).next;
    }
    return names.filter((name) => !this.prefix || name.startsWith(`${this.prefix}/`)).sort();
  }

  private packName(repository: string): string | null {
    const packsRoot = this.prefix ? `${this.prefix}/${PACKS_FOLDER}/` : `${PACKS_FOLDER}/`;
    if (!repository.startsWith(packsRoot)) return null;
    const rest = repository.slice(packsRoot.length);
    return rest && !rest.includes('/') ? rest : null;
  }

  private async listRepository(repository: string, signal: AbortSignal, problems: ListingProblem[]): Promise<Array<UpstreamItem<OciItemRef>>> {
    const packName = this.packName(repository);
    // Signatures and attestations stored next to an artifact (cosign's `sha256-<hex>.sig`) are not versions.
    const tags = (await this.tags(repository, signal)).filter((tag) => !SIDECAR_TAG.test(tag));
    const found = await mapConcurrent(tags, this.options.listConcurrency ?? 8, async (tag) => {
      const label = `${repository}:${tag}`;
      const manifest = await this.manifest(repository, tag, signal).catch((error: unknown) => {
        // A tag deleted between tags/list and now, or a manifest we can't read: this item only.
        if (error instanceof UpstreamError && error.status !== undefined && error.status < 500) return error;
        throw error;
      });
      if (manifest instanceof UpstreamError) {
        if (packName) problems.push({ item: label, name: packName, version: tag, message: manifest.message });
        return null;
      }
      const isHelm = manifest.body.config?.mediaType === OCI_MEDIA_TYPES.helmConfig;
      if (packName && !isHelm) {
        const layer = pickPackLayer(manifest.body);
        if (typeof layer === 'string') {
          problems.push({ item: label, name: packName, version: tag, message: layer });
          return null;
        }
        return { name: packName, version: tag, marker: manifest.digest, ref: { repository, tag, kind: 'pack' as const, layer } };
      }
      if (!isHelm) return null; // An image or some other artifact: not ours to take.
      const layer = pickChartLayer(manifest.body);
      const name = repository.slice(repository.lastIndexOf('/') + 1);
      // Helm stores `+` of SemVer build metadata as `_` in tags.
      const version = stripLeadingV(tag.replace(/_/g, '+'));
      if (typeof layer === 'string') {
        problems.push({ item: label, name, version, message: layer });
        return null;
      }
      return { name, version, marker: manifest.digest, ref: { repository, tag, kind: 'chart' as const, layer } };
    });
    return found.filter((item): item is NonNullable<typeof item> => item !== null);
  }

  private async tags(repository: string, signal: AbortSignal): Promise<string[]> {
    const tags: string[] = [];
    let next: string | undefined = `/v2/${repository}/tags/list?n=${PAGE_SIZE}`;
    for (let page = 0; next; page++) {
      if (page >= MAX_PAGES) throw new UpstreamError(`${repository} has more tag pages than ${MAX_PAGES}.`);
      const response = await this.client.request(next, { scope: pullScope(repository), signal, accept: 'application/json' });
      // A repository named in the settings that does not exist (yet) simply has no packs.
      if (response.status === 404) return tags;
      if (response.status !== 200) throw statusError(response);
      const body = parseJsonBody<{ tags?: unknown }>(response);
      if (body.tags !== null && body.tags !== undefined && !Array.isArray(body.tags)) {
        throw new UpstreamError(`The tag list of ${repository} is not a list.`);
      }
      tags.push(...((body.tags as unknown[] | null) ?? []).filter((t): t is string => typeof t === 'string'));
      next = parseLinkHeader(response.headers.link, this.client.url(next)).next;
    }
    return [...new Set(tags)].sort();
  }

  private async manifest(repository: string, tag: string, signal: AbortSignal): Promise<{ digest: string; body: Manifest }> {
    const response = await this.client.request(`/v2/${repository}/manifests/${encodeURIComponent(tag)}`, {
      scope: pullScope(repository),
      signal,
      accept: MANIFEST_ACCEPT,
      maxBytes: MAX_MANIFEST_BYTES,
    });
    if (response.status !== 200) throw statusError(response);
    const body = parseJsonBody<Manifest>(response);
    if (typeof body !== 'object' || body === null) throw new UpstreamError(`The manifest of ${repository}:${tag} is not a JSON object.`, 422);
    const header = response.headers['docker-content-digest'];
    const digest =
      typeof header === 'string' && DIGEST_PATTERN.test(header) ? header : digestOf(response.body);
    return { digest, body };
  }
}

function pullScope(repository: string): string {
  return `repository:${repository}:pull`;
}

function descriptorOf(value: unknown): { digest: string; size?: number; mediaType?: string; title?: string } | null {
  const d = value as Descriptor | null;
  if (typeof d !== 'object' || d === null || typeof d.digest !== 'string' || !DIGEST_PATTERN.test(d.digest)) return null;
  const title = d.annotations?.[OCI_MEDIA_TYPES.titleAnnotation];
  return {
    digest: d.digest,
    size: typeof d.size === 'number' && Number.isSafeInteger(d.size) && d.size >= 0 ? d.size : undefined,
    mediaType: typeof d.mediaType === 'string' ? d.mediaType : undefined,
    title: typeof title === 'string' ? title : undefined,
  };
}

function isIndex(manifest: Manifest): boolean {
  return (
    manifest.mediaType === OCI_MEDIA_TYPES.imageIndex || manifest.mediaType === OCI_MEDIA_TYPES.dockerManifestList || Array.isArray(manifest.manifests)
  );
}

/** The pack tarball layer: the only layer, or the one titled `*.tar.gz`/`*.tgz`; a string says why none fits. */
export function pickPackLayer(manifest: Manifest): { digest: string; size?: number } | string {
  if (isIndex(manifest)) return 'This tag is an image index, not a pack artifact.';
  const layers = (Array.isArray(manifest.layers) ? manifest.layers : []).map(descriptorOf);
  if (layers.length === 0 || layers.some((layer) => layer === null)) return 'The manifest has no usable layers.';
  const valid = layers as Array<NonNullable<ReturnType<typeof descriptorOf>>>;
  if (valid.length === 1) return { digest: valid[0].digest, size: valid[0].size };
  const titled = valid.filter((layer) => layer.title && /\.(tar\.gz|tgz)$/i.test(layer.title));
  if (titled.length === 1) return { digest: titled[0].digest, size: titled[0].size };
  return `The artifact has ${valid.length} layers and none is clearly the pack tarball (one layer titled *.tar.gz).`;
}

/** The Helm chart content layer; a string says why there is none. */
export function pickChartLayer(manifest: Manifest): { digest: string; size?: number } | string {
  const layers = (Array.isArray(manifest.layers) ? manifest.layers : []).map(descriptorOf).filter((l) => l !== null);
  const chart = layers.find((layer) => layer.mediaType === OCI_MEDIA_TYPES.helmChart);
  return chart ? { digest: chart.digest, size: chart.size } : 'The Helm artifact has no chart content layer.';
}

