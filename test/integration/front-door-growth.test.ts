/**
 * Issue 12, point 10: what anonymous callers send never grows the service's storage or metrics
 * without bound: audit rows are cut to their bounds, metric labels come from the schema.
 */
import request from 'supertest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { AUDIT_LIMITS } from '../../src/audit/audit.bounds.js';

describe('growth from anonymous input', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '0' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('stores a bounded audit row for an anonymous revokeApiToken with a 900 KB id', async () => {
    const marker = `huge-${Date.now()}-`;
    const id = marker + 'x'.repeat(900 * 1024);
    const { body } = await t.gql('mutation($id: ID!) { revokeApiToken(id: $id) }', { id }, null);
    expect(body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    const rows = await t.database.prisma.auditEvent.findMany({ where: { action: 'revokeApiToken', target: { startsWith: marker } } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actor).toBe('anonymous');
    expect(rows[0]!.target!.length).toBeLessThanOrEqual(AUDIT_LIMITS.target);
    expect(JSON.stringify(rows[0]).length).toBeLessThan(4_000);
  });

  it('labels GraphQL metrics by root field, so 500 unique operation names add no series', async () => {
    const series = async () => {
      const text = (await request(t.app).get('/metrics')).text;
      return { text, lines: text.split('\n').filter((l) => l.startsWith('packcatalog_graphql_')).length };
    };
    await t.gql('query Warmup { me { name } }', {}, null);
    const before = await series();
    for (let i = 0; i < 500; i++) await t.gql(`query Unique${i}_${'n'.repeat(2_000)} { me { name } }`, {}, null);
    const after = await series();
    expect(after.lines).toBe(before.lines);
    expect(after.text).not.toContain('Unique1_');
    expect(after.text).toMatch(/packcatalog_graphql_operations_total\{operation="me",type="query",outcome="success"\} 501/);
  });
});
