/**
 * Turns a Helm chart archive into an add-on pack tarball, the way a person would wrap a chart by
 * hand for Palette: pack.json naming the chart, values.yaml holding the chart's own values under
 * `charts.<name>`, the chart itself as `charts/<name>-<version>.tgz`, and the chart's README.
 *
 * The output depends only on the chart bytes and the source description, so converting the same
 * chart twice gives the same tarball digest (helm-chart.tarball.ts writes createPackTarball's bytes).
 */
import { isDeepStrictEqual } from 'node:util';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { isMap, isScalar, parseDocument, stringify as stringifyYaml } from 'yaml';
import { UpstreamError } from '../errors.js';
import { createPackTarball, scanArchive, type ArchiveLimits } from './pack.archive.js';
import { fileSize, writeTarball } from './helm-chart.tarball.js';
import { readPlainYaml } from './plain-yaml.js';
import { stripLeadingV } from './version.js';

/** Where a chart came from, recorded in the pack's annotations and `pack.content.charts`. */
export interface HelmChartSource {
  kind: 'helm' | 'oci';
  /** The chart archive's URL (Helm repository) or `oci://host/repo:tag` reference. */
  chartUrl: string;
  /** The repository: a Helm repository URL or `oci://host/path/to/chart`. */
  repository?: string;
}

/** The Chart.yaml fields the conversion reads. */
export interface ChartMetadata {
  name: string;
  version: string;
  description?: string;
  appVersion?: string;
  deprecated?: boolean;
  annotations: Record<string, string>;
}

export interface ConvertedChart {
  archivePath: string;
  /** The tarball's bytes when kept in memory (`inMemory`; then there is no file at `archivePath`). */
  archive?: Buffer;
  /** `sha256:<hex>` and size of the tarball (hashed while it was written). */
  digest: string;
  size: number;
  /** Pack name (the chart name). */
  name: string;
  /** Pack version (the chart version without a leading `v`). */
  version: string;
  chart: ChartMetadata;
  /**
   * The pack's values.yaml text when this conversion parsed it already as one YAML mapping (the
   * check that indenting the chart's values kept their data): the pack reader need not parse it again.
   */
  checkedValues?: string;
}

/**
 * The one place chart archives get their limits. Charts go through the pack archive reader (the
 * same framing, trailing-data and byte checks), but deliberately not with the configured pack limits
 * (`config.archiveLimits`): a chart is third-party content read for three small files, so it may
 * hold more files than a pack (20,000), unpacks to less (512 MiB) and keeps at most 4 MiB a file.
 * Its bytes are already bounded where they come from (a sync download by MAX_UPLOAD_BYTES, a
 * served chart by the pack that carries it); 100 MiB is the chart's own ceiling.
 */
export const CHART_ARCHIVE_LIMITS: Readonly<ArchiveLimits> = Object.freeze({
  maxEntries: 20_000,
  maxDecompressedBytes: 512 * 1024 ** 2,
  maxArchiveBytes: 100 * 1024 ** 2,
  maxFileBytes: 4 * 1024 ** 2,
});
const KEPT_FILES = new Set(['Chart.yaml', 'values.yaml', 'README.md']);
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;

export interface ChartConvertOptions extends ChartReadOptions {
  /** Answer a small tarball as bytes (`archive`) rather than a file. */
  inMemory?: boolean;
}

export interface ChartReadOptions {
  /** Largest chart archive accepted. Default `CHART_ARCHIVE_LIMITS.maxArchiveBytes`. */
  maxArchiveBytes?: number;
  /** Stops the read (sync cancelled, request gone); the call then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Reads Chart.yaml, values.yaml and README.md from the chart's top folder (`<chart>/...`) with the
 * archive reader's hostile-archive checks and limits. The chart is a file, or its bytes when they
 * are held in memory (the same checks: the reader counts the bytes it reads). Throws UpstreamError
 * when the archive is not a readable chart.
 */
export async function readChartArchive(
  chart: string | Buffer,
  options: ChartReadOptions = {},
): Promise<{ chart: ChartMetadata; values: string; readme: string | null }> {
  const scan = await scanArchive(typeof chart === 'string' ? chart : Readable.from([chart]), {
    limits: { ...CHART_ARCHIVE_LIMITS, maxArchiveBytes: options.maxArchiveBytes ?? CHART_ARCHIVE_LIMITS.maxArchiveBytes },
    signal: options.signal,
    keep: (file) => {
      const segments = file.split('/');
      return segments.length === 2 && KEPT_FILES.has(segments[1]);
    },
  });
  const errors = scan.issues.filter((issue) => issue.severity === 'error');
  if (!scan.complete || errors.length > 0) {
    throw new UpstreamError(`The chart archive is unusable: ${(errors[0] ?? scan.issues[0])?.message ?? 'unreadable'}`);
  }
  const roots = [...scan.kept.keys()].filter((file) => file.endsWith('/Chart.yaml')).map((file) => file.slice(0, -'Chart.yaml'.length));
  if (roots.length !== 1) {
    throw new UpstreamError(
      roots.length === 0 ? 'The chart archive holds no <chart>/Chart.yaml.' : 'The chart archive holds several charts at its top level.',
    );
  }
  const root = roots[0];
  const text = (file: string) => scan.kept.get(root + file)?.toString('utf8').replace(/^\uFEFF/, '') ?? null;
  if (scan.oversized.has(`${root}values.yaml`)) throw new UpstreamError('The chart\'s values.yaml is larger than the pack values limit.');
  return { chart: parseChartYaml(text('Chart.yaml')!), values: text('values.yaml') ?? '', readme: text('README.md') };
}

/** Chart.yaml to the fields we use; throws UpstreamError when name or version is missing. */
export function parseChartYaml(text: string): ChartMetadata {
  const document = parseDocument(text, { uniqueKeys: false });
  if (document.errors.length > 0) throw new UpstreamError(`Chart.yaml is not valid YAML: ${document.errors[0].message.split('\n')[0]}`);
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new UpstreamError(`Chart.yaml could not be read: ${(error as Error).message.split('\n')[0]}`);
  }
  const record = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const name = typeof record.name === 'string' ? record.name.trim() : '';
  // Helm reads versions as strings: `version: 1.0` is "1.0", not the number 1.
  const versionNode = isMap(document.contents) ? document.contents.get('version', true) : undefined;
  const versionText = isScalar(versionNode) && typeof versionNode.source === 'string' ? versionNode.source : record.version;
  const version = versionText === undefined || versionText === null ? '' : String(versionText).trim();
  if (!NAME_PATTERN.test(name)) throw new UpstreamError(`Chart.yaml has no usable name (${JSON.stringify(record.name ?? null)}).`);
  if (!version) throw new UpstreamError(`Chart.yaml of "${name}" has no version.`);
  const annotations: Record<string, string> = {};
  if (typeof record.annotations === 'object' && record.annotations !== null) {
    for (const [key, value] of Object.entries(record.annotations as Record<string, unknown>)) {
      if (value !== null && value !== undefined && typeof value !== 'object') annotations[key] = String(value);
    }
  }
  return {
    name,
    version,
    description: typeof record.description === 'string' ? record.description : undefined,
    appVersion: record.appVersion === undefined || record.appVersion === null ? undefined : String(record.appVersion),
    deprecated: record.deprecated === true,
    annotations,
  };
}

/**
 * The pack's values.yaml: a `pack:` section (namespace, the chart in `content.charts`) and the
 * chart's own values under `charts.<name>`, comments kept. When indenting the chart's text would
 * not give back the same data (odd YAML), the values are re-serialised instead, losing comments.
 */
export function buildPackValues(chart: Pick<ChartMetadata, 'name' | 'version'>, chartValues: string, repository?: string): string {
  return packValuesOf(chart, chartValues, repository).text;
}

/** {@link buildPackValues}, saying whether the text was parsed here as one YAML mapping (`checked`). */
function packValuesOf(chart: Pick<ChartMetadata, 'name' | 'version'>, chartValues: string, repository?: string): { text: string; checked: boolean } {
  const entry = [`      - name: ${yamlScalar(chart.name)}`, `        version: ${yamlScalar(chart.version)}`];
  if (repository) entry.push(`        repo: ${yamlScalar(repository)}`);
  const head = ['pack:', `  namespace: ${yamlScalar(chart.name)}`, '  content:', '    charts:', ...entry, 'charts:'];
  const expected = parseChartValues(chartValues);
  const body = chartValues
    .replace(/\r\n?/g, '\n')
    .replace(/^%YAML.*\n/m, '')
    .replace(/^---[ \t]*(#.*)?\n/m, '')
    .replace(/\n\.\.\.[ \t]*\n?$/, '\n');
  if (isEmptyMapping(expected)) return { text: `${[...head, `  ${yamlKey(chart.name)}: {}`].join('\n')}\n`, checked: false };
  const indented = body
    .split('\n')
    .map((line) => (line.trim() === '' ? '' : `    ${line}`))
    .join('\n')
    .replace(/\n+$/, '');
  const text = `${[...head, `  ${yamlKey(chart.name)}:`].join('\n')}\n${indented}\n`;
  if (sameChartValues(text, chart.name, expected)) return { text, checked: true };
  const fallback = stringifyYaml({ charts: { [chart.name]: expected } }, { lineWidth: 0 });
  return { text: `${head.slice(0, -1).join('\n')}\n${fallback}`, checked: false };
}

function parseChartValues(text: string): unknown {
  // Plain values (nearly every chart's) are read by the fast reader, which answers what `yaml` would or declines.
  const plain = readPlainYaml(text);
  if (plain) return plain.value ?? {};
  const strict = parseDocument(text);
  if (strict.errors.length === 0) return strict.toJS({ maxAliasCount: 100 }) ?? {};
  // Charts in the wild carry duplicate keys; Helm keeps the last one, and so do we.
  const loose = parseDocument(text, { uniqueKeys: false });
  if (loose.errors.length > 0) throw new UpstreamError(`The chart's values.yaml is not valid YAML: ${loose.errors[0].message.split('\n')[0]}`);
  const value = loose.toJS({ maxAliasCount: 100 }) ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new UpstreamError('The chart\'s values.yaml is not a mapping.');
  return value;
}

// Parsed as the pack reader parses a values.yaml (parseValuesYaml: default options, toJS with the
// default alias cap of 100), so a text that passes here is one the reader would accept as a mapping.
function sameChartValues(text: string, name: string, expected: unknown): boolean {
  const plain = readPlainYaml(text);
  let data: { charts?: Record<string, unknown> } | null;
  if (plain) {
    data = plain.value as typeof data;
  } else {
    const document = parseDocument(text);
    if (document.errors.length > 0) return false;
    data = document.toJS({ maxAliasCount: 100 }) as typeof data;
  }
  return isDeepStrictEqual(data?.charts?.[name] ?? {}, expected);
}

function isEmptyMapping(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0);
}

function yamlScalar(value: string): string {
  return stringifyYaml(value).trimEnd();
}

function yamlKey(value: string): string {
  return /^[A-Za-z0-9_-]+$/.test(value) ? value : JSON.stringify(value);
}

/** pack.json of the pack wrapping this chart (keys in a fixed order, so the bytes are stable). */
export function buildPackJson(chart: ChartMetadata, source: HelmChartSource): Record<string, unknown> {
  const version = stripLeadingV(chart.version);
  const annotations: Record<string, string> = { source: 'helm', chartUrl: source.chartUrl, chartVersion: chart.version };
  if (source.repository) annotations.chartRepository = source.repository;
  if (chart.appVersion) annotations.appVersion = chart.appVersion;
  if (chart.description) annotations.description = chart.description.slice(0, 1000);
  if (chart.deprecated) annotations.system_state = 'deprecated';
  const displayName =
    chart.annotations['artifacthub.io/displayName'] ?? chart.annotations['spectrocloud.com/display-name'] ?? chart.annotations.title ?? chart.name;
  return {
    name: chart.name,
    displayName: displayName.trim() || chart.name,
    version,
    layer: 'addon',
    addonType: chart.annotations.category ?? chart.annotations['artifacthub.io/category'] ?? 'helm chart',
    cloudTypes: ['all'],
    charts: [`charts/${chart.name}-${version}.tgz`],
    annotations,
  };
}

/**
 * Converts the chart archive at `chartPath` (or its bytes, when held in memory) into a pack tarball
 * written inside `workDir` (or, with `inMemory` and a small one, kept in `archive` with no file
 * written). Throws UpstreamError when the chart is unreadable.
 */
export async function convertHelmChartToPack(
  chartPath: string | Buffer,
  workDir: string,
  source: HelmChartSource,
  options: ChartConvertOptions = {},
): Promise<ConvertedChart> {
  const { chart, values, readme } = await readChartArchive(chartPath, options);
  const packJson = buildPackJson(chart, source);
  const version = packJson.version as string;
  const base = `${chart.name}-${version}`;
  const files = {
    readme: readme !== null && readme.trim() !== '' ? Buffer.from(readme) : null,
    packJson: Buffer.from(`${JSON.stringify(packJson, null, 2)}\n`),
    values: packValuesOf(chart, values, source.repository),
  };
  const valuesBytes = Buffer.from(files.values.text);
  const checkedValues = files.values.checked ? files.values.text : undefined;
  const chartEntry = `charts/${chart.name}-${version}.tgz`;
  const archivePath = path.join(workDir, `${base}.tar.gz`);
  // The order createPackTarball walks the same folder in: names sorted by code unit, a folder before what it holds.
  const written = await writeTarball(
    [
      { kind: 'folder', path: base },
      ...(files.readme ? [{ kind: 'file' as const, path: `${base}/README.md`, bytes: files.readme }] : []),
      { kind: 'folder', path: `${base}/charts` },
      typeof chartPath === 'string'
        ? { kind: 'disk', path: `${base}/${chartEntry}`, file: chartPath, size: await fileSize(chartPath) }
        : { kind: 'file', path: `${base}/${chartEntry}`, bytes: chartPath },
      { kind: 'file', path: `${base}/pack.json`, bytes: files.packJson },
      { kind: 'file', path: `${base}/values.yaml`, bytes: valuesBytes },
    ],
    archivePath,
    { inMemory: options.inMemory },
  );
  if (written) return { archivePath, archive: written.bytes, name: chart.name, version, chart, digest: written.digest, size: written.size, checkedValues };
  // Names too long for a plain tar header: the folder and the tar library's pax headers.
  const folder = path.join(workDir, 'pack', base);
  await mkdir(path.join(folder, 'charts'), { recursive: true });
  await writeFile(path.join(folder, 'pack.json'), files.packJson);
  await writeFile(path.join(folder, 'values.yaml'), valuesBytes);
  if (files.readme) await writeFile(path.join(folder, 'README.md'), files.readme);
  if (typeof chartPath === 'string') await copyFile(chartPath, path.join(folder, chartEntry));
  else await writeFile(path.join(folder, chartEntry), chartPath);
  const tarball = await createPackTarball(folder, archivePath);
  return { archivePath, name: chart.name, version, chart, digest: `sha256:${tarball.sha256}`, size: tarball.size, checkedValues };
}
