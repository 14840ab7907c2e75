/**
 * "One replica at a time" for background jobs (garbage collection, upload sweeps): a PostgreSQL
 * session advisory lock, taken with `pg_try_advisory_lock` on a connection of its own for the length
 * of one run. A replica that finds the lock taken skips its run (another replica is doing the same
 * work now); a replica killed mid-run loses its connection, and PostgreSQL releases the lock with it,
 * so no lease can be left behind.
 *
 * The connection is not one of the Prisma pool's: a session lock belongs to a connection, and the pool
 * would hand the unlock to another one. One short-lived connection per run (runs are minutes apart).
 *
 * On the embedded database the process is the database's only client (database.ts refuses a second
 * one), so an in-process flag gives the same guarantee without a connection.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';

/** Runs a job unless another holder (replica or, in process, another caller) has the same name's lock now. */
export interface JobLock {
  /** `{ ran: false }` when the lock is held elsewhere: the job did not run, and needs not (someone is doing it). */
  run<T>(name: string, job: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }>;
}

/** Every lock of this service lives in this class (first key), so names can't collide with another application's locks. */
const LOCK_CLASS = 0x7061636b; // 'pack'

/** The second key of a name: 32 bits of its SHA-256 (stable across processes and versions, unlike a JS hash). */
export function lockKey(name: string): number {
  return createHash('sha256').update(name).digest().readInt32BE(0);
}

/** Locks that hold only within this process (embedded database, or a test without PostgreSQL). */
export class InProcessJobLock implements JobLock {
  private readonly held = new Set<string>();

  async run<T>(name: string, job: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
    if (this.held.has(name)) return { ran: false };
    this.held.add(name);
    try {
      return { ran: true, value: await job() };
    } finally {
      this.held.delete(name);
    }
  }
}

/** Locks shared by every process on one PostgreSQL database. */
export class PostgresJobLock implements JobLock {
  /** Names this process holds: a second local caller skips without a round trip (the lock is re-entrant per session). */
  private readonly local = new InProcessJobLock();

  constructor(private readonly connectionString: string) {}

  run<T>(name: string, job: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
    return this.local.run(name, () => this.runLocked(name, job)).then((outcome) => (outcome.ran ? outcome.value : outcome));
  }

  private async runLocked<T>(name: string, job: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
    const client = new pg.Client({ connectionString: this.connectionString, application_name: `pack-catalog-lock:${name}` });
    // A dropped connection has already released the lock; the job finishes (its steps are idempotent) and the unlock is skipped.
    client.on('error', () => undefined);
    await client.connect();
    try {
      const key = lockKey(name);
      const taken = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [LOCK_CLASS, key]);
      if (!taken.rows[0]?.locked) return { ran: false };
      try {
        return { ran: true, value: await job() };
      } finally {
        await client.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_CLASS, key]).catch(() => undefined);
      }
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

/** The lock for a database: shared through PostgreSQL, or in process on the embedded one. */
export function jobLockFor(database: { kind: 'postgresql' | 'embedded'; connectionString: string }): JobLock {
  return database.kind === 'postgresql' ? new PostgresJobLock(database.connectionString) : new InProcessJobLock();
}
