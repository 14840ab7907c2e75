/** Helm charts built in tests from a chart folder (Chart.yaml, values.yaml, templates/), as `helm package` would. */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { create as createTar } from 'tar';
import { stringify } from 'yaml';

export interface TestChart {
  name: string;
  version: string;
  appVersion?: string;
  description?: string;
  annotations?: Record<string, string>;
  /** values.yaml text as written (comments kept). */
  values?: string;
  readme?: string;
}

/** Writes `<dir>/<name>/...` and packs it into `<name>-<version>.tgz`; returns the archive bytes and path. */
export async function buildChart(chart: TestChart, dir?: string): Promise<{ path: string; bytes: Buffer; chartYaml: object }> {
  const root = dir ?? (await mkdtemp(path.join(tmpdir(), 'pack-catalog-chart-')));
  const folder = path.join(root, 'src', chart.name);
  await mkdir(path.join(folder, 'templates'), { recursive: true });
  const chartYaml = {
    apiVersion: 'v2',
    name: chart.name,
    version: chart.version,
    ...(chart.appVersion ? { appVersion: chart.appVersion } : {}),
    description: chart.description ?? `The ${chart.name} chart`,
    type: 'application',
    ...(chart.annotations ? { annotations: chart.annotations } : {}),
  };
  await writeFile(path.join(folder, 'Chart.yaml'), stringify(chartYaml));
  await writeFile(
    path.join(folder, 'values.yaml'),
    chart.values ?? `# Default values for ${chart.name}.\nreplicaCount: 1\nimage:\n  repository: nginx\n  tag: "1.27"\n`,
  );
  await writeFile(
    path.join(folder, 'templates', 'deployment.yaml'),
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  replicas: {{ .Values.replicaCount }}\n',
  );
  if (chart.readme) await writeFile(path.join(folder, 'README.md'), chart.readme);
  const out = path.join(root, `${chart.name}-${chart.version}.tgz`);
  await createTar({ file: out, cwd: path.join(root, 'src'), gzip: true, portable: true, mtime: new Date(0) }, [chart.name]);
  return { path: out, bytes: await readFile(out), chartYaml };
}

/** Writes `<dir>/index.yaml` listing the given charts as `helm repo index` would (relative URLs, digests). */
export async function writeHelmIndex(
  dir: string,
  charts: Array<{ chart: TestChart; file: string; bytes: Buffer; url?: string; omitDigest?: boolean }>,
): Promise<void> {
  const { createHash } = await import('node:crypto');
  const entries: Record<string, object[]> = {};
  for (const { chart, file, bytes, url, omitDigest } of charts) {
    (entries[chart.name] ??= []).push({
      apiVersion: 'v2',
      name: chart.name,
      version: chart.version,
      ...(chart.appVersion ? { appVersion: chart.appVersion } : {}),
      description: chart.description ?? `The ${chart.name} chart`,
      created: '2026-01-01T00:00:00Z',
      ...(omitDigest ? {} : { digest: createHash('sha256').update(bytes).digest('hex') }),
      urls: [url ?? path.basename(file)],
    });
  }
  await writeFile(path.join(dir, 'index.yaml'), stringify({ apiVersion: 'v1', entries, generated: '2026-01-01T00:00:00Z' }));
}
