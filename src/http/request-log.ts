/**
 * The access log: one line per request. Health probes and metrics scrapes arrive every few seconds
 * from orchestrators and Prometheus; at info they would bury everything else (the first start's
 * banner among it), so they go to debug.
 */
import type { Logger } from '../platform/logger.js';

/** Paths polled by machines (liveness and readiness probes, Prometheus). */
const POLLED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

export interface RequestLogEntry {
  method: string;
  /** The path, without the query string (which may carry a client's variables). */
  url: string;
  status: number;
  ms: number;
}

/** The level a finished request is logged at: debug for probes and scrapes, info for the rest. */
export function requestLogLevel(url: string): 'debug' | 'info' {
  return POLLED_PATHS.has(url) ? 'debug' : 'info';
}

export function logRequest(logger: Logger, entry: RequestLogEntry): void {
  logger[requestLogLevel(entry.url)](entry, 'request');
}
