/** Composition root: config -> clients -> app -> listen; graceful shutdown on SIGTERM/SIGINT. */
import 'reflect-metadata';
import { ConfigError, loadConfig } from '../config.js';
import { createLogger } from '../platform/logger.js';
import { restrictNewFilesToOwner } from '../platform/data-dir.js';
import { PortUnavailableError, assertPortAvailable } from '../platform/port-check.js';

/** Past SHUTDOWN_TIMEOUT_MS, the database gets this long to close before the process exits regardless. */
const FORCED_EXIT_GRACE_MS = 5_000;

async function main(): Promise<void> {
  // Before anything is written: every file the service creates (database, spools, objects) is its user's alone.
  restrictNewFilesToOwner();
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  // Before migrations and seeding: a taken port is the commonest first-start failure, and it is known in a millisecond.
  try {
    await assertPortAvailable(config.port, config.host);
  } catch (error) {
    if (error instanceof PortUnavailableError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel });
  // Loaded only now: the whole service (GraphQL schema, clients) takes seconds to import, and a bad
  // configuration or a taken port is answered before that.
  const { startServer } = await import('./server.js');
  const running = await startServer(config, { logger });
  // The token first, the "listening" line last: whoever waits for that line has everything printed before it.
  if (running.bootstrapAdmin?.secret) {
    // Printed this once, on the terminal, not in the JSON logs; also kept in a 0600 file.
    process.stdout.write(
      `\n  First start: an admin token was created for you.\n\n    ${running.bootstrapAdmin.secret}\n\n` +
        `  It is also in ${running.bootstrapAdmin.file} (readable by you only).\n` +
        `  Sign in with it at ${running.url}/ (the web console), use it as "Authorization: Bearer <token>",\n` +
        `  or: npx packctl login ${running.url} --token <token>\n\n`,
    );
  } else if (running.bootstrapAdmin) {
    logger.info({ file: running.bootstrapAdmin.file }, 'bootstrap admin token is in this file');
  }
  logger.info({ url: running.url }, `pack-catalog listening on ${running.url} (GraphQL at ${running.url}/graphql)`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // close() is bounded by SHUTDOWN_TIMEOUT_MS; should a step still hang (a database that never answers), the process ends anyway.
    setTimeout(() => {
      logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown did not finish in time; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs + FORCED_EXIT_GRACE_MS).unref();
    running.close().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error) => {
  process.stderr.write(`pack-catalog failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
