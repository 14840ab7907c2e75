/** The only SQL on the AuditEvent table: append events, read a page newest first. */
import type { Db } from '../platform/database.js';
import { Prisma } from '../generated/prisma/client.js';
import type { AuditEventInput, AuditEventRow, AuditFilter } from './audit.service.js';

/** A position in the newest-first order: (time, id). */
export interface AuditPosition {
  at: Date;
  id: string;
}

export class AuditStore {
  constructor(private readonly prisma: Db) {}

  async insert(events: AuditEventInput[]): Promise<void> {
    await this.prisma.auditEvent.createMany({
      data: events.map((e) => ({ ...e, details: (e.details ?? Prisma.DbNull) as Prisma.InputJsonValue })),
    });
  }

  findById(id: string): Promise<AuditEventRow | null> {
    return this.prisma.auditEvent.findUnique({ where: { id } }) as Promise<AuditEventRow | null>;
  }

  /** Up to `take` events matching `filter` after `from` (newest first), and how many match in all. */
  async page(filter: AuditFilter, from: AuditPosition | null, take: number): Promise<{ rows: AuditEventRow[]; totalCount: number }> {
    const where: Prisma.AuditEventWhereInput = {
      ...(filter.actor ? { actor: filter.actor } : {}),
      ...(filter.action ? { action: filter.action } : {}),
      ...(filter.target ? { target: { contains: filter.target } } : {}),
      ...(filter.outcome ? { outcome: filter.outcome } : {}),
      ...(filter.since ? { at: { gte: filter.since } } : {}),
    };
    const page = from ? { AND: [where, { OR: [{ at: { lt: from.at } }, { at: from.at, id: { lt: from.id } }] }] } : where;
    const [rows, totalCount] = await Promise.all([
      this.prisma.auditEvent.findMany({ where: page, orderBy: [{ at: 'desc' }, { id: 'desc' }], take }),
      this.prisma.auditEvent.count({ where }),
    ]);
    return { rows: rows as unknown as AuditEventRow[], totalCount };
  }
}
