/**
 * Prometheus metrics: one registry per app instance (so tests and replicas don't share state).
 *
 * Every label is bounded here, whoever the caller: each label of a metric keeps at most
 * MAX_VALUES_PER_LABEL distinct, plain values, and counts anything else as `other`. Callers pass
 * bounded values in the first place (routes, root field names, error codes, registry names); this
 * is what keeps /metrics from growing with what a client sends if one ever doesn't.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type LabelValues } from 'prom-client';

export const MAX_VALUES_PER_LABEL = 100;
const PLAIN_LABEL_VALUE = /^[\w.:/+-]{1,64}$/;

/** Maps label values to themselves while they fit the bounds, else to `other`. */
export function labelGuard<T extends string>(): (labels: LabelValues<T>) => LabelValues<T> {
  const seen = new Map<string, Set<string>>();
  return (labels) => {
    const bounded: Record<string, string> = {};
    for (const [name, raw] of Object.entries(labels)) {
      const value = String(raw);
      let values = seen.get(name);
      if (!values) seen.set(name, (values = new Set()));
      if (!values.has(value) && values.size < MAX_VALUES_PER_LABEL && PLAIN_LABEL_VALUE.test(value)) values.add(value);
      bounded[name] = values.has(value) ? value : 'other';
    }
    return bounded as LabelValues<T>;
  };
}

function boundedCounter<T extends string>(counter: Counter<T>): Counter<T> {
  const guard = labelGuard<T>();
  const inc = counter.inc.bind(counter) as (labels?: LabelValues<T> | number, value?: number) => void;
  counter.inc = ((labels?: LabelValues<T> | number, value?: number) => (typeof labels === 'object' ? inc(guard(labels), value) : inc(labels))) as Counter<T>['inc'];
  return counter;
}

function boundedHistogram<T extends string>(histogram: Histogram<T>): Histogram<T> {
  const guard = labelGuard<T>();
  const observe = histogram.observe.bind(histogram) as (labels: LabelValues<T> | number, value?: number) => void;
  histogram.observe = ((labels: LabelValues<T> | number, value?: number) =>
    typeof labels === 'object' ? observe(guard(labels), value) : observe(labels)) as Histogram<T>['observe'];
  return histogram;
}

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  graphqlOperations: Counter<'operation' | 'type' | 'outcome'>;
  graphqlDuration: Histogram<'operation' | 'type'>;
  graphqlErrors: Counter<'code'>;
  syncRuns: Counter<'registry' | 'state'>;
  syncItems: Counter<'registry' | 'result'>;
  /** Open GraphQL WebSocket connections of this process (set by src/http/ws-connections.ts). */
  wsConnections: Gauge;
}

export function createMetrics(options: { collectProcessMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.collectProcessMetrics !== false) collectDefaultMetrics({ register: registry });
  const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
  return {
    registry,
    httpRequests: boundedCounter(new Counter({
      name: 'packcatalog_http_requests_total',
      help: 'HTTP requests by method, route and status.',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    })),
    httpDuration: boundedHistogram(new Histogram({
      name: 'packcatalog_http_request_duration_seconds',
      help: 'HTTP request duration in seconds.',
      labelNames: ['method', 'route', 'status'],
      buckets,
      registers: [registry],
    })),
    graphqlOperations: boundedCounter(new Counter({
      name: 'packcatalog_graphql_operations_total',
      help: 'GraphQL operations by first root field (`operation`: a schema field name, or other), type and outcome.',
      labelNames: ['operation', 'type', 'outcome'],
      registers: [registry],
    })),
    graphqlDuration: boundedHistogram(new Histogram({
      name: 'packcatalog_graphql_operation_duration_seconds',
      help: 'GraphQL operation duration in seconds, by first root field and type.',
      labelNames: ['operation', 'type'],
      buckets,
      registers: [registry],
    })),
    graphqlErrors: boundedCounter(new Counter({
      name: 'packcatalog_graphql_errors_total',
      help: 'GraphQL errors sent to clients, by extensions.code (INTERNAL_SERVER_ERROR means a server fault).',
      labelNames: ['code'],
      registers: [registry],
    })),
    syncRuns: boundedCounter(new Counter({
      name: 'packcatalog_sync_runs_total',
      help: 'Registry sync runs by registry and final state.',
      labelNames: ['registry', 'state'],
      registers: [registry],
    })),
    syncItems: boundedCounter(new Counter({
      name: 'packcatalog_sync_items_total',
      help: 'Registry sync items by registry and result (added, updated, removed, unchanged, failed).',
      labelNames: ['registry', 'result'],
      registers: [registry],
    })),
    wsConnections: new Gauge({
      name: 'packcatalog_websocket_connections',
      help: 'Open GraphQL WebSocket connections (subscriptions), authenticated or not yet.',
      registers: [registry],
    }),
  };
}
