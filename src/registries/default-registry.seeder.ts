/**
 * Seeds the DEFAULT registry from the pack folders shipped in `default-packs/`, at every start: a
 * DIRECTORY sync of that folder through the sync engine (lease, run record, item errors as for any
 * registry). Cheap when nothing changed: folders are compared by content hash, so an unchanged
 * pack is neither packed nor written again. A version dropped from the shipped set is deprecated,
 * never removed (profiles may still use it); a pack none of whose versions is shipped any more is
 * deprecated as a whole.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../platform/logger.js';
import { ConflictError } from '../errors.js';
import { DEFAULT_REGISTRY_NAME, type SyncRunRecord } from './registry.model.js';
import type { SyncEngine, SyncRequest } from './sync/engine.js';
import type { SyncPolicy } from './sync/policy.js';

export const DEFAULT_PACKS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../default-packs');

/** The shipped packs are ours: read strictly, deprecated rather than removed, synced at start only. */
export const DEFAULT_REGISTRY_POLICY: SyncPolicy = {
  vanished: 'deprecate',
  scheduled: false,
  ingest: { mode: 'seed', publishedBy: 'pack-catalog', lenient: false, checkReferencedFiles: true },
};

const CLAIM_RETRY_MS = 500;
const MAX_CLAIM_RETRIES = 20;

export class DefaultRegistrySeeder {
  constructor(
    private readonly engine: Pick<SyncEngine, 'start'>,
    private readonly logger: Logger,
    private readonly packsDir: string = DEFAULT_PACKS_DIR,
    /** How long to follow another replica's seed before trying to claim it again (its lease's TTL). */
    private readonly followMs: number = 120_000,
  ) {}

  /**
   * Syncs the DEFAULT registry from the shipped folder and answers with the finished run. Another
   * replica seeding at the same moment is waited for; one that died mid-seed holds the lease until
   * it expires, then this start takes it over.
   */
  async seed(): Promise<SyncRunRecord> {
    const request: SyncRequest = { trigger: 'seed', from: { folder: this.packsDir, policy: DEFAULT_REGISTRY_POLICY } };
    for (let conflicts = 0; ; ) {
      let started;
      try {
        started = await this.engine.start(DEFAULT_REGISTRY_NAME, request);
      } catch (error) {
        // Another replica is between its claim and its run's creation: look again shortly (a stopping engine says so for good).
        if (!(error instanceof ConflictError) || ++conflicts > MAX_CLAIM_RETRIES) throw error;
        await new Promise((resolve) => setTimeout(resolve, CLAIM_RETRY_MS));
        continue;
      }
      const run = started.started ? await started.finished : await this.follow(started.finished);
      if (!run) continue;
      this.report(run);
      return run;
    }
  }

  /** Another replica's run, waited for until it ends or the wait outlasts a lease (then null: claim again). */
  private async follow(finished: Promise<SyncRunRecord>): Promise<SyncRunRecord | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), this.followMs);
      timer.unref();
    });
    try {
      return await Promise.race([finished, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private report(run: SyncRunRecord): void {
    const counts = { added: run.added, updated: run.updated, unchanged: run.unchanged, deprecated: run.removed };
    // A shipped pack refused is a defect of this build, not an upstream's hiccup.
    if (run.state === 'SUCCEEDED') this.logger.info(counts, 'default registry seeded');
    else this.logger.error({ ...counts, state: run.state, message: run.message }, 'default registry seeded with errors');
  }
}
