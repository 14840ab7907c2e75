/**
 * The OciUploadSession and OciUploadChunk tables: OCI blob upload sessions shared by every replica
 * on one database (the only SQL on them; `UploadSessionStore` in oci.uploads.ts is their one user).
 * Session quotas are checked and claimed in one transaction under a transaction advisory lock, so
 * replicas starting sessions at the same moment cannot both take the last place.
 */
import type { Db } from '../platform/database.js';

export interface UploadSessionRow {
  uuid: string;
  repository: string;
  owner: string;
  startedAt: Date;
  lastActivity: Date;
  size: bigint;
}

/** Why a start was refused: the owner's or everyone's session count is at its bound. */
export type SessionClaim =
  | { claimed: true }
  | { claimed: false; bound: 'owner'; count: number; oldestActivity: Date }
  | { claimed: false; bound: 'total'; count: number };

/** Serialises session claims across replicas (pg_advisory_xact_lock's key: 'pack' and this). */
const QUOTA_LOCK: [number, number] = [0x7061636b, 0x6f636975]; // 'pack', 'ociu'

export class OciUploadSessionStore {
  constructor(private readonly db: Db) {}

  /** Inserts the session unless `owner` has `maxPerOwner` sessions or everyone `maxTotal`. */
  async claim(session: { uuid: string; repository: string; owner: string; now: Date }, maxPerOwner: number, maxTotal: number): Promise<SessionClaim> {
    return this.db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${QUOTA_LOCK[0]}::int, ${QUOTA_LOCK[1]}::int)`;
      const mine = await tx.ociUploadSession.aggregate({ where: { owner: session.owner }, _count: { _all: true }, _min: { lastActivity: true } });
      if (mine._count._all >= maxPerOwner) return { claimed: false, bound: 'owner', count: mine._count._all, oldestActivity: mine._min.lastActivity ?? session.now };
      const total = await tx.ociUploadSession.count();
      if (total >= maxTotal) return { claimed: false, bound: 'total', count: total };
      await tx.ociUploadSession.create({
        data: { uuid: session.uuid, repository: session.repository, owner: session.owner, startedAt: session.now, lastActivity: session.now },
      });
      return { claimed: true };
    });
  }

  find(uuid: string): Promise<UploadSessionRow | null> {
    return this.db.ociUploadSession.findUnique({ where: { uuid } });
  }

  /** Open sessions and bytes received, of one owner or of everyone. */
  async usage(owner?: string): Promise<{ sessions: number; bytes: number }> {
    const found = await this.db.ociUploadSession.aggregate({ where: owner === undefined ? {} : { owner }, _count: { _all: true }, _sum: { size: true } });
    return { sessions: found._count._all, bytes: Number(found._sum.size ?? 0n) };
  }

  /** Marks the session active now (a chunk is arriving). */
  async touch(uuid: string, now: Date): Promise<void> {
    await this.db.ociUploadSession.updateMany({ where: { uuid }, data: { lastActivity: now } });
  }

  /**
   * Records a chunk received at `offset`, if the session still exists and still ends there (another
   * request may have appended, or the sweep removed it, meanwhile): false otherwise, nothing recorded.
   */
  async addChunk(uuid: string, offset: bigint, size: bigint, digest: string, now: Date): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const moved = await tx.ociUploadSession.updateMany({ where: { uuid, size: offset }, data: { size: offset + size, lastActivity: now } });
      if (moved.count !== 1) return false;
      await tx.ociUploadChunk.create({ data: { sessionUuid: uuid, offset, size, digest } });
      return true;
    });
  }

  /** The session's chunks in blob order. */
  chunks(uuid: string): Promise<Array<{ offset: bigint; size: bigint; digest: string }>> {
    return this.db.ociUploadChunk.findMany({ where: { sessionUuid: uuid }, orderBy: { offset: 'asc' }, select: { offset: true, size: true, digest: true } });
  }

  /** Deletes the session (and its chunk rows); answers the chunk objects' digests, null when it was gone already. */
  async delete(uuid: string): Promise<string[] | null> {
    return this.db.$transaction(async (tx) => {
      const chunks = await tx.ociUploadChunk.findMany({ where: { sessionUuid: uuid }, select: { digest: true } });
      const deleted = await tx.ociUploadSession.deleteMany({ where: { uuid } });
      return deleted.count === 1 ? chunks.map((c) => c.digest) : null;
    });
  }

  /** Sessions idle since before `cutoff`. */
  async idleSince(cutoff: Date): Promise<string[]> {
    const rows = await this.db.ociUploadSession.findMany({ where: { lastActivity: { lt: cutoff } }, select: { uuid: true } });
    return rows.map((r) => r.uuid);
  }

  /** Of `digests`, those that are chunks of open sessions (the collector must keep their objects). */
  async chunkDigests(digests: string[]): Promise<Set<string>> {
    if (digests.length === 0) return new Set();
    const rows = await this.db.ociUploadChunk.findMany({ where: { digest: { in: digests } }, select: { digest: true } });
    return new Set(rows.map((r) => r.digest));
  }
}
