/**
 * The session contract of the service: POST /session exchanges a token for an HttpOnly cookie,
 * GET /session says who is signed in, DELETE /session signs out. The token goes in the POST body
 * once and is never stored by the page (no localStorage, no sessionStorage).
 */
export type Role = 'ADMIN' | 'PUBLISHER' | 'VIEWER';

export interface SessionPrincipal {
  name: string;
  role: Role;
  registries: string[];
}

export interface SessionState {
  principal: SessionPrincipal | null;
  expiresAt: string | null;
  anonymousRead: boolean;
}

/** An error the service answered, with its `extensions.code` when it gave one. */
export class SessionError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
    readonly status: number,
  ) {
    super(message);
  }
}

const json = { 'content-type': 'application/json', accept: 'application/json' };

async function errorOf(response: Response): Promise<SessionError> {
  let message = `The service answered ${response.status}`;
  let code: string | null = null;
  try {
    const body = (await response.json()) as { errors?: { message?: string; extensions?: { code?: string } }[] };
    const first = body.errors?.[0];
    if (first?.message) message = first.message;
    code = first?.extensions?.code ?? null;
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  return new SessionError(message, code, response.status);
}

export async function readSession(): Promise<SessionState> {
  const response = await fetch('/session', { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (!response.ok) throw await errorOf(response);
  const body = (await response.json()) as Partial<SessionState>;
  return { principal: body.principal ?? null, expiresAt: body.expiresAt ?? null, anonymousRead: body.anonymousRead === true };
}

export async function signIn(token: string): Promise<{ principal: SessionPrincipal; expiresAt: string | null }> {
  const response = await fetch('/session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: json,
    body: JSON.stringify({ token }),
  });
  if (!response.ok) throw await errorOf(response);
  return (await response.json()) as { principal: SessionPrincipal; expiresAt: string | null };
}

export async function signOut(): Promise<void> {
  const response = await fetch('/session', { method: 'DELETE', credentials: 'same-origin' });
  if (!response.ok && response.status !== 401) throw await errorOf(response);
}
