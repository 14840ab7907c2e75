/**
 * createApp(deps): the express application with uploads, GraphQL, health, metrics and downloads.
 * It never listens; main.ts and the tests do.
 */
import { randomUUID } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import cors from 'cors';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { Kind, type GraphQLSchema } from 'graphql';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import type { Config } from '../config.js';
import type { Db } from '../platform/database.js';
import type { ArtifactStore } from '../artifacts/artifact.store.js';
import type { Logger } from '../platform/logger.js';
import type { Metrics } from '../platform/metrics.js';
import type { Services } from './services.js';
import type { Context } from '../graphql/context.js';
import { createLoaders } from './context.js';
import { buildGraphQLSchema } from './schema.js';
import { createFormatError } from '../graphql/format-error.js';
import { documentLimitOptions } from '../graphql/document-limits.js';
import { createPersistedQueries } from '../graphql/persisted-queries.js';
import { httpCachePlugin } from '../graphql/http-cache.plugin.js';
import { createIdeRouter } from '../http/ide.js';
import { securityHeaders } from '../http/security-headers.js';
import { createWebConsoleRouter } from '../http/web-console.js';
import { createAuthenticate } from '../http/authenticate.js';
import { createSessionRouter } from '../http/session.route.js';
import { isDomainError } from '../errors.js';
import { httpStatusOf } from '../http/http-status.js';
import { createArtifactsRouter } from '../http/artifacts.route.js';
import { logRequest } from '../http/request-log.js';
import { createOciRouter } from '../oci/oci.router.js';
import { auditPlugin } from '../audit/audit.plugin.js';
import { complexityPlugin } from '../graphql/complexity.plugin.js';
import { isAuthenticated, type Principal } from '../auth/principal.js';
import { InflightRequests } from '../platform/inflight.js';
import { multipartUploads } from '../http/multipart-uploads.js';

export interface AppDeps {
  config: Config;
  prisma: Db;
  artifacts: ArtifactStore;
  logger: Logger;
  metrics: Metrics;
  services: Services;
  /** Aborted when the service shuts down: every request's work (archive reads, ingests) stops then. */
  shutdownSignal?: AbortSignal;
}

export interface App {
  app: Express;
  /** Stops Apollo (the HTTP server is closed by whoever listens). */
  close(): Promise<void>;
}

interface Locals {
  requestId: string;
  logger: Logger;
  principal: Principal;
  /** Aborts when the client leaves before its answer or the service shuts down. */
  signal: AbortSignal;
}

function locals(res: Response): Locals {
  return res.locals as Locals;
}

/** A GraphQL-shaped error body for failures outside GraphQL execution (auth, body limits). */
function sendError(res: Response, status: number, code: string, message: string): void {
  // A refusal before the body was read: close the connection rather than receive the rest of it.
  if (!res.req.complete) res.setHeader('Connection', 'close');
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

function routeLabel(req: Request): string {
  const first = req.path.split('/')[1] ?? '';
  return ['graphql', 'artifacts', 'healthz', 'readyz', 'metrics', 'ide', 'v2', 'helm', 'session', 'assets'].includes(first) ? `/${first}` : 'other';
}

/**
 * GraphQL metrics are labelled by the operation's first root field (a name from the schema, so a
 * bounded set), never by the client's operation name: a caller-chosen label would grow /metrics
 * without bound.
 */
function metricsPlugin(metrics: Metrics, schema: GraphQLSchema): ApolloServerPlugin<Context> {
  const rootFields = (type: 'query' | 'mutation' | 'subscription') =>
    (type === 'query' ? schema.getQueryType() : type === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType())?.getFields() ?? {};
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse(request) {
          const type = request.operation?.operation ?? 'unknown';
          const first = request.operation?.selectionSet.selections.find((s) => s.kind === Kind.FIELD && s.name.value !== '__typename');
          const name = first?.kind === Kind.FIELD ? first.name.value : undefined;
          const operation = request.operation && name && Object.hasOwn(rootFields(request.operation.operation), name) ? name : 'other';
          const outcome = request.errors && request.errors.length > 0 ? 'error' : 'success';
          metrics.graphqlOperations.inc({ operation, type, outcome });
          metrics.graphqlDuration.observe({ operation, type }, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };
}

/**
 * A multipart request (an upload: only writes take files) is refused before a byte of its body is
 * read unless it carries Apollo's CSRF preflight header, comes from an authenticated caller (an
 * anonymous one can never write) and declares no more than the limits allow. The multipart parser
 * would otherwise start receiving the body before Apollo or a resolver refused it.
 */
function multipartGate(limits: Config['limits']) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.is('multipart/form-data')) return next();
    if (!req.get('apollo-require-preflight') && !req.get('x-apollo-operation-name')) {
      return sendError(
        res,
        400,
        'BAD_REQUEST',
        'This multipart request has been blocked as a potential Cross-Site Request Forgery (CSRF): send a non-empty "apollo-require-preflight" (or "x-apollo-operation-name") header.',
      );
    }
    if (!isAuthenticated(locals(res).principal)) {
      return sendError(res, 401, 'UNAUTHENTICATED', 'Uploads need a token: send "Authorization: Bearer <token>" (anonymous callers can never write).');
    }
    const declared = Number(req.get('content-length') ?? 0);
    if (declared > limits.maxUploadBytes + limits.maxBodyBytes) {
      return sendError(res, 413, 'PAYLOAD_TOO_LARGE', `The request declares ${declared} bytes; an upload is limited to ${limits.maxUploadBytes} bytes (MAX_UPLOAD_BYTES).`);
    }
    next();
  };
}

export async function createApp(deps: AppDeps): Promise<App> {
  const { config, logger, metrics, services } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  // Request id, child logger, cancellation signal and metrics for every request.
  const inflight = new InflightRequests(deps.shutdownSignal);
  app.use((req, res, next) => {
    const header = req.get('x-request-id');
    const requestId = header && /^[\w.-]{1,100}$/.test(header) ? header : randomUUID();
    res.setHeader('x-request-id', requestId);
    const started = process.hrtime.bigint();
    const work = inflight.start();
    // 'close' comes after 'finish' too: unfinished means the client left, and its work must stop.
    res.on('close', () => work.finish(!res.writableFinished));
    Object.assign(res.locals, { requestId, logger: logger.child({ requestId }), signal: work.signal });
    res.on('finish', () => {
      const labels = { method: req.method, route: routeLabel(req), status: String(res.statusCode) };
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, seconds);
      logRequest(locals(res).logger, { method: req.method, url: req.originalUrl.split('?')[0], status: res.statusCode, ms: Math.round(seconds * 1000) });
    });
    next();
  });

  // CSP of our own origin only; HSTS and upgrade-insecure-requests only over https.
  app.use(securityHeaders());

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    const checks: Record<string, string> = {};
    await Promise.all([
      deps.prisma.$queryRaw`SELECT 1`.then(
        () => (checks.database = 'ok'),
        () => (checks.database = 'unavailable'),
      ),
      deps.artifacts.ping().then(
        () => (checks.artifacts = 'ok'),
        () => (checks.artifacts = 'unavailable'),
      ),
      // With REDIS_URL the shared rate limits need it (while it is down each replica limits on its own).
      services.rateLimiter.shared &&
        services.rateLimiter.ping().then(
          () => (checks.redis = 'ok'),
          () => (checks.redis = 'unavailable'),
        ),
    ]);
    const ready = Object.values(checks).every((c) => c === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });

  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  if (config.ide) {
    app.use(createIdeRouter());
  }

  // Every API call is authenticated (bearer token, else the web console's session cookie) and rate
  // limited here, once; a bad token never reaches a resolver.
  const authenticate = createAuthenticate({ rateLimiter: services.rateLimiter, tokens: services.tokens, sessions: services.sessions });
  app.use(createSessionRouter({ sessions: services.sessions, rateLimiter: services.rateLimiter, allowAnonymousRead: config.allowAnonymousRead }));

  const schema = await buildGraphQLSchema();
  const documentLimits = documentLimitOptions(config.limits, { hideSuggestions: !config.introspection });
  // Queries run over GET too (mutations never: Apollo answers 405); csrfPrevention still asks a GET for a preflight header.
  const persistedQueries = await createPersistedQueries(config.persistedQueries, logger);
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: config.introspection,
    csrfPrevention: true,
    persistedQueries: persistedQueries.apollo,
    // main.ts owns shutdown: Apollo's own signal handlers would race it.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    formatError: createFormatError(logger, metrics),
    parseOptions: documentLimits.parseOptions,
    validationRules: documentLimits.validationRules,
    allowBatchedHttpRequests: documentLimits.allowBatchedHttpRequests,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // Apollo calls willResolveField hooks in reverse order: the cache-control plugin, listed after
      // httpCachePlugin, puts `info.cacheControl` on each field before httpCachePlugin sets hints on it.
      httpCachePlugin(),
      ApolloServerPluginCacheControl({ defaultMaxAge: 0 }),
      ...persistedQueries.plugins,
      ...documentLimits.plugins,
      metricsPlugin(metrics, schema),
      complexityPlugin(schema, config.limits.maxQueryComplexity),
      auditPlugin(services.audit),
    ],
  });
  await apollo.start();

  const corsMiddleware = cors({ origin: config.corsOrigins, credentials: false, maxAge: 600 });
  app.options('/graphql', corsMiddleware);
  app.get('/graphql', (req, res, next) => {
    // A browser opening /graphql gets the IDE; GET queries (a document, or a persisted query's hash) still work for clients.
    if (config.ide && req.accepts(['json', 'html']) === 'html' && !req.query.query && !req.query.extensions) return res.redirect('/ide');
    // A GET answer may be cached publicly (httpCachePlugin): a shared cache must not hand an anonymous answer to a token's request.
    res.vary('Authorization');
    res.vary('Cookie');
    next();
  });
  app.use(
    '/graphql',
    corsMiddleware,
    authenticate,
    express.json({ limit: config.limits.maxBodyBytes }),
    multipartGate(config.limits),
    multipartUploads(config.limits),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => ({
        baseUrl: config.publicUrl?.replace(/\/+$/, '') ?? `${req.protocol}://${req.get('host')}`,
        requestId: locals(res).requestId,
        logger: locals(res).logger,
        principal: locals(res).principal,
        signal: locals(res).signal,
        services,
        loaders: createLoaders(services, locals(res).principal),
      }),
    }),
  );

  app.use(createArtifactsRouter(services.artifactAccess, authenticate));
  app.use(
    createOciRouter({ oci: services.oci, helm: services.helm, tokens: services.tokens, rateLimiter: services.rateLimiter, audit: services.audit, logger }),
  );

  // The web console at `/` and its client-side routes (or, unbuilt, `/` redirects to the IDE).
  app.use(createWebConsoleRouter({ webRoot: config.webRoot, ide: config.ide, logger }));

  app.use((_req, res) => sendError(res, 404, 'NOT_FOUND', 'No such route.'));

  // Errors outside GraphQL: body limits, malformed multipart, anything unexpected.
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const err = error as { status?: number; statusCode?: number; type?: string; expose?: boolean; message?: string };
    const status = err.status ?? err.statusCode ?? 500;
    if (res.headersSent) return;
    if (isDomainError(error)) {
      if (error.code === 'RATE_LIMITED') res.setHeader('Retry-After', String(error.extensions.retryAfter));
      return sendError(res, httpStatusOf(error), error.code, error.message);
    }
    if (status === 413) return sendError(res, 413, 'PAYLOAD_TOO_LARGE', err.message ?? 'Request body too large.');
    if (status >= 400 && status < 500 && err.expose !== false) {
      return sendError(res, status, 'BAD_REQUEST', err.message ?? 'Bad request.');
    }
    (locals(res).logger ?? logger).error({ err: error }, 'unhandled error');
    sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error.');
  });

  return {
    app,
    close: async () => {
      await apollo.stop();
      await persistedQueries.close();
      await services.rateLimiter.close();
    },
  };
}
