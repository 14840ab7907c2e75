/**
 * The batched ingest of a sync (issue 13): rows of many versions per transaction, the pack's newest
 * version from Pack.latestVersion. Pins what the per-version writes did before: the pack row carries
 * the newest live version's metadata whatever order versions arrive in, removals and revivals
 * included; one version whose rows the database refuses fails alone, the rest of its batch lands.
 */
import { jest } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestApp, uniqueName, type TestApp } from '../../helpers/test-app.js';
import { buildChart, writeHelmIndex, type TestChart } from '../../helpers/helm-charts.js';
import { startStaticServer, type StaticServer } from '../../helpers/static-server.js';
import { createUpstreamRegistry, expectNoOrphans, listedVersions, syncViaApi } from '../../helpers/federation.js';

jest.setTimeout(120_000);

describe('batched sync ingest', () => {
  let t: TestApp;
  let repoDir: string;
  let server: StaticServer;
  const charts: Array<{ chart: TestChart; file: string; bytes: Buffer }> = [];

  async function setCharts(list: TestChart[]) {
    charts.length = 0;
    for (const chart of list) {
      const built = await buildChart(chart, repoDir);
      charts.push({ chart, file: built.path, bytes: built.bytes });
    }
    await writeHelmIndex(repoDir, charts);
  }

  const named = (version: string, extra: Partial<TestChart> = {}): TestChart => ({
    name: 'ordered',
    version,
    annotations: { 'artifacthub.io/displayName': `Ordered ${version}` },
    ...extra,
  });

  async function packRow(registry: string, name: string) {
    return t.database.prisma.pack.findFirstOrThrow({
      where: { name, registry: { name: registry } },
      select: { displayName: true, latestVersion: true },
    });
  }

  beforeAll(async () => {
    t = await createTestApp();
    repoDir = await mkdtemp(path.join(tmpdir(), 'pack-catalog-batch-repo-'));
    server = await startStaticServer(repoDir);
  });

  afterAll(async () => {
    await server?.close();
    await t?.close();
    await rm(repoDir, { recursive: true, force: true });
  });

  it('gives the pack the newest live version\'s metadata, whatever order versions come in, through removals', async () => {
    const name = uniqueName('order');
    await createUpstreamRegistry(t, { name, kind: 'HELM', endpoint: server.url });
    // Listed out of order, 1.10.0 the newest (a string sort would say 1.9.0).
    await setCharts([named('1.9.0'), named('1.10.0'), named('1.2.0')]);
    expect(await syncViaApi(t, name)).toMatchObject({ state: 'SUCCEEDED', added: 3 });
    expect(await packRow(name, 'ordered')).toEqual({ displayName: 'Ordered 1.10.0', latestVersion: '1.10.0' });

    // The newest goes away upstream: removed, and the pack's newest is worked out afresh.
    await setCharts([named('1.9.0'), named('1.2.0')]);
    expect(await syncViaApi(t, name)).toMatchObject({ state: 'SUCCEEDED', removed: 1 });
    // A version older than the newest live one (1.9.0) leaves the pack's metadata alone...
    await setCharts([named('1.9.0'), named('1.2.0'), named('1.5.0')]);
    expect(await syncViaApi(t, name)).toMatchObject({ state: 'SUCCEEDED', added: 1 });
    expect(await packRow(name, 'ordered')).toEqual({ displayName: 'Ordered 1.10.0', latestVersion: '1.9.0' });
    // ...one newer than every live version (though older than the removed 1.10.0) takes it.
    await setCharts([named('1.9.0'), named('1.2.0'), named('1.5.0'), named('1.9.5')]);
    expect(await syncViaApi(t, name)).toMatchObject({ state: 'SUCCEEDED', added: 1 });
    expect(await packRow(name, 'ordered')).toEqual({ displayName: 'Ordered 1.9.5', latestVersion: '1.9.5' });

    // The removed 1.10.0 comes back with the same bytes: live again and the newest, its metadata not
    // taken (a revival never took it); a later, older version changes neither.
    await setCharts([named('1.9.0'), named('1.2.0'), named('1.5.0'), named('1.9.5'), named('1.10.0')]);
    expect(await syncViaApi(t, name)).toMatchObject({ state: 'SUCCEEDED', added: 0, unchanged: 5 });
    expect(await packRow(name, 'ordered')).toEqual({ displayName: 'Ordered 1.9.5', latestVersion: '1.10.0' });
    await setCharts([named('1.9.0'), named('1.2.0'), named('1.5.0'), named('1.9.5'), named('1.10.0'), named('1.3.0')]);
    expect(await syncViaApi(t, name)).toMatchObject({ state: 'SUCCEEDED', added: 1 });
    expect(await packRow(name, 'ordered')).toEqual({ displayName: 'Ordered 1.9.5', latestVersion: '1.10.0' });
    expect(await listedVersions(t, name)).toEqual(['ordered@1.10.0', 'ordered@1.2.0', 'ordered@1.3.0', 'ordered@1.5.0', 'ordered@1.9.0', 'ordered@1.9.5']);
    await expectNoOrphans(t, [name]);
  });

  it('fails only the version whose rows the database refuses; the rest of its batch is stored', async () => {
    const name = uniqueName('badrow');
    await createUpstreamRegistry(t, { name, kind: 'HELM', endpoint: server.url });
    // A NUL in the description reaches the pack.json column, which PostgreSQL's jsonb refuses:
    // the reader takes the chart, only the row write fails (inside a batch with the good ones).
    const good = Array.from({ length: 6 }, (_, i) => ({ name: `good${i}`, version: '1.0.0' }));
    await setCharts([...good.slice(0, 3), { name: 'nul', version: '1.0.0', description: 'bad\u0000byte' }, ...good.slice(3)]);
    const run = await syncViaApi(t, name);
    expect(run).toMatchObject({ state: 'PARTIAL', added: 6, artifactsFetched: 7 });
    expect(run.errors).toEqual([{ item: 'nul:1.0.0', message: expect.any(String) }]);
    expect(await listedVersions(t, name)).toEqual(good.map((c) => `${c.name}@1.0.0`).sort());
  });
});
