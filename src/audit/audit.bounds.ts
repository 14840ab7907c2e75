/**
 * Bounds on what one audit event may hold. Applied by the recorder to every event it writes, so no
 * caller (GraphQL mutations, OCI pushes, whatever comes next) can forget them: a caller-chosen
 * argument (a 900 KB token id, a huge message) is cut, never stored whole.
 */
import type { AuditEventInput } from './audit.service.js';

export const AUDIT_LIMITS = {
  /** actor, action, targetType, requestId */
  name: 100,
  target: 300,
  message: 500,
  /** Any one string inside `details`. */
  detailString: 200,
  /** Items of an array, keys of an object, inside `details`. */
  detailEntries: 20,
  detailDepth: 4,
  /** Characters of `details` in all (strings and keys; other values count 8). */
  detailBudget: 2_000,
} as const;

const ELLIPSIS = '…';

function cut(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}${ELLIPSIS}`;
}

function cutOrNull(value: string | null, max: number): string | null {
  return value === null ? null : cut(String(value), max);
}

/** A copy of `value` within the detail limits; `budget.left` is what the whole of `details` may still spend. */
function boundDetail(value: unknown, depth: number, budget: { left: number }): unknown {
  if (typeof value === 'string') {
    const kept = cut(value, Math.max(1, Math.min(AUDIT_LIMITS.detailString, budget.left)));
    budget.left -= kept.length;
    return kept;
  }
  budget.left -= 8;
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value !== 'object' || depth >= AUDIT_LIMITS.detailDepth) return ELLIPSIS;
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const item of value) {
      if (items.length >= AUDIT_LIMITS.detailEntries || budget.left <= 0) {
        items.push(ELLIPSIS);
        break;
      }
      items.push(boundDetail(item, depth + 1, budget));
    }
    return items;
  }
  const result: Record<string, unknown> = {};
  let entries = 0;
  for (const [key, item] of Object.entries(value)) {
    if (entries >= AUDIT_LIMITS.detailEntries || budget.left <= 0) {
      result[ELLIPSIS] = true;
      break;
    }
    const name = cut(key, AUDIT_LIMITS.name);
    budget.left -= name.length;
    result[name] = boundDetail(item, depth + 1, budget);
    entries++;
  }
  return result;
}

/** The event as it may be stored: every string cut to its limit, `details` within its budget. */
export function boundAuditEvent(event: AuditEventInput): AuditEventInput {
  return {
    ...event,
    actor: cut(String(event.actor), AUDIT_LIMITS.name),
    action: cut(String(event.action), AUDIT_LIMITS.name),
    targetType: cutOrNull(event.targetType, AUDIT_LIMITS.name),
    target: cutOrNull(event.target, AUDIT_LIMITS.target),
    message: cutOrNull(event.message, AUDIT_LIMITS.message),
    requestId: cutOrNull(event.requestId, AUDIT_LIMITS.name),
    details: event.details === null ? null : (boundDetail(event.details, 0, { left: AUDIT_LIMITS.detailBudget }) as Record<string, unknown>),
  };
}
