/**
 * `npm run gc`: delete artifact objects no row references, once, and exit.
 * Also removes upload leftovers of a killed process (spool folders, partial files) past the grace.
 * Flags: `--grace <seconds>` (default 3600), `--dry-run`. Reads the same environment as the service.
 * On the embedded database, stop the service first: a PGlite folder can't be opened by two processes.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from './database.js';
import { createArtifactStore } from '../artifacts/artifact.factory.js';
import { collectOrphanArtifacts, DEFAULT_GC_GRACE_MS, removeStaleUploads } from '../artifacts/artifact.gc.job.js';

async function main(): Promise<number> {
  let values: { grace?: string; 'dry-run'?: boolean };
  try {
    ({ values } = parseArgs({ options: { grace: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } }, strict: true }));
  } catch (error) {
    console.error(`${(error as Error).message}\nUsage: gc-cli [--grace <seconds>] [--dry-run]`);
    return 64; // EX_USAGE
  }
  const graceSeconds = values.grace === undefined ? DEFAULT_GC_GRACE_MS / 1000 : Number(values.grace);
  if (!Number.isFinite(graceSeconds) || graceSeconds < 0) {
    console.error('--grace must be a non-negative number of seconds.');
    return 64; // EX_USAGE
  }
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const store = await createArtifactStore({ s3: config.s3, dataDir: config.dataDir });
    const graceMs = graceSeconds * 1000;
    const result = await collectOrphanArtifacts(database.prisma, store, { graceMs, dryRun: values['dry-run'] ?? false });
    const uploads = values['dry-run'] ? { removed: [] } : await removeStaleUploads(config.dataDir, { graceMs });
    console.log(JSON.stringify({ dryRun: values['dry-run'] ?? false, graceSeconds, ...result, staleUploadsRemoved: uploads.removed.length }));
    return result.failed.length > 0 ? 1 : 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof ConfigError ? error.message : `Garbage collection failed: ${(error as Error).message}`);
    process.exit(error instanceof ConfigError ? 78 : 1);
  },
);
