/** Issue 12, point 10: no label of any metric grows with what clients send. */
import { createMetrics, labelGuard, MAX_VALUES_PER_LABEL } from '../../../src/platform/metrics.js';

describe('metric labels', () => {
  it('keeps at most MAX_VALUES_PER_LABEL plain values per label and counts the rest as other', () => {
    const guard = labelGuard<'operation' | 'type'>();
    for (let i = 0; i < MAX_VALUES_PER_LABEL; i++) expect(guard({ operation: `op${i}`, type: 'query' })).toEqual({ operation: `op${i}`, type: 'query' });
    expect(guard({ operation: 'one-too-many', type: 'query' })).toEqual({ operation: 'other', type: 'query' });
    expect(guard({ operation: 'op7', type: 'query' })).toEqual({ operation: 'op7', type: 'query' }); // known values stay
    expect(guard({ operation: 'op1', type: 'x'.repeat(65) })).toEqual({ operation: 'op1', type: 'other' });
    expect(guard({ operation: 'op1', type: 'a b"\n' })).toEqual({ operation: 'op1', type: 'other' });
  });

  it('bounds every metric of the registry, whatever a caller passes', async () => {
    const metrics = createMetrics({ collectProcessMetrics: false });
    for (let i = 0; i < 2_000; i++) {
      const operation = `Op${i}_${'x'.repeat(50)}`;
      metrics.graphqlOperations.inc({ operation, type: 'query', outcome: 'success' });
      metrics.graphqlDuration.observe({ operation, type: 'query' }, 0.01);
      metrics.graphqlErrors.inc({ code: `CODE_${i}` });
      metrics.httpRequests.inc({ method: `M${i}`, route: '/graphql', status: '200' });
    }
    const text = await metrics.registry.metrics();
    const series = (name: string) => text.split('\n').filter((line) => line.startsWith(`${name}{`)).length;
    expect(series('packcatalog_graphql_operations_total')).toBe(MAX_VALUES_PER_LABEL + 1);
    expect(series('packcatalog_graphql_errors_total')).toBe(MAX_VALUES_PER_LABEL + 1);
    expect(series('packcatalog_http_requests_total')).toBe(MAX_VALUES_PER_LABEL + 1);
    expect(text).toMatch(/packcatalog_graphql_operations_total\{operation="other",type="query",outcome="success"\} 1900/);
    expect(text.length).toBeLessThan(400_000);
  });
});
