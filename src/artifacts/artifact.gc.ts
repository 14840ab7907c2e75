/**
 * The artifact garbage collector, pure of the database. Two kinds of garbage reach it: objects no
 * row points at (writes put the object first and the row after, so a crash in between leaves one)
 * and objects whose row nothing live needs any more (a deleted version, a replaced logo, an OCI blob
 * no manifest used). The caller's `retain` decides, batch by batch, what stays; it releases the
 * rows of the rest first (a row must never point at a missing object), and this deletes their
 * objects once they are older than a grace period.
 */
import type { ArtifactStat, ArtifactStore } from './artifact.store.js';

/** Options of `collectGarbage`. */
export interface GarbageCollectionOptions {
  /** Only objects last modified before this instant are candidates (now minus the grace period). */
  olderThan: Date;
  /** How many digests are passed to `retain` at once; defaults to 500. */
  batchSize?: number;
  /** Report what would be deleted without deleting anything. */
  dryRun?: boolean;
  /**
   * Called with the digests of a batch kept because their object was put again after it was listed:
   * a writer is landing its row, and may have found the old row (so not written one) just before
   * `retain` released it, so a released row must come back.
   */
  restore?: (digests: string[]) => Promise<void>;
}

/** What one collection did. */
export interface GarbageCollectionResult {
  /** Objects older than the grace period that were examined. */
  scanned: number;
  /** Of those, how many `retain` kept (something live needs them, or their row is too young to release). */
  referenced: number;
  /** Of those, how many were written again since they were listed (kept). */
  refreshed: number;
  /** Unreferenced objects deleted (or, with `dryRun`, that would have been). */
  deleted: number;
  /** Bytes freed by those deletions. */
  deletedBytes: number;
  /** Objects whose check or deletion failed; the collection goes on past them. */
  failed: Array<{ digest: string; message: string }>;
}

/**
 * Deletes every object older than `olderThan` that `retain` does not keep. `retain(digests)` answers
 * the subset of `digests` that must stay; for the others it has already removed (or, on a dry run,
 * would remove) their rows, so deleting the object next can't leave a row pointing at nothing.
 *
 * Each candidate is re-checked just before deletion: an object put again after it was listed has a
 * fresh `lastModified` (every store refreshes it on a repeated put) and is kept, since the row for
 * it may be about to be written; `restore` then gives back any row `retain` released for it.
 */
export async function collectGarbage(
  store: ArtifactStore,
  retain: (digests: string[]) => Promise<Set<string>>,
  options: GarbageCollectionOptions,
): Promise<GarbageCollectionResult> {
  const result: GarbageCollectionResult = { scanned: 0, referenced: 0, refreshed: 0, deleted: 0, deletedBytes: 0, failed: [] };
  const batchSize = Math.max(1, options.batchSize ?? 500);
  let batch: ArtifactStat[] = [];

  const sweep = async (candidates: ArtifactStat[]): Promise<void> => {
    let referenced: Set<string>;
    try {
      referenced = await retain(candidates.map((c) => c.digest));
    } catch (error) {
      // Without an answer nothing in this batch is known to be garbage: keep it all.
      for (const c of candidates) result.failed.push({ digest: c.digest, message: messageOf(error) });
      return;
    }
    const refreshed: string[] = [];
    for (const candidate of candidates) {
      if (referenced.has(candidate.digest)) {
        result.referenced++;
        continue;
      }
      try {
        const current = await store.stat(candidate.digest);
        if (!current) continue;
        if (!current.lastModified || current.lastModified >= options.olderThan) {
          result.refreshed++;
          refreshed.push(candidate.digest);
          continue;
        }
        if (!options.dryRun) await store.delete(candidate.digest);
        result.deleted++;
        result.deletedBytes += current.size;
      } catch (error) {
        result.failed.push({ digest: candidate.digest, message: messageOf(error) });
      }
    }
    if (refreshed.length > 0 && options.restore) {
      await options.restore(refreshed).catch((error: unknown) => {
        for (const digest of refreshed) result.failed.push({ digest, message: messageOf(error) });
      });
    }
  };

  for await (const item of store.list({ olderThan: options.olderThan })) {
    result.scanned++;
    batch.push(item);
    if (batch.length >= batchSize) {
      await sweep(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await sweep(batch);
  return result;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
