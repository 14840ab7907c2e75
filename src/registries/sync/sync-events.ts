/**
 * SYNC_FAILED and SYNC_RECOVERED, decided by comparing a finished run with the run before it: a
 * registry that keeps failing the same way says so once (like Artifact Hub's tracking errors,
 * notified only when the set of errors changes), a new kind of failure says so again, and the first
 * clean run after failures says it recovered. Pure.
 */
import type { SyncState } from '../../generated/prisma/enums.js';
import type { CatalogEventInput } from '../../events/event.model.js';

/** A finished run as the comparison sees it: its state and the items that failed. */
export interface RunOutcome {
  id: string;
  state: SyncState;
  message: string | null;
  items: readonly string[];
}

/** How many failed items an event names (the run's page lists them all). */
const MAX_ITEMS_IN_EVENT = 20;

function failing(run: RunOutcome): boolean {
  return run.state === 'FAILED' || (run.state === 'PARTIAL' && run.items.length > 0);
}

function sameItems(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a);
  return set.size === new Set(b).size && b.every((item) => set.has(item));
}

/** The event `current` calls for after `previous` (null: the registry's first run), or null. */
export function syncTransitionEvent(registryId: string, previous: RunOutcome | null, current: RunOutcome): CatalogEventInput | null {
  if (failing(current)) {
    const unchanged = previous !== null && failing(previous) && previous.state === current.state && sameItems(previous.items, current.items);
    if (unchanged) return null;
    return {
      type: 'SYNC_FAILED',
      registryId,
      data: {
        runId: current.id,
        state: current.state,
        message: current.message,
        failedItems: current.items.length,
        items: current.items.slice(0, MAX_ITEMS_IN_EVENT),
        previousState: previous?.state ?? null,
      },
    };
  }
  if (current.state === 'SUCCEEDED' && previous !== null && failing(previous)) {
    return { type: 'SYNC_RECOVERED', registryId, data: { runId: current.id, previousState: previous.state, previousRunId: previous.id } };
  }
  return null;
}
