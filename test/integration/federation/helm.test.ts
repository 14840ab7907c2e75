/**
 * HELM federation against a chart repository served by a static HTTP server on loopback
 * (index.yaml + chart archives built here from chart folders), and the faults an upstream can
 * throw at a sync: 500, 429 with Retry-After, garbage, a response past the timeout, a truncated
 * artifact, the server going away mid-run. Each ends as it should with the catalog intact.
 */
import { jest } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { createTestApp, uniqueName, type TestApp } from '../../helpers/test-app.js';
import { buildChart, writeHelmIndex, type TestChart } from '../../helpers/helm-charts.js';
import { startStaticServer, type StaticServer } from '../../helpers/static-server.js';
import { catalogSnapshot, createTestEngine, createUpstreamRegistry, expectNoOrphans, listedVersions, syncViaApi } from '../../helpers/federation.js';
import type { SyncEngine } from '../../../src/registries/sync/engine.js';
import type { Metrics } from '../../../src/platform/metrics.js';
import { waitUntil } from '../../helpers/wait-until.js';

jest.setTimeout(120_000);

describe('Helm repository federation (static server on loopback)', () => {
  let t: TestApp;
  let repoDir: string;
  let server: StaticServer;
  let name: string;
  let engine: SyncEngine;
  let metrics: Metrics;
  const charts: Array<{ chart: TestChart; file: string; bytes: Buffer; omitDigest?: boolean }> = [];

  async function addChart(chart: TestChart, options: { omitDigest?: boolean } = {}) {
    const built = await buildChart(chart, repoDir);
    charts.push({ chart, file: built.path, bytes: built.bytes, ...options });
    await writeHelmIndex(repoDir, charts);
  }

  async function removeChart(chartName: string, version: string) {
    charts.splice(charts.findIndex((c) => c.chart.name === chartName && c.chart.version === version), 1);
    await writeHelmIndex(repoDir, charts);
  }

  beforeAll(async () => {
    t = await createTestApp({ s3: true });
    repoDir = await mkdtemp(path.join(tmpdir(), 'pack-catalog-helm-repo-'));
    await addChart({ name: 'podinfo', version: '6.5.0', appVersion: '6.5.0', annotations: { category: 'monitoring' } });
    await addChart({ name: 'podinfo', version: '6.6.0', appVersion: '6.6.0', annotations: { category: 'monitoring' } });
    await addChart({ name: 'hello', version: 'v1.0.0', values: 'greeting: hi # say it\nlist:\n  - a\n  - b\n' }, { omitDigest: true });
    server = await startStaticServer(repoDir);
    name = uniqueName('helm');
    ({ engine, metrics } = await createTestEngine(t, {
      http: { timeoutMs: 1000, retries: 2, backoffBaseMs: 50, backoffMaxMs: 200, maxRetryAfterMs: 5000 },
    }));
  });

  afterAll(async () => {
    await engine?.stop();
    await server?.close();
    await t?.close();
    await rm(repoDir, { recursive: true, force: true });
  });

  it('turns every chart version into an add-on pack', async () => {
    await createUpstreamRegistry(t, { name, kind: 'HELM', endpoint: server.url });
    const run = await syncViaApi(t, name);
    expect(run).toMatchObject({ state: 'SUCCEEDED', added: 3, artifactsFetched: 3, errors: [] });
    expect(await listedVersions(t, name)).toEqual(['hello@1.0.0', 'podinfo@6.5.0', 'podinfo@6.6.0']);
    const { body } = await t.gql('query($r: String) { pack(name: "hello", registry: $r) { layer addonType displayName versions { version values charts annotations } } }', { r: name });
    const hello = body.data!.pack;
    expect(hello).toMatchObject({ layer: 'ADDON', addonType: 'helm chart', displayName: 'hello' });
    expect(hello.versions[0]).toMatchObject({ version: '1.0.0', charts: ['charts/hello-1.0.0.tgz'] });
    expect(hello.versions[0].annotations).toMatchObject({ source: 'helm', chartUrl: `${server.url}/hello-v1.0.0.tgz`, chartVersion: 'v1.0.0' });
    expect(hello.versions[0].values).toContain('greeting: hi # say it');
    expect(parse(hello.versions[0].values).charts).toEqual({ hello: { greeting: 'hi', list: ['a', 'b'] } });
    await expectNoOrphans(t, [name]);
  });

  it('requests nothing more when index.yaml is unchanged, by ETag and then by digest', async () => {
    const charts = server.served(/\.tgz$/).length;
    const byEtag = await syncViaApi(t, name);
    expect(byEtag).toMatchObject({ state: 'SUCCEEDED', added: 0, unchanged: 3, artifactsFetched: 0, message: 'The upstream has not changed since the last run.' });
    server.options.etag = false;
    // The first run without ETags stores the index digest; items are diffed one by one and none is fetched.
    expect(await syncViaApi(t, name)).toMatchObject({ state: 'SUCCEEDED', unchanged: 3, artifactsFetched: 0 });
    const byDigest = await syncViaApi(t, name);
    expect(byDigest).toMatchObject({ state: 'SUCCEEDED', unchanged: 3, artifactsFetched: 0, message: 'The upstream has not changed since the last run.' });
    expect(server.served(/\.tgz$/)).toHaveLength(charts);
    server.options.etag = true;
  });

  it('ends FAILED on a lasting 500, with the catalog untouched', async () => {
    const before = await catalogSnapshot(t, name);
    server.setFault({ kind: 'status', status: 500, match: /index\.yaml$/ });
    const run = await engine.run(name, { force: true });
    server.setFault(null);
    expect(run.state).toBe('FAILED');
    expect(run.message).toMatch(/could not be listed.*index\.yaml answered HTTP 500 \(gave up after 3 attempts\)/);
    expect(await catalogSnapshot(t, name)).toEqual(before);
    await expectNoOrphans(t, [name]);
    expect(await metrics.registry.metrics()).toMatch(new RegExp(`packcatalog_sync_runs_total\\{registry="${name}",state="FAILED"\\} 1`));
  });

  it('waits out a 429 for the Retry-After it was given, then syncs', async () => {
    server.setFault({ kind: 'status', status: 429, retryAfter: '1', times: 1, match: /index\.yaml$/ });
    const started = Date.now();
    const run = await engine.run(name);
    const elapsed = Date.now() - started;
    server.setFault(null);
    expect(run.state).toBe('SUCCEEDED');
    expect(elapsed).toBeGreaterThanOrEqual(950);
    process.stdout.write(`[federation] 429 Retry-After: 1 -> SUCCEEDED in ${elapsed} ms\n`);
  });

  it('ends FAILED on a garbage index, with the catalog untouched', async () => {
    const before = await catalogSnapshot(t, name);
    server.setFault({ kind: 'garbage', match: /index\.yaml$/ });
    const run = await engine.run(name, { force: true });
    server.setFault(null);
    expect(run.state).toBe('FAILED');
    expect(run.message).toMatch(/index\.yaml is not (valid YAML|a Helm repository index)/);
    expect(await catalogSnapshot(t, name)).toEqual(before);
  });

  it('ends FAILED on an index larger than MAX_HELM_INDEX_BYTES, with the catalog untouched', async () => {
    const before = await catalogSnapshot(t, name);
    const small = await createTestEngine(t, { maxHelmIndexBytes: 200 });
    try {
      const run = await small.engine.run(name, { force: true });
      expect(run.state).toBe('FAILED');
      expect(run.message).toMatch(/index\.yaml answered .*more than the 200 (bytes )?allowed/);
    } finally {
      await small.engine.stop();
    }
    expect(await catalogSnapshot(t, name)).toEqual(before);
  });

  it('ends FAILED when the index answers slower than the timeout', async () => {
    const before = await catalogSnapshot(t, name);
    server.setFault({ kind: 'slow', delayMs: 2500, match: /index\.yaml$/ });
    const started = Date.now();
    const run = await engine.run(name, { force: true });
    server.setFault(null);
    expect(run.state).toBe('FAILED');
    expect(run.message).toMatch(/did not answer within 1 s/);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await catalogSnapshot(t, name)).toEqual(before);
  });

  it('records a truncated artifact as an item error (PARTIAL), stores nothing of it, and takes it on the next run', async () => {
    await addChart({ name: 'podinfo', version: '6.7.0', appVersion: '6.7.0' });
    const before = await catalogSnapshot(t, name);
    server.setFault({ kind: 'truncate', match: /podinfo-6\.7\.0\.tgz$/ });
    const run = await syncViaApi(t, name);
    server.setFault(null);
    expect(run).toMatchObject({ state: 'PARTIAL', added: 0, unchanged: 3, artifactsFetched: 0 });
    process.stdout.write(`[federation] truncated artifact: ${run.errors[0].message}\n`);
    expect(run.errors).toEqual([{ item: 'podinfo:6.7.0', message: expect.stringMatching(/podinfo-6\.7\.0\.tgz broke off after \d+ of \d+ bytes \(.*truncated\)/) }]);
    expect(run.message).toMatch(/1 item\(s\) could not be synced/);
    expect(await catalogSnapshot(t, name)).toEqual(before);
    await expectNoOrphans(t, [name]);
    const status = await t.gql('query($n: String!) { registry(name: $n) { sync { state runs(last: 1) { state errors { item } } } } }', { n: name });
    expect(status.body.data!.registry.sync).toEqual({ state: 'PARTIAL', runs: [{ state: 'PARTIAL', errors: [{ item: 'podinfo:6.7.0' }] }] });
    // The index did not change, but a PARTIAL run stored no index marker: the failed item is retried.
    const retried = await syncViaApi(t, name);
    expect(retried).toMatchObject({ state: 'SUCCEEDED', added: 1, unchanged: 3, artifactsFetched: 1 });
  });

  it('keeps the catalog when the server goes away mid-run', async () => {
    const before = await catalogSnapshot(t, name);
    server.setFault({ kind: 'slow', delayMs: 400, match: /\.tgz$/ });
    const seen = server.requests.length;
    const started = await engine.start(name, { force: true });
    await waitUntil(() => server.requests.slice(seen).some((p) => p.endsWith('.tgz')), 'the run asks for a chart', 60_000, 20);
    await server.close();
    const run = await started.finished;
    expect(run.state).toBe('FAILED');
    expect(run.message).toMatch(/Every item failed/);
    expect(run.artifactsFetched).toBe(0);
    expect(await catalogSnapshot(t, name)).toEqual(before);
    await expectNoOrphans(t, [name]);
    const errors = await t.database.prisma.syncItemError.findMany({ where: { runId: run.id } });
    expect(errors).toHaveLength(4);
    expect(errors.every((e) => /ECONNREFUSED|ECONNRESET|socket hang up|stalled|did not answer/.test(e.message))).toBe(true);
  });

  it('marks a chart version dropped from the index as removed', async () => {
    server = await startStaticServer(repoDir);
    await t.gql('mutation($n: String!, $e: String!) { updateRegistry(name: $n, input: { endpoint: $e }) { name } }', { n: name, e: server.url });
    await removeChart('podinfo', '6.5.0');
    const run = await syncViaApi(t, name);
    // hello has no digest in the index: its marker is version, date and URL, and the URL moved with the server.
    expect(run).toMatchObject({ state: 'SUCCEEDED', removed: 1, updated: 1, unchanged: 2, artifactsFetched: 1 });
    expect(await listedVersions(t, name)).toEqual(['hello@1.0.0', 'podinfo@6.6.0', 'podinfo@6.7.0']);
  });
});

describe('Helm repository over HTTPS with a self-signed certificate', () => {
  let t: TestApp;
  let repoDir: string;
  let server: StaticServer;

  beforeAll(async () => {
    t = await createTestApp();
    repoDir = await mkdtemp(path.join(tmpdir(), 'pack-catalog-helm-tls-'));
    const { execFileSync } = await import('node:child_process');
    const { readFile } = await import('node:fs/promises');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(repoDir, 'key.pem'), '-out', path.join(repoDir, 'cert.pem'), '-days', '2', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    const built = await buildChart({ name: 'secure', version: '1.0.0' }, repoDir);
    await writeHelmIndex(repoDir, [{ chart: { name: 'secure', version: '1.0.0' }, file: built.path, bytes: built.bytes }]);
    server = await startStaticServer(repoDir, {
      tls: { key: await readFile(path.join(repoDir, 'key.pem'), 'utf8'), cert: await readFile(path.join(repoDir, 'cert.pem'), 'utf8') },
    });
  });

  afterAll(async () => {
    await server?.close();
    await t?.close();
    await rm(repoDir, { recursive: true, force: true });
  });

  it('refuses the unverifiable certificate unless the registry is insecure', async () => {
    const strict = uniqueName('tls');
    await createUpstreamRegistry(t, { name: strict, kind: 'HELM', endpoint: server.url });
    const refused = await syncViaApi(t, strict);
    expect(refused.state).toBe('FAILED');
    expect(refused.message).toMatch(/TLS verification failed .*SELF_SIGNED/);
    const insecure = uniqueName('tls-insecure');
    await createUpstreamRegistry(t, { name: insecure, kind: 'HELM', endpoint: server.url, insecure: true });
    expect(await syncViaApi(t, insecure)).toMatchObject({ state: 'SUCCEEDED', added: 1, artifactsFetched: 1 });
  });
});
