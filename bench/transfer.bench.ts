/**
 * Upload and download of a large pack: a 200 MiB pack (a valid pack folder with a large random chart
 * file under charts/, tarred) pushed through /graphql multipart and pulled back through
 * /artifacts/sha256/<hex>, with the service as a child process (dist/app/main.js, or that of the private
 * build BENCH_DIST or PACK_CATALOG_DIST names) on S3 (s3rver) and PostgreSQL, its RSS read from /proc every 50 ms. Baseline:
 * a raw `minio` client putObject / getObject of the same file to the same S3 server. The push client
 * hashes the file first and declares digest and size (as packctl does), inside the timed part. The
 * pull is measured twice: relayed by the service (the default) and by redirect to a presigned S3 URL
 * (the opt-in S3_PRESIGNED_DOWNLOADS, on a second service process). Every client
 * (raw and service) runs in its own process; s3rver runs in this one. Goal: push and pull each
 * >= 0.95x the raw client's throughput, RSS growth < 64 MiB: printed as PASS/FAIL.
 */
// type-graphql reads decorator metadata: the polyfill loads before any decorated class (the service's modules).
import 'reflect-metadata';
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TransferRequest, TransferResult } from './transfer-client.js';
import { startS3Server } from '../test/helpers/s3.js';
import { DIST as SERVICE_DIST, startServiceProcess, type ServiceProcess } from '../test/helpers/service-process.js';
import { createBenchDatabase, elapsedSeconds, isMain, MIB, printFigures, ROOT, runBench, sampleRss, type Figure } from './bench.lib.js';

const SIZE_MIB = Number(process.env.BENCH_TRANSFER_MIB ?? 200);
const FIXTURE = path.resolve(ROOT, '../shared/fixtures/pack-central/full/spegel-0.0.18');
const execFileAsync = promisify(execFile);

/** A valid pack folder plus `charts/payload.bin` of `sizeMiB` random bytes, tarred and gzipped (fast level). */
export async function buildLargePack(sizeMiB: number, workDir: string, version = '0.0.18'): Promise<string> {
  const folder = path.join(workDir, `spegel-${version}`);
  await cp(FIXTURE, folder, { recursive: true });
  execFileSync('chmod', ['-R', 'u+w', folder]);
  if (version !== '0.0.18') {
    const manifest = JSON.parse(await readFile(path.join(folder, 'pack.json'), 'utf8'));
    manifest.version = version;
    await writeFile(path.join(folder, 'pack.json'), JSON.stringify(manifest, null, 2));
  }
  const payload = createWriteStream(path.join(folder, 'charts', 'payload.bin'));
  for (let written = 0; written < sizeMiB; written++) {
    if (!payload.write(randomBytes(MIB))) await once(payload, 'drain');
  }
  await new Promise<void>((resolve, reject) => payload.end((error?: Error | null) => (error ? reject(error) : resolve())));
  const archive = path.join(workDir, `spegel-${version}.tar.gz`);
  // gzip -1: random bytes don't compress, so the fastest level builds the same archive in a fraction of the time.
  execFileSync('bash', ['-c', `tar -C "${workDir}" -cf - "spegel-${version}" | gzip -1 > "${archive}"`]);
  await rm(folder, { recursive: true, force: true });
  return archive;
}

/** The build the service runs: BENCH_DIST, else the one the test helpers run (PACK_CATALOG_DIST, else dist/). */
const DIST = process.env.BENCH_DIST ? path.resolve(ROOT, process.env.BENCH_DIST) : SERVICE_DIST;
const CLIENT = path.join(ROOT, 'bench/transfer-client.ts');
const GOAL_RATIO = 0.95;
const RSS_LIMIT_MIB = 64;

/** Runs one transfer in a fresh client process (see transfer-client.ts) and returns what it measured. */
async function runClient(request: TransferRequest): Promise<TransferResult> {
  const { stdout } = await execFileAsync(process.execPath, ['--import', '@swc-node/register/esm-register', CLIENT, JSON.stringify(request)], {
    cwd: ROOT,
    maxBuffer: 16 * MIB,
  });
  return JSON.parse(stdout) as TransferResult;
}

/** CPU seconds (user + system) a process has used so far, from /proc (clock ticks of 1/100 s on Linux). */
async function cpuSeconds(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).replace(/^.*\) /s, '').split(' ');
  // After "pid (comm) ", utime and stime are the 12th and 13th fields.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function verdict(ok: boolean): string {
  return ok ? 'PASS' : 'FAIL';
}

export async function transferBench(): Promise<Figure[]> {
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'pack-catalog-bench-transfer-'));
  const s3 = await startS3Server();
  const db = await createBenchDatabase('bench_transfer');
  let service: ServiceProcess | undefined;
  const figures: Figure[] = [];
  try {
    const t0 = process.hrtime.bigint();
    const archive = await buildLargePack(SIZE_MIB, workDir);
    const archiveSize = (await stat(archive)).size;
    console.log(`[transfer] built a ${(archiveSize / MIB).toFixed(1)} MiB pack in ${elapsedSeconds(t0).toFixed(1)} s`);
    const target = { endPoint: s3.endPoint, port: s3.port, accessKey: s3.accessKey, secretKey: s3.secretKey, region: s3.region, bucket: s3.bucket };

    const adminToken = `bench-admin-${randomBytes(16).toString('hex')}`;
    // BENCH_PROFILE=<dir>: the service writes a CPU profile there when it stops (open it in Chrome DevTools).
    const profileDir = process.env.BENCH_PROFILE ? path.resolve(process.env.BENCH_PROFILE) : undefined;
    const serviceEnv = {
      NODE_ENV: 'production',
      DATABASE_URL: db.url,
      ADMIN_TOKEN: adminToken,
      SECRET_KEY: randomBytes(32).toString('hex'),
      S3_ENDPOINT: `http://${s3.endPoint}:${s3.port}`,
      S3_ACCESS_KEY: s3.accessKey,
      S3_SECRET_KEY: s3.secretKey,
      S3_BUCKET: s3.bucket,
      MAX_UPLOAD_BYTES: String((SIZE_MIB + 64) * MIB),
      SYNC_ENABLED: 'false',
      SEED_DEFAULT_REGISTRY: 'false',
      RATE_LIMIT_PER_MINUTE: '0',
    };
    service = await startServiceProcess({
      main: path.join(DIST, 'app/main.js'),
      nodeArgs: profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
      env: serviceEnv,
    });
    const created = await service.gql(`mutation { createRegistry(input: {name: "bench-hosted", kind: HOSTED}) { name } }`, {}, adminToken);
    if (created.errors) throw new Error(`createRegistry: ${JSON.stringify(created.errors)}`);
    const pid = service.child.pid!;

    // Every transfer runs in its own client process (transfer-client.ts), the raw client's as much
    // as the service's: s3rver lives in this process, and a client sharing its event loop would be
    // slowed down. Baseline and subject alternate, so drift (other load on the machine) hits both.
    const basePut = await runClient({ op: 's3-put', s3: target, key: 'baseline/pack.tar.gz', file: archive });

    const pushCpu = await cpuSeconds(pid);
    const pushRss = sampleRss(pid, 50);
    const pushed = await runClient({ op: 'push', url: service.url, token: adminToken, registry: 'bench-hosted', file: archive });
    const pushMem = pushRss.stop();
    const pushCpuUsed = (await cpuSeconds(pid)) - pushCpu;
    if (pushed.status !== 200 || pushed.body?.errors || !pushed.body?.data) throw new Error(`push failed: ${pushed.status} ${JSON.stringify(pushed.body).slice(0, 500)}`);
    const digest: string = pushed.body.data.pushPack.digest;

    const baseGet = await runClient({ op: 's3-get', s3: target, key: 'baseline/pack.tar.gz' });
    if (baseGet.size !== archiveSize || baseGet.digest !== digest) throw new Error(`baseline getObject returned ${baseGet.size} bytes ${baseGet.digest}, pushed ${archiveSize} ${digest}`);

    const pullCpu = await cpuSeconds(pid);
    const pullRss = sampleRss(pid, 50);
    const pulled = await runClient({ op: 'pull', url: service.url, token: adminToken, digest });
    const pullMem = pullRss.stop();
    const pullCpuUsed = (await cpuSeconds(pid)) - pullCpu;
    if (pulled.digest !== digest || pulled.size !== archiveSize) throw new Error(`pulled ${pulled.size} bytes ${pulled.digest}, pushed ${archiveSize} ${digest}`);

    // Pull by redirect (S3_PRESIGNED_DOWNLOADS=true, opt-in): a second service on the same database
    // and bucket answers 307 to a presigned S3 URL, which the client follows (without its token).
    // The bytes then go S3 -> client directly; the figure is the whole exchange, redirect included.
    const redirecting = await startServiceProcess({ main: path.join(DIST, 'app/main.js'), env: { ...serviceEnv, S3_PRESIGNED_DOWNLOADS: 'true' } });
    let redirectGet: TransferResult;
    let redirectPull: TransferResult;
    try {
      redirectGet = await runClient({ op: 's3-get', s3: target, key: 'baseline/pack.tar.gz' });
      redirectPull = await runClient({ op: 'pull', url: redirecting.url, token: adminToken, digest, followRedirect: true });
    } finally {
      await redirecting.stop();
    }
    if (!redirectPull.redirected) throw new Error('pull by redirect: the service did not answer with a redirect');
    if (redirectPull.digest !== digest || redirectPull.size !== archiveSize) throw new Error(`pulled by redirect ${redirectPull.size} bytes ${redirectPull.digest}, pushed ${archiveSize} ${digest}`);

    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
    const pushGrowth = (pushMem.peak - pushMem.start) / MIB;
    const pullGrowth = (pullMem.peak - pullMem.start) / MIB;
    const mibs = archiveSize / MIB;
    const pushRatio = basePut.seconds / pushed.seconds;
    const pullRatio = baseGet.seconds / pulled.seconds;
    const redirectRatio = redirectGet.seconds / redirectPull.seconds;
    figures.push(
      {
        metric: `push ${mibs.toFixed(0)} MiB (GraphQL multipart -> S3): time`,
        subject: pushed.seconds,
        baseline: basePut.seconds,
        unit: 's',
        better: 'lower',
        note: 'client hashes the file first (timed), then pushes with digest and size declared, as packctl does; baseline: minio putObject, in its own process',
      },
      { metric: 'push throughput', subject: mibs / pushed.seconds, baseline: mibs / basePut.seconds, unit: 'MiB/s', better: 'higher', note: `goal >= ${GOAL_RATIO}x: ${verdict(pushRatio >= GOAL_RATIO)}` },
      { metric: `pull ${mibs.toFixed(0)} MiB (/artifacts <- S3, relayed by the service): time`, subject: pulled.seconds, baseline: baseGet.seconds, unit: 's', better: 'lower', note: 'the default; baseline: minio getObject, in its own process' },
      { metric: 'pull throughput (relayed)', subject: mibs / pulled.seconds, baseline: mibs / baseGet.seconds, unit: 'MiB/s', better: 'higher', note: `goal >= ${GOAL_RATIO}x: ${verdict(pullRatio >= GOAL_RATIO)}` },
      {
        metric: `pull ${mibs.toFixed(0)} MiB (/artifacts 307 -> presigned S3 GET): time`,
        subject: redirectPull.seconds,
        baseline: redirectGet.seconds,
        unit: 's',
        better: 'lower',
        note: 'opt-in S3_PRESIGNED_DOWNLOADS=true; redirect round trip included; baseline: minio getObject run just before',
      },
      { metric: 'pull throughput (by redirect)', subject: mibs / redirectPull.seconds, baseline: mibs / redirectGet.seconds, unit: 'MiB/s', better: 'higher', note: `goal >= ${GOAL_RATIO}x: ${verdict(redirectRatio >= GOAL_RATIO)}` },
      { metric: 'service peak RSS growth during push', subject: pushGrowth, unit: 'MiB', note: `limit ${RSS_LIMIT_MIB} MiB: ${verdict(pushGrowth < RSS_LIMIT_MIB)} (RSS ${(pushMem.start / MIB).toFixed(0)} -> peak ${(pushMem.peak / MIB).toFixed(0)} MiB, ${pushMem.samples} samples)` },
      { metric: 'service peak RSS growth during pull', subject: pullGrowth, unit: 'MiB', note: `limit ${RSS_LIMIT_MIB} MiB: ${verdict(pullGrowth < RSS_LIMIT_MIB)} (RSS ${(pullMem.start / MIB).toFixed(0)} -> peak ${(pullMem.peak / MIB).toFixed(0)} MiB, ${pullMem.samples} samples)` },
      { metric: 'service VmHWM (lifetime peak RSS)', subject: hwm, unit: 'MiB' },
      // CPU is what a loaded 2-core machine runs out of: these move little with the machine's other load, unlike times.
      { metric: 'service CPU during push', subject: pushCpuUsed, unit: 's', note: 'user + system, from /proc' },
      { metric: 'service CPU during pull', subject: pullCpuUsed, unit: 's', note: 'user + system, from /proc' },
    );
    printFigures(`Upload and download (${mibs.toFixed(0)} MiB pack, service as a child process, S3 = s3rver, PostgreSQL)`, figures);
    const pass = pushRatio >= GOAL_RATIO && pullRatio >= GOAL_RATIO && pushGrowth < RSS_LIMIT_MIB && pullGrowth < RSS_LIMIT_MIB;
    console.log(`[transfer] goal (push and pull >= ${GOAL_RATIO}x the raw client, RSS growth < ${RSS_LIMIT_MIB} MiB): ${verdict(pass)} (push ${pushRatio.toFixed(2)}x, pull relayed ${pullRatio.toFixed(2)}x)`);
    console.log(`[transfer] pull by redirect (opt-in S3_PRESIGNED_DOWNLOADS): ${redirectRatio.toFixed(2)}x the raw client: ${verdict(redirectRatio >= GOAL_RATIO)}`);
    if (pushGrowth >= RSS_LIMIT_MIB || pullGrowth >= RSS_LIMIT_MIB) throw new Error(`the service RSS grew by ${RSS_LIMIT_MIB} MiB or more during a transfer: not streamed`);
  } finally {
    if (service && service.child.exitCode === null) await service.stop();
    await s3.close();
    await db.drop();
    await rm(workDir, { recursive: true, force: true });
  }
  return figures;
}

if (isMain(import.meta.url)) runBench('transfer', async () => void (await transferBench()));
