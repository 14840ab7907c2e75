/**
 * HELM: a chart repository (`<endpoint>/index.yaml` plus chart archives). Every chart version
 * becomes an add-on pack (see src/packs/helm-chart.ts). An index whose ETag or digest equals the last
 * clean run's means nothing changed, and nothing else is requested.
 */
import type { RegistryCredentials } from '../../registry.model.js';
import type { AdapterOptions, AdapterRegistry, FetchedPack, ListingProblem, RegistryAdapter, UpstreamItem, UpstreamListing } from '../adapter.js';
import { digestOf } from '../../../platform/hashing.js';
import { convertHelmChartToPack } from '../../../packs/helm-chart.js';
import { stripLeadingV } from '../../../packs/version.js';
import { describeUrl } from '../../../platform/http-client.js';
import { statusError, withRequestSignal, type RegistryHttpClient } from '../registry-http.js';
import { randomUUID } from 'node:crypto';
import { mkdir, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_MAX_HELM_INDEX_BYTES, parseHelmIndex, type HelmIndexEntries } from './helm-index.parser.js';

/** What fetching one chart version needs. */
export interface HelmChartRef {
  chartUrl: string;
  /** `sha256:<hex>` of the chart archive, when the index gives one. */
  digest?: string;
}

const DIGEST_HEX = /^[a-f0-9]{64}$/i;
/** Charts up to this size (by Content-Length) are downloaded into memory (bounded: fetch concurrency x this). */
const IN_MEMORY_CHART_BYTES = 1024 * 1024;

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}

export class HelmRegistryAdapter implements RegistryAdapter<HelmChartRef> {
  private readonly base: URL;
  /** The run's scratch folder exists (made once, by the first fetch). */
  private tmpReady: Promise<unknown> | undefined;

  constructor(
    private readonly registry: AdapterRegistry,
    private readonly credentials: RegistryCredentials | null,
    private readonly options: AdapterOptions,
    private readonly http: RegistryHttpClient,
  ) {
    this.base = new URL(registry.endpoint!.replace(/\/*$/, '/'));
  }

  async list(signal: AbortSignal): Promise<UpstreamListing<HelmChartRef>> {
    const indexUrl = new URL('index.yaml', this.base).toString();
    const previous = this.options.previousMarker ?? undefined;
    const headers: Record<string, string> = { accept: 'application/x-yaml, text/yaml, */*', ...this.authHeaders() };
    if (previous?.startsWith('etag:')) headers['if-none-match'] = previous.slice('etag:'.length);
    const maxIndexBytes = this.options.maxHelmIndexBytes ?? DEFAULT_MAX_HELM_INDEX_BYTES;
    const response = await withRequestSignal(signal, (own) => this.http.request(indexUrl, { headers, signal: own, maxBytes: maxIndexBytes }));
    if (response.status === 304 && previous) return { items: [], upstreamMarker: previous, unchanged: true };
    if (response.status !== 200) throw statusError(response);
    const etag = typeof response.headers.etag === 'string' && response.headers.etag ? response.headers.etag : undefined;
    const marker = etag ? `etag:${etag}` : digestOf(response.body);
    if (previous && marker === previous) return { items: [], upstreamMarker: marker, unchanged: true };
    // Off the event loop above a small size: a large index takes seconds to parse.
    const entries = await parseHelmIndex(response.body, indexUrl, { maxBytes: maxIndexBytes, signal });
    // Relative chart URLs resolve against the repository's own URL (as Helm does), never a redirect target.
    return { ...this.itemsOf(entries, indexUrl), upstreamMarker: marker };
  }

  async fetch(item: UpstreamItem<HelmChartRef>, signal: AbortSignal): Promise<FetchedPack> {
    const ref = item.ref!;
    await (this.tmpReady ??= mkdir(this.options.tmpDir, { recursive: true }));
    // The client refuses a chart URL on an origin the registry does not allow, and sends the
    // credentials to the repository's own origin only (as Helm does without --pass-credentials).
    // A small chart (most are) comes into memory: no file written, read back twice and removed.
    const download = await withRequestSignal(signal, (own) =>
      this.http.download(ref.chartUrl, {
        dir: this.options.tmpDir,
        headers: this.authHeaders(),
        signal: own,
        expectedDigest: ref.digest,
        maxBytes: this.options.maxArtifactBytes,
        inMemoryBytes: IN_MEMORY_CHART_BYTES,
      }),
    );
    const chart = 'bytes' in download ? download.bytes : download.path;
    // A small chart's pack is kept in memory, so it needs no folder: one is made (by the
    // conversion) only for a tarball written to disk. Either way the chart file goes once converted.
    const workDir = path.join(this.options.tmpDir, `${randomUUID()}.pack`);
    const removeChart = () => (typeof chart === 'string' ? unlink(chart).catch(ignoreMissing) : Promise.resolve());
    const remove = async () => {
      await removeChart();
      await rm(workDir, { recursive: true, force: true });
    };
    try {
      const converted = await convertHelmChartToPack(chart, workDir, {
        kind: 'helm',
        chartUrl: ref.chartUrl,
        repository: this.base.toString().replace(/\/$/, ''),
      }, { signal, inMemory: true });
      const checkedValues = converted.checkedValues;
      if (converted.archive) {
        // Kept in memory: the conversion made no folder, so only the chart file (if any) is left to remove.
        await removeChart();
        return { archive: converted.archive, digest: converted.digest, size: converted.size, checkedValues, cleanup: async () => undefined };
      }
      return { archivePath: converted.archivePath, digest: converted.digest, size: converted.size, checkedValues, cleanup: remove };
    } catch (error) {
      await remove().catch(() => undefined);
      throw error;
    }
  }

  private authHeaders(): Record<string, string> {
    const { username, password, token } = this.credentials ?? {};
    if (username) return { authorization: `Basic ${Buffer.from(`${username}:${password ?? token ?? ''}`).toString('base64')}` };
    if (token) return { authorization: `Bearer ${token}` };
    return {};
  }

  private itemsOf(entries: HelmIndexEntries, indexUrl: string): { items: Array<UpstreamItem<HelmChartRef>>; problems: ListingProblem[] } {
    const items: Array<UpstreamItem<HelmChartRef>> = [];
    const problems: ListingProblem[] = [];
    const seen = new Set<string>();
    for (const [chartName, versions] of Object.entries(entries)) {
      if (!Array.isArray(versions)) {
        problems.push({ item: chartName, message: 'The index lists this chart\'s versions as something other than a list.' });
        continue;
      }
      for (const entry of versions) {
        const rawVersion = entry?.version === undefined || entry?.version === null ? '' : String(entry.version);
        const label = `${chartName}:${rawVersion || '?'}`;
        const name = typeof entry?.name === 'string' && entry.name ? entry.name : chartName;
        const version = stripLeadingV(rawVersion);
        if (!version) {
          problems.push({ item: label, message: 'The index entry has no version.' });
          continue;
        }
        if (!entry?.url) {
          problems.push({ item: label, name, version, message: 'The index entry has no chart URL.' });
          continue;
        }
        let chartUrl: string;
        try {
          chartUrl = new URL(entry.url, indexUrl).toString();
        } catch {
          problems.push({ item: label, name, version, message: 'The index entry\'s chart URL is not a URL.' });
          continue;
        }
        if (!/^https?:$/.test(new URL(chartUrl).protocol)) {
          problems.push({ item: label, name, version, message: `The chart URL ${describeUrl(chartUrl)} is not http(s).` });
          continue;
        }
        const key = `${name}@${version}`;
        if (seen.has(key)) {
          problems.push({ item: label, name, version, message: 'The index lists this chart version twice; the first entry is used.' });
          continue;
        }
        seen.add(key);
        const digest = typeof entry.digest === 'string' && DIGEST_HEX.test(entry.digest) ? `sha256:${entry.digest.toLowerCase()}` : undefined;
        const created = entry.created ?? '';
        items.push({
          name,
          version,
          marker: digest ?? `${rawVersion}@${created}|${chartUrl}`,
          ref: { chartUrl, digest },
        });
      }
    }
    return { items, problems };
  }
}
