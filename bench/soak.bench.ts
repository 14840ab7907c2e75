/**
 * Soak: 100 connections for 60 s of mixed reads and writes against the built service as a child
 * process (dist/app/main.js, PostgreSQL, local artifact directory). Passes with zero failed requests
 * (transport errors, non-2xx answers and GraphQL errors, the last counted from /metrics) and flat
 * memory: what the service retains must not grow by 32 MiB or more from the first third of the run
 * to the last (V8 grows its heap to a working size early on; a leak keeps growing after that).
 *
 * Retained memory is sampled, not raw RSS peaks: every 3 s the service (started with --expose-gc
 * and bench/soak-gc-hook.mjs) runs a full collection on SIGUSR2 and reports its RSS and heap after
 * it. A raw peak depends on where the sample falls between two collections, and moved by tens of
 * MiB from run to run (+64.7 MiB, then +2.8 MiB on a rerun of the same code); the median of the
 * post-collection samples of each third does not. The raw 1 s RSS series is still printed.
 */
// type-graphql reads decorator metadata: the polyfill loads before any decorated class (the service's modules).
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildTarGz, minimalPackEntries } from '../test/helpers/tar-builder.js';
import { startServiceProcess, type ServiceProcess } from '../test/helpers/service-process.js';
import { generateCatalog } from './catalog.bench.js';
import { createBenchDatabase, isMain, loadDuration, MIB, printFigures, runBench, runLoad, sampleRss, type Figure } from './bench.lib.js';

const CONNECTIONS = Number(process.env.BENCH_SOAK_CONNECTIONS ?? 100);
const FLAT_LIMIT_MIB = 32;
/** Seconds between two forced collections and memory samples. */
const GC_SAMPLE_SECONDS = 3;
const GC_HOOK = fileURLToPath(new URL('./soak-gc-hook.mjs', import.meta.url));

interface MemorySample {
  at: number;
  rss: number;
  heapUsed: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Asks the service for a post-collection sample every GC_SAMPLE_SECONDS until stopped; answers the samples. */
function sampleRetained(pid: number, log: string): { stop(): Promise<MemorySample[]> } {
  const timer = setInterval(() => process.kill(pid, 'SIGUSR2'), GC_SAMPLE_SECONDS * 1000);
  return {
    async stop() {
      clearInterval(timer);
      await sleep(500);
      const text = await readFile(log, 'utf8').catch(() => '');
      return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as MemorySample);
    },
  };
}

/** Server faults only: GraphQL errors answered as INTERNAL_SERVER_ERROR (see packcatalog_graphql_errors_total). */
async function graphqlErrorCount(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('packcatalog_graphql_errors_total{') && line.includes('code="INTERNAL_SERVER_ERROR"')) total += Number(line.split(' ').pop());
  }
  return total;
}

/** The request mix, cycled by every connection: 6 reads, 2 tag writes, 2 pushes (the same bytes: a no-op after the first). */
function requestMix(token: string, registry: string): Array<{ method: string; path: string; headers: Record<string, string>; body: string | Buffer }> {
  const json = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const gql = (query: string, variables: Record<string, unknown> = {}) => ({ method: 'POST', path: '/graphql', headers: json, body: JSON.stringify({ query, variables }) });
  const tarball = buildTarGz(minimalPackEntries('soak-1.0.0', {
    'pack.json': JSON.stringify({ name: 'soak', displayName: 'Soak', version: '1.0.0', layer: 'addon', cloudTypes: ['all'], charts: ['charts/soak-1.0.0.tgz'] }),
    'charts/soak-1.0.0.tgz': 'chart bytes',
    'charts/demo-1.0.0.tgz': undefined,
  }));
  const boundary = `----soak${randomBytes(6).toString('hex')}`;
  const push = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n` +
        `${JSON.stringify({ query: 'mutation Push($r: String!, $a: Upload!) { pushPack(registry: $r, archive: $a) { version digest } }', variables: { r: registry, a: null } })}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.a"]}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="soak.tar.gz"\r\nContent-Type: application/gzip\r\n\r\n`,
    ),
    tarball,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const pushRequest = {
    method: 'POST',
    path: '/graphql',
    headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true', 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: push,
  };
  const tag = (label: string) =>
    gql('mutation Tag($r: String!) { addPackTag(registry: $r, name: "soak", version: "1.0.0", tag: $t) { version } }'.replace('$t', `"soak__${label}"`), { r: registry });
  return [
    gql('query List { packs(first: 20, filter: {layer: [ADDON]}) { edges { node { name registry { name } versions { version digest } } } } }'),
    gql('query Search { packs(first: 20, filter: {search: "pack-00"}) { totalCount edges { node { name latest { version } } } } }'),
    pushRequest,
    gql('query One { pack(name: "pack-00042") { name sources { name } versions { version digest } } }'),
    tag('a'),
    gql('query Version { packVersion(name: "pack-00042", version: "1.x") { version digest downloadUrl } }'),
    gql('query Registries { registries { name kind packCount } }'),
    pushRequest,
    tag('b'),
    gql('query Soak($r: String) { pack(name: "soak", registry: $r) { versions { version tags } } }', { r: registry }),
  ];
}

export async function soakBench(): Promise<Figure[]> {
  const db = await createBenchDatabase('bench_soak');
  const duration = loadDuration(60);
  let service: ServiceProcess | undefined;
  const figures: Figure[] = [];
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'pack-catalog-soak-'));
  const memoryLog = path.join(scratch, 'memory.jsonl');
  try {
    const adminToken = `bench-admin-${randomBytes(16).toString('hex')}`;
    service = await startServiceProcess({
      nodeArgs: ['--expose-gc', '--import', GC_HOOK],
      env: {
        SOAK_MEMORY_LOG: memoryLog,
        NODE_ENV: 'production', DATABASE_URL: db.url, ADMIN_TOKEN: adminToken, SECRET_KEY: randomBytes(32).toString('hex'),
        SYNC_ENABLED: 'false', SEED_DEFAULT_REGISTRY: 'false', RATE_LIMIT_PER_MINUTE: '0',
      },
    });
    await generateCatalog(db.url, 1000);
    const registry = 'soak-hosted';
    const created = await service.gql(`mutation { createRegistry(input: {name: "${registry}", kind: HOSTED}) { name } }`, {}, adminToken);
    if (created.errors) throw new Error(JSON.stringify(created.errors));
    const requests = requestMix(adminToken, registry);
    // Check every request of the mix once, sequentially: a broken request must fail here, not hide in the load.
    for (const r of requests) {
      const response = await fetch(`${service.url}${r.path}`, { method: r.method, headers: r.headers, body: r.body });
      const body = (await response.json()) as { errors?: unknown };
      if (response.status !== 200 || body.errors) throw new Error(`soak request failed: ${response.status} ${JSON.stringify(body).slice(0, 400)}`);
    }
    const pid = service.child.pid!;
    // Warm-up: caches, pools and JIT settle before the baseline RSS is taken.
    await runLoad({ url: service.url, connections: CONNECTIONS, duration: Math.min(10, duration), requests });
    await sleep(2000);
    const errorsBefore = await graphqlErrorCount(service.url);
    const rss = sampleRss(pid, 1000);
    const retained = sampleRetained(pid, memoryLog);
    const load = await runLoad({ url: service.url, connections: CONNECTIONS, duration, requests });
    const samples = await retained.stop();
    await sleep(2000);
    const memory = rss.stop();
    const graphqlErrors = (await graphqlErrorCount(service.url)) - errorsBefore;
    const third = Math.max(1, Math.floor(memory.series.length / 3));
    const firstPeak = Math.max(...memory.series.slice(0, third));
    const lastPeak = Math.max(...memory.series.slice(-third));
    if (samples.length < 6) throw new Error(`only ${samples.length} post-collection memory samples (is bench/soak-gc-hook.mjs loaded?)`);
    const sampleThird = Math.floor(samples.length / 3);
    const firstThird = median(samples.slice(0, sampleThird).map((s) => s.rss));
    const lastThird = median(samples.slice(-sampleThird).map((s) => s.rss));
    const heapGrowth = (median(samples.slice(-sampleThird).map((s) => s.heapUsed)) - median(samples.slice(0, sampleThird).map((s) => s.heapUsed))) / MIB;
    const growth = (lastThird - firstThird) / MIB;
    const failures = load.errors + load.non2xx + graphqlErrors;
    figures.push(
      { metric: `mixed requests/s (${CONNECTIONS} connections, ${duration} s, 20% writes)`, subject: load.requestsPerSecond, unit: 'req/s', note: `${load.requests} requests` },
      { metric: 'p50 / p99 latency', subject: load.p50, unit: 'ms', note: `p99 ${load.p99} ms` },
      { metric: 'failed requests', subject: failures, unit: '', note: `transport ${load.errors}, non-2xx ${load.non2xx}, GraphQL errors ${graphqlErrors}: ${failures === 0 ? 'PASS' : 'FAIL'}` },
      { metric: 'service RSS after a full GC, first third -> last third of the run (medians)', subject: growth, unit: 'MiB', note: `${(firstThird / MIB).toFixed(0)} -> ${(lastThird / MIB).toFixed(0)} MiB (${samples.length} samples, one per ${GC_SAMPLE_SECONDS} s); JS heap after GC ${heapGrowth >= 0 ? '+' : ''}${heapGrowth.toFixed(1)} MiB; flat within ${FLAT_LIMIT_MIB} MiB: ${growth < FLAT_LIMIT_MIB ? 'PASS' : 'FAIL'}` },
      { metric: 'service raw RSS, highest of the first third -> of the last third (context: moves with GC timing)', subject: (lastPeak - firstPeak) / MIB, unit: 'MiB', note: `max ${(firstPeak / MIB).toFixed(0)} -> max ${(lastPeak / MIB).toFixed(0)} MiB; after warm-up ${(memory.start / MIB).toFixed(0)}, end ${(memory.end / MIB).toFixed(0)}, peak ${(memory.peak / MIB).toFixed(0)} MiB` },
    );
    printFigures('Soak (service as a child process, PostgreSQL, local artifact directory; no baseline: pass/fail)', figures);
    if (failures > 0) {
      // Say why: the service's own error lines (internals are logged, never sent to clients).
      const errorLines = service.output().split('\n').filter((line) => line.includes('"level":"error"'));
      for (const line of errorLines.slice(0, 5)) console.error(`[soak] service: ${line.slice(0, 1500)}`);
      throw new Error(`${failures} failed requests during the soak`);
    }
    if (growth >= FLAT_LIMIT_MIB) throw new Error(`RSS after a full GC grew ${growth.toFixed(1)} MiB during the soak`);
  } catch (error) {
    // A service that went away says why in its last lines.
    if (service && service.child.exitCode !== null) {
      console.error(`[soak] the service exited (code ${service.child.exitCode}, signal ${service.child.signalCode}); its last output:\n${service.output().slice(-3000)}`);
    }
    throw error;
  } finally {
    if (service && service.child.exitCode === null) await service.stop();
    await db.drop();
    await rm(scratch, { recursive: true, force: true });
  }
  return figures;
}

if (isMain(import.meta.url)) runBench('soak', async () => void (await soakBench()));
