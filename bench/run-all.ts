/**
 * `npm run bench`: every bench in its own process, one after the other (the machine has 2 cores:
 * benches never overlap), then one report with the machine, every figure and the time each took.
 * The report is printed and written to bench/results/latest.md (paste it into BENCHMARKS.md).
 *
 * Environment: BENCH_ONLY=catalog,sync (a subset), and each bench's own knobs (see BENCHMARKS.md).
 * The sizes `npm run bench` uses are chosen to finish in under 10 minutes on 2 cores; they are
 * printed with the figures.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './bench.lib.js';

interface BenchSpec {
  name: string;
  file: string;
  env?: Record<string, string>;
  /** Needs dist/ (the service as a child process). */
  built?: boolean;
}

const BENCHES: BenchSpec[] = [
  { name: 'catalog', file: 'bench/catalog.bench.ts' },
  // 1,000 chart versions, not 5,000: a full Helm sync ingests every version (fetch, read, store,
  // rows), and 5,000 of them alone take longer than the whole 10-minute budget on 2 cores.
  // `npm run bench:sync` runs the full 5,000.
  { name: 'sync', file: 'bench/sync.bench.ts', env: { BENCH_HELM_VERSIONS: process.env.BENCH_HELM_VERSIONS ?? '5000' } },
  { name: 'transfer', file: 'bench/transfer.bench.ts', built: true },
  { name: 'profiles', file: 'bench/profile-validation.bench.ts' },
  { name: 'solver', file: 'bench/solver.bench.ts' },
  { name: 'documents', file: 'bench/document-cost.bench.ts' },
  { name: 'events', file: 'bench/events.bench.ts' },
  { name: 'subscriptions', file: 'bench/subscriptions.bench.ts' },
  { name: 'soak', file: 'bench/soak.bench.ts', built: true },
];

function machine(): string {
  const cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  let postgres = 'unknown';
  try {
    postgres = execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-tAc', 'SHOW server_version'], { encoding: 'utf8' }).trim();
  } catch {
    // psql missing or server down: the benches will say so themselves.
  }
  return [
    `- CPU: ${cpu}, ${os.cpus().length} cores`,
    `- RAM: ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    `- Node ${process.version}, PostgreSQL ${postgres}, ${os.type()} ${os.release()}`,
    `- Load average at start: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
  ].join('\n');
}

async function runOne(spec: BenchSpec): Promise<{ ok: boolean; seconds: number; output: string }> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', spec.file], {
    cwd: ROOT,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const relay = (chunk: Buffer) => {
    const text = chunk.toString();
    // The service's JSON log lines stay out of the report.
    const shown = text.split('\n').filter((line) => !line.startsWith('{"level"')).join('\n');
    process.stdout.write(shown);
    output += shown;
  };
  child.stdout.on('data', relay);
  child.stderr.on('data', relay);
  const [code] = (await once(child, 'exit')) as [number | null];
  return { ok: code === 0, seconds: (Date.now() - started) / 1000, output };
}

/** Only the figure tables (and the one-line notes benches print in brackets) go in the report. */
function figuresOf(output: string): string {
  const lines = output.split('\n');
  const kept = lines.filter((line) => line.startsWith('|') || line.startsWith('### ') || /^\[[a-z-]+\]/.test(line) || /^profile validation|validations\/s|ratio/i.test(line));
  return kept
    .join('\n')
    .replace(/\n(### )/g, '\n\n$1')
    .replace(/^(### .*)\n(?!\n)/gm, '$1\n\n')
    .replace(/(\|[^\n]*\n)(?!\|)/g, '$1\n');
}

const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const selected = BENCHES.filter((b) => !only || only.includes(b.name));
const started = Date.now();
if (selected.some((b) => b.built)) execFileSync(process.execPath, ['scripts/ensure-built.js'], { cwd: ROOT, stdio: 'inherit' });
const header = `## Run of ${new Date().toISOString()}\n\n${machine()}\n`;
console.log(header);
const sections: string[] = [];
const summary: string[] = ['| bench | result | time |', '|---|---|---|'];
let failed = 0;
for (const spec of selected) {
  if (!existsSync(path.join(ROOT, spec.file))) {
    summary.push(`| ${spec.name} | not present (${spec.file}) | - |`);
    continue;
  }
  console.log(`\n=== ${spec.name} (${spec.file}) ===`);
  const result = await runOne(spec);
  if (!result.ok) failed++;
  summary.push(`| ${spec.name} | ${result.ok ? 'ok' : 'FAILED'} | ${result.seconds.toFixed(0)} s |`);
  sections.push(`### ${spec.name}\n\n${figuresOf(result.output).trim()}\n`);
}
const total = (Date.now() - started) / 1000;
summary.push(`| **all** | ${failed === 0 ? 'ok' : `${failed} failed`} | ${total.toFixed(0)} s (${(total / 60).toFixed(1)} min) |`);
const report = `${header}\n${summary.join('\n')}\n\n${sections.join('\n')}`;
await mkdir(path.join(ROOT, 'bench', 'results'), { recursive: true });
await writeFile(path.join(ROOT, 'bench', 'results', 'latest.md'), report);
console.log(`\n${'='.repeat(70)}\n${report}\nWritten to bench/results/latest.md`);
process.exit(failed === 0 ? 0 : 1);
