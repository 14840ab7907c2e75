/**
 * One registry: what it is (kind, endpoint, priority, visibility, schedule), where its sync stands,
 * its trust policy, "Sync now" / "Force sync" for an ADMIN of an upstream registry, the live progress
 * of a run (one started here, or one already going on when the page opened, for every reader), its
 * packs and its runs with their per-item errors.
 */
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { useTitle } from '../layout/useTitle';
import { ApiErrorAlert } from '../lib/api-error';
import { useSession } from '../session/SessionProvider';
import { RegistryDetail } from './queries';
import { LiveRunCard } from './LiveRunCard';
import { KIND_LABEL, formatTime, interval, relativeTime, stateBadgeClass, syncs } from './registry-format';
import { RegistryPacks } from './RegistryPacks';
import { SyncControls } from './SyncControls';
import { SyncRuns } from './SyncRuns';
import { TrustSummary } from './TrustSummary';
import './registries.css';

export function RegistryPage() {
  const { name = '' } = useParams();
  useTitle(name);
  const session = useSession();
  const [result, reexecute] = useQuery({ query: RegistryDetail, variables: { name } });
  const [refreshKey, setRefreshKey] = useState(0);
  // The run followed live: one this page started, or one already going on when the page opened.
  const [watched, setWatched] = useState<{ id: string; done: boolean } | null>(null);
  const onFinished = useCallback(
    (runId: string) => {
      setWatched((w) => (w && w.id === runId ? { ...w, done: true } : w));
      setRefreshKey((k) => k + 1);
      reexecute({ requestPolicy: 'network-only' });
    },
    [reexecute],
  );

  const registry = result.data?.registry;
  const latest = registry?.latestRun.edges[0]?.node;
  const going = latest && (latest.state === 'RUNNING' || latest.state === 'QUEUED') ? latest.id : null;
  useEffect(() => {
    if (going) setWatched((w) => (w && w.id === going ? w : { id: going, done: false }));
  }, [going]);
  if (result.error && !registry) {
    return (
      <section aria-labelledby="page-title">
        <h1 id="page-title">{name}</h1>
        <ApiErrorAlert error={result.error} />
      </section>
    );
  }
  if (!result.data) return <p aria-live="polite">Loading {name}…</p>;
  if (!registry) {
    return (
      <section aria-labelledby="page-title">
        <h1 id="page-title">{name}</h1>
        <p>
          No registry is called {name}, or you may not read it. <Link to="/registries">All registries</Link>.
        </p>
      </section>
    );
  }

  const admin = session.principal?.role === 'ADMIN';
  const sync = registry.sync;
  return (
    <article className="registry-page" aria-labelledby="page-title">
      <p className="crumbs small">
        <Link to="/registries">Registries</Link> /
      </p>
      <header className="registry-head">
        <h1 id="page-title">{registry.name}</h1>
        <p className="meta">
          <span className="badge accent">{KIND_LABEL[registry.kind]}</span> <span className="badge">{registry.visibility.toLowerCase()}</span>{' '}
          <span className={stateBadgeClass(sync.state)}>sync {sync.state.toLowerCase()}</span>
        </p>
      </header>

      <div className="registry-grid">
        <section className="card" aria-labelledby="about-title">
          <h2 id="about-title">About</h2>
          <dl className="facts">
            <dt>Endpoint</dt>
            <dd>{registry.endpoint ? <code>{registry.endpoint}</code> : <span className="muted">stored by this service</span>}</dd>
            {registry.basePath && (
              <>
                <dt>Base path</dt>
                <dd>
                  <code>{registry.basePath}</code>
                </dd>
              </>
            )}
            {registry.repositories.length > 0 && (
              <>
                <dt>Repositories</dt>
                <dd>{registry.repositories.join(', ')}</dd>
              </>
            )}
            <dt>Priority</dt>
            <dd>{registry.priority}</dd>
            <dt>Packs</dt>
            <dd>{registry.packCount}</dd>
            <dt>Versions</dt>
            <dd>{registry.versionCount}</dd>
            {syncs(registry.kind) && (
              <>
                <dt>Schedule</dt>
                <dd>{interval(registry.syncIntervalSeconds)}</dd>
                <dt>Credentials</dt>
                <dd>{registry.hasCredentials ? 'stored (never shown)' : 'none'}</dd>
                {registry.insecure && (
                  <>
                    <dt>TLS</dt>
                    <dd>
                      <span className="badge warn">insecure</span>
                    </dd>
                  </>
                )}
              </>
            )}
            <dt>Registered</dt>
            <dd>{formatTime(registry.createdAt)}</dd>
          </dl>
        </section>

        <section className="card" aria-labelledby="status-title">
          <h2 id="status-title">Last sync</h2>
          <dl className="facts">
            <dt>State</dt>
            <dd>
              <span className={stateBadgeClass(sync.state)} data-testid="sync-state">
                {sync.state}
              </span>
            </dd>
            <dt>Last run</dt>
            <dd>
              {sync.lastRunAt ? (
                <>
                  <time dateTime={sync.lastRunAt}>{formatTime(sync.lastRunAt)}</time> <span className="muted small">({relativeTime(sync.lastRunAt)})</span>
                </>
              ) : (
                'never'
              )}
            </dd>
            <dt>Last success</dt>
            <dd>{sync.lastSuccessAt ? <time dateTime={sync.lastSuccessAt}>{formatTime(sync.lastSuccessAt)}</time> : 'never'}</dd>
            {sync.nextSyncAt && (
              <>
                <dt>Next</dt>
                <dd>
                  <time dateTime={sync.nextSyncAt}>{formatTime(sync.nextSyncAt)}</time>
                </dd>
              </>
            )}
            {sync.message && (
              <>
                <dt>Message</dt>
                <dd>{sync.message}</dd>
              </>
            )}
          </dl>
        </section>

        <TrustSummary registry={registry.name} />
      </div>

      {((admin && syncs(registry.kind)) || watched) && (
        <section className="sync-controls" aria-labelledby="sync-title">
          <h2 id="sync-title">Sync</h2>
          {admin && syncs(registry.kind) && (
            <SyncControls registry={registry.name} busy={watched !== null && !watched.done} onStarted={(id) => setWatched({ id, done: false })} />
          )}
          {watched && <LiveRunCard key={watched.id} runId={watched.id} onFinished={onFinished} />}
        </section>
      )}
      {admin && !syncs(registry.kind) && (
        <p className="muted small">
          {registry.kind === 'HOSTED'
            ? 'A hosted registry takes pushes (packctl pack push); it has no upstream to sync.'
            : 'The default registry is loaded from the packs shipped with the service when it starts; it has no upstream to sync.'}
        </p>
      )}

      <RegistryPacks registry={registry.name} refreshKey={refreshKey} />
      <SyncRuns registry={registry.name} refreshKey={refreshKey} />
    </article>
  );
}
