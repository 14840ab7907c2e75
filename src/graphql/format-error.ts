/**
 * The one mapping from errors to the API's `extensions.code`. Domain errors keep their message and
 * extensions; GraphQL's own request errors keep theirs; anything else becomes a bare
 * INTERNAL_SERVER_ERROR so a client never sees a stack, an SQL message or a file path.
 */
import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { isDomainError } from '../errors.js';
import type { Logger } from '../platform/logger.js';
import type { Metrics } from '../platform/metrics.js';
import { rewriteLimitMessage } from './document-limits.js';

/** Codes graphql-js and Apollo attach to errors about the request itself: safe to show. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'PERSISTED_QUERY_NOT_ALLOWED',
  'OPERATION_RESOLUTION_FAILURE',
]);

export function createFormatError(logger: Logger, metrics: Metrics) {
  const format = mapError(logger);
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const result = format(formatted, error);
    metrics.graphqlErrors.inc({ code: String(result.extensions?.code ?? 'UNKNOWN') });
    return result;
  };
}

function mapError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (isDomainError(original)) {
      return {
        message: original.message,
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { ...original.extensions, code: original.code },
      };
    }
    const code = formatted.extensions?.code;
    // graphql-js words its token limit as a syntax error and its validation budget as "Validation aborted.": say which limit.
    const limit = code === 'GRAPHQL_PARSE_FAILED' || code === 'GRAPHQL_VALIDATION_FAILED' ? rewriteLimitMessage(formatted.message) : undefined;
    if (limit) return { message: limit.message, extensions: limit.extensions };
    if (typeof code === 'string' && REQUEST_ERROR_CODES.has(code)) {
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions: { ...extensions, code } };
    }
    // graphql-js coercion errors ("Variable "$x" got invalid value ...") carry no code but are the client's.
    if (code === undefined && !formatted.path && /^(Variable|Argument|Expected|Field|Unknown|Syntax Error)/.test(formatted.message)) {
      return { message: formatted.message, locations: formatted.locations, extensions: { code: 'BAD_USER_INPUT' } };
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected error in GraphQL request');
    return {
      message: 'Internal server error.',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
