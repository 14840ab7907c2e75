/**
 * Domain errors. They know nothing of GraphQL or HTTP: `formatError` (src/graphql/format-error.ts)
 * maps them once to the `extensions.code` values of the API contract, and `httpStatusOf`
 * (src/http/http-status.ts) to the statuses of the routes outside GraphQL.
 */

/** A problem found in client input, with where it is. */
export interface InputIssue {
  code: string;
  message: string;
  path?: string;
  /** The API's `Severity` enum spelling, as `validateProfile` answers, whoever found the issue. */
  severity?: 'ERROR' | 'WARNING';
  [key: string]: unknown;
}

/** An issue as a checker reports it: the pack format spells its severities in lower case. */
export interface InputIssueInit {
  code: string;
  message: string;
  path?: string;
  severity?: 'ERROR' | 'WARNING' | 'error' | 'warning';
  [key: string]: unknown;
}

export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(message: string, readonly extensions: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidInputError extends DomainError {
  readonly code = 'BAD_USER_INPUT';
  constructor(message: string, options: { field?: string; issues?: readonly InputIssueInit[] } = {}) {
    super(message, {
      ...(options.field ? { field: options.field } : {}),
      // One spelling in extensions.issues wherever the issues come from (a pack push, a profile, a registry input).
      ...(options.issues ? { issues: options.issues.map(withApiSeverity) } : {}),
    });
  }
  get issues(): InputIssue[] {
    return (this.extensions.issues as InputIssue[] | undefined) ?? [];
  }
}

/** An issue of a refusal without a severity is an ERROR: every entry of extensions.issues carries one. */
function withApiSeverity(issue: InputIssueInit): InputIssue {
  return { ...issue, severity: (issue.severity ?? 'ERROR').toUpperCase() } as InputIssue;
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
}

export class ConflictError extends DomainError {
  readonly code = 'CONFLICT';
}

export class UnauthenticatedError extends DomainError {
  readonly code = 'UNAUTHENTICATED';
  constructor(message = 'Authentication required: send "Authorization: Bearer <token>".') {
    super(message);
  }
}

export class ForbiddenError extends DomainError {
  readonly code = 'FORBIDDEN';
}

export class PayloadTooLargeError extends DomainError {
  readonly code = 'PAYLOAD_TOO_LARGE';
}

export class RateLimitedError extends DomainError {
  readonly code = 'RATE_LIMITED';
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests: retry after ${retryAfterSeconds} s.`, { retryAfter: retryAfterSeconds });
  }
}

/** Work stopped before it finished: the client went away, or the service is shutting down (retry later). */
export class ServiceUnavailableError extends DomainError {
  readonly code = 'SERVICE_UNAVAILABLE';
}

/** An upstream registry failed or answered something we can't use. */
export class UpstreamError extends DomainError {
  readonly code = 'UPSTREAM_UNAVAILABLE';
  constructor(message: string, readonly status?: number, readonly retryAfterMs?: number) {
    super(message);
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
