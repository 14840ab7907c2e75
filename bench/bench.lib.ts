/**
 * Shared plumbing of the benches: fresh databases, an in-process service, autocannon runs, RSS
 * sampling and the one output format (subject, baseline, ratio) every bench prints.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { startServer, type RunningServer } from '../src/app/server.js';
import { createLogger } from '../src/platform/logger.js';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
export const PG = { host: process.env.BENCH_PGHOST ?? '127.0.0.1', user: process.env.BENCH_PGUSER ?? 'postgres' };
export const MIB = 1024 * 1024;

/** A fresh PostgreSQL database for one bench run; `drop()` removes it. */
export async function createBenchDatabase(prefix: string): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${Date.now()}_${randomBytes(3).toString('hex')}`;
  execFileSync('createdb', ['-h', PG.host, '-U', PG.user, name]);
  return {
    name,
    url: `postgresql://${PG.user}@${PG.host}:5432/${name}`,
    async drop() {
      execFileSync('dropdb', ['-h', PG.host, '-U', PG.user, '--force', '--if-exists', name]);
    },
  };
}

export interface BenchService {
  server: RunningServer;
  url: string;
  adminToken: string;
  dataDir: string;
  close(): Promise<void>;
}

/** The whole service in-process (startServer), on `databaseUrl`, with a filesystem artifact dir. */
export async function startBenchService(databaseUrl: string, env: Record<string, string> = {}): Promise<BenchService> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pack-catalog-bench-'));
  const adminToken = `bench-admin-${randomBytes(16).toString('hex')}`;
  const config = loadConfig({
    NODE_ENV: 'production',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    ADMIN_TOKEN: adminToken,
    SECRET_KEY: randomBytes(32).toString('hex'),
    SEED_DEFAULT_REGISTRY: 'false',
    SYNC_ENABLED: 'false',
    RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: 'warn',
    ...env,
  });
  const server = await startServer(config, { logger: createLogger({ level: 'warn' }) });
  return {
    server,
    url: server.url,
    adminToken,
    dataDir,
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
}

/**
 * Drives the server with autocannon in a child process (bench/load-worker.mjs): the load generator
 * gets its own event loop, so it never steals the one of an in-process server under test.
 */
export async function runLoad(options: autocannon.Options): Promise<LoadResult> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bench/load-worker.mjs'), JSON.stringify({ connections: 50, duration: 10, timeout: 30, ...options })], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`autocannon worker exited with ${code}`);
  const result = JSON.parse(out) as autocannon.Result;
  if (process.env.BENCH_DEBUG) console.log(JSON.stringify({ requests: result.requests, latency: result.latency, errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx, statusCodeStats: result.statusCodeStats }));
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/** Seconds to run load for: BENCH_DURATION overrides (e.g. 3 for a quick smoke run). */
export function loadDuration(defaultSeconds: number): number {
  const value = Number(process.env.BENCH_DURATION);
  return Number.isFinite(value) && value > 0 ? value : defaultSeconds;
}

/** Samples a process's RSS (VmRSS from /proc) every `intervalMs`; `stop()` returns the peak and baseline. */
export function sampleRss(pid: number | 'self', intervalMs = 50): { stop(): { start: number; peak: number; end: number; samples: number; series: number[] } } {
  const read = () => {
    if (pid === 'self') return process.memoryUsage().rss;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const match = /VmRSS:\s+(\d+) kB/.exec(status);
      return match ? Number(match[1]) * 1024 : 0;
    } catch {
      return 0;
    }
  };
  const start = read();
  let peak = start;
  let end = start;
  let samples = 1;
  const series = [start];
  const timer = setInterval(() => {
    end = read();
    samples++;
    series.push(end);
    if (end > peak) peak = end;
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      end = read();
      series.push(end);
      if (end > peak) peak = end;
      return { start, peak, end, samples, series };
    },
  };
}

/** One line of figures: the subject, the baseline and their ratio. */
export interface Figure {
  metric: string;
  subject: number;
  baseline?: number;
  unit: string;
  /** `higher`: bigger is better (req/s); `lower`: smaller is better (ms, s, MiB). */
  better?: 'higher' | 'lower';
  note?: string;
}

export function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** Prints the figures as a Markdown table (so a run pastes straight into BENCHMARKS.md). */
export function printFigures(title: string, figures: Figure[]): void {
  const lines = [`### ${title}`, '', '| metric | pack-catalog | baseline | ratio (subject/baseline) | note |', '|---|---|---|---|---|'];
  for (const f of figures) {
    const ratio = f.baseline !== undefined && f.baseline !== 0 ? `${fmt(f.subject / f.baseline)}x` : '-';
    const base = f.baseline === undefined ? '-' : `${fmt(f.baseline)} ${f.unit}`;
    lines.push(`| ${f.metric} | ${fmt(f.subject)} ${f.unit} | ${base} | ${ratio} | ${f.note ?? ''} |`);
  }
  console.log(`${lines.join('\n')}\n`);
}

export function elapsedSeconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Runs `main` and exits with its status: benches are scripts. */
export function runBench(name: string, main: () => Promise<void>): void {
  const started = Date.now();
  main().then(
    () => {
      console.log(`[${name}] done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      process.exit(0);
    },
    (error) => {
      console.error(`[${name}] FAILED:`, error);
      process.exit(1);
    },
  );
}

/** Whether this file is the script node was started with (so a bench module can also be imported). */
export function isMain(metaUrl: string): boolean {
  return process.argv[1] !== undefined && path.resolve(process.argv[1]) === new URL(metaUrl).pathname;
}
