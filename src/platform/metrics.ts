/** Prometheus metrics: one registry per app instance (so tests and replicas don't share state). */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  graphqlOperations: Counter<'operation' | 'type' | 'outcome'>;
  graphqlDuration: Histogram<'operation' | 'type'>;
  graphqlErrors: Counter<'code'>;
  syncRuns: Counter<'registry' | 'state'>;
  syncItems: Counter<'registry' | 'result'>;
}

export function createMetrics(options: { collectProcessMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.collectProcessMetrics !== false) collectDefaultMetrics({ register: registry });
  const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
  return {
    registry,
    httpRequests: new Counter({
      name: 'packcatalog_http_requests_total',
      help: 'HTTP requests by method, route and status.',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'packcatalog_http_request_duration_seconds',
      help: 'HTTP request duration in seconds.',
      labelNames: ['method', 'route', 'status'],
      buckets,
      registers: [registry],
    }),
    graphqlOperations: new Counter({
      name: 'packcatalog_graphql_operations_total',
      help: 'GraphQL operations by name, type and outcome.',
      labelNames: ['operation', 'type', 'outcome'],
      registers: [registry],
    }),
    graphqlDuration: new Histogram({
      name: 'packcatalog_graphql_operation_duration_seconds',
      help: 'GraphQL operation duration in seconds.',
      labelNames: ['operation', 'type'],
      buckets,
      registers: [registry],
    }),
    graphqlErrors: new Counter({
      name: 'packcatalog_graphql_errors_total',
      help: 'GraphQL errors sent to clients, by extensions.code (INTERNAL_SERVER_ERROR means a server fault).',
      labelNames: ['code'],
      registers: [registry],
    }),
    syncRuns: new Counter({
      name: 'packcatalog_sync_runs_total',
      help: 'Registry sync runs by registry and final state.',
      labelNames: ['registry', 'state'],
      registers: [registry],
    }),
    syncItems: new Counter({
      name: 'packcatalog_sync_items_total',
      help: 'Registry sync items by registry and result (added, updated, removed, unchanged, failed).',
      labelNames: ['registry', 'result'],
      registers: [registry],
    }),
  };
}
