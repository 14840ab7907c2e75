/** `npm run db:migrate`: apply pending migrations to DATABASE_URL (or the embedded database) and exit. */
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../platform/database.js';

try {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const { applied, alreadyApplied } = database.migrations;
  console.log(
    `${database.kind} database: ${applied.length} migration(s) applied${applied.length ? ` (${applied.join(', ')})` : ''}, ${alreadyApplied} already there.`,
  );
  await database.close();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `Migration failed: ${(error as Error).message}`);
  process.exit(1);
}
