/**
 * One garbage collection at a time across replicas: two processes' job locks on one PostgreSQL
 * database (two PostgresJobLock instances hold two connections, as two replicas would) race for the
 * GC; one collects, the other skips, and a holder killed mid-run (its connection cut) leaves no lock.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import pg from 'pg';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { collectOrphanArtifacts, GC_LOCK, startOrphanCollection } from '../../src/artifacts/artifact.gc.job.js';
import { PUSHED_MANIFEST_FORMAT } from '../../src/oci/oci.manifest.js';
import { lockKey, PostgresJobLock } from '../../src/platform/job-lock.js';
import { pollUntil } from '../helpers/wait-until.js';

describe('job lock (PostgreSQL advisory lock) around the garbage collection', () => {
  let t: TestApp;
  const later = () => new Date(Date.now() + 5_000);

  beforeAll(async () => {
    t = await createTestApp();
    // The lock is PostgreSQL's: the embedded database has one process, nothing to share it with.
    expect(t.database.kind).toBe('postgresql');
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  const collect = () => collectOrphanArtifacts(t.services.packStore.artifacts, t.artifacts, PUSHED_MANIFEST_FORMAT, { graceMs: 0, now: later });

  it('runs the collection on one of two concurrent replicas; the other skips; the orphan goes once', async () => {
    const replicaA = new PostgresJobLock(t.database.connectionString);
    const replicaB = new PostgresJobLock(t.database.connectionString);
    const orphan = await t.artifacts.put(Readable.from([randomBytes(300)]));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const holding = new Promise<void>((resolve) => (started = resolve));
    const runA = replicaA.run(GC_LOCK, async () => {
      started();
      await gate;
      return collect();
    });
    await holding;
    // B tries while A holds the lock (A has not collected yet): B does nothing.
    const runB = await replicaB.run(GC_LOCK, collect);
    expect(runB).toEqual({ ran: false });
    release();
    const outcomeA = await runA;
    expect(outcomeA.ran).toBe(true);
    if (outcomeA.ran) expect(outcomeA.value.deleted).toBeGreaterThanOrEqual(1);
    expect(await t.artifacts.exists(orphan.digest)).toBe(false);
    // Released after the run: the next one (on either replica) takes it.
    expect((await replicaB.run(GC_LOCK, async () => 'B ran')).ran).toBe(true);
  });

  it('two collections racing through startOrphanCollection timers: never two collections at once', async () => {
    const logs: string[] = [];
    const logger = { info: (_o: object, m: string) => logs.push(m), warn: (_o: object, m: string) => logs.push(m) };
    const replicaA = new PostgresJobLock(t.database.connectionString);
    const replicaB = new PostgresJobLock(t.database.connectionString);
    // A slow store listing keeps each run long enough for the other replica's timer to fire inside it.
    const slowStore = Object.create(t.artifacts) as typeof t.artifacts;
    let listing = 0;
    let mostAtOnce = 0;
    slowStore.list = async function* (...args: Parameters<typeof t.artifacts.list>) {
      listing++;
      mostAtOnce = Math.max(mostAtOnce, listing);
      try {
        await new Promise((resolve) => setTimeout(resolve, 400));
        yield* t.artifacts.list(...args);
      } finally {
        listing--;
      }
    } as typeof t.artifacts.list;
    const options = { intervalMs: 100, graceMs: 3_600_000 };
    const a = startOrphanCollection(t.services.packStore.artifacts, slowStore, PUSHED_MANIFEST_FORMAT, logger, { ...options, lock: replicaA });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const b = startOrphanCollection(t.services.packStore.artifacts, slowStore, PUSHED_MANIFEST_FORMAT, logger, { ...options, lock: replicaB });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await a.stop();
    await b.stop();
    const done = logs.filter((m) => m === 'artifact garbage collection done').length;
    const skipped = logs.filter((m) => m.startsWith('artifact garbage collection skipped')).length;
    expect(logs.filter((m) => m.includes('failed'))).toEqual([]);
    expect(done).toBeGreaterThanOrEqual(1);
    // Each replica's timer fires several times during the other's 400 ms runs: those rounds are skipped...
    expect(skipped).toBeGreaterThanOrEqual(1);
    // ...so two collections never run at once.
    expect(mostAtOnce).toBe(1);
  });

  it('a holder killed mid-run (connection cut, as kill -9 does) leaves the lock free', async () => {
    const dead = new pg.Client({ connectionString: t.database.connectionString });
    dead.on('error', () => undefined);
    await dead.connect();
    const taken = await dead.query('SELECT pg_try_advisory_lock($1, $2) AS locked', [0x7061636b, lockKey(GC_LOCK)]);
    expect(taken.rows[0].locked).toBe(true);
    const replica = new PostgresJobLock(t.database.connectionString);
    expect(await replica.run(GC_LOCK, async () => 'ran')).toEqual({ ran: false });
    // Cut the socket without a goodbye, like a killed process: PostgreSQL ends the session and its locks.
    (dead as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    const outcome = await pollUntil(() => replica.run(GC_LOCK, async () => 'ran'), (tried) => tried.ran, {
      what: 'the lock is free again (the replica runs)',
      timeoutMs: 5_000,
      intervalMs: 100,
    });
    expect(outcome).toEqual({ ran: true, value: 'ran' });
  });
});
