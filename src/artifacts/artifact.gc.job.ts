/**
 * The garbage collector wired to the catalog's rows: an object is kept while an Artifact row, a
 * PackVersion or a Pack logo names its digest; any other object older than the grace period is an
 * orphan (an interrupted write: the object goes first, the row after) and is deleted.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../platform/database.js';
import type { ArtifactStore } from './artifact.store.js';
import { collectGarbage, type GarbageCollectionResult } from './artifact.gc.js';

/** One hour: far longer than any write takes to land its row after its object. */
export const DEFAULT_GC_GRACE_MS = 60 * 60 * 1000;

/** Options of `collectOrphanArtifacts`. */
export interface OrphanCollectionOptions {
  /** Objects written more recently than this are kept whatever the rows say; defaults to one hour. */
  graceMs?: number;
  /** Report what would be deleted, delete nothing. */
  dryRun?: boolean;
  /** Digests per database round trip; defaults to 500. */
  batchSize?: number;
  /** The clock, for tests. */
  now?: () => Date;
}

/** The subset of `digests` some row points at: one statement per batch, whatever the batch size. */
export async function referencedDigests(prisma: Db, digests: string[]): Promise<Set<string>> {
  if (digests.length === 0) return new Set();
  const rows = await prisma.$queryRaw<Array<{ digest: string }>>`
    SELECT d.digest FROM unnest(${digests}::text[]) AS d(digest)
    WHERE EXISTS (SELECT 1 FROM "Artifact" a WHERE a.digest = d.digest)
       OR EXISTS (SELECT 1 FROM "PackVersion" v WHERE v.digest = d.digest)
       OR EXISTS (SELECT 1 FROM "Pack" p WHERE p."logoDigest" = d.digest)`;
  return new Set(rows.map((r) => r.digest));
}

/** Deletes every stored object older than the grace period that no row references. */
export async function collectOrphanArtifacts(
  prisma: Db,
  store: ArtifactStore,
  options: OrphanCollectionOptions = {},
): Promise<GarbageCollectionResult> {
  const graceMs = options.graceMs ?? DEFAULT_GC_GRACE_MS;
  if (!Number.isFinite(graceMs) || graceMs < 0) throw new RangeError('graceMs must be a non-negative number of milliseconds.');
  const now = options.now?.() ?? new Date();
  return collectGarbage(store, (digests) => referencedDigests(prisma, digests), {
    olderThan: new Date(now.getTime() - graceMs),
    dryRun: options.dryRun,
    batchSize: options.batchSize,
  });
}

/** What `removeStaleUploads` removed. */
export interface StaleUploadResult {
  /** Paths removed (push spool folders, partial store files). */
  removed: string[];
}

/**
 * Removes what a killed process leaves on local disk: `<dataDir>/spool/push-*` folders (uploads
 * being hashed) and `<dataDir>/artifacts/tmp/*.part` files (objects being written), older than the
 * grace period. Nothing else there is touched (OCI upload sessions live on in `spool/oci/`).
 */
export async function removeStaleUploads(dataDir: string, options: { graceMs?: number; now?: () => Date } = {}): Promise<StaleUploadResult> {
  const graceMs = options.graceMs ?? DEFAULT_GC_GRACE_MS;
  const cutoff = (options.now?.() ?? new Date()).getTime() - graceMs;
  const removed: string[] = [];
  const sweep = async (dir: string, matches: (name: string) => boolean) => {
    const entries = await readdir(dir).catch(() => [] as string[]);
    for (const name of entries) {
      if (!matches(name)) continue;
      const full = join(dir, name);
      const info = await stat(full).catch(() => null);
      // A folder's mtime moves when files are created in it, not while one grows: use the newest of both.
      if (!info) continue;
      let newest = info.mtimeMs;
      if (info.isDirectory()) {
        for (const inner of await readdir(full).catch(() => [] as string[])) {
          const innerInfo = await stat(join(full, inner)).catch(() => null);
          if (innerInfo) newest = Math.max(newest, innerInfo.mtimeMs);
        }
      }
      if (newest >= cutoff) continue;
      await rm(full, { recursive: true, force: true });
      removed.push(full);
    }
  };
  await sweep(join(dataDir, 'spool'), (name) => name.startsWith('push-'));
  await sweep(join(dataDir, 'artifacts', 'tmp'), (name) => name.endsWith('.part'));
  return { removed };
}

/** How often a running service collects orphans: hourly, first an hour after the start. */
export const GC_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Collects orphan objects (and, with `dataDir`, this replica's stale upload leftovers) every
 * `intervalMs` in the background (an unref'd timer: it never keeps the process alive). Safe with
 * several replicas: deletes are idempotent, and each candidate is re-checked just before its
 * deletion. `stop()` waits for a run in flight.
 */
export function startOrphanCollection(
  prisma: Db,
  store: ArtifactStore,
  logger: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void },
  options: { intervalMs?: number; dataDir?: string } = {},
): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= collectOrphanArtifacts(prisma, store)
      .then(async (result) => ({ result, uploads: options.dataDir ? await removeStaleUploads(options.dataDir) : { removed: [] } }))
      .then(
        ({ result, uploads }) =>
          logger.info({ ...result, failed: result.failed.length, staleUploadsRemoved: uploads.removed.length }, 'artifact garbage collection done'),
        (error) => logger.warn({ err: error }, 'artifact garbage collection failed; the next run retries'),
      )
      .finally(() => (running = undefined));
  }, options.intervalMs ?? GC_INTERVAL_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
