/** API tokens: creation (secret shown once), revocation, listing, and authentication of a bearer secret. */
import { writeFile, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { TokenStore } from './token.store.js';
import type { Role } from '../generated/prisma/enums.js';
import { InvalidInputError, NotFoundError, UnauthenticatedError } from '../errors.js';
import { ANONYMOUS, assertRole, type Principal } from './principal.js';
import { bearerToken, displayPrefix, generateTokenSecret, hashTokenSecret, secretsEqual, TOKEN_PREFIX } from './token.secret.js';

export interface ApiTokenRecord {
  id: string;
  name: string;
  role: Role;
  registries: string[];
  team: string | null;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** Who the bootstrap ADMIN_TOKEN is. */
export const BOOTSTRAP_ADMIN: Principal = Object.freeze({ name: 'admin', role: 'ADMIN', registries: [], kind: 'bootstrap' });

const TOKEN_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._@-]{0,99}$/;
/** lastUsedAt is written at most this often per token, so reads don't each cost a write. */
const LAST_USED_RESOLUTION_MS = 60_000;

export class TokenService {
  constructor(
    private readonly store: TokenStore,
    private readonly options: { adminToken?: string },
  ) {}

  /** Resolve the Authorization header to a principal; a bad or revoked token is UNAUTHENTICATED. */
  async authenticate(authorization: string | undefined): Promise<Principal> {
    if (authorization === undefined || authorization.trim() === '') return ANONYMOUS;
    const secret = bearerToken(authorization);
    if (!secret) throw new UnauthenticatedError('Malformed Authorization header: expected "Bearer <token>".');
    return (await this.resolveSecret(secret)).principal;
  }

  /**
   * A token's secret (the bootstrap ADMIN_TOKEN or an API token) to its principal and the token's
   * own expiry (null: none); web sessions are made from it (src/auth/session.service.ts).
   */
  async resolveSecret(secret: string): Promise<{ principal: Principal; expiresAt: Date | null }> {
    if (this.options.adminToken && secretsEqual(secret, this.options.adminToken)) {
      return { principal: BOOTSTRAP_ADMIN, expiresAt: null };
    }
    if (!secret.startsWith(TOKEN_PREFIX)) throw new UnauthenticatedError('Invalid token.');
    const token = await this.store.findByHash(hashTokenSecret(secret));
    if (!token) throw new UnauthenticatedError('Invalid or revoked token.');
    return { principal: await this.principalOfActive(token), expiresAt: token.expiresAt };
  }

  /**
   * The principal of a token row, which must be active (not revoked, not expired); its lastUsedAt
   * is written at most once a minute. Shared by bearer tokens and the web sessions made from them.
   */
  async principalOfActive(token: ApiTokenRecord): Promise<Principal> {
    if (token.revokedAt) throw new UnauthenticatedError('Invalid or revoked token.');
    const now = Date.now();
    if (token.expiresAt && token.expiresAt.getTime() <= now) throw new UnauthenticatedError('Token expired.');
    if (!token.lastUsedAt || now - token.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.store.touch(token.id, new Date(now));
    }
    return { name: token.name, role: token.role, registries: token.registries, team: token.team, tokenId: token.id, kind: 'token' };
  }

  async create(
    actor: Principal,
    input: { name: string; role: Role; registries?: string[] | null; team?: string | null; expiresAt?: Date | null },
  ): Promise<{ secret: string; token: ApiTokenRecord }> {
    assertRole(actor, 'ADMIN');
    return this.createUnchecked({ ...input, createdBy: actor.name });
  }

  /** Used by `create` after its check, and by the bootstrap at first start. */
  private async createUnchecked(input: {
    name: string;
    role: Role;
    registries?: string[] | null;
    team?: string | null;
    expiresAt?: Date | null;
    createdBy: string;
  }): Promise<{ secret: string; token: ApiTokenRecord }> {
    if (!TOKEN_NAME_PATTERN.test(input.name)) {
      throw new InvalidInputError('Token name must be 1-100 letters, digits, spaces or ._@- characters.', { field: 'name' });
    }
    // A team is a name shown in profile owners and error messages: the same characters as a token name.
    const team = input.team?.trim() || null;
    if (team !== null && !TOKEN_NAME_PATTERN.test(team)) {
      throw new InvalidInputError('Token team must be 1-100 letters, digits, spaces or ._@- characters.', { field: 'team' });
    }
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
      throw new InvalidInputError('expiresAt must be in the future.', { field: 'expiresAt' });
    }
    const registries = [...new Set(input.registries ?? [])];
    if (registries.length > 100) throw new InvalidInputError('A token names at most 100 registries.', { field: 'registries' });
    const secret = generateTokenSecret();
    const token = await this.store.insert({
      name: input.name,
      role: input.role,
      registries,
      team,
      tokenHash: hashTokenSecret(secret),
      prefix: displayPrefix(secret),
      expiresAt: input.expiresAt ?? null,
      createdBy: input.createdBy,
    });
    return { secret, token };
  }

  async list(actor: Principal): Promise<ApiTokenRecord[]> {
    assertRole(actor, 'ADMIN');
    return this.store.list();
  }

  /** One token by id (`node(id:)`), with the rule of `list`: ADMIN only, refused (not hidden) to others. */
  async get(actor: Principal, id: string): Promise<ApiTokenRecord | null> {
    assertRole(actor, 'ADMIN');
    return isUuid(id) ? this.store.findById(id) : null;
  }

  async revoke(actor: Principal, id: string): Promise<boolean> {
    assertRole(actor, 'ADMIN');
    // A malformed id names no token (and would be a database error as a uuid).
    const revoked = isUuid(id) && (await this.store.revoke(id, new Date()));
    if (!revoked) throw new NotFoundError(`No active token with id "${id}".`);
    return true;
  }

  /**
   * First start without ADMIN_TOKEN: create an admin token, write it to `<dataDir>/admin-token`
   * (mode 0600) and return it so the caller prints it once. Later starts find the file and do nothing.
   */
  async bootstrapAdminToken(dataDir: string): Promise<{ secret: string; file: string } | { file: string; secret?: undefined }> {
    const file = path.join(dataDir, 'admin-token');
    const exists = await stat(file).then(() => true, () => false);
    if (exists) return { file };
    const { secret } = await this.createUnchecked({ name: 'bootstrap-admin', role: 'ADMIN', createdBy: 'bootstrap' });
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, `${secret}\n`, { mode: 0o600 });
    return { secret, file };
  }
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
