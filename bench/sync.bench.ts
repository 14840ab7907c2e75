/**
 * Federation sync: a Helm repository (index.yaml of 5,000 tiny chart versions on a static server on
 * loopback) and an OCI registry (Debian's docker-registry) holding 500 pack artifacts. Full sync
 * time, then a no-change resync (artifacts fetched must be 0). Baseline: only reading the upstream
 * (GET index.yaml; _catalog plus every tags/list), without ingesting.
 */
// type-graphql reads decorator metadata: the polyfill loads before any decorated class (the service's modules).
import 'reflect-metadata';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import os from 'node:os';
import path from 'node:path';
import { writeHelmIndex, type TestChart } from '../test/helpers/helm-charts.js';
import { startStaticServer, type StaticServer } from '../test/helpers/static-server.js';
import { pushOciPack, startOciRegistry, type OciRegistryServer } from '../test/helpers/oci-registry.js';
import { buildTarGz, minimalPackEntries } from '../test/helpers/tar-builder.js';
import { createBenchDatabase, elapsedSeconds, isMain, printFigures, runBench, startBenchService, type BenchService, type Figure } from './bench.lib.js';

const HELM_VERSIONS = Number(process.env.BENCH_HELM_VERSIONS ?? 5000);
const HELM_CHARTS = Math.max(1, Math.round(HELM_VERSIONS / 50));
const OCI_ARTIFACTS = Number(process.env.BENCH_OCI_ARTIFACTS ?? 500);
const OCI_PACKS = Math.max(1, Math.round(OCI_ARTIFACTS / 10));

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

async function baselineHelm(server: StaticServer): Promise<number> {
  const t = process.hrtime.bigint();
  const response = await fetch(`${server.url}/index.yaml`);
  const text = await response.text();
  if (!response.ok || text.length === 0) throw new Error(`index.yaml: HTTP ${response.status}`);
  return elapsedSeconds(t);
}

async function baselineOci(oci: OciRegistryServer): Promise<{ seconds: number; tags: number }> {
  const t = process.hrtime.bigint();
  const catalog = (await (await fetch(`${oci.url}/v2/_catalog?n=1000`)).json()) as { repositories: string[] };
  let tags = 0;
  for (const repository of catalog.repositories) {
    const list = (await (await fetch(`${oci.url}/v2/${repository}/tags/list`)).json()) as { tags: string[] | null };
    tags += list.tags?.length ?? 0;
  }
  return { seconds: elapsedSeconds(t), tags };
}

async function syncTwice(service: BenchService, name: string): Promise<{ full: number; again: number; first: any; second: any }> {
  let t = process.hrtime.bigint();
  const first = await service.server.services.sync.run(name);
  const full = elapsedSeconds(t);
  t = process.hrtime.bigint();
  const second = await service.server.services.sync.run(name);
  const again = elapsedSeconds(t);
  for (const run of [first, second]) {
    if (run.state !== 'SUCCEEDED') throw new Error(`${name}: sync ${run.state}: ${run.message}`);
  }
  return { full, again, first, second };
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
    const helmRuns = await syncTwice(service, 'bench-helm');
    console.log(`[sync] helm: full ${helmRuns.full.toFixed(1)} s, resync ${helmRuns.again.toFixed(2)} s`);
    const ociBase = await baselineOci(oci).catch((error) => {
      throw new Error(`${(error as Error).message}; registry output:\n${oci!.output()}`);
    });
    const ociRuns = await syncTwice(service, 'bench-oci');
    console.log(`[sync] oci: full ${ociRuns.full.toFixed(1)} s, resync ${ociRuns.again.toFixed(2)} s`);

    for (const [label, runs, base, expected] of [
      [`Helm (${HELM_VERSIONS} chart versions)`, helmRuns, helmBase, HELM_VERSIONS],
      [`OCI (${OCI_ARTIFACTS} pack artifacts)`, ociRuns, ociBase.seconds, OCI_ARTIFACTS],
    ] as const) {
      const { first, second } = runs;
      figures.push(
        { metric: `${label}: full sync`, subject: runs.full, baseline: base, unit: 's', better: 'lower', note: `added ${first.added}/${expected}, fetched ${first.artifactsFetched}; baseline: only reading the upstream listing` },
        { metric: `${label}: no-change resync`, subject: runs.again, baseline: base, unit: 's', better: 'lower', note: `unchanged ${second.unchanged}, added ${second.added}, updated ${second.updated}` },
        { metric: `${label}: artifacts fetched on resync`, subject: second.artifactsFetched, unit: '', note: second.artifactsFetched === 0 ? 'must be 0: PASS' : 'must be 0: FAIL' },
        { metric: `${label}: full sync rate`, subject: first.added / runs.full, unit: 'versions/s' },
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
