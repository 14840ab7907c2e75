/**
 * Federation sync: a Helm repository (index.yaml of 5,000 tiny chart versions on a static server on
 * loopback) and an OCI registry (Debian's docker-registry) holding 500 pack artifacts. Full sync
 * time (with the service process's CPU time and peak RSS growth during it), then a no-change resync
 * (artifacts fetched must be 0).
 *
 * Two baselines, measured in the same run: only reading the upstream's listing (GET index.yaml;
 * _catalog plus every tags/list), and reading the listing plus downloading every artifact the sync
 * downloads (8 at once, bytes discarded): the network's share, what a sync can't go below.
 *
 * Goals (issue 13), scaled to the knobs: a full Helm sync at >= 200 versions/s (25 s for 5,000),
 * a full OCI sync at >= 125 artifacts/s (4 s for 500), the Helm sync's peak RSS growth under
 * 256 MiB. BENCH_MARKS=1 prints the monotonic clock (us, as `--cpu-prof` stamps samples) at each
 * phase, to cut a profile to one phase.
 */
// type-graphql reads decorator metadata: the polyfill loads before any decorated class (the service's modules).
import 'reflect-metadata';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { parse, stringify } from 'yaml';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeHelmIndex, type TestChart } from '../test/helpers/helm-charts.js';
import { startStaticServer, type StaticServer } from '../test/helpers/static-server.js';
import { pushOciPack, startOciRegistry, type OciRegistryServer } from '../test/helpers/oci-registry.js';
import { buildTarGz, minimalPackEntries } from '../test/helpers/tar-builder.js';
import { MIB, PG, createBenchDatabase, elapsedSeconds, fmt, isMain, printFigures, runBench, sampleRss, startBenchService, type BenchService, type Figure } from './bench.lib.js';

const HELM_VERSIONS = Number(process.env.BENCH_HELM_VERSIONS ?? 5000);
const HELM_CHARTS = Math.max(1, Math.round(HELM_VERSIONS / 50));
const OCI_ARTIFACTS = Number(process.env.BENCH_OCI_ARTIFACTS ?? 500);
const OCI_PACKS = Math.max(1, Math.round(OCI_ARTIFACTS / 10));
const HELM_GOAL_RATE = 200;
const OCI_GOAL_RATE = 125;
const RSS_GOAL_MIB = 256;
const DOWNLOAD_CONCURRENCY = 8;
/** Linux reports a process's CPU time in clock ticks of 1/100 s. */
const CLOCK_TICKS = 100;

/** The monotonic clock in microseconds: what V8 stamps `--cpu-prof` samples with. */
function mark(label: string): void {
  if (process.env.BENCH_MARKS) console.log(`[sync] mark ${label} ${process.hrtime.bigint() / 1000n}`);
}

function verdict(ok: boolean, goal: string): string {
  return `goal ${goal}: ${ok ? 'PASS' : 'FAIL'}`;
}

/** Runs `work` over `items`, `limit` at once. */
async function eachConcurrent<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

async function download(url: string): Promise<number> {
  const response = await fetch(url);
  const bytes = await response.arrayBuffer();
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return bytes.byteLength;
}

/** Tiny charts built in memory (Chart.yaml, values.yaml, one template), as `helm package` lays them out. */
async function prepareHelmRepository(dir: string): Promise<void> {
  const charts: Array<{ chart: TestChart; file: string; bytes: Buffer }> = [];
  for (let i = 0; i < HELM_VERSIONS; i++) {
    const chart: TestChart = { name: `chart-${String(i % HELM_CHARTS).padStart(3, '0')}`, version: `1.${Math.floor(i / HELM_CHARTS)}.0` };
    const bytes = buildTarGz([
      { path: `${chart.name}/Chart.yaml`, body: stringify({ apiVersion: 'v2', name: chart.name, version: chart.version, description: `The ${chart.name} chart`, type: 'application' }) },
      { path: `${chart.name}/values.yaml`, body: `# Default values for ${chart.name}.\nreplicaCount: 1\nimage:\n  repository: nginx\n  tag: "1.27"\n` },
      { path: `${chart.name}/templates/deployment.yaml`, body: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n' },
    ]);
    const file = path.join(dir, `${chart.name}-${chart.version}.tgz`);
    await writeFile(file, bytes);
    charts.push({ chart, file, bytes });
  }
  await writeHelmIndex(dir, charts);
}

async function prepareOciRegistry(oci: OciRegistryServer): Promise<void> {
  const queue = Array.from({ length: OCI_ARTIFACTS }, (_, i) => i);
  const worker = async () => {
    for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
      const name = `ocipack-${String(i % OCI_PACKS).padStart(3, '0')}`;
      const version = `2.${Math.floor(i / OCI_PACKS)}.0`;
      const root = `${name}-${version}`;
      const tarball = buildTarGz(
        minimalPackEntries(root, {
          'pack.json': JSON.stringify({ name, displayName: name, version, layer: 'addon', cloudTypes: ['all'], charts: [`charts/${name}-${version}.tgz`] }),
          [`charts/${name}-${version}.tgz`]: `chart bytes of ${root}`,
          'charts/demo-1.0.0.tgz': undefined,
        }),
      );
      await pushOciPack(oci.url, { name, version, tarball });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** Baselines: the index alone, then the index and every chart it lists. */
async function baselineHelm(server: StaticServer): Promise<{ listing: number; download: number }> {
  let t = process.hrtime.bigint();
  const response = await fetch(`${server.url}/index.yaml`);
  const text = await response.text();
  if (!response.ok || text.length === 0) throw new Error(`index.yaml: HTTP ${response.status}`);
  const listing = elapsedSeconds(t);
  t = process.hrtime.bigint();
  const index = parse(await (await fetch(`${server.url}/index.yaml`)).text()) as { entries: Record<string, Array<{ urls: string[] }>> };
  const urls = Object.values(index.entries).flatMap((versions) => versions.map((v) => new URL(v.urls[0], `${server.url}/`).toString()));
  if (urls.length !== HELM_VERSIONS) throw new Error(`index.yaml lists ${urls.length} chart URLs, expected ${HELM_VERSIONS}`);
  await eachConcurrent(urls, DOWNLOAD_CONCURRENCY, async (url) => void (await download(url)));
  return { listing, download: elapsedSeconds(t) };
}

/** Baselines: _catalog plus every tags/list, then that plus every manifest and pack layer. */
async function baselineOci(oci: OciRegistryServer): Promise<{ listing: number; download: number; tags: number }> {
  const list = async () => {
    const catalog = (await (await fetch(`${oci.url}/v2/_catalog?n=1000`)).json()) as { repositories: string[] };
    const refs: Array<{ repository: string; tag: string }> = [];
    for (const repository of catalog.repositories) {
      const tags = (await (await fetch(`${oci.url}/v2/${repository}/tags/list`)).json()) as { tags: string[] | null };
      for (const tag of tags.tags ?? []) refs.push({ repository, tag });
    }
    return refs;
  };
  let t = process.hrtime.bigint();
  const refs = await list();
  const listing = elapsedSeconds(t);
  t = process.hrtime.bigint();
  await eachConcurrent(await list(), DOWNLOAD_CONCURRENCY, async ({ repository, tag }) => {
    const response = await fetch(`${oci.url}/v2/${repository}/manifests/${tag}`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
    const manifest = (await response.json()) as { layers: Array<{ digest: string }> };
    await download(`${oci.url}/v2/${repository}/blobs/${manifest.layers[0].digest}`);
  });
  return { listing, download: elapsedSeconds(t), tags: refs.length };
}

/** CPU seconds (user + system) the PostgreSQL backends serving database `name` have used so far, by pid. */
function postgresCpu(name: string): Map<number, number> {
  const out = execFileSync('psql', ['-h', PG.host, '-U', PG.user, '-d', 'postgres', '-Atc', `SELECT pid FROM pg_stat_activity WHERE datname = '${name}'`], { encoding: 'utf8' });
  const cpu = new Map<number, number>();
  for (const pid of out.split('\n').filter(Boolean).map(Number)) {
    try {
      // /proc/<pid>/stat: fields 14 and 15 (utime, stime) in clock ticks, counted after the ")" that ends the name.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      cpu.set(pid, (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS);
    } catch {
      // The backend ended between the query and the read.
    }
  }
  return cpu;
}

/** One sync run with the process's CPU time, its database backends' CPU time and RSS (sampled every 50 ms) over it. */
async function measuredSync(service: BenchService, name: string, label: string, database: string) {
  mark(`${label} start`);
  const rss = sampleRss('self');
  const cpu = process.cpuUsage();
  const pgBefore = postgresCpu(database);
  const t = process.hrtime.bigint();
  const run = await service.server.services.sync.run(name);
  const seconds = elapsedSeconds(t);
  const used = process.cpuUsage(cpu);
  let pgSeconds = 0;
  for (const [pid, after] of postgresCpu(database)) pgSeconds += after - (pgBefore.get(pid) ?? 0);
  const memory = rss.stop();
  mark(`${label} end`);
  if (run.state !== 'SUCCEEDED') throw new Error(`${name}: sync ${run.state}: ${run.message}`);
  return { run, seconds, cpuSeconds: (used.user + used.system) / 1e6, pgSeconds, rssGrowthMiB: (memory.peak - memory.start) / MIB };
}

async function syncTwice(service: BenchService, name: string, database: string) {
  const full = await measuredSync(service, name, `${name} full`, database);
  const again = await measuredSync(service, name, `${name} resync`, database);
  return { full, again };
}

async function createRegistry(service: BenchService, input: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${service.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${service.adminToken}` },
    body: JSON.stringify({ query: 'mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', variables: { i: input } }),
  });
  const body = (await response.json()) as { errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
}

export async function syncBench(): Promise<Figure[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pack-catalog-bench-sync-'));
  const db = await createBenchDatabase('bench_sync');
  let helm: StaticServer | undefined;
  let oci: OciRegistryServer | undefined;
  let service: BenchService | undefined;
  const figures: Figure[] = [];
  try {
    let t = process.hrtime.bigint();
    const helmDir = path.join(dir, 'helm');
    await mkdir(helmDir);
    await prepareHelmRepository(helmDir);
    helm = await startStaticServer(helmDir);
    oci = await startOciRegistry();
    await prepareOciRegistry(oci);
    console.log(`[sync] prepared ${HELM_VERSIONS} chart versions and ${OCI_ARTIFACTS} OCI pack artifacts in ${elapsedSeconds(t).toFixed(1)} s`);

    service = await startBenchService(db.url);
    await createRegistry(service, { name: 'bench-helm', kind: 'HELM', endpoint: helm.url });
    await createRegistry(service, { name: 'bench-oci', kind: 'OCI', endpoint: oci.url });

    const helmBase = await baselineHelm(helm);
    const helmRuns = await syncTwice(service, 'bench-helm', db.name);
    console.log(`[sync] helm: full ${helmRuns.full.seconds.toFixed(1)} s, resync ${helmRuns.again.seconds.toFixed(2)} s`);
    const ociBase = await baselineOci(oci).catch((error) => {
      throw new Error(`${(error as Error).message}; registry output:\n${oci!.output()}`);
    });
    const ociRuns = await syncTwice(service, 'bench-oci', db.name);
    console.log(`[sync] oci: full ${ociRuns.full.seconds.toFixed(1)} s, resync ${ociRuns.again.seconds.toFixed(2)} s`);

    for (const [label, runs, base, expected, goalRate] of [
      [`Helm (${HELM_VERSIONS} chart versions)`, helmRuns, helmBase, HELM_VERSIONS, HELM_GOAL_RATE],
      [`OCI (${OCI_ARTIFACTS} pack artifacts)`, ociRuns, ociBase, OCI_ARTIFACTS, OCI_GOAL_RATE],
    ] as const) {
      const { full, again } = runs;
      const first = full.run;
      const second = again.run;
      const goalSeconds = expected / goalRate;
      figures.push(
        { metric: `${label}: full sync`, subject: full.seconds, baseline: base.download, unit: 's', better: 'lower', note: `${verdict(full.seconds <= goalSeconds, `<= ${fmt(goalSeconds)} s`)}; added ${first.added}/${expected}, fetched ${first.artifactsFetched}; baseline: listing + downloading every artifact, ${DOWNLOAD_CONCURRENCY} at once` },
        { metric: `${label}: full sync rate`, subject: first.added / full.seconds, baseline: expected / base.download, unit: 'versions/s', better: 'higher', note: `${verdict(first.added / full.seconds >= goalRate, `>= ${goalRate}/s`)}; baseline: download rate` },
        { metric: `${label}: CPU per version (this process)`, subject: (full.cpuSeconds * 1000) / expected, unit: 'ms', better: 'lower', note: `${fmt(full.cpuSeconds)} s CPU in ${fmt(full.seconds)} s (${fmt((100 * full.cpuSeconds) / full.seconds)}% of one core, threads included; the upstream's not counted)` },
        { metric: `${label}: CPU per version (PostgreSQL)`, subject: (full.pgSeconds * 1000) / expected, unit: 'ms', better: 'lower', note: `${fmt(full.pgSeconds)} s CPU of the backends serving the service's database` },
        { metric: `${label}: peak RSS growth during the full sync`, subject: full.rssGrowthMiB, unit: 'MiB', better: 'lower', note: verdict(full.rssGrowthMiB <= RSS_GOAL_MIB, `<= ${RSS_GOAL_MIB} MiB`) },
        { metric: `${label}: no-change resync`, subject: again.seconds, baseline: base.listing, unit: 's', better: 'lower', note: `unchanged ${second.unchanged}, added ${second.added}, updated ${second.updated}; baseline: only reading the listing` },
        { metric: `${label}: artifacts fetched on resync`, subject: second.artifactsFetched, unit: '', note: second.artifactsFetched === 0 ? 'must be 0: PASS' : 'must be 0: FAIL' },
      );
      if (first.added !== expected) throw new Error(`${label}: ${first.added} added of ${expected}`);
      if (second.artifactsFetched !== 0) throw new Error(`${label}: the no-change resync fetched ${second.artifactsFetched} artifacts`);
    }
    printFigures(`Sync (Helm index on a loopback static server; OCI = docker-registry ${ociBase.tags} tags)`, figures);
  } finally {
    await service?.close();
    await helm?.close();
    await oci?.close();
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  }
  return figures;
}

if (isMain(import.meta.url)) runBench('sync', async () => void (await syncBench()));
