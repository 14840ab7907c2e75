/** The audit trail: written for every mutation, read by admins. */
import type { Logger } from '../platform/logger.js';
import type { AuditOutcome } from '../generated/prisma/enums.js';
import { assertRole, type Principal } from '../auth/principal.js';
import { checkPageSize, decodeCursor, encodeCursor, pageInfoOf } from '../graphql/pagination.js';
import { boundAuditEvent } from './audit.bounds.js';
import type { AuditPosition, AuditStore } from './audit.store.js';

export interface AuditEventInput {
  actor: string;
  action: string;
  targetType: string | null;
  target: string | null;
  outcome: AuditOutcome;
  message: string | null;
  details: Record<string, unknown> | null;
  requestId: string | null;
}

export interface AuditRecorder {
  record(events: AuditEventInput[]): Promise<void>;
}

export interface AuditFilter {
  actor?: string | null;
  action?: string | null;
  target?: string | null;
  outcome?: AuditOutcome | null;
  since?: Date | null;
}

export interface AuditEventRow extends AuditEventInput {
  id: string;
  at: Date;
}

/** Events are paged newest first by (time, id). */
function auditCursor(row: { at: Date; id: string }): string {
  return encodeCursor(`${row.at.toISOString()}|${row.id}`);
}

function positionOfCursor(cursor: string): AuditPosition {
  return decodeCursor(cursor, (text) => {
    const [at, id] = text.split('|');
    const date = new Date(at ?? '');
    return !id || Number.isNaN(date.getTime()) ? null : { at: date, id };
  });
}

export class AuditService implements AuditRecorder {
  constructor(
    private readonly store: AuditStore,
    private readonly logger: Logger,
  ) {}

  /** Writes the events, each cut to the audit bounds (audit.bounds.ts) whoever the caller. */
  async record(events: AuditEventInput[]): Promise<void> {
    const bounded = events.map(boundAuditEvent);
    try {
      await this.store.insert(bounded);
    } catch (error) {
      // The mutation already happened; losing its event is logged loudly rather than failing the answer.
      this.logger.error({ err: error, events: bounded.map((e) => ({ action: e.action, actor: e.actor, target: e.target })) }, 'audit write failed');
    }
  }

  /** One event by id (`node(id:)`), with the rule of `list`: ADMIN only. */
  async get(actor: Principal, id: string): Promise<AuditEventRow | null> {
    assertRole(actor, 'ADMIN');
    return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) ? this.store.findById(id) : null;
  }

  /** Newest first, paged by (time, id). */
  async list(actor: Principal, first: number | null | undefined, after: string | null | undefined, filter: AuditFilter = {}) {
    assertRole(actor, 'ADMIN');
    const size = checkPageSize(first);
    const cursor = after ? positionOfCursor(after) : null;
    const { rows, totalCount } = await this.store.page(filter, cursor, size + 1);
    const edges = rows.slice(0, size).map((row) => ({ cursor: auditCursor(row), node: row }));
    return {
      edges,
      totalCount,
      pageInfo: pageInfoOf(edges, rows.length > size, cursor !== null),
    };
  }
}
