/**
 * HTTP caching of anonymous GET reads of immutable things. A version addressed by its digest
 * (`packVersion(version: "sha256:...")`) never changes content, so an anonymous GET of it may carry
 * `Cache-Control: max-age=..., public` (Apollo's cache-control plugin writes the header from the
 * hints set here, and `no-store` on everything else); Express adds the `ETag` and answers
 * `If-None-Match` with 304. Its mutable fields (tags move, a version is removed upstream, a forced
 * push rewrites its message) and every object-typed field (another object's state) keep the whole
 * answer uncacheable when selected. Authenticated callers never get a public cache: what they see
 * depends on their token.
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { cacheControlFromInfo } from '@apollo/cache-control-types';

/** A day: long enough for a CDN to absorb repeated reads, short enough to let a deleted version go. */
export const IMMUTABLE_MAX_AGE_SECONDS = 86_400;

/** Root fields whose answer is immutable for these arguments. */
function isImmutableRead(parent: string, field: string, args: Record<string, unknown>): boolean {
  return parent === 'Query' && field === 'packVersion' && typeof args.version === 'string' && /^sha256:[0-9a-f]{64}$/.test(args.version);
}

/** Scalar fields of an immutable version that still change: selected, they make the answer uncacheable. */
const MUTABLE_FIELDS = new Set(['PackVersion.tags', 'PackVersion.removedAt', 'PackVersion.message', 'PackVersion.updatedAt']);

export function httpCachePlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart({ request, overallCachePolicy }) {
      // Only anonymous GETs are ever cacheable. A web console session (cookie) is a token too.
      if (request.http?.method !== 'GET' || request.http.headers.get('authorization') || /(?:^|;\s*)pc_session=/.test(request.http.headers.get('cookie') ?? '')) {
        // Settled up front: Apollo's cache-control plugin then skips its per-field policy work (a
        // catalog page resolves ~3,000 fields) and still answers `no-store`.
        overallCachePolicy.restrict({ maxAge: 0 });
        return;
      }
      return {
        async executionDidStart() {
          return {
            willResolveField({ info, args }) {
              if (isImmutableRead(info.parentType.name, info.fieldName, args)) {
                const hint = cacheControlFromInfo(info);
                hint.setCacheHint({ maxAge: IMMUTABLE_MAX_AGE_SECONDS, scope: 'PUBLIC' });
                // Only a version found is immutable: null (not pushed yet, or not visible) may change any minute.
                return (error, result) => {
                  if (error || result == null) hint.setCacheHint({ maxAge: 0 });
                };
              }
              if (MUTABLE_FIELDS.has(`${info.parentType.name}.${info.fieldName}`)) {
                cacheControlFromInfo(info).setCacheHint({ maxAge: 0 });
              }
            },
          };
        },
      };
    },
  };
}
