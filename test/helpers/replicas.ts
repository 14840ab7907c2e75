/**
 * Replicas of the service as production runs them: whole servers (startServer, each with its own
 * LISTEN connection, caches and DATA_DIR) on the one PostgreSQL database of the test run, sharing an
 * admin token and SECRET_KEY as replicas share their configuration. Sync and the rate limit are off.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { startServer, type RunningServer } from '../../src/app/server.js';

export interface Replica {
  server: RunningServer;
  dataDir: string;
}

/** The run's PostgreSQL; replicas can't share the embedded database, so a test without it fails saying so. */
export function replicaDatabaseUrl(): string {
  const databaseUrl = process.env.TEST_DATABASE_URL;
  if (!databaseUrl) throw new Error('This test needs PostgreSQL (TEST_DATABASE_URL): two replicas cannot share the embedded database.');
  return databaseUrl;
}

export async function startReplica(adminToken: string): Promise<Replica> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'pack-catalog-replica-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: replicaDatabaseUrl(),
    DATA_DIR: dataDir,
    ADMIN_TOKEN: adminToken,
    SECRET_KEY: 'a'.repeat(64),
    SEED_DEFAULT_REGISTRY: 'false',
    SYNC_ENABLED: 'false',
    RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: 'warn',
  });
  return { server: await startServer(config, { logger: createLogger({ level: 'warn' }) }), dataDir };
}

/** Closes each replica that started and removes its DATA_DIR. */
export async function stopReplicas(...replicas: Array<Replica | undefined>): Promise<void> {
  for (const replica of replicas) {
    if (!replica) continue;
    await replica.server.close();
    await rm(replica.dataDir, { recursive: true, force: true });
  }
}

/** A GraphQL call to one replica that must answer without errors; its `data`. */
export async function replicaGql(replica: Replica, token: string | null, query: string, variables: Record<string, unknown> = {}) {
  let call = request(replica.server.url).post('/graphql').set('content-type', 'application/json');
  if (token) call = call.set('authorization', `Bearer ${token}`);
  const response = await call.send({ query, variables });
  expect(response.body.errors).toBeUndefined();
  return response.body.data;
}
