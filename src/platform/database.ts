/**
 * Opens the one Prisma client of the process: on PostgreSQL when DATABASE_URL is set, otherwise on
 * an embedded PGlite database under DATA_DIR served on a loopback port, so both run through the
 * very same `PrismaPg` adapter and code path. Migrations are applied before the client opens.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';
import { applyMigrations, type MigrationResult } from './migrate.js';

export type Db = InstanceType<typeof PrismaClient>;

export interface Database {
  prisma: Db;
  /** `postgresql` or `embedded`. */
  kind: 'postgresql' | 'embedded';
  connectionString: string;
  migrations: MigrationResult;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../prisma/migrations');

export interface OpenDatabaseOptions {
  databaseUrl?: string;
  dataDir: string;
  /** Called with every SQL statement Prisma sends (tests count statements per request with it). */
  onQuery?: (sql: string) => void;
}

function createClient(connectionString: string, max: number, onQuery?: (sql: string) => void): Db {
  const prisma = new PrismaClient({
    adapter: new PrismaPg({ connectionString, max }),
    ...(onQuery ? { log: [{ emit: 'event' as const, level: 'query' as const }] } : {}),
  });
  if (onQuery) (prisma as unknown as { $on(event: 'query', cb: (e: { query: string }) => void): void }).$on('query', (e) => onQuery(e.query));
  return prisma;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const migrations = await applyMigrations(options.databaseUrl, MIGRATIONS_DIR);
    const prisma = createClient(options.databaseUrl, 10, options.onQuery);
    await prisma.$connect();
    return {
      prisma,
      kind: 'postgresql',
      connectionString: options.databaseUrl,
      migrations,
      close: () => prisma.$disconnect(),
    };
  }
  return openEmbeddedDatabase(path.join(options.dataDir, 'pglite'), options.onQuery);
}

async function openEmbeddedDatabase(dir: string, onQuery?: (sql: string) => void): Promise<Database> {
  await mkdir(dir, { recursive: true });
  // Imported lazily: production on PostgreSQL never loads the WASM database.
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const pglite = await PGlite.create(dir);
  // Two connections: the migration client's may still be closing when Prisma's opens.
  const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 2 });
  await server.start();
  const connectionString = `postgresql://postgres@${server.getServerConn()}/postgres?sslmode=disable`;
  try {
    const migrations = await applyMigrations(connectionString, MIGRATIONS_DIR);
    // PGlite runs one connection at a time: a pool of one keeps transactions whole.
    const prisma = createClient(connectionString, 1, onQuery);
    await prisma.$connect();
    return {
      prisma,
      kind: 'embedded',
      connectionString,
      migrations,
      async close() {
        // Order matters: Prisma, then the socket server, then PGlite.
        await prisma.$disconnect();
        await server.stop();
        await pglite.close();
      },
    };
  } catch (error) {
    await server.stop();
    await pglite.close();
    throw error;
  }
}
