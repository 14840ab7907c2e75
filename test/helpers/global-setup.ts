/**
 * Integration and e2e tiers: a fresh PostgreSQL database for this run. DATABASE_URL (CI) names one
 * to use as given; otherwise one is created on 127.0.0.1:5432 and dropped afterwards. With no
 * PostgreSQL server reachable, the tiers fall back to the embedded database, and say so.
 */
import pg from 'pg';

const SERVER_URL = process.env.TEST_POSTGRES_SERVER_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return; // another project of this run already set it up
  if (process.env.DATABASE_URL) {
    process.env.TEST_DATABASE_URL = process.env.DATABASE_URL;
    return;
  }
  const name = `packcatalog_test_${Date.now()}_${process.pid}`;
  const client = new pg.Client({ connectionString: SERVER_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query(`CREATE DATABASE "${name}"`);
    const url = new URL(SERVER_URL);
    url.pathname = `/${name}`;
    process.env.TEST_DATABASE_URL = url.toString();
    process.env.TEST_DATABASE_CREATED = name;
  } catch (error) {
    process.stderr.write(`\n[tests] no PostgreSQL server (${(error as Error).message}): the embedded database is used.\n`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
