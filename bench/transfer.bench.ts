/**
 * Upload and download of a large pack: a 200 MiB pack (a valid pack folder with a large random chart
 * file under charts/, tarred) pushed through /graphql multipart and pulled back through
 * /artifacts/sha256/<hex>, with the service as a child process (dist/app/main.js) on S3 (s3rver) and
 * PostgreSQL, its RSS read from /proc every 50 ms. Baseline: a raw `minio` client putObject /
 * getObject of the same file to the same S3 server.
 */
// type-graphql reads decorator metadata: the polyfill loads before any decorated class (the service's modules).
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'minio';
import { startS3Server } from '../test/helpers/s3.js';
import { startServiceProcess, type ServiceProcess } from '../test/helpers/service-process.js';
import { createBenchDatabase, elapsedSeconds, isMain, MIB, printFigures, ROOT, runBench, sampleRss, type Figure } from './bench.lib.js';

const SIZE_MIB = Number(process.env.BENCH_TRANSFER_MIB ?? 200);
const FIXTURE = path.resolve(ROOT, '../shared/fixtures/pack-central/full/spegel-0.0.18');
const PUSH = `mutation Push($registry: String!, $archive: Upload!) { pushPack(registry: $registry, archive: $archive) { version digest size } }`;

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

/**
 * Streams a GraphQL multipart push of `archive` (never holding it whole): operations, map, then the
 * file part, as `curl -F` sends it.
 */
export async function streamPush(url: string, token: string, registry: string, archive: string): Promise<{ status: number; body: any }> {
  const boundary = `----bench${randomBytes(8).toString('hex')}`;
  const operations = JSON.stringify({ query: PUSH, variables: { registry, archive: null } });
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${operations}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n${JSON.stringify({ 0: ['variables.archive'] })}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="${path.basename(archive)}"\r\nContent-Type: application/gzip\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const size = (await stat(archive)).size;
  return new Promise((resolve, reject) => {
    const request = http.request(`${url}/graphql`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'apollo-require-preflight': 'true',
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(Buffer.byteLength(head) + size + Buffer.byteLength(tail)),
      },
    });
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => {
        try {
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) });
        } catch {
          resolve({ status: response.statusCode ?? 0, body: text });
        }
      });
    });
    request.on('error', reject);
    async function* body() {
      yield Buffer.from(head);
      yield* createReadStream(archive, { highWaterMark: MIB });
      yield Buffer.from(tail);
    }
    pipeline(Readable.from(body()), request).catch(reject);
  });
}

/** Reads a stream to its end, hashing it: the bytes go nowhere. */
async function drainHashing(source: NodeJS.ReadableStream): Promise<{ digest: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(
    source,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        size += chunk.length;
        callback();
      },
    }),
  );
  return { digest: `sha256:${hash.digest('hex')}`, size };
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

    // Baseline: the raw client, one PUT (partSize above the file size: s3rver has no multipart).
    const client = new Client({
      endPoint: s3.endPoint, port: s3.port, useSSL: false, accessKey: s3.accessKey, secretKey: s3.secretKey, region: s3.region,
      partSize: 512 * MIB,
    });
    let t = process.hrtime.bigint();
    await client.putObject(s3.bucket, 'baseline/pack.tar.gz', createReadStream(archive), archiveSize);
    const basePut = elapsedSeconds(t);
    t = process.hrtime.bigint();
    const baseGot = await drainHashing(await client.getObject(s3.bucket, 'baseline/pack.tar.gz'));
    const baseGet = elapsedSeconds(t);
    if (baseGot.size !== archiveSize) throw new Error(`baseline getObject returned ${baseGot.size} bytes, expected ${archiveSize}`);
    await client.removeObject(s3.bucket, 'baseline/pack.tar.gz');

    const adminToken = `bench-admin-${randomBytes(16).toString('hex')}`;
    service = await startServiceProcess({
      env: {
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
      },
    });
    const created = await service.gql(`mutation { createRegistry(input: {name: "bench-hosted", kind: HOSTED}) { name } }`, {}, adminToken);
    if (created.errors) throw new Error(`createRegistry: ${JSON.stringify(created.errors)}`);
    const pid = service.child.pid!;

    const pushRss = sampleRss(pid, 50);
    t = process.hrtime.bigint();
    const pushed = await streamPush(service.url, adminToken, 'bench-hosted', archive);
    const pushTime = elapsedSeconds(t);
    const pushMem = pushRss.stop();
    if (pushed.status !== 200 || pushed.body?.errors || !pushed.body?.data) throw new Error(`push failed: ${pushed.status} ${JSON.stringify(pushed.body).slice(0, 500)}`);
    const digest: string = pushed.body.data.pushPack.digest;

    const pullRss = sampleRss(pid, 50);
    t = process.hrtime.bigint();
    const pulled = await new Promise<{ digest: string; size: number }>((resolve, reject) => {
      http
        .get(`${service!.url}/artifacts/sha256/${digest.slice('sha256:'.length)}`, { headers: { authorization: `Bearer ${adminToken}` } }, (response) => {
          if (response.statusCode !== 200) return reject(new Error(`pull: HTTP ${response.statusCode}`));
          drainHashing(response).then(resolve, reject);
        })
        .on('error', reject);
    });
    const pullTime = elapsedSeconds(t);
    const pullMem = pullRss.stop();
    if (pulled.digest !== digest || pulled.size !== archiveSize) throw new Error(`pulled ${pulled.size} bytes ${pulled.digest}, pushed ${archiveSize} ${digest}`);

    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
    const pushGrowth = (pushMem.peak - pushMem.start) / MIB;
    const pullGrowth = (pullMem.peak - pullMem.start) / MIB;
    const mibs = archiveSize / MIB;
    figures.push(
      { metric: `push ${mibs.toFixed(0)} MiB (GraphQL multipart -> S3): time`, subject: pushTime, baseline: basePut, unit: 's', better: 'lower', note: 'baseline: minio putObject' },
      { metric: 'push throughput', subject: mibs / pushTime, baseline: mibs / basePut, unit: 'MiB/s', better: 'higher' },
      { metric: `pull ${mibs.toFixed(0)} MiB (/artifacts <- S3): time`, subject: pullTime, baseline: baseGet, unit: 's', better: 'lower', note: 'baseline: minio getObject' },
      { metric: 'pull throughput', subject: mibs / pullTime, baseline: mibs / baseGet, unit: 'MiB/s', better: 'higher' },
      { metric: 'service peak RSS growth during push', subject: pushGrowth, unit: 'MiB', note: `limit 64 MiB: ${pushGrowth < 64 ? 'PASS' : 'FAIL'} (RSS ${(pushMem.start / MIB).toFixed(0)} -> peak ${(pushMem.peak / MIB).toFixed(0)} MiB, ${pushMem.samples} samples)` },
      { metric: 'service peak RSS growth during pull', subject: pullGrowth, unit: 'MiB', note: `limit 64 MiB: ${pullGrowth < 64 ? 'PASS' : 'FAIL'} (RSS ${(pullMem.start / MIB).toFixed(0)} -> peak ${(pullMem.peak / MIB).toFixed(0)} MiB, ${pullMem.samples} samples)` },
      { metric: 'service VmHWM (lifetime peak RSS)', subject: hwm, unit: 'MiB' },
    );
    printFigures(`Upload and download (${mibs.toFixed(0)} MiB pack, service as a child process, S3 = s3rver, PostgreSQL)`, figures);
    if (pushGrowth >= 64 || pullGrowth >= 64) throw new Error('the service RSS grew by 64 MiB or more during a transfer: not streamed');
  } finally {
    if (service && service.child.exitCode === null) await service.stop();
    await s3.close();
    await db.drop();
    await rm(workDir, { recursive: true, force: true });
  }
  return figures;
}

if (isMain(import.meta.url)) runBench('transfer', async () => void (await transferBench()));
