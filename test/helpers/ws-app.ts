/**
 * A test app listening on a loopback port with GraphQL subscriptions attached (the composition
 * root's own `attachGraphQLWebSocket`), and graphql-ws clients that record what they receive.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { createClient, type Client, type FormattedExecutionResult as ExecutionResult } from 'graphql-ws';
import { attachGraphQLWebSocket, type GraphQLWebSocket } from '../../src/app/websocket.js';
import { createLogger } from '../../src/platform/logger.js';
import { createMetrics } from '../../src/platform/metrics.js';
import type { TestApp } from './test-app.js';

export interface ListeningApp {
  url: string;
  wsUrl: string;
  webSocket: GraphQLWebSocket;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 with WebSocket subscriptions; on PostgreSQL its notifications LISTEN like a server's. */
export async function listenWithSubscriptions(t: TestApp): Promise<ListeningApp> {
  if (t.database.kind === 'postgresql' && !t.services.notifications.shared) await t.services.notifications.listen(t.database.connectionString);
  const server = http.createServer(t.app);
  const webSocket = await attachGraphQLWebSocket(server, {
    config: t.config,
    services: t.services,
    logger: createLogger({ level: 'silent' }),
    metrics: createMetrics({ collectProcessMetrics: false }),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    webSocket,
    async close() {
      await webSocket.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      t.services.liveEvents.close();
      await t.services.notifications.close();
    },
  };
}

/** A graphql-ws client that never retries (tests see every close), authenticated with `token` unless null. */
export function subscriptionClient(wsUrl: string, token: string | null, options: { headers?: Record<string, string> } = {}): Client {
  const headers = options.headers;
  class HeaderWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, headers ? { headers } : undefined);
    }
  }
  return createClient({
    url: wsUrl,
    webSocketImpl: headers ? HeaderWebSocket : WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: token === null ? {} : { authorization: `Bearer ${token}` },
  });
}

export interface Recording<T = any> {
  results: Array<ExecutionResult<T>>;
  /** Resolves when the subscription completes; rejects with the error (a GraphQL error list or a CloseEvent). */
  done: Promise<void>;
  /** Resolves with the first result `match` accepts (now or later); rejects after `timeoutMs`. */
  waitFor(match: (result: ExecutionResult<T>) => boolean, timeoutMs?: number): Promise<ExecutionResult<T>>;
  stop(): void;
}

export function record<T = any>(client: Client, query: string, variables: Record<string, unknown> = {}): Recording<T> {
  const results: Array<ExecutionResult<T>> = [];
  const waiters = new Set<() => void>();
  let stop = () => {};
  const done = new Promise<void>((resolve, reject) => {
    stop = client.subscribe<T>(
      { query, variables },
      {
        next: (result) => {
          results.push(result as ExecutionResult<T>);
          for (const waiter of waiters) waiter();
        },
        error: reject,
        complete: resolve,
      },
    );
  });
  done.catch(() => undefined);
  return {
    results,
    done,
    stop: () => stop(),
    waitFor(match, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = results.find(match);
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`No matching result within ${timeoutMs} ms; got ${JSON.stringify(results)}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
        done.catch((error) => {
          if (!waiters.has(check)) return;
          waiters.delete(check);
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(`closed: ${(error as { code?: number; reason?: string }).code} ${(error as { reason?: string }).reason}`));
        });
      });
    },
  };
}

/** The close event a refused connection ends with (its code and reason). */
export async function closeOf(recording: Recording): Promise<{ code: number; reason: string }> {
  try {
    await recording.done;
  } catch (error) {
    const event = error as { code?: number; reason?: string };
    if (typeof event.code === 'number') return { code: event.code, reason: String(event.reason ?? '') };
    throw error;
  }
  throw new Error('The subscription completed instead of being closed');
}
