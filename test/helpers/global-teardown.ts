import pg from 'pg';

const SERVER_URL = process.env.TEST_POSTGRES_SERVER_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** Drops the database global-setup created (never one it was given). */
export default async function globalTeardown(): Promise<void> {
  const name = process.env.TEST_DATABASE_CREATED;
  if (!name) return;
  const client = new pg.Client({ connectionString: SERVER_URL });
  try {
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end().catch(() => undefined);
  }
  delete process.env.TEST_DATABASE_URL;
  delete process.env.TEST_DATABASE_CREATED;
}
