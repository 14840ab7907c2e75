/**
 * The registry sync lease in PostgreSQL: one run per registry across every replica. A claim is a
 * row update (`leaseOwner`, `leaseExpiresAt`) that only succeeds on a free or expired lease, made
 * with the run's creation in one transaction; the holder renews it while the run goes on. A replica
 * that dies leaves a lease that expires, and the next claim takes it over, ending the dead
 * replica's run FAILED.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../platform/logger.js';
import type { SyncRunRecord } from '../registry.model.js';
import type { RegistryStore } from '../registry.store.js';

export interface LeaseOptions {
  /** This replica's lease owner id; unique per engine by default. */
  owner?: string;
  /** How long a claim holds without renewal. Default 2 min. */
  ttlMs?: number;
  /** How often a running sync renews its claim. Default a third of the TTL. */
  renewMs?: number;
}

/** The lease went to another replica (it expired while this one ran): the run stops. */
export class LeaseLostError extends Error {
  constructor() {
    super('Another replica took over this registry\'s sync (the lease expired); this run stopped.');
  }
}

const ABANDONED = 'Abandoned: the replica running it stopped before finishing.';

export class RegistryLease {
  readonly owner: string;
  readonly ttlMs: number;
  private readonly renewMs: number;

  constructor(
    private readonly store: RegistryStore,
    options: LeaseOptions = {},
  ) {
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.ttlMs = options.ttlMs ?? 120_000;
    this.renewMs = options.renewMs ?? Math.max(1000, Math.floor(this.ttlMs / 3));
  }

  /** Takes the lease and creates the RUNNING run; null when another replica holds a live lease. */
  claim(registryId: string, run: { force: boolean; trigger: string }): Promise<SyncRunRecord | null> {
    return this.store.claimLease(registryId, { owner: this.owner, ttlMs: this.ttlMs, abandonedMessage: ABANDONED, ...run });
  }

  /**
   * Renews the lease until the returned function is called; `onLost` runs once the lease turns
   * out to be someone else's. A failed renewal is logged and tried again at the next beat.
   */
  keep(registryId: string, onLost: () => void, log: Logger): () => void {
    const timer = setInterval(() => {
      this.store.renewLease(registryId, this.owner, this.ttlMs).then(
        (held) => {
          if (!held) onLost();
        },
        (error) => log.warn({ err: error }, 'lease renewal failed'),
      );
    }, this.renewMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}
