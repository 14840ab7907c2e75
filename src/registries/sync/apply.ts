/**
 * One run's middle: from a complete listing to the catalog. Diff by change marker (plan.ts), fetch
 * what is new or changed with bounded concurrency and hand each artifact to the catalog's batch
 * (one bad item is an item error, never the end of the run), then deal with what vanished from the
 * source, as the registry's `SyncPolicy` says. The engine (engine.ts) claims, lists and records around it.
 */
import type { Logger } from '../../platform/logger.js';
import { InvalidInputError, isDomainError } from '../../errors.js';
import type { SyncRunRecord } from '../registry.model.js';
import type { RegistryRow } from '../registry.store.js';
import type { RegistryAdapter, UpstreamItem, UpstreamListing } from '../adapters/adapter.js';
import { mapConcurrent } from '../adapters/support.js';
import { planSync, versionKey } from './plan.js';
import type { SyncPolicy } from './policy.js';
import type { ItemError, RunCounts } from './runs.js';
import type { PackSink } from './sink.js';
import type { RunProgressReporter } from './progress.js';
import { describeError } from './errors.js';

export interface ApplyDeps {
  sink: PackSink;
  fetchConcurrency: number;
}

/** One run's state the pipeline reads and fills in (`counts` and `itemErrors` are the run's own). */
export interface ApplyRun {
  registry: RegistryRow;
  policy: SyncPolicy;
  run: SyncRunRecord;
  listing: UpstreamListing;
  adapter: RegistryAdapter;
  signal: AbortSignal;
  counts: RunCounts;
  itemErrors: ItemError[];
  log: Logger;
  progress?: RunProgressReporter;
}

/** Fetches and ingests what the plan says, then deals with the vanished. Returns how many items were tried and failed. */
export async function applyListing(deps: ApplyDeps, { registry, policy, run, listing, adapter, signal, counts, itemErrors, log, progress }: ApplyRun): Promise<{ attempted: number; failed: number }> {
  const { sink } = deps;
  for (const problem of listing.problems ?? []) itemErrors.push({ item: problem.item, message: problem.message });
  const keep = new Set((listing.problems ?? []).filter((p) => p.name && p.version).map((p) => versionKey(p.name!, p.version!)));
  const stored = await sink.listVersionMarkers(registry.id);
  const plan = planSync(listing, stored, { force: run.force, keep });
  counts.unchanged = plan.unchanged;
  progress?.planned(plan.fetch.length);
  let failed = 0;
  const fail = (label: string, error: unknown) => {
    // An aborted run ends FAILED with the reason: its items' errors are not theirs.
    if (signal.aborted) return;
    failed++;
    if (!isDomainError(error)) log.warn({ err: error, item: label }, 'sync item failed unexpectedly');
    itemErrors.push({ item: label, message: describeError(error) });
  };
  // Items that turned out to hold another name/version than listed: kept, never counted as gone.
  const ingestedElsewhere = new Set<string>();
  // The pipeline: workers fetch and hand each tarball to the batch (read, objects stored); the
  // rows are written by the batch in the background, so no worker waits for the database and
  // the next download is under way while a tarball is read.
  const batch = await sink.openBatch({ id: registry.id, name: registry.name, kind: registry.kind }, { signal });
  const outcomes: Array<Promise<void>> = [];
  try {
    await mapConcurrent(plan.fetch, deps.fetchConcurrency, async (item: UpstreamItem) => {
      if (signal.aborted) throw signal.reason;
      const label = `${item.name}:${item.version}`;
      let fetched;
      try {
        fetched = await adapter.fetch(item, signal);
        counts.artifactsFetched++;
        const { committed } = await batch.add({
          registry: { id: registry.id, name: registry.name, kind: registry.kind },
          archivePath: fetched.archivePath,
          archive: fetched.archive,
          digest: fetched.digest,
          size: fetched.size,
          ...policy.ingest,
          upstreamMarker: item.marker,
          signatures: fetched.signatures,
          checkedValues: fetched.checkedValues,
          // A stopping engine (shutdown) or a lost lease stops the archive read too, not only the downloads.
          signal,
        });
        outcomes.push(
          committed.then((outcome) => {
            progress?.itemDone();
            if (outcome.status === 'created') counts.added++;
            else if (outcome.status === 'updated') counts.updated++;
            else counts.unchanged++;
            if (outcome.name !== item.name || outcome.version !== item.version) {
              ingestedElsewhere.add(versionKey(outcome.name, outcome.version));
              fail(label, new InvalidInputError(
                `The upstream lists ${label} but the artifact holds ${outcome.name}:${outcome.version}; it was stored under the latter.`,
              ));
            }
          }, (error: unknown) => {
            progress?.itemDone();
            fail(label, error);
          }),
        );
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        progress?.itemDone();
        fail(label, error);
      } finally {
        await fetched?.cleanup().catch(() => undefined);
      }
    });
  } finally {
    // Rows still queued are written (or, the run aborted, dropped) before the run goes on.
    await batch.close();
    await Promise.all(outcomes);
  }
  if (signal.aborted) throw signal.reason;
  const vanished = plan.removed.filter((v) => !ingestedElsewhere.has(versionKey(v.name, v.version)));
  counts.removed =
    policy.vanished === 'deprecate' ? await sink.markDeprecated(registry.id, vanished) : await sink.markRemoved(registry.id, vanished);
  return { attempted: plan.fetch.length, failed };
}
