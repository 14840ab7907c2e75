/**
 * Opens the one Prisma client of the process: on PostgreSQL when DATABASE_URL is set, otherwise on
 * an embedded PGlite database under DATA_DIR, so both run through the very same `PrismaPg` adapter
 * and code path. Migrations are applied before the client opens.
 *
 * The embedded database has no authentication of its own (PGlite's socket server accepts any user
 * name with no password), so it is never served on TCP: it listens on a Unix socket inside a 0700
 * folder of the service's user, which no other local user can enter. DATA_DIR is made private
 * (0700, files 0600) before anything is written to it, whichever database is used.
 */
import { chmod, mkdir, mkdtemp, rm, unlink } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.js';
import { DataDirError, makeTreePrivate, prepareDataDir, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './data-dir.js';
import { applyMigrations, type MigrationResult } from './migrate.js';

export type Db = InstanceType<typeof PrismaClient>;

export interface Database {
  prisma: Db;
  /** `postgresql` or `embedded`. */
  kind: 'postgresql' | 'embedded';
  /** For the embedded database, a Unix-socket URL (`?host=<private folder>`) only this user can use. */
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

/** libpq's socket file name (`.s.PGSQL.<port>`): what `pg` looks for in a `host=/folder` URL. */
const SOCKET_FILE = '.s.PGSQL.5432';
/** sun_path holds 108 bytes on Linux, 104 on macOS: keep under both, with the terminator. */
const MAX_SOCKET_PATH = 100;

/**
 * Runs a statement (`Prisma.sql`'s text and values) with plain `pg` on the Prisma client's own pool
 * and gives its rows as `pg` decodes them. For hot reads whose answer is one JSON text, which Prisma's
 * query compiler and row decoding would only pass through: the uncached catalog page's statement cost
 * ~0.9 ms more through `$queryRaw` (profile of the catalog bench). Counted by `onQuery` like Prisma's.
 */
export type SqlReader = <T>(statement: { text: string; values: unknown[] }) => Promise<T[]>;

const sqlReaders = new WeakMap<Db, SqlReader>();

/** The plain-`pg` reader of a client `openDatabase` made; undefined for any other client (use `$queryRaw`). */
export function sqlReaderOf(prisma: Db): SqlReader | undefined {
  return sqlReaders.get(prisma);
}

function createClient(connectionString: string, max: number, onQuery?: (sql: string) => void): { prisma: Db; pool: pg.Pool } {
  // One pool for Prisma's statements and the plain reads: the same connections, the same limit.
  const pool = new pg.Pool({ connectionString, max });
  const prisma = new PrismaClient({
    adapter: new PrismaPg(pool),
    ...(onQuery ? { log: [{ emit: 'event' as const, level: 'query' as const }] } : {}),
  });
  if (onQuery) (prisma as unknown as { $on(event: 'query', cb: (e: { query: string }) => void): void }).$on('query', (e) => onQuery(e.query));
  sqlReaders.set(prisma, async <T>(statement: { text: string; values: unknown[] }) => {
    onQuery?.(statement.text);
    return (await pool.query(statement.text, statement.values)).rows as T[];
  });
  return { prisma, pool };
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  // Every entry point (service, CLIs, tests) opens the database before writing anything to DATA_DIR.
  await prepareDataDir(options.dataDir);
  if (options.databaseUrl) {
    const migrations = await applyMigrations(options.databaseUrl, MIGRATIONS_DIR);
    const { prisma, pool } = createClient(options.databaseUrl, 10, options.onQuery);
    await prisma.$connect();
    return {
      prisma,
      kind: 'postgresql',
      connectionString: options.databaseUrl,
      migrations,
      async close() {
        await prisma.$disconnect();
        // The adapter leaves a pool it was given open.
        await pool.end();
      },
    };
  }
  return openEmbeddedDatabase(options.dataDir, options.onQuery);
}

/** Where the embedded database's socket lives, and how to clean it up after the server stops. */
interface SocketFolder {
  dir: string;
  socketPath: string;
  release(): Promise<void>;
}

/**
 * `<DATA_DIR>/run/` (0700) normally; a fresh 0700 folder from mkdtemp in the system temporary
 * folder when DATA_DIR's path is too long for a socket address.
 */
async function claimSocketFolder(dataDir: string): Promise<SocketFolder> {
  const dir = path.join(dataDir, 'run');
  const socketPath = path.join(dir, SOCKET_FILE);
  if (Buffer.byteLength(socketPath) <= MAX_SOCKET_PATH) {
    await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    await chmod(dir, PRIVATE_DIR_MODE);
    await removeStaleSocket(socketPath, dataDir);
    return { dir, socketPath, release: () => unlink(socketPath).catch(() => undefined) };
  }
  const fallback = await mkdtemp(path.join(tmpdir(), 'pack-catalog-db-')); // mkdtemp creates it 0700
  return { dir: fallback, socketPath: path.join(fallback, SOCKET_FILE), release: () => rm(fallback, { recursive: true, force: true }) };
}

/**
 * A socket left by a killed process is removed; one that answers means another process serves this
 * DATA_DIR right now, and opening its PGlite folder a second time would corrupt it.
 */
async function removeStaleSocket(socketPath: string, dataDir: string): Promise<void> {
  const live = await new Promise<boolean>((resolve) => {
    const probe = connect(socketPath);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (live) {
    throw new DataDirError(`Another process is serving the embedded database of DATA_DIR ${dataDir} (socket ${socketPath}): stop it first, or give this one its own DATA_DIR.`);
  }
  await unlink(socketPath).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

async function openEmbeddedDatabase(dataDir: string, onQuery?: (sql: string) => void): Promise<Database> {
  const dir = path.join(dataDir, 'pglite');
  const socket = await claimSocketFolder(dataDir);
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  // Imported lazily: production on PostgreSQL never loads the WASM database.
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  // pg_trgm: the catalog's search indexes (a migration creates the extension; PGlite has it only when loaded).
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const pglite = await PGlite.create(dir, { extensions: { pg_trgm } });
  // Two connections: the migration client's may still be closing when Prisma's opens.
  const server = new PGLiteSocketServer({ db: pglite, path: socket.socketPath, maxConnections: 2 });
  const stopAll = async () => {
    await server.stop();
    await socket.release();
    await pglite.close();
    // PGlite unpacks its initial files 0666 and rewrites some at start: make them private again.
    await makeTreePrivate(dir);
  };
  try {
    await server.start();
    // The folder already keeps others out; the socket's own mode is the second line.
    await chmod(socket.socketPath, PRIVATE_FILE_MODE);
    const connectionString = `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(socket.dir)}`;
    const migrations = await applyMigrations(connectionString, MIGRATIONS_DIR);
    // PGlite runs one connection at a time: a pool of one keeps transactions whole.
    const { prisma, pool } = createClient(connectionString, 1, onQuery);
    await prisma.$connect();
    await makeTreePrivate(dir);
    return {
      prisma,
      kind: 'embedded',
      connectionString,
      migrations,
      async close() {
        // Order matters: Prisma and its pool, then the socket server, then PGlite.
        await prisma.$disconnect();
        await pool.end();
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
