/**
 * Webhook deliveries (issue 17): publish-to-delivery latency and the events per second the
 * dispatcher sustains, against a same-run baseline: the same receiver answering the same signed
 * POSTs sent directly (the one HTTP client, the same concurrency), with no outbox, claim or log.
 *
 * The service runs in process in its production shape (startServer: the dispatcher started, woken
 * by LISTEN) on a fresh PostgreSQL database; the receiver listens on 127.0.0.1 and answers 204.
 *
 * 1. Latency: BENCH_EVENTS_PUSHES (default 100) pushPack calls, one at a time, each version's
 *    PACK_VERSION_PUBLISHED delivered to one webhook; latency = arrival at the receiver - the event's
 *    occurredAt (its transaction's time, so it includes the push's commit). Baseline: one direct POST.
 * 2. Throughput: BENCH_EVENTS_COUNT (default 2000) events of as many packs written in batches of
 *    100 (as a sync batch writes them) while the dispatcher is paused, then released: events/s from
 *    release to the last arrival. Baseline: the same number of direct POSTs at WEBHOOK_CONCURRENCY.
 *
 * Run: npm run bench -- (BENCH_ONLY=events), or node --import @swc-node/register/esm-register bench/events.bench.ts
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createBenchDatabase, fmt, printFigures, runBench, startBenchService, type Figure } from './bench.lib.js';
import { addonPackTarball } from '../test/helpers/tar-builder.js';
import { recordEvents } from '../src/events/event.store.js';
import { HttpClient } from '../src/platform/http-client.js';
import { signatureOf } from '../src/webhooks/webhook.signature.js';

const PUSHES = Number(process.env.BENCH_EVENTS_PUSHES ?? 100);
const COUNT = Number(process.env.BENCH_EVENTS_COUNT ?? 2000);
const CONCURRENCY = 16;
const SECRET = 'bench-webhook-secret-0123456789';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** A receiver that answers 204 and calls `onEvent` with each body's parsed JSON and its arrival time. */
async function startReceiver(onEvent: (json: any, at: number) => void): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      res.writeHead(204).end();
      onEvent(JSON.parse(Buffer.concat(chunks).toString('utf8')), at);
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function until(test: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for deliveries');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

runBench('events', async () => {
  const db = await createBenchDatabase('bench_events');
  const service = await startBenchService(db.url, { WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true', WEBHOOK_CONCURRENCY: String(CONCURRENCY) });
  const arrivals = new Map<string, { at: number; occurredAt: string; pack: string }>();
  const receiver = await startReceiver((json, at) => {
    if (json.type !== 'PING') arrivals.set(json.deliveryId, { at, occurredAt: json.occurredAt, pack: json.pack });
  });
  const client = new HttpClient({ timeoutMs: 10_000, retries: 0 });
  try {
    const gql = async (query: string, variables: Record<string, unknown>) => {
      const { body } = await request(service.url).post('/graphql').set('authorization', `Bearer ${service.adminToken}`).send({ query, variables });
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    await gql('mutation { createRegistry(input: { name: "bench", kind: HOSTED }) { name } }', {});
    await gql('mutation($u: String!, $s: String!) { createWebhook(input: { url: $u, registries: ["bench"], secret: $s }) { id } }', { u: receiver.url, s: SECRET });

    // 1. Latency, one push at a time.
    for (let i = 0; i < PUSHES; i++) {
      const pushed = await request(service.url)
        .post('/graphql')
        .set('authorization', `Bearer ${service.adminToken}`)
        .set('apollo-require-preflight', 'true')
        .field('operations', JSON.stringify({ query: 'mutation($f: Upload!) { pushPack(registry: "bench", archive: $f) { version } }', variables: { f: null } }))
        .field('map', JSON.stringify({ 0: ['variables.f'] }))
        .attach('0', addonPackTarball(`lat-${i}`, '1.0.0'), { filename: 'pack.tgz', contentType: 'application/gzip' });
      if (pushed.body.errors) throw new Error(JSON.stringify(pushed.body.errors));
    }
    await until(() => arrivals.size >= PUSHES, 60_000);
    const latencies = [...arrivals.values()].map((a) => a.at - Date.parse(a.occurredAt)).sort((a, b) => a - b);

    const directBody = JSON.stringify({ type: 'PACK_VERSION_PUBLISHED', pack: 'direct', version: '1.0.0', data: {}, deliveryId: 'direct' });
    const direct = async () => {
      const t = Math.floor(Date.now() / 1000);
      const response = await client.send(receiver.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-packcatalog-signature': signatureOf(SECRET, t, directBody) },
        body: directBody,
      });
      await response.arrayBuffer();
    };
    const directLatencies: number[] = [];
    for (let i = 0; i < PUSHES; i++) {
      const started = performance.now();
      await direct();
      directLatencies.push(performance.now() - started);
    }
    directLatencies.sort((a, b) => a - b);

    // 2. Throughput: the dispatcher paused while COUNT events are written, then released.
    const dispatcher = service.server.services.webhookDispatcher;
    await dispatcher.stop();
    arrivals.clear();
    const registryId = (await service.server.database.prisma.registry.findUniqueOrThrow({ where: { name: 'bench' } })).id;
    for (let from = 0; from < COUNT; from += 100) {
      const batch = Array.from({ length: Math.min(100, COUNT - from) }, (_, i) => ({
        type: 'PACK_VERSION_PUBLISHED' as const,
        registryId,
        pack: `tp-${from + i}`,
        version: '1.0.0',
        data: { digest: `sha256:${'0'.repeat(64)}` },
      }));
      await service.server.database.prisma.$transaction((tx) => recordEvents(tx, batch));
    }
    const released = performance.now();
    dispatcher.start();
    await until(() => arrivals.size >= COUNT, 300_000);
    const dispatchSeconds = (performance.now() - released) / 1000;

    const directStarted = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < COUNT) {
          next++;
          await direct();
        }
      }),
    );
    const directSeconds = (performance.now() - directStarted) / 1000;

    const figures: Figure[] = [
      { metric: `publish-to-delivery p50 (${PUSHES} pushes)`, subject: percentile(latencies, 50), baseline: percentile(directLatencies, 50), unit: 'ms', better: 'lower', note: 'baseline: one direct POST' },
      { metric: `publish-to-delivery p99 (${PUSHES} pushes)`, subject: percentile(latencies, 99), baseline: percentile(directLatencies, 99), unit: 'ms', better: 'lower', note: 'baseline: one direct POST' },
      { metric: `dispatcher throughput (${COUNT} events, ${COUNT} packs)`, subject: COUNT / dispatchSeconds, baseline: COUNT / directSeconds, unit: 'events/s', better: 'higher', note: `baseline: direct POSTs, ${CONCURRENCY} at once` },
    ];
    printFigures('webhook deliveries (issue 17)', figures);
    console.log(`[events] latency ms: min ${fmt(latencies[0]!)}, p50 ${fmt(percentile(latencies, 50))}, p90 ${fmt(percentile(latencies, 90))}, p99 ${fmt(percentile(latencies, 99))}, max ${fmt(latencies[latencies.length - 1]!)}`);
  } finally {
    await client.close();
    await receiver.close();
    await service.close();
    await db.drop();
  }
});
