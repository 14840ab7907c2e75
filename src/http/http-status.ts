/**
 * HTTP statuses of domain errors, for the routes outside GraphQL (downloads, OCI, the app's
 * error handler). GraphQL answers carry `extensions.code` instead (src/graphql/format-error.ts).
 */
import type { DomainError } from '../errors.js';

const HTTP_STATUS: Record<string, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UPSTREAM_UNAVAILABLE: 502,
  SERVICE_UNAVAILABLE: 503,
};

/** The HTTP status for a domain error (500 for a code with no mapping). */
export function httpStatusOf(error: DomainError): number {
  return HTTP_STATUS[error.code] ?? 500;
}
