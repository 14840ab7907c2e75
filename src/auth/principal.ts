/** Who is calling, and the access rules every service applies. Pure: no I/O. */
import { ForbiddenError, UnauthenticatedError } from '../errors.js';
import type { Role } from '../generated/prisma/enums.js';

export interface Principal {
  /** Token name, or `anonymous`. */
  name: string;
  role: Role | null;
  /** Registries a publisher may write to; empty means all. */
  registries: string[];
  tokenId?: string;
  kind: 'token' | 'bootstrap' | 'anonymous';
}

export const ANONYMOUS: Principal = { name: 'anonymous', role: null, registries: [], kind: 'anonymous' };

const RANK: Record<Role, number> = { VIEWER: 1, PUBLISHER: 2, ADMIN: 3 };

export interface AccessPolicy {
  allowAnonymousRead: boolean;
}

export function isAuthenticated(principal: Principal): boolean {
  return principal.kind !== 'anonymous';
}

/** Reads need a token unless anonymous reads are switched on. */
export function assertCanRead(principal: Principal, policy: AccessPolicy): void {
  if (!isAuthenticated(principal) && !policy.allowAnonymousRead) throw new UnauthenticatedError();
}

export function hasRole(principal: Principal, role: Role): boolean {
  return principal.role !== null && RANK[principal.role] >= RANK[role];
}

export function assertRole(principal: Principal, role: Role): void {
  if (!isAuthenticated(principal)) throw new UnauthenticatedError();
  if (!hasRole(principal, role)) {
    throw new ForbiddenError(`This operation needs the ${role} role; the token "${principal.name}" has ${principal.role}.`);
  }
}

/** Publishers write only to the registries their token names (all, when it names none). */
export function assertCanPublish(principal: Principal, registryName: string): void {
  assertRole(principal, 'PUBLISHER');
  if (principal.role === 'ADMIN') return;
  if (principal.registries.length > 0 && !principal.registries.includes(registryName)) {
    throw new ForbiddenError(`The token "${principal.name}" may not publish to registry "${registryName}".`);
  }
}
