/** Who is calling, and the access rules every service applies. Pure: no I/O. */
import { ForbiddenError, UnauthenticatedError } from '../errors.js';
import type { RegistryVisibility, Role } from '../generated/prisma/enums.js';
import type { RegistryWhereInput } from '../generated/prisma/models.js';

export interface Principal {
  /** Token name, or `anonymous`. */
  name: string;
  role: Role | null;
  /**
   * Registries the token names: a publisher writes only to these (all, when empty), and any token
   * reads the PRIVATE ones among them.
   */
  registries: string[];
  /** The team the token acts for: profiles it creates belong to this team (else to `name`). */
  team?: string | null;
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

/**
 * Which registries a caller may read, as data: every one (ADMIN), or the PUBLIC ones plus the
 * PRIVATE ones its token names. `canReadRegistry`, `readableRegistryWhere` and the catalog's SQL
 * filter are all derived from this one answer, so the rule exists once.
 */
export type RegistryReadScope = { all: true } | { all: false; named: readonly string[] };

export function registryReadScope(principal: Principal): RegistryReadScope {
  if (principal.role === 'ADMIN') return { all: true };
  // An anonymous caller names nothing; a token's names are exact registry names.
  return { all: false, named: isAuthenticated(principal) ? principal.registries : [] };
}

/** Whether the caller may see this registry and everything in it (packs, versions, blobs, charts). */
export function canReadRegistry(principal: Principal, registry: { name: string; visibility: RegistryVisibility }): boolean {
  const scope = registryReadScope(principal);
  return scope.all || registry.visibility === 'PUBLIC' || scope.named.includes(registry.name);
}

/** `canReadRegistry` as a Prisma filter on Registry, for queries that must return readable rows only. */
export function readableRegistryWhere(principal: Principal): RegistryWhereInput {
  const scope = registryReadScope(principal);
  if (scope.all) return {};
  if (scope.named.length === 0) return { visibility: 'PUBLIC' };
  return { OR: [{ visibility: 'PUBLIC' }, { name: { in: [...scope.named] } }] };
}

/** The owner a profile created by this caller gets: its token's team, else its token's name. */
export function profileOwnerOf(principal: Principal): string {
  return principal.team || principal.name;
}

/**
 * ADMIN changes any profile; a PUBLISHER only profiles owned by its token's team or by its token's
 * name, whatever registries the token names; VIEWERs and anonymous callers none. A profile with no
 * owner (created before owners existed) is ADMIN's only. Teams and token names share one namespace:
 * ADMINs, who create tokens, choose them.
 */
export function canChangeProfile(principal: Principal, profile: { owner: string | null }): boolean {
  if (!isAuthenticated(principal) || !hasRole(principal, 'PUBLISHER')) return false;
  if (principal.role === 'ADMIN') return true;
  if (profile.owner === null) return false;
  return profile.owner === principal.name || (!!principal.team && profile.owner === principal.team);
}

export function assertCanChangeProfile(principal: Principal, profile: { name: string; version: string; owner: string | null }): void {
  assertRole(principal, 'PUBLISHER');
  if (canChangeProfile(principal, profile)) return;
  const owner = profile.owner === null ? 'no owner (only ADMINs may change it)' : `owner "${profile.owner}"`;
  throw new ForbiddenError(
    `Profile "${profile.name}" ${profile.version} has ${owner}: a PUBLISHER changes only profiles owned by its token's team ` +
      `or its token's name; the token "${principal.name}"${principal.team ? ` (team "${principal.team}")` : ''} is neither.`,
  );
}
