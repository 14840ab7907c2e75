/**
 * "Sync now" and "Force sync" for an ADMIN (the service checks the role again): `syncRegistry`
 * with `wait: false` answers with the run at once; the page then follows it live (LiveRunCard).
 */
import { useMutation } from 'urql';
import { ApiErrorAlert } from '../lib/api-error';
import { SyncRegistry } from './queries';

export function SyncControls({ registry, busy, onStarted }: { registry: string; busy: boolean; onStarted: (runId: string) => void }) {
  const [started, startSync] = useMutation(SyncRegistry);

  const sync = async (force: boolean) => {
    const result = await startSync({ name: registry, force });
    if (result.data) onStarted(result.data.syncRegistry.id);
  };

  const disabled = busy || started.fetching;
  return (
    <>
      <div className="button-row">
        <button type="button" className="button" disabled={disabled} onClick={() => sync(false)} aria-describedby="sync-help">
          Sync now
        </button>
        <button type="button" className="button secondary" disabled={disabled} onClick={() => sync(true)} aria-describedby="sync-help">
          Force sync
        </button>
      </div>
      <p id="sync-help" className="muted small">
        Sync now fetches what changed upstream since the last run; Force sync fetches every item again. A run already going on is
        joined, not doubled.
      </p>
      <ApiErrorAlert error={started.error} prefix="The sync did not start" />
    </>
  );
}
