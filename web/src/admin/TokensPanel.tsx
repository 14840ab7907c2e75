/**
 * API tokens, newest first (revoked and expired ones included, marked), a page at a time; create
 * one (its secret shown once), revoke one after a confirmation in a modal dialog (native <dialog>:
 * focus moves into it, Escape cancels, focus returns to the button that opened it).
 */
import { useEffect, useRef, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { ApiErrorAlert } from '../lib/api-error';
import { CursorPager, useCursorTrail } from '../lib/cursor-pager';
import { formatTime, relativeTime } from '../registries/registry-format';
import { tokenState } from './admin-state';
import { CreateTokenForm, type CreatedToken } from './CreateTokenForm';
import { NewTokenSecret } from './NewTokenSecret';
import { ApiTokens, RevokeApiToken } from './queries';

const PAGE_SIZE = 25;

interface Revoking {
  id: string;
  name: string;
  opener: HTMLElement | null;
}

export function TokensPanel({ onChanged }: { onChanged: () => void }) {
  // `before` cursors of the pages shown: the last one is the page on screen (null: the newest).
  const trail = useCursorTrail();
  const before = trail.cursor;
  const [result, reexecute] = useQuery({ query: ApiTokens, variables: { last: PAGE_SIZE, before } });
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [revoking, setRevoking] = useState<Revoking | null>(null);
  const [revoked, revoke] = useMutation(RevokeApiToken);
  const [notice, setNotice] = useState<string | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);

  const refresh = () => {
    trail.reset();
    reexecute({ requestPolicy: 'network-only' });
    onChanged();
  };

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (revoking && !d.open) {
      d.showModal();
      // The safe choice has the focus: Enter right away cancels rather than revokes.
      d.querySelector<HTMLButtonElement>('[data-cancel]')?.focus();
    }
    if (!revoking && d.open) d.close();
  }, [revoking]);

  const closeDialog = () => {
    const opener = revoking?.opener;
    setRevoking(null);
    opener?.focus();
  };

  const confirmRevoke = async () => {
    if (!revoking) return;
    const { id, name } = revoking;
    const answer = await revoke({ id });
    if (answer.error) return; // shown in the dialog
    setRevoking(null);
    setNotice(`Token ${name} revoked: everything using it is refused from now on.`);
    refresh();
  };

  const connection = result.data?.apiTokensConnection;
  // The page is read from the end of an oldest-first list: newest first on screen.
  const tokens = connection ? [...connection.edges].reverse().map((e) => e.node) : [];

  return (
    <section className="tokens" aria-labelledby="tokens-title">
      <h2 id="tokens-title">API tokens</h2>
      {created ? (
        <NewTokenSecret created={created} onDone={() => setCreated(null)} />
      ) : (
        <CreateTokenForm
          onCreated={(c) => {
            setNotice(null);
            setCreated(c);
            refresh();
          }}
        />
      )}
      <p role="status" aria-live="polite" className="small notice">
        {notice}
      </p>
      <ApiErrorAlert error={result.error} />
      {!connection && result.fetching && <p aria-live="polite">Loading tokens…</p>}
      {connection && tokens.length === 0 && <p className="empty">No token yet: the one in ADMIN_TOKEN is the only way in.</p>}
      {connection && tokens.length > 0 && (
        <>
          <p className="muted small">
            {connection.totalCount} {connection.totalCount === 1 ? 'token' : 'tokens'}, newest first
          </p>
          <div className="table-scroll" role="region" aria-labelledby="tokens-title" tabIndex={0}>
            <table className="tokens-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Role</th>
                  <th scope="col">Registries</th>
                  <th scope="col">Prefix</th>
                  <th scope="col">Created</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Last used</th>
                  <th scope="col">State</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((t) => {
                  const state = tokenState(t);
                  return (
                    <tr key={t.id} data-token={t.name}>
                      <th scope="row">
                        {t.name}
                        {t.team && <div className="muted small">team {t.team}</div>}
                      </th>
                      <td>{t.role.toLowerCase()}</td>
                      <td className="small">{t.registries.length ? t.registries.join(', ') : <span className="muted">all</span>}</td>
                      <td>
                        <code>{t.prefix}…</code>
                      </td>
                      <td className="small">
                        <time dateTime={t.createdAt}>{formatTime(t.createdAt)}</time>
                      </td>
                      <td className="small">{t.expiresAt ? <time dateTime={t.expiresAt}>{formatTime(t.expiresAt)}</time> : 'never'}</td>
                      <td className="small">{t.lastUsedAt ? <time dateTime={t.lastUsedAt}>{relativeTime(t.lastUsedAt)}</time> : 'never'}</td>
                      <td>
                        <span className={state === 'active' ? 'badge ok' : state === 'revoked' ? 'badge danger' : 'badge warn'}>{state}</span>
                      </td>
                      <td>
                        {state !== 'revoked' && (
                          <button
                            type="button"
                            className="button small secondary danger-button"
                            aria-label={`Revoke ${t.name}`}
                            onClick={(e) => setRevoking({ id: t.id, name: t.name, opener: e.currentTarget })}
                          >
                            Revoke
                          </button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
      {connection && <CursorPager trail={trail} more={connection.pageInfo.hasPreviousPage} nextCursor={connection.pageInfo.startCursor} label="Token pages" backText="Newer tokens" forwardText="Older tokens" />}

      <dialog
        ref={dialog}
        className="confirm-dialog"
        aria-labelledby="revoke-title"
        aria-describedby="revoke-text"
        onCancel={(e) => {
          e.preventDefault();
          closeDialog();
        }}
      >
        {revoking && (
          <>
            <h3 id="revoke-title">Revoke {revoking.name}?</h3>
            <p id="revoke-text">Every request, session and live connection using this token is refused from now on. This cannot be undone.</p>
            <ApiErrorAlert error={revoked.error} prefix="Not revoked" />
            <div className="button-row">
              <button type="button" className="button danger" onClick={confirmRevoke} disabled={revoked.fetching}>
                Revoke token
              </button>
              <button type="button" className="button secondary" onClick={closeDialog} data-cancel>
                Cancel
              </button>
            </div>
          </>
        )}
      </dialog>
    </section>
  );
}
