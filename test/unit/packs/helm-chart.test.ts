import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { buildPackValues, convertHelmChartToPack, parseChartYaml } from '../../../src/packs/helm-chart.js';
import { readPackArchive } from '../../../src/packs/pack.reader.js';
import { sha256File } from '../../../src/platform/hashing.js';
import { buildChart } from '../../helpers/helm-charts.js';

describe('Helm chart -> add-on pack', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'helm-chart-pack-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const source = { kind: 'helm' as const, chartUrl: 'https://charts.example/podinfo-6.5.0.tgz', repository: 'https://charts.example' };

  it('produces a pack the reader accepts, with the chart values under charts.<name> (comments kept)', async () => {
    const chart = await buildChart(
      {
        name: 'podinfo',
        version: 'v6.5.0',
        appVersion: '6.5.0',
        annotations: { category: 'monitoring', 'artifacthub.io/displayName': 'Podinfo' },
        values: '---\n# How many pods\nreplicaCount: 2\nui:\n  color: "#34577c"\n  message: |\n    hello\n    world\n',
        readme: '# Podinfo\n',
      },
      path.join(dir, 'a'),
    );
    const converted = await convertHelmChartToPack(chart.path, path.join(dir, 'a'), source);
    expect(converted).toMatchObject({ name: 'podinfo', version: '6.5.0' });
    const read = await readPackArchive(converted.archivePath, { lenient: true });
    if (!read.ok) throw new Error(JSON.stringify(read.issues));
    const { manifest, values, readme, files } = read.pack;
    expect(manifest).toMatchObject({
      name: 'podinfo',
      displayName: 'Podinfo',
      version: '6.5.0',
      layer: 'addon',
      addonType: 'monitoring',
      cloudTypes: ['all'],
      charts: ['charts/podinfo-6.5.0.tgz'],
    });
    expect(manifest.annotations).toMatchObject({ source: 'helm', chartUrl: source.chartUrl, chartVersion: 'v6.5.0', appVersion: '6.5.0' });
    expect(files).toEqual(['README.md', 'charts/podinfo-6.5.0.tgz', 'pack.json', 'values.yaml']);
    expect(readme).toBe('# Podinfo\n');
    expect(values).toContain('    # How many pods\n    replicaCount: 2');
    expect(parse(values)).toEqual({
      pack: { namespace: 'podinfo', content: { charts: [{ name: 'podinfo', version: 'v6.5.0', repo: 'https://charts.example' }] } },
      charts: { podinfo: { replicaCount: 2, ui: { color: '#34577c', message: 'hello\nworld\n' } } },
    });
    // Only the missing logo is worth a warning.
    expect(read.issues.map((i) => i.code)).toEqual(['LOGO_MISSING']);
  });

  it('is deterministic: the same chart converts to the same digest', async () => {
    const chart = await buildChart({ name: 'same', version: '1.0.0' }, path.join(dir, 'b'));
    const first = await convertHelmChartToPack(chart.path, path.join(dir, 'b1'), source);
    const second = await convertHelmChartToPack(chart.path, path.join(dir, 'b2'), source);
    expect((await sha256File(first.archivePath)).digest).toBe((await sha256File(second.archivePath)).digest);
    expect(await readFile(first.archivePath)).toEqual(await readFile(second.archivePath));
  });

  it('uses the chart name as display name and "helm chart" as add-on type by default; empty values become {}', async () => {
    const chart = await buildChart({ name: 'plain', version: '0.1.0', values: '# nothing here\n' }, path.join(dir, 'c'));
    const converted = await convertHelmChartToPack(chart.path, path.join(dir, 'c'), source);
    const read = await readPackArchive(converted.archivePath, { lenient: true });
    if (!read.ok) throw new Error(JSON.stringify(read.issues));
    expect(read.pack.manifest).toMatchObject({ displayName: 'plain', addonType: 'helm chart' });
    expect(parse(read.pack.values).charts).toEqual({ plain: {} });
  });

  it('falls back to re-serialised values when the chart has duplicate keys (Helm keeps the last)', () => {
    const text = buildPackValues({ name: 'dup', version: '1.0.0' }, 'a: 1\nb: 2\na: 3\n');
    expect(parse(text).charts).toEqual({ dup: { a: 3, b: 2 } });
  });

  it('refuses a Chart.yaml without name or version', () => {
    expect(() => parseChartYaml('version: 1.0.0\n')).toThrow(/no usable name/);
    expect(() => parseChartYaml('name: x\n')).toThrow(/has no version/);
    expect(parseChartYaml('name: x\nversion: 1.0\ndeprecated: true\nannotations: {a: 1, b: {c: d}}\n')).toMatchObject({
      name: 'x',
      version: '1.0',
      deprecated: true,
      annotations: { a: '1' },
    });
  });

  it('refuses an archive that is not a chart', async () => {
    const notAChart = path.join(dir, 'not-a-chart.tgz');
    const { create } = await import('tar');
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(path.join(dir, 'nac', 'x'), { recursive: true });
    await writeFile(path.join(dir, 'nac', 'x', 'hello.txt'), 'hi');
    await create({ file: notAChart, cwd: path.join(dir, 'nac'), gzip: true }, ['x']);
    await expect(convertHelmChartToPack(notAChart, path.join(dir, 'd'), source)).rejects.toThrow(/no <chart>\/Chart.yaml/);
  });
});
