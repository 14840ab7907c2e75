/** Errors of the OCI distribution API, in the spec's JSON form, and the mapping from domain errors. */
import { isDomainError } from '../errors.js';

export type OciErrorCode =
  | 'BLOB_UNKNOWN'
  | 'BLOB_UPLOAD_INVALID'
  | 'BLOB_UPLOAD_UNKNOWN'
  | 'DIGEST_INVALID'
  | 'MANIFEST_BLOB_UNKNOWN'
  | 'MANIFEST_INVALID'
  | 'MANIFEST_UNKNOWN'
  | 'NAME_INVALID'
  | 'NAME_UNKNOWN'
  | 'SIZE_INVALID'
  | 'UNAUTHORIZED'
  | 'DENIED'
  | 'UNSUPPORTED'
  | 'TOOMANYREQUESTS'
  | 'RANGE_INVALID'
  | 'UNAVAILABLE';

const STATUS: Record<OciErrorCode, number> = {
  BLOB_UNKNOWN: 404,
  BLOB_UPLOAD_INVALID: 400,
  BLOB_UPLOAD_UNKNOWN: 404,
  DIGEST_INVALID: 400,
  MANIFEST_BLOB_UNKNOWN: 400,
  MANIFEST_INVALID: 400,
  MANIFEST_UNKNOWN: 404,
  NAME_INVALID: 400,
  NAME_UNKNOWN: 404,
  SIZE_INVALID: 400,
  UNAUTHORIZED: 401,
  DENIED: 403,
  UNSUPPORTED: 415,
  TOOMANYREQUESTS: 429,
  RANGE_INVALID: 416,
  // distribution's own code for a registry that can't serve now (here: shutting down, or the client left).
  UNAVAILABLE: 503,
};

export class OciError extends Error {
  readonly status: number;
  constructor(
    readonly code: OciErrorCode,
    message: string,
    readonly detail?: unknown,
    status?: number,
  ) {
    super(message);
    this.status = status ?? STATUS[code];
  }

  body(): { errors: Array<{ code: string; message: string; detail?: unknown }> } {
    return { errors: [{ code: this.code, message: this.message, ...(this.detail === undefined ? {} : { detail: this.detail }) }] };
  }
}

/**
 * Maps any error to an OciError. `inputCode` names what a BAD_USER_INPUT means where it was raised
 * (a bad digest on a blob upload, a bad pack in a manifest push); null means "not an expected error".
 */
export function toOciError(error: unknown, inputCode: OciErrorCode = 'MANIFEST_INVALID'): OciError | null {
  if (error instanceof OciError) return error;
  if (!isDomainError(error)) return null;
  const detail = Object.keys(error.extensions).length > 0 ? error.extensions : undefined;
  switch (error.code) {
    case 'BAD_USER_INPUT':
      return new OciError(inputCode, error.message, detail);
    case 'UNAUTHENTICATED':
      return new OciError('UNAUTHORIZED', error.message);
    case 'FORBIDDEN':
      return new OciError('DENIED', error.message);
    case 'NOT_FOUND':
      return new OciError('NAME_UNKNOWN', error.message);
    // The spec has no conflict code: a different digest for a published version is denied, with 409.
    case 'CONFLICT':
      return new OciError('DENIED', error.message, detail, 409);
    case 'PAYLOAD_TOO_LARGE':
      return new OciError('SIZE_INVALID', error.message, detail, 413);
    case 'RATE_LIMITED':
      return new OciError('TOOMANYREQUESTS', error.message, detail);
    case 'SERVICE_UNAVAILABLE':
      return new OciError('UNAVAILABLE', error.message);
    default:
      return null;
  }
}
