/** Pure parts of the admin page: the audit filter in the URL, the token form's input, a token's state. */

export type Outcome = 'SUCCESS' | 'FAILURE';

export interface AuditFilterState {
  actor: string;
  action: string;
  target: string;
  outcome: Outcome | '';
  /** `YYYY-MM-DDTHH:MM` as a datetime-local field gives it, read as UTC. */
  since: string;
}

export const EMPTY_AUDIT_FILTER: AuditFilterState = { actor: '', action: '', target: '', outcome: '', since: '' };

const SINCE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/** The filter the URL holds (`?actor=&action=&target=&outcome=&since=`); unknown values are dropped. */
export function parseAuditFilter(params: URLSearchParams): AuditFilterState {
  const outcome = params.get('outcome');
  const since = params.get('since') ?? '';
  return {
    actor: (params.get('actor') ?? '').trim(),
    action: (params.get('action') ?? '').trim(),
    target: (params.get('target') ?? '').trim(),
    outcome: outcome === 'SUCCESS' || outcome === 'FAILURE' ? outcome : '',
    since: SINCE.test(since) ? since : '',
  };
}

/** The URL of a filter: only what is set. */
export function auditFilterParams(state: AuditFilterState): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ['actor', 'action', 'target', 'outcome', 'since'] as const) if (state[key]) params.set(key, state[key]);
  return params;
}

/** The API's AuditEventFilter: empty fields left out, `since` as an instant at UTC. */
export function auditFilterInput(state: AuditFilterState): { actor?: string; action?: string; target?: string; outcome?: Outcome; since?: string } {
  return {
    ...(state.actor ? { actor: state.actor } : {}),
    ...(state.action ? { action: state.action } : {}),
    ...(state.target ? { target: state.target } : {}),
    ...(state.outcome ? { outcome: state.outcome } : {}),
    ...(state.since ? { since: `${state.since}:00.000Z` } : {}),
  };
}

export type TokenRole = 'VIEWER' | 'PUBLISHER' | 'ADMIN';

export interface TokenForm {
  name: string;
  role: TokenRole;
  registries: string[];
  /** `YYYY-MM-DD` (the token ends at the end of that day, UTC), or empty: no expiry. */
  expires: string;
  team: string;
}

export interface TokenInput {
  name: string;
  role: TokenRole;
  registries: string[] | null;
  expiresAt: string | null;
  team: string | null;
}

/** The createApiToken variables of the form, or what is wrong with it (the service checks again). */
export function tokenInput(form: TokenForm, today: string = new Date().toISOString().slice(0, 10)): { input: TokenInput } | { problem: string; field: keyof TokenForm } {
  const name = form.name.trim();
  if (!name) return { problem: 'Give the token a name: it is who the audit trail says acted.', field: 'name' };
  if (form.expires && !/^\d{4}-\d{2}-\d{2}$/.test(form.expires)) return { problem: 'The expiry is a date, YYYY-MM-DD.', field: 'expires' };
  if (form.expires && form.expires < today) return { problem: 'The expiry is in the past.', field: 'expires' };
  return {
    input: {
      name,
      role: form.role,
      registries: form.registries.length ? [...new Set(form.registries)] : null,
      expiresAt: form.expires ? `${form.expires}T23:59:59.000Z` : null,
      team: form.team.trim() || null,
    },
  };
}

export type TokenState = 'active' | 'revoked' | 'expired';

export function tokenState(token: { revokedAt: string | null; expiresAt: string | null }, now: number = Date.now()): TokenState {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && new Date(token.expiresAt).getTime() <= now) return 'expired';
  return 'active';
}
