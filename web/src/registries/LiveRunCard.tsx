/**
 * A sync run as it goes, from the `syncRun` subscription: state, items done of the total, counts and
 * the first item errors, until the run ends (then `onFinished`, once per run). A polite live region,
 * so a screen reader hears the end without losing its place.
 */
import { useEffect, useRef } from 'react';
import { ApiErrorAlert } from '../lib/api-error';
import { stateBadgeClass } from './registry-format';
import { useSyncRunProgress } from './useSyncRunProgress';

export function LiveRunCard({ runId, onFinished }: { runId: string; onFinished: (runId: string) => void }) {
  const live = useSyncRunProgress(runId);

  const told = useRef<string | null>(null);
  useEffect(() => {
    if (live.done && told.current !== runId) {
      told.current = runId;
      onFinished(runId);
    }
  }, [runId, live.done, onFinished]);

  const progress = live.progress;
  return (
    <>
      <div className="live-run" role="status" aria-live="polite" aria-atomic="false">
        {!progress && !live.problem && <p>Waiting for the run&apos;s progress…</p>}
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
    </>
  );
}
