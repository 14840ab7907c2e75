/**
 * Builds the whole service from a Config (clients once, then the app) and listens. main.ts adds
 * signals on top; tests and benches start it in-process.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config.js';
import { openDatabase, type Database } from '../platform/database.js';
import { createLogger, type Logger } from '../platform/logger.js';
import { createMetrics } from '../platform/metrics.js';
import { loadOrCreateSecretKey } from '../platform/secret-box.js';
import { createArtifactStore } from '../artifacts/artifact.factory.js';
import type { ArtifactStore } from '../artifacts/artifact.store.js';
import { createServices, type Services } from './services.js';
import { createApp } from './app.js';
import { SyncScheduler } from '../registries/sync/scheduler.js';
import { startOrphanCollection } from '../artifacts/artifact.gc.job.js';
import { PUSHED_MANIFEST_FORMAT } from '../oci/oci.manifest.js';
import { shutdownReason } from '../platform/inflight.js';
import { portError } from '../platform/port-check.js';
import { CatalogChanges } from '../catalog/catalog.changes.js';
import { jobLockFor } from '../platform/job-lock.js';
import { PgNotifications } from '../platform/pg-notifications.js';
import { attachGraphQLWebSocket } from './websocket.js';
import { startEventRetention } from '../events/event.retention.js';
import { listenForDeliveries, type Wakeup } from '../webhooks/webhook.wakeup.js';

export interface RunningServer {
  url: string;
  port: number;
  database: Database;
  artifacts: ArtifactStore;
  services: Services;
  logger: Logger;
  /** The bootstrap admin secret when this start created one (printed once by main.ts). */
  bootstrapAdmin?: { secret?: string; file: string };
  /**
   * Stop accepting, abort the work in-flight requests started (archive reads, ingests), let their
   * answers go out, close clients: within SHUTDOWN_TIMEOUT_MS whatever is in flight (connections
   * still open then are cut).
   */
  close(): Promise<void>;
}

export async function startServer(config: Config, options: { logger?: Logger } = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const metrics = createMetrics();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  logger.info({ database: database.kind, migrationsApplied: database.migrations.applied }, 'database ready');
  let artifacts: ArtifactStore;
  try {
    artifacts = await createArtifactStore({ s3: config.s3, dataDir: config.dataDir });
  } catch (error) {
    await database.close();
    throw error;
  }
  logger.info({ artifacts: artifacts.kind }, 'artifact store ready');
  const secretKey = config.secretKey ?? (await loadOrCreateSecretKey(config.dataDir));
  // The process's one LISTEN connection (catalog change feed, subscriptions, webhook wake-ups): through
  // PostgreSQL on a server (every replica hears them); in process on the embedded database.
  const notifications = new PgNotifications();
  // Catalog read caches serve only while every write reaches this process: the embedded database has
  // no other client; on PostgreSQL, other replicas' writes arrive by LISTEN/NOTIFY.
  const catalogChanges = new CatalogChanges();
  try {
    if (database.kind === 'embedded') catalogChanges.useExclusiveDatabase();
    else {
      // Registered first, so the first connection already LISTENs on the catalog's channel.
      catalogChanges.useNotifications(notifications);
      await notifications.listen(database.connectionString, logger);
    }
  } catch (error) {
    await catalogChanges.close();
    await notifications.close();
    await database.close();
    throw error;
  }
  const services = createServices({ config, prisma: database.prisma, artifacts, logger, metrics, secretKey, catalogChanges, notifications });

  await services.registries.ensureDefaultRegistry();
  if (config.seedDefaultRegistry) await services.defaultRegistry.seed();
  const bootstrapAdmin =
    !config.adminToken && database.kind === 'embedded' ? await services.tokens.bootstrapAdminToken(config.dataDir) : undefined;
  if (!config.adminToken && database.kind !== 'embedded') {
    logger.warn('ADMIN_TOKEN is not set: no bootstrap admin credential on this PostgreSQL deployment.');
  }

  // Process-wide: aborting it stops every request's work at once (each request's signal listens to it).
  const shutdown = new AbortController();
  const { app, close: closeApp } = await createApp({
    config,
    prisma: database.prisma,
    artifacts,
    logger,
    metrics,
    services,
    shutdownSignal: shutdown.signal,
  });
  const server = http.createServer(app);
  server.requestTimeout = 15 * 60 * 1000; // large uploads on slow links
  server.headersTimeout = 60 * 1000;
  await new Promise<void>((resolve, reject) => {
    // Taken since main.ts checked it: the same message, with the same fix (set PORT).
    server.once('error', (error: NodeJS.ErrnoException) => reject(portError(error, config.port, config.host)));
    server.listen(config.port, config.host, () => resolve());
  });
  // GraphQL subscriptions: WebSocket upgrades of /graphql on the same server.
  const webSocket = await attachGraphQLWebSocket(server, { config, services, logger, metrics });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host}:${port}`;
  const scheduler = config.syncEnabled ? new SyncScheduler(services.sync, logger) : undefined;
  scheduler?.start();
  // Background jobs over shared rows and objects run on one replica at a time (a PostgreSQL advisory lock).
  const jobLock = jobLockFor(database);
  // Chunks of open OCI upload sessions have no Artifact row: the collector keeps them while their session lives.
  const collector = startOrphanCollection(services.ociUploads.guardChunks(services.packStore.artifacts), artifacts, PUSHED_MANIFEST_FORMAT, logger, {
    lock: jobLock,
    dataDir: config.dataDir,
    graceMs: config.gc.graceMs,
    intervalMs: config.gc.intervalMs,
  });
  // Expired OCI upload sessions and scratch left by a killed push: often enough that an abandoned spool never waits long.
  const uploadSweeper = services.ociUploads.startSweeping(Math.min(60_000, config.ociUploads.sessionTtlMs), logger, jobLock);
  const eventRetention = startEventRetention(services.eventStore, logger, {
    lock: jobLock,
    retentionMs: config.events.retentionMs,
    intervalMs: 3_600_000,
    also: [(cutoff) => services.webhookStore.deletePingsOlderThan(cutoff)],
  });
  // Every replica sends webhook deliveries (claimed through the database, so each goes out once),
  // woken by the fan-out's NOTIFY on PostgreSQL and polling on the embedded database.
  let deliveryWakeup: Wakeup | undefined;
  if (config.webhooks.dispatchEnabled) {
    services.webhookDispatcher.start();
    if (database.kind === 'postgresql') {
      deliveryWakeup = listenForDeliveries(notifications, () => services.webhookDispatcher.wake());
    }
  }

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      // Work requests started stops now (their answers say so); new connections are refused.
      shutdown.abort(shutdownReason());
      // Open sockets would hold server.close() forever: subscribers are told (1001) and reconnect to another replica.
      await webSocket.close();
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const orderly = (async () => {
        // Running syncs stop (recording their runs and releasing their leases) while the database is up.
        await (scheduler ? scheduler.stop() : services.sync.stop());
        await collector.stop();
        await uploadSweeper.stop();
        await eventRetention.stop();
        // Deliveries in flight finish and are recorded while the database is up.
        await deliveryWakeup?.close();
        await services.webhookDispatcher.stop();
        await drained;
        await closeApp();
      })();
      let deadline: NodeJS.Timeout | undefined;
      let inTime: boolean;
      try {
        inTime = await Promise.race([
          orderly.then(() => true),
          new Promise<boolean>((resolve) => {
            deadline = setTimeout(() => resolve(false), config.shutdownTimeoutMs);
          }),
        ]);
      } finally {
        clearTimeout(deadline);
      }
      if (!inTime) {
        logger.warn({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timeout reached: cutting the connections still open');
        server.closeAllConnections();
        orderly.catch((error: unknown) => logger.warn({ err: error }, 'shutdown step failed after the timeout'));
      }
      await catalogChanges.close();
      services.liveEvents.close();
      await notifications.close();
      await database.close();
    })();
    return closing;
  };

  return { url, port, database, artifacts, services, logger, bootstrapAdmin, close };
}
