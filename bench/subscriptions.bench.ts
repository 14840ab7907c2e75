/**
 * catalogEvents subscriptions (issue 17, section 3): publish-to-delivery latency over WebSocket,
 * with one subscriber and with many (the fan-out: one LISTEN and one outbox read per batch, whatever
 * the number of subscribers), against a same-run baseline: a bare PostgreSQL NOTIFY from one
 * connection to a LISTENing one on the same database (the floor the transport is built on).
 *
 * The service runs in process in its production shape (startServer: WebSocket attached, LISTEN on
 * PostgreSQL) on a fresh database. BENCH_SUBS_PUSHES (default 100) events are recorded one at a
 * time as a write path records them (recordEvents in a transaction); latency = arrival at the
 * subscriber - the moment the COMMIT returned, watched by 1, then by BENCH_SUBS_MANY (default 100)
 * subscribers (the figure is the slowest subscriber's arrival per event). It holds the 10 ms window
 * in which notified ids are gathered into one outbox read.
 *
 * Run: node --import @swc-node/register/esm-register bench/subscriptions.bench.ts
 */
import pg from 'pg';
import request from 'supertest';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { createBenchDatabase, fmt, printFigures, runBench, startBenchService, type Figure } from './bench.lib.js';
import { recordEvents } from '../src/events/event.store.js';

const PUSHES = Number(process.env.BENCH_SUBS_PUSHES ?? 100);
const MANY = Number(process.env.BENCH_SUBS_MANY ?? 100);
const FOLLOW = 'subscription($f: CatalogEventFilterInput) { catalogEvents(filter: $f) { version } }';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function notifyRoundTrips(url: string, count: number): Promise<number[]> {
  const listener = new pg.Client({ connectionString: url });
  const sender = new pg.Client({ connectionString: url });
  await Promise.all([listener.connect(), sender.connect()]);
  await listener.query('LISTEN bench_baseline');
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const arrived = new Promise<void>((resolve) => listener.once('notification', () => resolve()));
    await sender.query("SELECT pg_notify('bench_baseline', 'x')");
    await arrived;
    times.push(performance.now() - started);
  }
  await Promise.all([listener.end(), sender.end()]);
  return times.sort((a, b) => a - b);
}

runBench('subscriptions', async () => {
  const database = await createBenchDatabase('bench_subs');
  // Every subscriber is the admin token here: room for all of them on one token.
  const service = await startBenchService(database.url, { WS_MAX_CONNECTIONS_PER_TOKEN: String(MANY + 10) });
  const clients: Client[] = [];
  try {
    const registry = 'bench-subs';
    const created = await request(service.url).post('/graphql').set('authorization', `Bearer ${service.adminToken}`).send({
      query: 'mutation($n: String!) { createRegistry(input: { name: $n, kind: HOSTED }) { id name } }',
      variables: { n: registry },
    });
    const [row] = await service.server.database.prisma.registry.findMany({ where: { name: registry }, select: { id: true } });
    if (!row || created.body.errors) throw new Error(`no registry: ${JSON.stringify(created.body)}`);
    const wsUrl = `${service.url.replace('http', 'ws')}/graphql`;
    /** Subscribers; arrivals[version] = the arrival times of that version's event. */
    const arrivals = new Map<string, number[]>();
    const subscribe = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${service.adminToken}` } });
        clients.push(client);
        client.subscribe<{ catalogEvents: { version: string } }>(
          { query: FOLLOW, variables: { f: { registries: [registry] } } },
          {
            next: ({ data }) => {
              const at = performance.now();
              const event = data!.catalogEvents;
              arrivals.set(event.version, [...(arrivals.get(event.version) ?? []), at]);
            },
            error: (error) => console.error('subscriber failed', error),
            complete: () => undefined,
          },
        );
      }
      // Connections and subscriptions in place (graphql-ws says nothing on subscribe).
      await new Promise((resolve) => setTimeout(resolve, 500 + 10 * n));
    };
    const run = async (prefix: string, subscribers: number): Promise<number[]> => {
      const latencies: number[] = [];
      for (let i = 0; i < PUSHES; i++) {
        const version = `${prefix}.${i}.0`;
        await service.server.database.prisma.$transaction((tx) =>
          recordEvents(tx, [{ type: 'PACK_VERSION_PUBLISHED', registryId: row.id, pack: 'bench-subs-pack', version, data: { status: 'created' } }]),
        );
        const committed = performance.now();
        const deadline = Date.now() + 10_000;
        while ((arrivals.get(version)?.length ?? 0) < subscribers) {
          if (Date.now() > deadline) throw new Error(`event ${version} reached ${arrivals.get(version)?.length ?? 0} of ${subscribers} subscribers`);
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
        latencies.push(Math.max(...arrivals.get(version)!) - committed);
      }
      return latencies.sort((a, b) => a - b);
    };
    await subscribe(1);
    const one = await run('1', 1);
    await subscribe(MANY - 1);
    const many = await run('2', MANY);
    const baseline = await notifyRoundTrips(database.url, PUSHES);
    const figures: Figure[] = [
      { metric: 'commit -> 1 subscriber, p50', subject: percentile(one, 50), baseline: percentile(baseline, 50), unit: 'ms', better: 'lower', note: 'baseline: bare NOTIFY -> LISTEN' },
      { metric: 'commit -> 1 subscriber, p99', subject: percentile(one, 99), baseline: percentile(baseline, 99), unit: 'ms', better: 'lower' },
      { metric: `commit -> ${MANY} subscribers (slowest), p50`, subject: percentile(many, 50), baseline: percentile(baseline, 50), unit: 'ms', better: 'lower' },
      { metric: `commit -> ${MANY} subscribers (slowest), p99`, subject: percentile(many, 99), baseline: percentile(baseline, 99), unit: 'ms', better: 'lower' },
    ];
    printFigures(`catalogEvents subscriptions (${PUSHES} events recorded one at a time)`, figures);
    console.log(`[subscriptions] 1 subscriber p50 ${fmt(percentile(one, 50))} ms; ${MANY} subscribers p50 ${fmt(percentile(many, 50))} ms`);
  } finally {
    await Promise.all(clients.map((c) => c.dispose()));
    await service.close();
    await database.drop();
  }
});
