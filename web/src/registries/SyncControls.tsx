/**
 * "Sync now" and "Force sync" for an ADMIN (the service checks the role again), and the live
 * progress of the run they start: `syncRegistry(wait: false)` answers with the run at once, then the
 * `syncRun` subscription reports items done, counts and first errors until the run ends. The
 * progress is a polite live region, so a screen reader hears the end without losing its place.
 */
import { useEffect, useRef, useState } from 'react';
import { useMutation } from 'urql';
import { ApiErrorAlert } from '../lib/api-error';
import { SyncRegistry } from './queries';
import { stateBadgeClass } from './registry-format';
import { useSyncRunProgress } from './useSyncRunProgress';

export function SyncControls({ registry, onFinished }: { registry: string; onFinished: () => void }) {
  const [started, startSync] = useMutation(SyncRegistry);
  const [runId, setRunId] = useState<string | null>(null);
  const live = useSyncRunProgress(runId);
  const running = started.fetching || (runId !== null && !live.done);

  // Tell the page once per run, when its stream ends, so the runs and status are read again.
  const told = useRef<string | null>(null);
  useEffect(() => {
    if (runId && live.done && told.current !== runId) {
      told.current = runId;
      onFinished();
    }
  }, [runId, live.done, onFinished]);

  const sync = async (force: boolean) => {
    setRunId(null);
    const result = await startSync({ name: registry, force });
    if (result.data) setRunId(result.data.syncRegistry.id);
  };

  const progress = live.progress;
  return (
    <section className="sync-controls" aria-labelledby="sync-title">
      <h2 id="sync-title">Sync</h2>
      <div className="button-row">
        <button type="button" className="button" disabled={running} onClick={() => sync(false)} aria-describedby="sync-help">
          Sync now
        </button>
        <button type="button" className="button secondary" disabled={running} onClick={() => sync(true)} aria-describedby="sync-help">
          Force sync
        </button>
      </div>
      <p id="sync-help" className="muted small">
        Sync now fetches what changed upstream since the last run; Force sync fetches every item again. A run already going on is
        joined, not doubled.
      </p>
      <ApiErrorAlert error={started.error} prefix="The sync did not start" />
      <div className="live-run" role="status" aria-live="polite" aria-atomic="false">
        {runId && !progress && !live.problem && <p>Run started; waiting for its progress…</p>}
        {progress && (
          <div className="card live-card" data-run-state={progress.state}>
            <p className="live-head">
              <span className={stateBadgeClass(progress.state)}>{progress.state}</span>{' '}
              {progress.itemsTotal == null
                ? progress.state === 'RUNNING'
                  ? 'Listing the upstream…'
                  : ''
                : `${progress.itemsDone} of ${progress.itemsTotal} items`}
            </p>
            {progress.itemsTotal != null && progress.itemsTotal > 0 && (
              <progress className="sync-progress" max={progress.itemsTotal} value={progress.itemsDone} aria-label="Items synced">
                {progress.itemsDone} of {progress.itemsTotal}
              </progress>
            )}
            <p className="small">
              {progress.added} added · {progress.updated} updated · {progress.unchanged} unchanged · {progress.removed} removed ·{' '}
              {progress.errorCount} {progress.errorCount === 1 ? 'error' : 'errors'}
            </p>
            {progress.message && <p className="small">{progress.message}</p>}
            {progress.errors.length > 0 && (
              <ul className="small item-error-list">
                {progress.errors.map((e) => (
                  <li key={e.item}>
                    <code>{e.item}</code>: {e.message}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
      {live.problem && <ApiErrorAlert error={{ message: live.problem.message, extensions: { code: live.problem.code ?? undefined } }} prefix="Live progress" />}
    </section>
  );
}
