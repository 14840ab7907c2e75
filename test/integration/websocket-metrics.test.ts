/**
 * /metrics counts the open GraphQL WebSocket connections (`packcatalog_websocket_connections`, a
 * gauge kept by the connection tracker): up as sockets open, down as they close, on a real server.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import WebSocket from 'ws';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { startServer, type RunningServer } from '../../src/app/server.js';
import { pollUntil } from '../helpers/wait-until.js';

const GAUGE = 'packcatalog_websocket_connections';

describe('/metrics: open WebSocket connections', () => {
  let server: RunningServer;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'pack-catalog-ws-metrics-'));
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      // The embedded database unless the suite runs on PostgreSQL: the gauge does not depend on it.
      ...(process.env.TEST_DATABASE_URL ? { DATABASE_URL: process.env.TEST_DATABASE_URL } : {}),
      DATA_DIR: dataDir,
      ADMIN_TOKEN: `ws-metrics-${randomBytes(12).toString('hex')}`,
      SECRET_KEY: 'a'.repeat(64),
      SEED_DEFAULT_REGISTRY: 'false',
      SYNC_ENABLED: 'false',
      WEBHOOK_DISPATCH_ENABLED: 'false',
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'silent',
    });
    server = await startServer(config, { logger: createLogger({ level: 'silent' }) });
  });

  afterAll(async () => {
    await server?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function gauge(): Promise<number> {
    const response = await request(server.url).get('/metrics').expect(200);
    const line = (response.text as string).split('\n').find((l) => l.startsWith(`${GAUGE} `));
    if (!line) throw new Error(`${GAUGE} is not on /metrics`);
    return Number(line.split(' ')[1]);
  }

  async function gaugeBecomes(expected: number): Promise<void> {
    await pollUntil(gauge, (value) => expect(value).toBe(expected), { what: `${GAUGE} is ${expected}`, timeoutMs: 5_000, intervalMs: 20 });
  }

  function open(): Promise<WebSocket> {
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(socket));
      socket.once('error', reject);
    });
  }

  it('goes up as sockets open and down as they close', async () => {
    const help = (await request(server.url).get('/metrics').expect(200)).text as string;
    expect(help).toContain(`# TYPE ${GAUGE} gauge`);
    await gaugeBecomes(0);

    const first = await open();
    const second = await open();
    await gaugeBecomes(2);

    first.close();
    await gaugeBecomes(1);
    second.terminate(); // dropped without a close handshake: counted out all the same
    await gaugeBecomes(0);
  });
});
