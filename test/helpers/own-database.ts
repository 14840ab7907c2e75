/**
 * A database of its own for a test file whose assertions count rows every test file writes (the OCI
 * upload session quotas count every open session in the database): a sibling of the run's database on
 * the same server, dropped afterwards. Without a PostgreSQL server (the embedded fallback) each test
 * app's embedded database is its own already: `url` is undefined and nothing is created.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface OwnDatabase {
  /** DATABASE_URL for the test apps of this file (undefined on the embedded fallback). */
  url?: string;
  drop(): Promise<void>;
}

export async function createOwnDatabase(): Promise<OwnDatabase> {
  const runUrl = process.env.TEST_DATABASE_URL;
  if (!runUrl) return { drop: async () => undefined };
  const name = `packcatalog_own_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const server = new URL(runUrl);
  server.pathname = '/postgres';
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: server.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(runUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}
