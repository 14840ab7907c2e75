/** The only SQL on the ApiToken table. Secrets never reach it: only their sha256 (`tokenHash`). */
import type { Db } from '../platform/database.js';
import type { Role } from '../generated/prisma/enums.js';
import type { ApiTokenRecord } from './token.service.js';

export interface NewApiToken {
  name: string;
  role: Role;
  registries: string[];
  team: string | null;
  tokenHash: string;
  prefix: string;
  expiresAt: Date | null;
  createdBy: string;
}

export class TokenStore {
  constructor(private readonly prisma: Db) {}

  findByHash(tokenHash: string): Promise<ApiTokenRecord | null> {
    return this.prisma.apiToken.findUnique({ where: { tokenHash } });
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.prisma.apiToken.update({ where: { id }, data: { lastUsedAt: at } });
  }

  insert(token: NewApiToken): Promise<ApiTokenRecord> {
    return this.prisma.apiToken.create({ data: token });
  }

  findById(id: string): Promise<ApiTokenRecord | null> {
    return this.prisma.apiToken.findUnique({ where: { id } });
  }

  /** Tokens active at `now` (not revoked, not expired) whose team or name is `owner` (webhooks' rights, src/webhooks/webhook.owner-rights.ts). */
  activeOf(owner: string, now: Date): Promise<ApiTokenRecord[]> {
    return this.prisma.apiToken.findMany({
      where: { revokedAt: null, AND: [{ OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }, { OR: [{ team: owner }, { name: owner }] }] },
    });
  }

  list(): Promise<ApiTokenRecord[]> {
    return this.prisma.apiToken.findMany({ orderBy: { createdAt: 'asc' } });
  }

  /** Revokes the token if it is active; false when there is no such active token. */
  async revoke(id: string, at: Date): Promise<boolean> {
    const updated = await this.prisma.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
    return updated.count > 0;
  }
}
