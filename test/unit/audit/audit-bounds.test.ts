/** Issue 12, point 10: an audit event never stores a caller's string whole. */
import { AUDIT_LIMITS, boundAuditEvent } from '../../../src/audit/audit.bounds.js';
import type { AuditEventInput } from '../../../src/audit/audit.service.js';

const event = (overrides: Partial<AuditEventInput> = {}): AuditEventInput => ({
  actor: 'anonymous',
  action: 'revokeApiToken',
  targetType: 'token',
  target: 'abc',
  outcome: 'FAILURE',
  message: 'UNAUTHENTICATED: Authentication required.',
  details: { id: 'abc' },
  requestId: 'req-1',
  ...overrides,
});

describe('boundAuditEvent', () => {
  it('keeps ordinary events as they are', () => {
    expect(boundAuditEvent(event())).toEqual(event());
    const details = { registry: 'main', name: 'cilium', version: '1.2.3', force: true, registries: ['a', 'b'] };
    expect(boundAuditEvent(event({ details })).details).toEqual(details);
  });

  it('cuts every string field and the details of a 900 KB argument', () => {
    const huge = 'x'.repeat(900 * 1024);
    const bounded = boundAuditEvent(event({ actor: huge, action: huge, targetType: huge, target: huge, message: huge, requestId: huge, details: { id: huge } }));
    expect(bounded.actor.length).toBe(AUDIT_LIMITS.name);
    expect(bounded.action.length).toBe(AUDIT_LIMITS.name);
    expect(bounded.targetType!.length).toBe(AUDIT_LIMITS.name);
    expect(bounded.requestId!.length).toBe(AUDIT_LIMITS.name);
    expect(bounded.target).toBe(`${'x'.repeat(AUDIT_LIMITS.target - 1)}…`);
    expect(bounded.message!.length).toBe(AUDIT_LIMITS.message);
    expect(JSON.stringify(bounded).length).toBeLessThan(2_000);
  });

  it('bounds details in entries, depth and total size, however they are shaped', () => {
    const wide = Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`key${i}${'k'.repeat(500)}`, 'v'.repeat(1_000)]));
    const deep: Record<string, unknown> = {};
    let cursor = deep;
    for (let i = 0; i < 100; i++) cursor = (cursor.next = {}) as Record<string, unknown>;
    const long = Array.from({ length: 100_000 }, (_, i) => i);
    for (const details of [wide, deep, { long }, { nested: [[[[['x'.repeat(10_000)]]]]] }]) {
      const stored = JSON.stringify(boundAuditEvent(event({ details })).details);
      expect(stored.length).toBeLessThan(AUDIT_LIMITS.detailBudget + 2 * AUDIT_LIMITS.detailString + 100);
    }
  });
});
