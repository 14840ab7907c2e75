/** The only SQL on the WebSession table: web console sessions, stored by the sha256 of their cookie's id. */
import type { Db } from '../platform/database.js';
import type { ApiTokenRecord } from './token.service.js';

export interface WebSessionRecord {
  id: string;
  idHash: string;
  tokenId: string | null;
  adminTokenHash: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

export interface NewWebSession {
  idHash: string;
  tokenId: string | null;
  adminTokenHash: string | null;
  expiresAt: Date;
}

export class SessionStore {
  constructor(private readonly prisma: Db) {}

  insert(session: NewWebSession): Promise<WebSessionRecord> {
    return this.prisma.webSession.create({ data: session });
  }

  /** A session with the token it was made from, in one read (every cookie-authenticated request makes it). */
  findByHash(idHash: string): Promise<(WebSessionRecord & { token: ApiTokenRecord | null }) | null> {
    return this.prisma.webSession.findUnique({ where: { idHash }, include: { token: true } });
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.prisma.webSession.updateMany({ where: { id }, data: { lastSeenAt: at } });
  }

  async deleteByHash(idHash: string): Promise<void> {
    await this.prisma.webSession.deleteMany({ where: { idHash } });
  }

  /** Removes sessions past their end (absolute, or idle since `idleBefore`); returns how many. */
  async deleteEnded(now: Date, idleBefore: Date): Promise<number> {
    const { count } = await this.prisma.webSession.deleteMany({ where: { OR: [{ expiresAt: { lte: now } }, { lastSeenAt: { lte: idleBefore } }] } });
    return count;
  }
}
