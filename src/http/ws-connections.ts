/**
 * The open GraphQL WebSocket connections of this process, for their bounds and their credentials:
 * how many each client address and each principal holds (refused past the limits), and a periodic
 * re-check of every connection's credentials, so a revoked or expired token (or an ended session)
 * loses its sockets within one interval instead of keeping them for as long as they stay open.
 */
import type { Principal } from '../auth/principal.js';

export interface WsConnectionLimits {
  /** Open connections one client address may hold (counted at the upgrade, before any credential). */
  maxPerAddress: number;
  /** Open connections one principal (a token, a session's token, the bootstrap admin) may hold. */
  maxPerPrincipal: number;
}

/** One open connection as this registry tracks it. */
export interface TrackedConnection {
  address: string;
  /** Set once the connection is authenticated (graphql-ws `connection_init`). */
  principal?: Principal;
  /** Re-checks the connection's credentials: false when they are refused now; rejects when the check could not run. */
  recheck?: () => Promise<boolean>;
  /** What the credentials were (a token, a session): connections presenting the same share one re-check. */
  credential?: string;
  /** Closes the socket with a code and a reason the client sees. */
  close(code: number, reason: string): void;
}

/** The WebSocket close codes this service uses beyond graphql-ws's own; docs/errors.md lists them. */
export const WS_CLOSE = {
  /** No credentials where they are needed, or bad, revoked or expired ones (graphql-ws's `Unauthorized`: clients don't retry). */
  UNAUTHORIZED: 4401,
  /** Past WS_MAX_CONNECTIONS_PER_TOKEN or WS_MAX_CONNECTIONS_PER_ADDRESS. */
  TOO_MANY_CONNECTIONS: 4029,
  /** The service is shutting down (the standard "going away"). */
  GOING_AWAY: 1001,
  /** The credentials could not be checked (the database is unreachable): the standard "try again later", which clients retry. */
  TRY_AGAIN_LATER: 1013,
} as const;

/**
 * The key a principal's connections (and request budget) are counted under: its token, else its
 * kind and name; anonymous callers are told apart by address, as HTTP's rate limiter does.
 */
export function principalKey(principal: Principal, address: string): string {
  if (principal.kind === 'anonymous') return `anonymous:${address}`;
  return principal.tokenId ?? `${principal.kind}:${principal.name}`;
}

/** Where the number of open connections is published (the metrics' gauge). */
export interface ConnectionGauge {
  set(value: number): void;
}

export class WsConnections {
  private readonly open = new Set<TrackedConnection>();
  private readonly perAddress = new Map<string, number>();
  private readonly perPrincipal = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private checking = false;

  constructor(
    private readonly limits: WsConnectionLimits,
    private readonly gauge?: ConnectionGauge,
  ) {
    gauge?.set(0);
  }

  get size(): number {
    return this.open.size;
  }

  /** Whether `address` may open one more connection (checked before the upgrade is accepted). */
  addressHasRoom(address: string): boolean {
    return (this.perAddress.get(address) ?? 0) < this.limits.maxPerAddress;
  }

  add(connection: TrackedConnection): void {
    this.open.add(connection);
    bump(this.perAddress, connection.address, 1);
    this.gauge?.set(this.open.size);
  }

  /** Binds the connection to its principal; false (nothing counted) when the principal holds its maximum already. */
  authenticated(connection: TrackedConnection, principal: Principal, recheck: () => Promise<boolean>, credential: string): boolean {
    const key = principalKey(principal, connection.address);
    if ((this.perPrincipal.get(key) ?? 0) >= this.limits.maxPerPrincipal) return false;
    connection.principal = principal;
    connection.recheck = recheck;
    connection.credential = credential;
    bump(this.perPrincipal, key, 1);
    return true;
  }

  remove(connection: TrackedConnection): void {
    if (!this.open.delete(connection)) return;
    this.gauge?.set(this.open.size);
    bump(this.perAddress, connection.address, -1);
    if (connection.principal) bump(this.perPrincipal, principalKey(connection.principal, connection.address), -1);
  }

  /** Re-checks every authenticated connection's credentials each `intervalMs`; returns the stop function. */
  startRechecking(intervalMs: number, onError: (error: unknown) => void): () => void {
    this.timer = setInterval(() => {
      if (this.checking) return;
      this.checking = true;
      this.recheckAll(onError).finally(() => (this.checking = false));
    }, intervalMs);
    this.timer.unref();
    return () => clearInterval(this.timer);
  }

  /** Closes every connection (shutdown). */
  closeAll(code: number, reason: string): void {
    for (const connection of [...this.open]) connection.close(code, reason);
  }

  private async recheckAll(onError: (error: unknown) => void): Promise<void> {
    // Connections with the same credentials share one check: a client with 20 sockets costs one lookup.
    const checks = new Map<string, Promise<boolean>>();
    await Promise.all(
      [...this.open].map(async (connection) => {
        if (!connection.principal || !connection.recheck || connection.principal.kind === 'anonymous') return;
        const key = connection.credential ?? principalKey(connection.principal, connection.address);
        let check = checks.get(key);
        // A check that could not run (the database is down) keeps the connection: only a refusal closes it.
        if (!check) {
          checks.set(
            key,
            (check = connection.recheck().catch((error: unknown) => {
              onError(error);
              return true;
            })),
          );
        }
        if (!(await check)) connection.close(WS_CLOSE.UNAUTHORIZED, 'The credentials of this connection were revoked or expired.');
      }),
    );
  }
}

function bump(counts: Map<string, number>, key: string, by: number): void {
  const next = (counts.get(key) ?? 0) + by;
  if (next <= 0) counts.delete(key);
  else counts.set(key, next);
}
