/**
 * A real app for integration tests: createApp() over PostgreSQL (the run's fresh database, or the
 * embedded one when no server is reachable) and a real S3 server (s3rver) or a temporary directory.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import type { Express } from 'express';
import { loadConfig, type Config } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/platform/database.js';
import { createLogger } from '../../src/platform/logger.js';
import { createMetrics } from '../../src/platform/metrics.js';
import { createArtifactStore } from '../../src/artifacts/artifact.factory.js';
import type { ArtifactStore } from '../../src/artifacts/artifact.store.js';
import { createServices, type Services } from '../../src/app/services.js';
import { createApp } from '../../src/app/app.js';
import { startS3Server, type TestS3Server } from './s3.js';

export interface TestApp {
  app: Express;
  config: Config;
  database: Database;
  artifacts: ArtifactStore;
  services: Services;
  s3?: TestS3Server;
  adminToken: string;
  /** SQL statements sent since the last call (and resets the count). */
  takeQueryCount(): number;
  /** Everything the app logged, as text (for redaction tests). */
  logs(): string;
  /** POST a GraphQL operation; `token: null` sends no Authorization header. */
  gql(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<GqlResponse>;
  close(): Promise<void>;
}

export interface GqlResponse {
  status: number;
  body: { data?: Record<string, any> | null; errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, any> }> };
}

export interface TestAppOptions {
  s3?: boolean;
  /** Seed the DEFAULT registry with the shipped packs (off by default: most tests don't need them). */
  seed?: boolean;
  env?: Record<string, string>;
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'pack-catalog-test-'));
  const adminToken = `test-admin-${randomBytes(16).toString('hex')}`;
  const s3 = options.s3 ? await startS3Server() : undefined;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    ADMIN_TOKEN: adminToken,
    LOG_LEVEL: 'info',
    SECRET_KEY: randomBytes(32).toString('hex'),
    ...(process.env.TEST_DATABASE_URL ? { DATABASE_URL: process.env.TEST_DATABASE_URL } : {}),
    ...(s3
      ? {
          S3_ENDPOINT: `http://${s3.endPoint}:${s3.port}`,
          S3_ACCESS_KEY: s3.accessKey,
          S3_SECRET_KEY: s3.secretKey,
          S3_BUCKET: s3.bucket,
          S3_REGION: s3.region,
        }
      : {}),
    ...options.env,
  };
  const config = loadConfig(env);
  let logText = '';
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      logText += chunk.toString();
      callback();
    },
  });
  const logger = createLogger({ level: config.logLevel, destination });
  let queries = 0;
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, onQuery: () => queries++ });
  const artifacts = await createArtifactStore({ s3: config.s3, dataDir: config.dataDir });
  const metrics = createMetrics({ collectProcessMetrics: false });
  const services = createServices({ config, prisma: database.prisma, artifacts, logger, metrics, secretKey: config.secretKey! });
  await services.registries.ensureDefaultRegistry();
  if (options.seed) await services.defaultRegistry.seed();
  const { app, close: closeApp } = await createApp({ config, prisma: database.prisma, artifacts, logger, metrics, services });

  return {
    app,
    config,
    database,
    artifacts,
    services,
    s3,
    adminToken,
    logs: () => logText,
    takeQueryCount() {
      const count = queries;
      queries = 0;
      return count;
    },
    async gql(query, variables = {}, token = adminToken) {
      let call = request(app).post('/graphql').set('content-type', 'application/json');
      if (token !== null) call = call.set('authorization', `Bearer ${token}`);
      const response = await call.send({ query, variables });
      return { status: response.status, body: response.body };
    },
    async close() {
      await closeApp();
      await database.close();
      await s3?.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A name unique to this test run, for registries, packs and profiles. */
/** A new API token of `role`, scoped to `registries`, made by the test app's admin; named `name` (default: unique). */
export async function createToken(t: TestApp, role: string, registries: string[], name = uniqueName(role.toLowerCase())): Promise<string> {
  const { body } = await t.gql('mutation($n: String!, $r: Role!, $g: [String!]) { createApiToken(name: $n, role: $r, registries: $g) { token } }', {
    n: name,
    r: role,
    g: registries,
  });
  return body.data!.createApiToken.token as string;
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
