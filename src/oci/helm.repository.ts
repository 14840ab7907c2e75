/**
 * A Helm chart repository per registry (`/helm/<registry>/index.yaml`, `/helm/<registry>/charts/
 * <chart>-<version>.tgz`): the charts that live add-on pack versions carry, so `helm repo add`
 * works against the catalog. Chart metadata is read from the pack tarballs once and cached by pack
 * digest (content addressed, so the cache never goes stale); chart bytes are extracted on request.
 */
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { stringify } from 'yaml';
import type { ArtifactStore } from '../artifacts/artifact.store.js';
import { hexOfDigest, sha256File } from '../platform/hashing.js';
import type { CatalogReader } from '../catalog/pack.store.reads.js';
import type { RegistryService } from '../registries/registry.service.js';
import { assertCanRead, type AccessPolicy, type Principal } from '../auth/principal.js';
import { NotFoundError } from '../errors.js';
import { extractPackArchive, type ArchiveLimits } from '../packs/pack.archive.js';
import { readChartArchive } from '../packs/helm-chart.js';

export interface HelmChartEntry {
  name: string;
  version: string;
  appVersion?: string;
  description?: string;
  /** sha256 hex of the chart tarball, as Helm's index records it. */
  digest: string;
  size: number;
  /** Where it comes from: the pack version's tarball and the chart's path inside the pack. */
  packDigest: string;
  chartPath: string;
  created: Date;
}

const MAX_CACHED_PACKS = 2000;

export class HelmRepositoryService {
  /** Pack digest -> the charts read from it (empty when none could be read). */
  private readonly cache = new Map<string, Array<Omit<HelmChartEntry, 'created' | 'packDigest'>>>();

  constructor(
    private readonly deps: {
      /** Finds a registry the caller may read (null otherwise). */
      registries: Pick<RegistryService, 'find'>;
      catalog: CatalogReader;
      artifacts: ArtifactStore;
      policy: AccessPolicy;
    },
    private readonly options: { tmpDir: string; archiveLimits: Partial<ArchiveLimits> },
  ) {}

  /**
   * Every chart of the registry's live add-on pack versions; the first of a name@version wins. A
   * registry the caller may not read does not exist for it (index and charts alike).
   */
  async charts(actor: Principal, registryName: string, signal?: AbortSignal): Promise<HelmChartEntry[]> {
    assertCanRead(actor, this.deps.policy);
    const registry = await this.deps.registries.find(actor, registryName);
    if (!registry) throw new NotFoundError(`Registry "${registryName}" does not exist.`);
    const versions = await this.deps.catalog.liveChartVersions(registry.id);
    const seen = new Set<string>();
    const entries: HelmChartEntry[] = [];
    for (const version of versions) {
      for (const chart of await this.chartsOf(version.digest, version.charts, signal)) {
        const key = `${chart.name}@${chart.version}`;
        if (seen.has(key)) continue;
        seen.add(key);
        entries.push({ ...chart, packDigest: version.digest, created: version.createdAt });
      }
    }
    return entries;
  }

  /** index.yaml; chart URLs are relative, so Helm resolves them against wherever it fetched the index. */
  async index(actor: Principal, registryName: string, signal?: AbortSignal): Promise<string> {
    const entries: Record<string, unknown[]> = {};
    const charts = (await this.charts(actor, registryName, signal)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const chart of charts) {
      (entries[chart.name] ??= []).push({
        apiVersion: 'v2',
        name: chart.name,
        version: chart.version,
        ...(chart.appVersion ? { appVersion: chart.appVersion } : {}),
        ...(chart.description ? { description: chart.description } : {}),
        created: chart.created.toISOString(),
        digest: chart.digest,
        urls: [`charts/${chart.name}-${chart.version}.tgz`],
      });
    }
    return stringify({ apiVersion: 'v1', entries });
  }

  /** One chart tarball, extracted from its pack, as a stream (the temporary copy goes when it ends). */
  async openChart(
    actor: Principal,
    registryName: string,
    fileName: string,
    signal?: AbortSignal,
  ): Promise<{ size: number; digest: string; stream: Readable }> {
    const chart = (await this.charts(actor, registryName, signal)).find((c) => `${c.name}-${c.version}.tgz` === fileName);
    if (!chart) throw new NotFoundError(`Registry "${registryName}" has no chart ${fileName}.`);
    const dir = await this.workDir();
    try {
      const file = await this.extractChart(chart.packDigest, chart.chartPath, dir, signal);
      if (!file) throw new NotFoundError(`The chart ${fileName} could not be read from its pack.`);
      const stream = createReadStream(file);
      const cleanup = () => void rm(dir, { recursive: true, force: true });
      stream.once('close', cleanup);
      return { size: chart.size, digest: chart.digest, stream };
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Aborting `signal` rejects, and caches nothing: a partial list must not stand for the pack. */
  private async chartsOf(
    packDigest: string,
    chartPaths: string[],
    signal?: AbortSignal,
  ): Promise<Array<Omit<HelmChartEntry, 'created' | 'packDigest'>>> {
    const cached = this.cache.get(packDigest);
    if (cached) return cached;
    const found: Array<Omit<HelmChartEntry, 'created' | 'packDigest'>> = [];
    const dir = await this.workDir();
    try {
      const pack = path.join(dir, 'pack.tar.gz');
      await pipeline(await this.deps.artifacts.get(packDigest), createWriteStream(pack, { flags: 'wx' }), { signal });
      const out = path.join(dir, 'x');
      await mkdir(out);
      const extracted = await extractPackArchive(pack, out, this.options.archiveLimits, { signal });
      if (extracted.ok) {
        for (const chartPath of chartPaths) {
          const file = findChartFile(extracted.files, chartPath);
          if (!file) continue;
          const full = path.join(out, file);
          // A chart that can't be read is left out of the index; the pack itself stays in the catalog.
          const read = await readChartArchive(full, { signal }).catch(() => null);
          signal?.throwIfAborted();
          if (!read) continue;
          const hashed = await sha256File(full);
          found.push({
            name: read.chart.name,
            version: read.chart.version,
            appVersion: read.chart.appVersion,
            description: read.chart.description,
            digest: hexOfDigest(hashed.digest),
            size: hashed.size,
            chartPath,
          });
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    if (this.cache.size >= MAX_CACHED_PACKS) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(packDigest, found);
    return found;
  }

  private async extractChart(packDigest: string, chartPath: string, dir: string, signal?: AbortSignal): Promise<string | null> {
    const pack = path.join(dir, 'pack.tar.gz');
    await pipeline(await this.deps.artifacts.get(packDigest), createWriteStream(pack, { flags: 'wx' }), { signal });
    const out = path.join(dir, 'x');
    await mkdir(out);
    const extracted = await extractPackArchive(pack, out, this.options.archiveLimits, { signal });
    const file = extracted.ok ? findChartFile(extracted.files, chartPath) : null;
    return file ? path.join(out, file) : null;
  }

  private async workDir(): Promise<string> {
    await mkdir(this.options.tmpDir, { recursive: true });
    return mkdtemp(path.join(this.options.tmpDir, 'helm-'));
  }
}

/** The extracted file a pack.json chart path names: at the archive root or under the pack's folder. */
function findChartFile(files: string[], chartPath: string): string | null {
  const wanted = chartPath.replace(/^\.?\//, '');
  return files.find((f) => f === wanted) ?? files.find((f) => f.split('/').slice(1).join('/') === wanted) ?? null;
}
