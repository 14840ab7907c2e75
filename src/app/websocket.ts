/**
 * GraphQL subscriptions over WebSocket: the `graphql-transport-ws` protocol (graphql-ws) on the
 * HTTP server's `/graphql`, with the same schema, credentials and document rules as HTTP.
 *
 * - Credentials: `connectionParams.authorization` ("Bearer <token>", the HTTP header's rules), else
 *   the web console's session cookie from the upgrade request (same origin only: browsers send
 *   cookies on cross-site WebSocket upgrades), else anonymous where ALLOW_ANONYMOUS_READ allows it.
 *   Refused credentials close the socket with 4401; every connection's credentials are checked again
 *   each WS_AUTH_RECHECK_SECONDS, so a revoked token loses its sockets.
 * - Bounds: connections per address (at the upgrade) and per principal, subscriptions per connection,
 *   message size (ws `maxPayload`), the HTTP document limits (tokens, aliases, directives, depth,
 *   complexity), the principal's request budget per subscription, keepalive pings.
 * - Only subscriptions: queries and mutations go over HTTP, where uploads, audit and caching live.
 */
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { GraphQLError, Kind, getOperationAST, parse, specifiedRules, validate, type DocumentNode, type ExecutionArgs } from 'graphql';
import type { Config } from '../config.js';
import type { Logger } from '../platform/logger.js';
import type { Metrics } from '../platform/metrics.js';
import type { Context } from '../graphql/context.js';
import { ANONYMOUS, type Principal } from '../auth/principal.js';
import { UnauthenticatedError, isDomainError } from '../errors.js';
import { documentLimitOptions } from '../graphql/document-limits.js';
import { estimateComplexity } from '../graphql/complexity.plugin.js';
import { createFormatError } from '../graphql/format-error.js';
import { persistedQueryHash, readAllowList } from '../graphql/persisted-queries.js';
import { WS_CLOSE, WsConnections, principalKey, type TrackedConnection } from '../http/ws-connections.js';
import { SESSION_COOKIE } from '../http/session-cookie.js';
import { buildGraphQLSchema } from './schema.js';
import { createLoaders } from './context.js';
import type { Services } from './services.js';

export interface GraphQLWebSocketDeps {
  config: Config;
  services: Services;
  logger: Logger;
  metrics: Metrics;
}

export interface GraphQLWebSocket {
  /** Open connections (for tests and metrics). */
  readonly connections: number;
  /** Closes every socket (1001, going away) and stops accepting upgrades. */
  close(): Promise<void>;
}

interface ConnectionExtra {
  principal?: Principal;
  tracked?: TrackedConnection;
  /** Aborted when the socket closes: the work its subscriptions started stops. */
  aborter?: AbortController;
  [key: PropertyKey]: unknown;
}

const PATH = '/graphql';

export async function attachGraphQLWebSocket(server: http.Server, deps: GraphQLWebSocketDeps): Promise<GraphQLWebSocket> {
  const { config, services, logger } = deps;
  const limits = config.websocket;
  const schema = await buildGraphQLSchema();
  const documentLimits = documentLimitOptions(config.limits, { hideSuggestions: !config.introspection });
  const validationRules = [...specifiedRules, ...documentLimits.validationRules];
  const format = createFormatError(logger, deps.metrics);
  const formatAll = (errors: readonly GraphQLError[]) => errors.map((error) => format(error.toJSON(), error));
  // PERSISTED_QUERIES_ONLY holds over WebSocket too: a subscription runs only a registered document.
  const allowList = config.persistedQueries.only && config.persistedQueries.file ? await readAllowList(config.persistedQueries.file) : null;
  const connections = new WsConnections(
    { maxPerAddress: limits.maxConnectionsPerAddress, maxPerPrincipal: limits.maxConnectionsPerToken },
    deps.metrics.wsConnections,
  );
  const sockets = new WeakMap<WebSocket, TrackedConnection>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes });

  const onUpgrade = (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (pathname !== PATH) return refuseUpgrade(socket, 404, 'Not Found');
    if (!connections.addressHasRoom(addressOf(request))) return refuseUpgrade(socket, 429, 'Too Many Requests');
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  server.on('upgrade', onUpgrade);

  wss.on('connection', (ws: WebSocket, request: http.IncomingMessage) => {
    const tracked: TrackedConnection = { address: addressOf(request), close: (code, reason) => ws.close(code, reason) };
    connections.add(tracked);
    sockets.set(ws, tracked);
    ws.once('close', () => connections.remove(tracked));
  });

  /** The credentials a connection presents, resolved as HTTP resolves them; throws UNAUTHENTICATED / RATE_LIMITED. */
  const authenticate = async (
    request: http.IncomingMessage,
    params: Record<string, unknown> | undefined,
  ): Promise<{ principal: Principal; recheck: () => Promise<boolean>; credential: string }> => {
    const authorization = typeof params?.authorization === 'string' ? params.authorization : undefined;
    const address = addressOf(request);
    const sessionId = authorization?.trim() ? undefined : sameOriginSessionOf(request, config.publicUrl);
    const sessions = services.sessions;
    if (sessionId && sessions) {
      const principal = await services.rateLimiter.authenticate(address, true, async () => (await sessions.authenticate(sessionId)).principal);
      return { principal, recheck: () => refusedAs(sessions.authenticate(sessionId)), credential: `session:${sessionId}` };
    }
    const principal = await services.rateLimiter.authenticate(address, Boolean(authorization?.trim()), () => services.tokens.authenticate(authorization));
    return { principal, recheck: () => refusedAs(services.tokens.authenticate(authorization)), credential: `authorization:${authorization ?? ''}` };
  };

  const contextOf = (extra: ConnectionExtra, request: http.IncomingMessage): Context => {
    const requestId = randomUUID();
    const principal = extra.principal ?? ANONYMOUS;
    return {
      requestId,
      logger: logger.child({ requestId, transport: 'websocket' }),
      baseUrl: config.publicUrl?.replace(/\/+$/, '') ?? `http://${request.headers.host ?? 'localhost'}`,
      principal,
      signal: extra.aborter!.signal,
      services,
      loaders: createLoaders(services, principal),
    };
  };

  const disposable = useServer<Record<string, unknown>, ConnectionExtra>(
    {
      schema,
      connectionInitWaitTimeout: 10_000,
      onConnect: async (ctx) => {
        const { socket, request } = ctx.extra;
        const tracked = sockets.get(socket);
        if (!tracked) return false;
        let auth;
        try {
          auth = await authenticate(request, ctx.connectionParams);
        } catch (error) {
          if (!isDomainError(error)) {
            logger.warn({ err: error }, 'authenticating a WebSocket connection failed');
            socket.close(WS_CLOSE.TRY_AGAIN_LATER, 'The credentials could not be checked now; try again later.');
            return false;
          }
          socket.close(error.code === 'RATE_LIMITED' ? WS_CLOSE.TOO_MANY_CONNECTIONS : WS_CLOSE.UNAUTHORIZED, closeReason(error));
          return false;
        }
        if (auth.principal.kind === 'anonymous' && !config.allowAnonymousRead) {
          socket.close(WS_CLOSE.UNAUTHORIZED, 'Subscriptions need a token: send connectionParams { authorization: "Bearer <token>" }.');
          return false;
        }
        if (!connections.authenticated(tracked, auth.principal, auth.recheck, auth.credential)) {
          socket.close(WS_CLOSE.TOO_MANY_CONNECTIONS, `Too many open connections for this token (WS_MAX_CONNECTIONS_PER_TOKEN is ${limits.maxConnectionsPerToken}).`);
          return false;
        }
        const aborter = new AbortController();
        socket.once('close', () => aborter.abort());
        Object.assign(ctx.extra, { principal: auth.principal, tracked, aborter });
        return true;
      },
      onSubscribe: async (ctx, _id, payload): Promise<ExecutionArgs | readonly GraphQLError[]> => {
        const extra = ctx.extra;
        // graphql-ws registers the new id before this hook: the count includes it.
        if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptionsPerConnection) {
          return refusal(`This connection has ${limits.maxSubscriptionsPerConnection} subscriptions, the limit (WS_MAX_SUBSCRIPTIONS_PER_CONNECTION).`, 'RATE_LIMITED', {
            limit: 'WS_MAX_SUBSCRIPTIONS_PER_CONNECTION',
            max: limits.maxSubscriptionsPerConnection,
          });
        }
        try {
          await services.rateLimiter.take(principalKey(extra.principal ?? ANONYMOUS, addressOf(extra.request)));
        } catch (error) {
          if (isDomainError(error)) return formatted(format, new GraphQLError(error.message, { originalError: error }));
          throw error;
        }
        let text = payload.query;
        if (allowList) {
          const asked = (payload.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined)?.sha256Hash;
          const registered = typeof asked === 'string' && !text ? allowList.get(asked) : allowList.get(persistedQueryHash(text)) && text;
          if (!registered) {
            return refusal('This service runs registered documents only (PERSISTED_QUERIES_ONLY): send one of them, or its hash.', 'PERSISTED_QUERY_NOT_ALLOWED');
          }
          text = registered;
        }
        let document: DocumentNode;
        try {
          document = parse(text, documentLimits.parseOptions);
        } catch (error) {
          const parseError = error instanceof GraphQLError ? error : new GraphQLError(String(error));
          return formatted(format, new GraphQLError(parseError.message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } }));
        }
        const invalid = validate(schema, document, validationRules);
        if (invalid.length > 0) {
          return invalid.map((error) => {
            const message = config.introspection ? error.message : error.message.replace(/ Did you mean .*\?$/, '');
            return asGraphQLError(format, new GraphQLError(message, { nodes: error.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', ...error.extensions } }));
          });
        }
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return refusal('The document holds no operation of that name, or several without an operationName.', 'OPERATION_RESOLUTION_FAILURE');
        if (operation.operation !== 'subscription') {
          return refusal(`Only subscriptions are served over WebSocket; send ${operation.operation === 'query' ? 'queries' : 'mutations'} to POST /graphql.`, 'BAD_REQUEST');
        }
        const complexity = Math.min(estimateComplexity(schema, document, payload.operationName, payload.variables ?? {}), Number.MAX_SAFE_INTEGER);
        if (complexity > config.limits.maxQueryComplexity) {
          return refusal(
            `Query is too complex: estimated cost ${complexity}, the limit (MAX_QUERY_COMPLEXITY) is ${config.limits.maxQueryComplexity}. Ask for fewer fields.`,
            'BAD_USER_INPUT',
            { field: 'query', limit: 'MAX_QUERY_COMPLEXITY', complexity, maxComplexity: config.limits.maxQueryComplexity },
          );
        }
        // Labelled by the root field (a schema name, so a bounded set), like HTTP operations.
        const root = operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
        deps.metrics.graphqlOperations.inc({ operation: root?.kind === Kind.FIELD ? root.name.value : 'other', type: 'subscription', outcome: 'success' });
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: contextOf(extra, extra.request),
        };
      },
      // Execution errors (a subscription refused by its service, an event's field) get the API's codes; onSubscribe's refusals are final already.
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: formatAll(result.errors) } : undefined),
    },
    wss,
    limits.keepAliveMs,
  );

  const stopRechecking = connections.startRechecking(limits.authRecheckMs, (error) =>
    logger.warn({ err: error }, 're-checking WebSocket credentials failed; connections kept until the next check'),
  );

  let closing: Promise<void> | undefined;
  return {
    get connections() {
      return connections.size;
    },
    close() {
      closing ??= (async () => {
        server.off('upgrade', onUpgrade);
        stopRechecking();
        connections.closeAll(WS_CLOSE.GOING_AWAY, 'The service is shutting down.');
        await disposable.dispose();
        // A client that never answers the close handshake is cut.
        for (const ws of wss.clients) ws.terminate();
      })();
      return closing;
    },
  };
}

/** The client address, as express's `trust proxy: loopback` reads it: a local proxy's X-Forwarded-For. */
function addressOf(request: http.IncomingMessage): string {
  const remote = request.socket.remoteAddress ?? 'unknown';
  const forwarded = request.headers['x-forwarded-for'];
  const loopback = remote === '::1' || remote.startsWith('127.') || remote.startsWith('::ffff:127.');
  if (loopback && typeof forwarded === 'string' && forwarded.trim()) {
    const hops = forwarded.split(',').map((hop) => hop.trim());
    return hops[hops.length - 1] || remote;
  }
  return remote;
}

/**
 * The session cookie, honoured only when the upgrade comes from this service's own origin (the Host
 * it was reached at, or PUBLIC_URL's behind a proxy that rewrites Host): browsers send cookies with
 * WebSocket upgrades from any page (no CORS on WebSockets), so another site's page could otherwise
 * subscribe with the user's session.
 */
function sameOriginSessionOf(request: http.IncomingMessage, publicUrl: string | undefined): string | undefined {
  const origin = request.headers.origin;
  if (!origin) return undefined;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return undefined;
  }
  const ours = [request.headers.host, publicUrl ? new URL(publicUrl).host : undefined];
  if (!ours.includes(originHost)) return undefined;
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/** A credentials check as a yes/no: refused is false, a failure to check at all rejects. */
async function refusedAs(check: Promise<unknown>): Promise<boolean> {
  try {
    await check;
    return true;
  } catch (error) {
    if (error instanceof UnauthenticatedError || (isDomainError(error) && error.code === 'UNAUTHENTICATED')) return false;
    throw error;
  }
}

function closeReason(error: unknown): string {
  const message = isDomainError(error) ? error.message : 'Authentication failed.';
  // A close frame's reason is at most 123 bytes.
  return Buffer.byteLength(message) <= 123 ? message : `${message.slice(0, 100)}...`;
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function refusal(message: string, code: string, extensions: Record<string, unknown> = {}): GraphQLError[] {
  return [new GraphQLError(message, { extensions: { ...extensions, code } })];
}

/** An error through the API's one error format (domain codes, limit messages), as onSubscribe must return it. */
function formatted(format: ReturnType<typeof createFormatError>, error: GraphQLError): GraphQLError[] {
  return [asGraphQLError(format, error)];
}

function asGraphQLError(format: ReturnType<typeof createFormatError>, error: GraphQLError): GraphQLError {
  const shown = format(error.toJSON(), error);
  return new GraphQLError(shown.message, { nodes: error.nodes, extensions: shown.extensions });
}
