/**
 * Catalog read throughput: 10,000 packs x 10 versions across 5 registries in PostgreSQL, queried
 * through the whole service (startServer) with autocannon; baseline: a bare Apollo Server (same
 * express5 integration) answering the same shape from an in-memory array.
 */
// type-graphql reads decorator metadata: the polyfill loads before any decorated class (the service's modules).
import 'reflect-metadata';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pg from 'pg';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/platform/database.js';
import { createLogger } from '../src/platform/logger.js';
import { createMetrics } from '../src/platform/metrics.js';
import { createArtifactStore } from '../src/artifacts/artifact.factory.js';
import { createServices } from '../src/app/services.js';
import { createApp } from '../src/app/app.js';
import {
  createBenchDatabase,
  elapsedSeconds,
  isMain,
  loadDuration,
  printFigures,
  runBench,
  runLoad,
  startBenchService,
  type Figure,
} from './bench.lib.js';

const PACKS = Number(process.env.BENCH_CATALOG_PACKS ?? 10_000);
const VERSIONS = 10;
const REGISTRIES = 5;
const LAYERS = ['KERNEL', 'OS', 'K8S', 'CNI', 'CSI', 'ADDON'] as const;

export const LIST_QUERY = `query List { packs(first: 50, filter: {layer: [ADDON]}) { edges { node { name registry { name } versions { version digest } } } } }`;
/** `search` is the catalog's text filter (name or display name, case-insensitive). */
export const SEARCH_QUERY = `query Search { packs(first: 50, filter: {search: "pack-00"}) { edges { node { name registry { name } versions { version digest } } } } }`;

/**
 * Fills the catalog with set-based INSERTs (generate_series): pack i lives in registry
 * floor(i / (PACKS/5)) and is named `pack-<i mod 0.8*PACKS>`, so a fifth of the names sit in two
 * registries and the merge across registries is exercised.
 */
export async function generateCatalog(databaseUrl: string, packs = PACKS): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const perRegistry = Math.ceil(packs / REGISTRIES);
    const distinct = Math.floor(packs * 0.8);
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO "Registry" (id, name, kind, priority, "updatedAt")
       SELECT gen_random_uuid(), 'bench-' || r, 'HOSTED', 10 - r, now() FROM generate_series(0, $1 - 1) r`,
      [REGISTRIES],
    );
    await client.query(
      `INSERT INTO "Pack" (id, "registryId", name, "displayName", layer, "addonType", "cloudTypes", "updatedAt")
       SELECT gen_random_uuid(), (SELECT id FROM "Registry" WHERE name = 'bench-' || (i / $2)),
              'pack-' || lpad((i % $3)::text, 5, '0'), 'Pack ' || (i % $3),
              ((ARRAY['KERNEL','OS','K8S','CNI','CSI','ADDON'])[1 + (i % $3) % 6])::"Layer",
              CASE WHEN (i % $3) % 6 = 5 THEN 'monitoring' END, ARRAY['all'], now()
       FROM generate_series(0, $1 - 1) i`,
      [packs, perRegistry, distinct],
    );
    await client.query(
      `INSERT INTO "Artifact" (digest, size, "mediaType")
       SELECT 'sha256:' || encode(sha256(convert_to(p.id::text || ':' || v, 'UTF8')), 'hex'), 20000 + v, 'application/gzip'
       FROM "Pack" p CROSS JOIN generate_series(1, $1) v`,
      [VERSIONS],
    );
    await client.query(
      `INSERT INTO "PackVersion" (id, "packId", "registryId", version, digest, size, "packJson", charts, "cloudTypes", "updatedAt")
       SELECT gen_random_uuid(), p.id, p."registryId", '1.' || v || '.0',
              'sha256:' || encode(sha256(convert_to(p.id::text || ':' || v, 'UTF8')), 'hex'), 20000 + v,
              jsonb_build_object('name', p.name, 'version', '1.' || v || '.0', 'layer', lower(p.layer::text)),
              ARRAY['charts/' || p.name || '-1.' || v || '.0.tgz'], ARRAY['all'], now()
       FROM "Pack" p CROSS JOIN generate_series(1, $1) v`,
      [VERSIONS],
    );
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

interface MemPack {
  name: string;
  layer: string;
  displayName: string;
  registry: { name: string };
  versions: Array<{ version: string; digest: string }>;
}

/** The baseline: the same query shape over an in-memory array, through Apollo + express5 only. */
async function startBaseline(packs: number): Promise<{ url: string; close(): Promise<void> }> {
  const distinct = Math.floor(packs * 0.8);
  const data: MemPack[] = [];
  for (let n = 0; n < distinct; n++) {
    const name = `pack-${String(n).padStart(5, '0')}`;
    data.push({
      name,
      layer: LAYERS[n % 6]!,
      displayName: `Pack ${n}`,
      registry: { name: `bench-${Math.floor(n / Math.ceil(packs / REGISTRIES))}` },
      versions: Array.from({ length: VERSIONS }, (_, v) => ({ version: `1.${VERSIONS - v}.0`, digest: `sha256:${randomBytes(32).toString('hex')}` })),
    });
  }
  data.sort((a, b) => a.name.localeCompare(b.name));
  const typeDefs = `#graphql
    enum Layer { KERNEL OS K8S CNI CSI ADDON }
    input PackFilter { layer: [Layer!] search: String }
    type Registry { name: String! }
    type PackVersion { version: String! digest: String! }
    type Pack { name: String! registry: Registry! versions: [PackVersion!]! }
    type PackEdge { node: Pack! cursor: String! }
    type PackConnection { edges: [PackEdge!]! }
    type Query { packs(first: Int, filter: PackFilter): PackConnection! }`;
  const resolvers = {
    Query: {
      packs: (_: unknown, args: { first?: number; filter?: { layer?: string[]; search?: string } }) => {
        const search = args.filter?.search?.toLowerCase();
        const layers = args.filter?.layer;
        const page: MemPack[] = [];
        for (const p of data) {
          if (layers && !layers.includes(p.layer)) continue;
          if (search && !p.name.toLowerCase().includes(search) && !p.displayName.toLowerCase().includes(search)) continue;
          page.push(p);
          if (page.length >= (args.first ?? 20)) break;
        }
        return { edges: page.map((node) => ({ node, cursor: node.name })) };
      },
    },
  };
  const apollo = new ApolloServer({ typeDefs, resolvers });
  await apollo.start();
  const app = express();
  app.use('/graphql', express.json(), expressMiddleware(apollo));
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      await apollo.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}

async function checkAnswer(url: string, query: string, headers: Record<string, string>): Promise<number> {
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  const body = (await response.json()) as { data?: { packs: { edges: Array<{ node: { versions: unknown[] } }> } }; errors?: unknown };
  if (response.status !== 200 || body.errors || !body.data) throw new Error(`${url}: ${response.status} ${JSON.stringify(body).slice(0, 500)}`);
  const edges = body.data.packs.edges;
  if (edges.length === 0 || edges.some((e) => e.node.versions.length === 0)) throw new Error(`${url}: empty answer for ${query}`);
  return edges.length;
}

/** SQL statements per request, counted with openDatabase({ onQuery }) on a second composition of the app. */
async function countStatements(databaseUrl: string, queries: string[]): Promise<number[]> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pack-catalog-bench-count-'));
  const adminToken = `bench-admin-${randomBytes(16).toString('hex')}`;
  const config = loadConfig({
    NODE_ENV: 'production', DATABASE_URL: databaseUrl, DATA_DIR: dataDir, ADMIN_TOKEN: adminToken,
    SECRET_KEY: randomBytes(32).toString('hex'), RATE_LIMIT_PER_MINUTE: '0', SYNC_ENABLED: 'false', LOG_LEVEL: 'warn',
  });
  let statements = 0;
  const database = await openDatabase({ databaseUrl, dataDir, onQuery: () => statements++ });
  const logger = createLogger({ level: 'warn' });
  const metrics = createMetrics({ collectProcessMetrics: false });
  const artifacts = await createArtifactStore({ dataDir });
  const services = createServices({ config, prisma: database.prisma, artifacts, logger, metrics, secretKey: config.secretKey! });
  const { app, close } = await createApp({ config, prisma: database.prisma, artifacts, logger, metrics, services });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const counts: number[] = [];
    for (const query of queries) {
      await checkAnswer(url, query, { authorization: `Bearer ${adminToken}` });
      const rounds = 5;
      statements = 0;
      for (let i = 0; i < rounds; i++) await checkAnswer(url, query, { authorization: `Bearer ${adminToken}` });
      counts.push(statements / rounds);
    }
    return counts;
  } finally {
    server.close();
    server.closeAllConnections();
    await close();
    await database.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function catalogBench(): Promise<Figure[]> {
  const db = await createBenchDatabase('bench_catalog');
  const duration = loadDuration(10);
  const figures: Figure[] = [];
  let service;
  let baseline;
  try {
    service = await startBenchService(db.url);
    const t0 = process.hrtime.bigint();
    await generateCatalog(db.url);
    console.log(`[catalog] generated ${PACKS} packs x ${VERSIONS} versions in ${elapsedSeconds(t0).toFixed(1)} s`);
    baseline = await startBaseline(PACKS);
    const auth = { authorization: `Bearer ${service.adminToken}` };
    const [listSql, searchSql] = await countStatements(db.url, [LIST_QUERY, SEARCH_QUERY]);
    for (const [label, query, sql] of [
      ['packs(first: 50, layer ADDON)', LIST_QUERY, listSql],
      ['packs(first: 50, search)', SEARCH_QUERY, searchSql],
    ] as const) {
      const served = await checkAnswer(service.url, query, auth);
      await checkAnswer(baseline.url, query, {});
      const body = JSON.stringify({ query });
      const headers = { 'content-type': 'application/json' };
      // A counted warm-up (it waits for every answer, so nothing is left in flight), then the run,
      // then a pause so the requests autocannon abandoned at the end drain before the next run.
      const subjectLoad = { url: `${service.url}/graphql`, method: 'POST', headers: { ...headers, ...auth }, body };
      const baselineLoad = { url: `${baseline.url}/graphql`, method: 'POST', headers, body };
      await runLoad({ ...subjectLoad, connections: 5, amount: 20 });
      const subject = await runLoad({ ...subjectLoad, duration });
      await sleep(3000);
      await runLoad({ ...baselineLoad, connections: 5, amount: 20 });
      const base = await runLoad({ ...baselineLoad, duration });
      await sleep(3000);
      const errors = subject.errors + subject.non2xx;
      figures.push(
        { metric: `${label}: requests/s`, subject: subject.requestsPerSecond, baseline: base.requestsPerSecond, unit: 'req/s', better: 'higher', note: `${served} packs x ${VERSIONS} versions per answer; ${errors} errors` },
        { metric: `${label}: p50 latency`, subject: subject.p50, baseline: base.p50, unit: 'ms', better: 'lower' },
        { metric: `${label}: p99 latency`, subject: subject.p99, baseline: base.p99, unit: 'ms', better: 'lower' },
        { metric: `${label}: SQL statements per request`, subject: sql, baseline: 0, unit: 'stmts', note: 'baseline has no database' },
      );
    }
  } finally {
    await baseline?.close();
    await service?.close();
    await db.drop();
  }
  printFigures(`Catalog queries (${PACKS} packs x ${VERSIONS} versions, 5 registries, 50 connections, ${duration} s each)`, figures);
  return figures;
}

if (isMain(import.meta.url)) runBench('catalog', async () => void (await catalogBench()));
