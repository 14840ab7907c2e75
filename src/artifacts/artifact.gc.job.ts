/**
 * The garbage collector wired to the catalog's rows. An artifact is live while something live needs
 * it: a PackVersion's digest (versions removed upstream, with `removedAt` set, included: they stay
 * pullable), a Pack's logo, or a pushed OCI manifest whose layer is such a version, together with
 * that manifest's config blob. Any other Artifact row older than the grace period is released
 * (deleted) and then its object; an object with no row at all (an interrupted write: the object goes
 * first, the row after) is deleted once older than the grace period too.
 *
 * Order: the row goes before the object (in a transaction that re-checks the references), so a row
 * never points at a missing object; an object whose row went but which could not be deleted is
 * plain orphan garbage for the next pass.
 *
 * The rows are the catalog's: the collector asks about them through `ArtifactReferences`, which the
 * catalog's store implements, and runs no SQL itself.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { NotFoundError } from '../errors.js';
import type { ArtifactStore } from './artifact.store.js';
import { collectGarbage, type GarbageCollectionResult } from './artifact.gc.js';
import { InProcessJobLock, type JobLock } from '../platform/job-lock.js';

/** One hour: far longer than any write takes to land its row after its object (GC_GRACE_SECONDS). */
export const DEFAULT_GC_GRACE_MS = 60 * 60 * 1000;

/** Manifests bigger than this are never served (the registry refuses them on push), so they need nothing. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/**
 * How stored manifests name the blobs they need: the OCI front door's format (oci/oci.manifest.ts
 * `PUSHED_MANIFEST_FORMAT`), passed in by the composition root so this shared layer imports no feature.
 */
export interface ManifestFormat {
  /** Media types of the Artifact rows that are manifests. */
  mediaTypes: string[];
  /** The layer and config a manifest needs, or null when it is not one this service serves. */
  linksOf(body: Buffer, mediaType: string): { layer: string; config: string } | null;
}

/** Options of `collectOrphanArtifacts`. */
export interface OrphanCollectionOptions {
  /** Rows and objects written more recently than this are kept whatever the references say; defaults to one hour. */
  graceMs?: number;
  /** Report what would be deleted, delete nothing. */
  dryRun?: boolean;
  /** Digests per database round trip; defaults to 500. */
  batchSize?: number;
  /** The clock, for tests. */
  now?: () => Date;
}

/** What one collection did: the object counts of `collectGarbage`, and the rows released. */
export interface ArtifactCollectionResult extends GarbageCollectionResult {
  /** Artifact rows deleted because nothing live needed them (on a dry run: 0, see `deleted`). */
  rowsDeleted: number;
}

/** What a stored OCI manifest points at. */
export interface ManifestLinks {
  digest: string;
  layer: string;
  config: string;
}

/**
 * Reads the pushed OCI manifests (Artifact rows of a manifest media type) to learn which blobs they
 * reference. Manifests are content addressed, so each is read once per reader.
 */
export class ManifestLinkReader {
  private readonly cache = new Map<string, ManifestLinks | null>();

  constructor(
    private readonly rows: Pick<ArtifactReferences, 'ofMediaTypes'>,
    private readonly store: ArtifactStore,
    private readonly format: ManifestFormat,
  ) {}

  /** The links of every stored manifest that can be read and parsed. */
  async all(): Promise<ManifestLinks[]> {
    const rows = await this.rows.ofMediaTypes(this.format.mediaTypes);
    const links: ManifestLinks[] = [];
    for (const row of rows) {
      if (!this.cache.has(row.digest)) this.cache.set(row.digest, await this.read(row.digest, Number(row.size), row.mediaType));
      const found = this.cache.get(row.digest);
      if (found) links.push(found);
    }
    return links;
  }

  /** Null when the manifest can never be served (missing, oversized, unparsable): it then needs nothing. */
  private async read(digest: string, size: number, mediaType: string): Promise<ManifestLinks | null> {
    if (size > MAX_MANIFEST_BYTES) return null;
    const chunks: Buffer[] = [];
    let total = 0;
    try {
      for await (const chunk of await this.store.get(digest)) {
        total += (chunk as Buffer).length;
        if (total > MAX_MANIFEST_BYTES) return null;
        chunks.push(chunk as Buffer);
      }
    } catch (error) {
      // Any other failure must stop the batch: guessing "needs nothing" could delete a live blob.
      if (error instanceof NotFoundError) return null;
      throw error;
    }
    const links = this.format.linksOf(Buffer.concat(chunks), mediaType);
    return links ? { digest, ...links } : null;
  }
}

/** A released Artifact row, kept by the collection in case it must be restored. */
export interface ReleasedArtifactRow {
  digest: string;
  size: bigint;
  mediaType: string;
  createdAt: Date;
}

/**
 * The rows that say what is live, as the collector asks about them (the catalog's store answers:
 * artifacts/ reads no feature's tables itself).
 */
export interface ArtifactReferences {
  /** Artifact rows of these media types (the collector reads pushed manifests through them). */
  ofMediaTypes(mediaTypes: string[]): Promise<Array<{ digest: string; size: bigint; mediaType: string }>>;
  /**
   * Releases (deletes) the rows of `digests` that nothing live needs (a version, a logo, a live
   * manifest of `links`) and that are older than `cutoff`, re-checking every reference in the
   * same transaction; answers the digests whose objects must stay (live, or still with a row) and
   * the rows released. A dry run releases nothing.
   */
  releaseUnneeded(
    digests: string[],
    links: ManifestLinks[],
    cutoff: Date,
    dryRun: boolean,
  ): Promise<{ kept: Set<string>; released: ReleasedArtifactRow[] }>;
  /** Puts released rows back (an object was written again while its row went). */
  restore(rows: ReleasedArtifactRow[]): Promise<void>;
}

/**
 * Deletes every Artifact row nothing live needs and every stored object with no row left, both
 * older than the grace period. A deleted version's bytes therefore go at the first collection after
 * the delete (its row is usually far older than the grace period); the grace period only protects
 * writes in flight.
 */
export async function collectOrphanArtifacts(
  references: ArtifactReferences,
  store: ArtifactStore,
  manifestFormat: ManifestFormat,
  options: OrphanCollectionOptions = {},
): Promise<ArtifactCollectionResult> {
  const graceMs = options.graceMs ?? DEFAULT_GC_GRACE_MS;
  if (!Number.isFinite(graceMs) || graceMs < 0) throw new RangeError('graceMs must be a non-negative number of milliseconds.');
  const now = options.now?.() ?? new Date();
  const cutoff = new Date(now.getTime() - graceMs);
  const manifests = new ManifestLinkReader(references, store, manifestFormat);
  let rowsDeleted = 0;
  let released = new Map<string, ReleasedArtifactRow>();
  const result = await collectGarbage(
    store,
    async (digests) => {
      // Re-read per batch: a manifest pushed while the collection runs protects its config blob.
      const batch = await references.releaseUnneeded(digests, await manifests.all(), cutoff, options.dryRun ?? false);
      released = new Map(batch.released.map((row) => [row.digest, row]));
      rowsDeleted += batch.released.length;
      return batch.kept;
    },
    {
      olderThan: cutoff,
      dryRun: options.dryRun,
      batchSize: options.batchSize,
      // An object put again since it was listed has a writer landing its row right now; that writer may
      // have found the old row (and written none) just before it was released: give the row back.
      restore: async (digests) => {
        const rows = digests.flatMap((digest) => released.get(digest) ?? []);
        if (rows.length === 0) return;
        await references.restore(rows);
        rowsDeleted -= rows.length;
      },
    },
  );
  return { ...result, rowsDeleted };
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

/** How often a running service collects (GC_INTERVAL_SECONDS): hourly, first an hour after the start. */
export const GC_INTERVAL_MS = 60 * 60 * 1000;

/** The job lock's name for a collection of the shared rows and store (`npm run gc` takes it too). */
export const GC_LOCK = 'artifact-gc';

/**
 * Collects orphan objects (and, with `dataDir`, this replica's stale upload leftovers) every
 * `intervalMs` in the background (an unref'd timer: it never keeps the process alive). With `lock`,
 * one replica at a time collects the shared rows and store (the others skip that run: listing a
 * whole bucket once per replica is wasted work); local leftovers are every replica's own. Deletes
 * stay idempotent and re-checked just before each one, so a lost lock connection is harmless.
 * `stop()` waits for a run in flight.
 */
export function startOrphanCollection(
  references: ArtifactReferences,
  store: ArtifactStore,
  manifestFormat: ManifestFormat,
  logger: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void },
  options: { intervalMs?: number; graceMs?: number; dataDir?: string; lock?: JobLock } = {},
): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const graceMs = options.graceMs;
  const lock = options.lock ?? new InProcessJobLock();
  const timer = setInterval(() => {
    running ??= lock
      .run(GC_LOCK, () => collectOrphanArtifacts(references, store, manifestFormat, { graceMs }))
      .then(async (outcome) => ({ outcome, uploads: options.dataDir ? await removeStaleUploads(options.dataDir, { graceMs }) : { removed: [] } }))
      .then(
        ({ outcome, uploads }) => {
          if (outcome.ran) {
            const result = outcome.value;
            logger.info({ ...result, failed: result.failed.length, staleUploadsRemoved: uploads.removed.length }, 'artifact garbage collection done');
          } else {
            logger.info({ staleUploadsRemoved: uploads.removed.length }, 'artifact garbage collection skipped: another replica holds its lock');
          }
        },
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
