/**
 * The audit trail, newest first: filters by actor, action, target, outcome and time (held in the
 * URL, so a filtered trail can be shared), a page at a time. Token events name their token by id;
 * the names are read in one `nodes` query per page.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { ApiErrorAlert } from '../lib/api-error';
import { CursorPager, useCursorTrail } from '../lib/cursor-pager';
import { formatTime } from '../registries/registry-format';
import { auditFilterInput, auditFilterParams, parseAuditFilter, type AuditFilterState, type Outcome } from './admin-state';
import { AuditEvents, TokenNames } from './queries';

const PAGE_SIZE = 25;
/** Mutations worth offering in the action field (any name can be typed). */
const ACTIONS = ['createApiToken', 'revokeApiToken', 'createRegistry', 'updateRegistry', 'deleteRegistry', 'syncRegistry', 'setTrustPolicy', 'pushPack', 'deletePackVersion', 'tagPackVersion', 'setPackVersionLifecycle', 'createProfile', 'deleteProfile'];

export function AuditTrail({ refreshKey }: { refreshKey: number }) {
  const [params, setParams] = useSearchParams();
  const applied = useMemo(() => parseAuditFilter(params), [params]);
  const [draft, setDraft] = useState<AuditFilterState>(applied);
  useEffect(() => setDraft(applied), [applied]);

  const trail = useCursorTrail();
  const after = trail.cursor;
  const filter = useMemo(() => auditFilterInput(applied), [applied]);
  const [result, reexecute] = useQuery({ query: AuditEvents, variables: { first: PAGE_SIZE, after, filter } });
  useEffect(() => {
    if (refreshKey > 0) {
      trail.reset();
      reexecute({ requestPolicy: 'network-only' });
    }
  }, [refreshKey, reexecute]);

  const events = result.data?.auditEvents;
  const tokenIds = useMemo(
    () => [...new Set((events?.edges ?? []).filter((e) => e.node.targetType === 'token' && e.node.target && /^[A-Za-z0-9+/=_-]{8,}$/.test(e.node.target)).map((e) => e.node.target!))],
    [events],
  );
  const [names] = useQuery({ query: TokenNames, variables: { ids: tokenIds }, pause: tokenIds.length === 0 });
  const nameOf = new Map<string, string>();
  for (const node of names.data?.nodes ?? []) if (node && 'name' in node && node.name) nameOf.set(node.id, node.name);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    trail.reset();
    const next = new URLSearchParams(params);
    for (const key of ['actor', 'action', 'target', 'outcome', 'since']) next.delete(key);
    for (const [key, value] of auditFilterParams(draft)) next.set(key, value);
    setParams(next);
  };
  const clear = () => {
    trail.reset();
    setDraft(parseAuditFilter(new URLSearchParams()));
    setParams(new URLSearchParams());
  };

  return (
    <section className="audit" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit trail</h2>
      <form className="audit-filter" role="search" aria-label="Filter the audit trail" onSubmit={apply}>
        <div className="field">
          <label htmlFor="audit-actor">Actor</label>
          <input id="audit-actor" type="text" value={draft.actor} autoComplete="off" onChange={(e) => setDraft({ ...draft, actor: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="audit-action">Action</label>
          <input id="audit-action" type="text" list="audit-actions" value={draft.action} autoComplete="off" onChange={(e) => setDraft({ ...draft, action: e.target.value })} />
          <datalist id="audit-actions">
            {ACTIONS.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor="audit-target">Target contains</label>
          <input id="audit-target" type="text" value={draft.target} autoComplete="off" onChange={(e) => setDraft({ ...draft, target: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="audit-outcome">Outcome</label>
          <select id="audit-outcome" value={draft.outcome} onChange={(e) => setDraft({ ...draft, outcome: e.target.value as Outcome | '' })}>
            <option value="">Any</option>
            <option value="SUCCESS">Success</option>
            <option value="FAILURE">Failure</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-since">Since (UTC)</label>
          <input id="audit-since" type="datetime-local" value={draft.since} onChange={(e) => setDraft({ ...draft, since: e.target.value })} />
        </div>
        <div className="button-row">
          <button type="submit" className="button">
            Filter
          </button>
          <button type="button" className="button secondary" onClick={clear}>
            Clear
          </button>
        </div>
      </form>
      <ApiErrorAlert error={result.error} />
      {!events && result.fetching && <p aria-live="polite">Loading the audit trail…</p>}
      {events && (
        <p className="muted small" role="status" aria-live="polite">
          {events.totalCount} {events.totalCount === 1 ? 'event' : 'events'}
          {Object.keys(filter).length ? ' matching the filter' : ''}, newest first
        </p>
      )}
      {events && events.edges.length === 0 && <p className="empty">No event matches. Clear the filter or widen the time.</p>}
      {events && events.edges.length > 0 && (
        <div className="table-scroll" role="region" aria-label="Audit events" tabIndex={0}>
          <table className="audit-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {events.edges.map(({ node: e }) => (
                <tr key={e.id}>
                  <td className="small">
                    <time dateTime={e.at}>{formatTime(e.at)}</time>
                  </td>
                  <td>{e.actor}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td className="target">
                    {e.target && nameOf.has(e.target) ? (
                      <>
                        {e.targetType} {nameOf.get(e.target)} <code className="muted small">{e.target}</code>
                      </>
                    ) : e.target ? (
                      <>
                        {e.targetType && e.targetType !== 'other' ? `${e.targetType} ` : ''}
                        <code>{e.target}</code>
                      </>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td>
                    <span className={e.outcome === 'SUCCESS' ? 'badge ok' : 'badge danger'}>{e.outcome.toLowerCase()}</span>
                    {e.message && <div className="small">{e.message}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {events && <CursorPager trail={trail} more={events.pageInfo.hasNextPage} nextCursor={events.pageInfo.endCursor} label="Audit pages" backText="Newer events" forwardText="Older events" />}
    </section>
  );
}
