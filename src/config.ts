/**
 * The only reader of process.env. Every setting is parsed and checked here, once; a bad value
 * stops the start with one message that lists every problem.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from './packs/pack.archive.js';

const booleanString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

const MIB = 1024 * 1024;

const environmentSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    HOST: z.string().default('0.0.0.0'),
    PUBLIC_URL: optionalString.pipe(z.url().optional()),
    DATABASE_URL: optionalString.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// connection URL')
        .optional(),
    ),
    DATA_DIR: z.string().default('./data'),
    S3_ENDPOINT: optionalString,
    S3_ACCESS_KEY: optionalString,
    S3_SECRET_KEY: optionalString,
    S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid bucket name').default('packs'),
    S3_USE_SSL: booleanString.default(false),
    S3_REGION: z.string().default('us-east-1'),
    S3_PRESIGNED_DOWNLOADS: booleanString.default(false),
    // The S3 address clients reach, when it differs from S3_ENDPOINT (the service's own): presigned download URLs name it.
    S3_PUBLIC_ENDPOINT: optionalString,
    ADMIN_TOKEN: optionalString.pipe(z.string().min(24, 'must be at least 24 characters').optional()),
    SECRET_KEY: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ALLOW_ANONYMOUS_READ: booleanString.default(false),
    GRAPHQL_INTROSPECTION: booleanString.optional(),
    GRAPHQL_IDE: booleanString.optional(),
    CORS_ORIGINS: optionalString,
    // The pack format's own defaults (what packctl checks before a push): 100 MiB, 10,000, 1 GiB.
    MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(DEFAULT_ARCHIVE_LIMITS.maxArchiveBytes),
    MAX_ARCHIVE_ENTRIES: z.coerce.number().int().positive().default(DEFAULT_ARCHIVE_LIMITS.maxEntries),
    MAX_DECOMPRESSED_BYTES: z.coerce.number().int().positive().default(DEFAULT_ARCHIVE_LIMITS.maxDecompressedBytes),
    // Largest Helm index.yaml a HELM registry may serve. 32 MiB holds about 55,000 chart versions in
    // `helm repo index` layout; parsing one (in a worker, off the event loop) took ~3 s and 170 MB of
    // heap here. 64 MiB doubled both for indexes nobody publishes; raise it for a repository that needs it.
    MAX_HELM_INDEX_BYTES: z.coerce.number().int().positive().default(32 * MIB),
    MAX_BODY_BYTES: z.coerce.number().int().positive().default(1 * MIB),
    MAX_QUERY_DEPTH: z.coerce.number().int().positive().default(12),
    MAX_QUERY_COMPLEXITY: z.coerce.number().int().positive().default(20_000),
    // The largest document packctl, the IDE's introspection and graphql/operations send is ~200 tokens.
    // At most 10,000: document checks recurse once per nested fragment, and a chain of ~3,000
    // fragments (~30,000 tokens) would overflow the stack.
    MAX_QUERY_TOKENS: z.coerce.number().int().positive().max(10_000).default(2_000),
    MAX_QUERY_ALIASES: z.coerce.number().int().nonnegative().default(30),
    MAX_QUERY_DIRECTIVES: z.coerce.number().int().nonnegative().default(30),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().nonnegative().default(600),
    AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().nonnegative().default(30),
    SYNC_ENABLED: booleanString.default(true),
    // How long a replica's claim on a registry's sync lasts without renewal (renewed every third of
    // it): a replica that dies holding it delays that registry's next sync by at most this long.
    SYNC_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(120),
    SEED_DEFAULT_REGISTRY: booleanString.default(true),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
    // Garbage collection: how old an unreferenced artifact must be before it goes, and how often the service looks.
    GC_GRACE_SECONDS: z.coerce.number().int().nonnegative().default(3600),
    GC_INTERVAL_SECONDS: z.coerce.number().int().positive().default(3600),
    // OCI blob upload sessions (rows in PostgreSQL, chunks in the artifact store, shared by replicas) hold
    // bytes until they complete: bound them per token and in total.
    OCI_MAX_UPLOAD_SESSIONS_PER_TOKEN: z.coerce.number().int().positive().default(10),
    OCI_MAX_UPLOAD_SESSIONS: z.coerce.number().int().positive().default(100),
    OCI_MAX_SPOOL_BYTES_PER_TOKEN: z.coerce.number().int().positive().default(1024 * MIB),
    OCI_MAX_SPOOL_BYTES: z.coerce.number().int().positive().default(4096 * MIB),
    OCI_UPLOAD_SESSION_TTL_SECONDS: z.coerce.number().int().positive().default(3600),
    // Catalog events (the outbox webhooks and subscriptions read) are kept this long, pruned hourly.
    EVENT_RETENTION_DAYS: z.coerce.number().positive().max(3650).default(30),
    // Webhook deliveries: each attempt's timeout, how many attempts before the webhook is marked failing,
    // and the backoff between them (doubled per attempt, capped): 8 attempts from 5 s span about 10 minutes.
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
    WEBHOOK_BACKOFF_BASE_MS: z.coerce.number().int().min(10).default(5_000),
    WEBHOOK_BACKOFF_MAX_MS: z.coerce.number().int().min(10).default(3_600_000),
    // Deliveries sent at once by one replica.
    WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
    // Private, loopback and link-local target addresses are refused unless set (a webhook URL is chosen by its creator).
    WEBHOOK_ALLOW_PRIVATE_ADDRESSES: booleanString.default(false),
    WEBHOOK_DISPATCH_ENABLED: booleanString.default(true),
    // Automatic persisted queries: shared by the replicas through Redis when set, else a bounded in-memory cache.
    REDIS_URL: optionalString.pipe(z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional()),
    PERSISTED_QUERIES_CACHE_BYTES: z.coerce.number().int().positive().default(16 * MIB),
    PERSISTED_QUERIES_ONLY: booleanString.default(false),
    PERSISTED_QUERIES_FILE: optionalString,
    // GraphQL subscriptions over WebSocket (/graphql, graphql-transport-ws): bounds per client and per connection.
    WS_MAX_CONNECTIONS_PER_TOKEN: z.coerce.number().int().positive().default(20),
    WS_MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().positive().default(100),
    WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: z.coerce.number().int().positive().default(20),
    WS_MAX_MESSAGE_BYTES: z.coerce.number().int().positive().default(64 * 1024),
    WS_KEEPALIVE_SECONDS: z.coerce.number().positive().default(12),
    // How soon a revoked or expired token (or an ended session) loses its open sockets.
    WS_AUTH_RECHECK_SECONDS: z.coerce.number().positive().default(15),
    // Web console sessions (POST /session): end after this long unused, and at the latest this long after sign-in.
    SESSION_IDLE_MINUTES: z.coerce.number().int().positive().max(525_600).default(720),
    SESSION_MAX_HOURS: z.coerce.number().int().positive().max(8_760).default(168),
    // The built web console (index.html and assets/): `npm run build` writes it to web/dist.
    WEB_ROOT: optionalString,
  })
  // `when`: these checks run even when a field above failed, so one start lists every problem.
  .superRefine((env, ctx) => {
    if (env.S3_PUBLIC_ENDPOINT && !env.S3_ENDPOINT) {
      ctx.addIssue({ code: 'custom', path: ['S3_PUBLIC_ENDPOINT'], message: 'needs S3_ENDPOINT (it is where clients reach that bucket)' });
    }
    if (env.S3_ENDPOINT && (!env.S3_ACCESS_KEY || !env.S3_SECRET_KEY)) {
      for (const key of ['S3_ACCESS_KEY', 'S3_SECRET_KEY'] as const) {
        if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when S3_ENDPOINT is set' });
      }
    }
    if (env.PERSISTED_QUERIES_ONLY && !env.PERSISTED_QUERIES_FILE) {
      ctx.addIssue({ code: 'custom', path: ['PERSISTED_QUERIES_FILE'], message: 'is required when PERSISTED_QUERIES_ONLY is true (the documents allowed to run)' });
    }
    if (env.NODE_ENV === 'production' && env.DATABASE_URL && !env.SECRET_KEY) {
      ctx.addIssue({ code: 'custom', path: ['SECRET_KEY'], message: 'is required in production' });
    }
  }, { when: () => true });

export interface S3Config {
  endPoint: string;
  port?: number;
  useSSL: boolean;
  accessKey: string;
  secretKey: string;
  bucket: string;
  region: string;
  /** Where clients reach the same S3 (S3_PUBLIC_ENDPOINT), when not at endPoint: presigned URLs are signed for it. */
  publicEndpoint?: { endPoint: string; port?: number; useSSL: boolean };
}

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  publicUrl?: string;
  /** Unset: the embedded PGlite database under dataDir. */
  databaseUrl?: string;
  dataDir: string;
  /** Unset: the local artifact directory under dataDir. */
  s3?: S3Config;
  s3PresignedDownloads: boolean;
  adminToken?: string;
  secretKey?: string;
  logLevel: string;
  allowAnonymousRead: boolean;
  introspection: boolean;
  ide: boolean;
  corsOrigins: string[] | true;
  /**
   * How every pack archive is read, wherever it comes from (pushPack, OCI pushes, syncs, the Helm
   * repository): MAX_UPLOAD_BYTES, MAX_ARCHIVE_ENTRIES, MAX_DECOMPRESSED_BYTES; the kept-file size is
   * the pack format's.
   */
  archiveLimits: Readonly<ArchiveLimits>;
  limits: {
    maxUploadBytes: number;
    /** MAX_HELM_INDEX_BYTES: largest Helm index.yaml accepted from a HELM registry. */
    maxHelmIndexBytes: number;
    maxBodyBytes: number;
    maxQueryDepth: number;
    maxQueryComplexity: number;
    maxQueryTokens: number;
    maxQueryAliases: number;
    maxQueryDirectives: number;
    rateLimitPerMinute: number;
    /** Failed authentications a client address may make a minute before it is refused with 429; 0 disables. */
    authFailuresPerMinute: number;
  };
  syncEnabled: boolean;
  /** SYNC_LEASE_SECONDS in ms: a sync lease not renewed for this long is another replica's to take. */
  syncLeaseMs: number;
  seedDefaultRegistry: boolean;
  shutdownTimeoutMs: number;
  /** Artifact garbage collection (GC_GRACE_SECONDS, GC_INTERVAL_SECONDS). */
  gc: {
    /** Rows and objects younger than this are never collected: writes in flight land their rows meanwhile. */
    graceMs: number;
    /** How often the running service collects. */
    intervalMs: number;
  };
  /** Quotas of OCI blob upload sessions (spooled under DATA_DIR/spool/oci). */
  ociUploads: {
    maxSessionsPerToken: number;
    maxSessions: number;
    maxSpoolBytesPerToken: number;
    maxSpoolBytes: number;
    /** A session idle (no bytes received) this long expires and its spool is swept. */
    sessionTtlMs: number;
  };
  /** Catalog events: EVENT_RETENTION_DAYS in ms (older events are pruned). */
  events: { retentionMs: number };
  /** Webhook deliveries (WEBHOOK_*). */
  webhooks: {
    timeoutMs: number;
    maxAttempts: number;
    backoffBaseMs: number;
    backoffMaxMs: number;
    concurrency: number;
    allowPrivateAddresses: boolean;
    dispatchEnabled: boolean;
  };
  /** GraphQL subscriptions over WebSocket (WS_*). */
  websocket: {
    maxConnectionsPerToken: number;
    maxConnectionsPerAddress: number;
    maxSubscriptionsPerConnection: number;
    /** Largest message a client may send; a bigger one closes its socket (1009). */
    maxMessageBytes: number;
    /** Ping interval; a client that misses a pong for as long is cut. */
    keepAliveMs: number;
    /** How often open connections' credentials are checked again. */
    authRecheckMs: number;
  };
  /** REDIS_URL: the rate limits' counters (and the persisted queries below) are shared by every replica through it. */
  redisUrl?: string;
  /** Automatic persisted queries (REDIS_URL, PERSISTED_QUERIES_*). */
  persistedQueries: {
    /** Set: documents registered by hash are shared by every replica through this Redis. */
    redisUrl?: string;
    /** Without Redis: the in-memory cache's bound. */
    cacheBytes: number;
    /** Only the documents of `file` run (a JSON object: sha256 hex -> document); nothing registers. */
    only: boolean;
    file?: string;
  };
  /** Web console sessions: idle and absolute lifetimes (SESSION_IDLE_MINUTES, SESSION_MAX_HOURS). */
  session: { idleMs: number; maxMs: number };
  /** WEB_ROOT: the built web console served at `/` (default `<package root>/web/dist`). */
  webRoot: string;
}

/** The package root: src/config.ts and dist/config.js both sit one folder below it. */
const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function parseS3Endpoint(endpoint: string, useSSL: boolean): { endPoint: string; port?: number; useSSL: boolean } {
  // Accept both `host:port` and a URL; a URL's scheme decides TLS.
  const hasScheme = /^https?:\/\//.test(endpoint);
  const url = new URL(hasScheme ? endpoint : `${useSSL ? 'https' : 'http'}://${endpoint}`);
  return {
    endPoint: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    useSSL: hasScheme ? url.protocol === 'https:' : useSSL,
  };
}

/** Parse the environment into a Config, or throw a ConfigError listing every problem. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const env = parsed.data;
  const production = env.NODE_ENV === 'production';
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    publicUrl: env.PUBLIC_URL,
    databaseUrl: env.DATABASE_URL,
    dataDir: path.resolve(env.DATA_DIR),
    s3: env.S3_ENDPOINT
      ? {
          ...parseS3Endpoint(env.S3_ENDPOINT, env.S3_USE_SSL),
          accessKey: env.S3_ACCESS_KEY!,
          secretKey: env.S3_SECRET_KEY!,
          bucket: env.S3_BUCKET,
          region: env.S3_REGION,
          ...(env.S3_PUBLIC_ENDPOINT ? { publicEndpoint: parseS3Endpoint(env.S3_PUBLIC_ENDPOINT, env.S3_USE_SSL) } : {}),
        }
      : undefined,
    s3PresignedDownloads: env.S3_PRESIGNED_DOWNLOADS,
    adminToken: env.ADMIN_TOKEN,
    secretKey: env.SECRET_KEY,
    logLevel: env.LOG_LEVEL,
    allowAnonymousRead: env.ALLOW_ANONYMOUS_READ,
    introspection: env.GRAPHQL_INTROSPECTION ?? !production,
    ide: env.GRAPHQL_IDE ?? !production,
    corsOrigins: env.CORS_ORIGINS ? env.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean) : true,
    archiveLimits: Object.freeze({
      maxArchiveBytes: env.MAX_UPLOAD_BYTES,
      maxEntries: env.MAX_ARCHIVE_ENTRIES,
      maxDecompressedBytes: env.MAX_DECOMPRESSED_BYTES,
      maxFileBytes: DEFAULT_ARCHIVE_LIMITS.maxFileBytes,
    }),
    limits: {
      maxUploadBytes: env.MAX_UPLOAD_BYTES,
      maxHelmIndexBytes: env.MAX_HELM_INDEX_BYTES,
      maxBodyBytes: env.MAX_BODY_BYTES,
      maxQueryDepth: env.MAX_QUERY_DEPTH,
      maxQueryComplexity: env.MAX_QUERY_COMPLEXITY,
      maxQueryTokens: env.MAX_QUERY_TOKENS,
      maxQueryAliases: env.MAX_QUERY_ALIASES,
      maxQueryDirectives: env.MAX_QUERY_DIRECTIVES,
      rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
      authFailuresPerMinute: env.AUTH_FAILURES_PER_MINUTE,
    },
    events: { retentionMs: Math.round(env.EVENT_RETENTION_DAYS * 24 * 3600 * 1000) },
    webhooks: {
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      maxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
      backoffBaseMs: env.WEBHOOK_BACKOFF_BASE_MS,
      backoffMaxMs: env.WEBHOOK_BACKOFF_MAX_MS,
      concurrency: env.WEBHOOK_CONCURRENCY,
      allowPrivateAddresses: env.WEBHOOK_ALLOW_PRIVATE_ADDRESSES,
      dispatchEnabled: env.WEBHOOK_DISPATCH_ENABLED,
    },
    syncEnabled: env.SYNC_ENABLED,
    syncLeaseMs: env.SYNC_LEASE_SECONDS * 1000,
    seedDefaultRegistry: env.SEED_DEFAULT_REGISTRY,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    gc: { graceMs: env.GC_GRACE_SECONDS * 1000, intervalMs: env.GC_INTERVAL_SECONDS * 1000 },
    ociUploads: {
      maxSessionsPerToken: env.OCI_MAX_UPLOAD_SESSIONS_PER_TOKEN,
      maxSessions: env.OCI_MAX_UPLOAD_SESSIONS,
      maxSpoolBytesPerToken: env.OCI_MAX_SPOOL_BYTES_PER_TOKEN,
      maxSpoolBytes: env.OCI_MAX_SPOOL_BYTES,
      sessionTtlMs: env.OCI_UPLOAD_SESSION_TTL_SECONDS * 1000,
    },
    redisUrl: env.REDIS_URL,
    persistedQueries: {
      redisUrl: env.REDIS_URL,
      cacheBytes: env.PERSISTED_QUERIES_CACHE_BYTES,
      only: env.PERSISTED_QUERIES_ONLY,
      file: env.PERSISTED_QUERIES_FILE ? path.resolve(env.PERSISTED_QUERIES_FILE) : undefined,
    },
    websocket: {
      maxConnectionsPerToken: env.WS_MAX_CONNECTIONS_PER_TOKEN,
      maxConnectionsPerAddress: env.WS_MAX_CONNECTIONS_PER_ADDRESS,
      maxSubscriptionsPerConnection: env.WS_MAX_SUBSCRIPTIONS_PER_CONNECTION,
      maxMessageBytes: env.WS_MAX_MESSAGE_BYTES,
      keepAliveMs: Math.round(env.WS_KEEPALIVE_SECONDS * 1000),
      authRecheckMs: Math.round(env.WS_AUTH_RECHECK_SECONDS * 1000),
    },
    session: { idleMs: env.SESSION_IDLE_MINUTES * 60_000, maxMs: env.SESSION_MAX_HOURS * 3_600_000 },
    webRoot: env.WEB_ROOT ? path.resolve(env.WEB_ROOT) : path.join(PACKAGE_ROOT, 'web', 'dist'),
  };
}
