/**
 * The one-pass writer of converted charts (helm-chart.tarball.ts) must give exactly the bytes the
 * folder + createPackTarball path gave: a chart converted before and after it keeps its digest.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { buildPackJson, buildPackValues, convertHelmChartToPack, readChartArchive } from '../../../src/packs/helm-chart.js';
import { writeTarball } from '../../../src/packs/helm-chart.tarball.js';
import { createPackTarball } from '../../../src/packs/pack.tarball.js';
import { readPackArchiveStream } from '../../../src/packs/pack.reader.js';
import { Readable } from 'node:stream';
import { sha256File } from '../../../src/platform/hashing.js';
import { buildChart } from '../../helpers/helm-charts.js';

describe('converted chart tarball', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'helm-chart-tarball-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const source = { kind: 'helm' as const, chartUrl: 'https://charts.example/c.tgz', repository: 'https://charts.example' };

  /** What the conversion wrote before the one-pass writer: the folder, tarred by createPackTarball. */
  async function viaFolder(chartPath: string, work: string): Promise<string> {
    const { chart, values, readme } = await readChartArchive(chartPath);
    const packJson = buildPackJson(chart, source);
    const version = packJson.version as string;
    const folder = path.join(work, 'pack', `${chart.name}-${version}`);
    await mkdir(path.join(folder, 'charts'), { recursive: true });
    await writeFile(path.join(folder, 'pack.json'), `${JSON.stringify(packJson, null, 2)}\n`);
    await writeFile(path.join(folder, 'values.yaml'), buildPackValues(chart, values, source.repository));
    if (readme !== null && readme.trim() !== '') await writeFile(path.join(folder, 'README.md'), readme);
    await copyFile(chartPath, path.join(folder, 'charts', `${chart.name}-${version}.tgz`));
    const out = path.join(work, 'folder.tar.gz');
    await createPackTarball(folder, out);
    return out;
  }

  it.each([
    ['with a README', { readme: '# Demo\n' }],
    ['without a README', {}],
    // A chart over the in-memory bound (1 MiB) and not a multiple of 512 bytes: padding and streaming.
    ['with a large file', { extra: randomBytes(1_500_001).toString('base64') }],
  ])('gives the bytes createPackTarball gives for the same folder (%s)', async (label, options: { readme?: string; extra?: string }) => {
    const work = path.join(dir, label.replace(/\W+/g, '-'));
    await mkdir(work, { recursive: true });
    const chart = await buildChart(
      { name: 'demo', version: 'v1.2.3', values: `# comment\nreplicas: 1\n${options.extra ? `blob: ${options.extra}\n` : ''}`, readme: options.readme },
      work,
    );
    const converted = await convertHelmChartToPack(chart.path, path.join(work, 'new'), source);
    const expected = await viaFolder(chart.path, path.join(work, 'old'));
    expect((await readFile(converted.archivePath)).equals(await readFile(expected))).toBe(true);
    // The digest and size it answers are those of the file it wrote.
    expect(await sha256File(converted.archivePath)).toEqual({ digest: converted.digest, size: converted.size });
    // The chart's bytes held in memory (a sync's small download) give the same tarball.
    const fromBytes = await convertHelmChartToPack(await readFile(chart.path), path.join(work, 'bytes'), source);
    expect((await readFile(fromBytes.archivePath)).equals(await readFile(expected))).toBe(true);
    expect({ digest: fromBytes.digest, size: fromBytes.size }).toEqual({ digest: converted.digest, size: converted.size });
  });

  it('answers null for a name that needs a pax header, and the conversion then takes the folder path', async () => {
    const long = `x${'y'.repeat(120)}`;
    expect(await writeTarball([{ kind: 'file', path: `${long}/${long}`, bytes: Buffer.from('a') }], path.join(dir, 'pax.tar.gz'))).toBeNull();
    const work = path.join(dir, 'long');
    await mkdir(work, { recursive: true });
    const chart = await buildChart({ name: 'a'.repeat(110), version: '1.0.0' }, work);
    const converted = await convertHelmChartToPack(chart.path, path.join(work, 'new'), source);
    const expected = await viaFolder(chart.path, path.join(work, 'old'));
    expect((await readFile(converted.archivePath)).equals(await readFile(expected))).toBe(true);
    expect(await sha256File(converted.archivePath)).toEqual({ digest: converted.digest, size: converted.size });
    const fromBytes = await convertHelmChartToPack(await readFile(chart.path), path.join(work, 'bytes'), source);
    expect((await readFile(fromBytes.archivePath)).equals(await readFile(expected))).toBe(true);
  });

  it('names the values.yaml it checked, and the pack reader answers the same with or without that hint', async () => {
    const work = path.join(dir, 'checked');
    await mkdir(work, { recursive: true });
    const plain = await buildChart({ name: 'plain', version: '1.0.0', values: '# comment\nreplicas: 1\nimage:\n  tag: "1.27"\n' }, work);
    const converted = await convertHelmChartToPack(plain.path, path.join(work, 'plain'), source, { inMemory: true });
    const archive = converted.archive!;
    const unhinted = await readPackArchiveStream(Readable.from([archive]));
    expect(unhinted.ok).toBe(true);
    expect(converted.checkedValues).toBe(unhinted.ok && unhinted.pack.values);
    expect(await readPackArchiveStream(Readable.from([archive]), { checkedValues: converted.checkedValues })).toEqual(unhinted);
    // A hint that is not the archive's text is not taken: the archive's values.yaml is read as usual.
    expect(await readPackArchiveStream(Readable.from([archive]), { checkedValues: 'other: 1\n' })).toEqual(unhinted);
    // Values the indented copy can't keep (duplicate keys: re-serialised instead) are not named as checked.
    const dup = await buildChart({ name: 'dup', version: '1.0.0', values: 'a: 1\nb: 2\na: 3\n' }, work);
    expect((await convertHelmChartToPack(dup.path, path.join(work, 'dup'), source, { inMemory: true })).checkedValues).toBeUndefined();
  });
});
