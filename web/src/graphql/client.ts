/**
 * The console's GraphQL client. The session cookie (HttpOnly, set by POST /session) authenticates
 * each request, so no token is ever held by the page. `apollo-require-preflight` satisfies Apollo
 * Server's CSRF prevention for a same-origin client without a preflight-worthy content type.
 */
import { Client, cacheExchange, fetchExchange, mapExchange, type CombinedError } from 'urql';

/** The service no longer knows the caller: the session ended (expired, idle, token revoked). */
export function isUnauthenticated(error: CombinedError): boolean {
  return error.response?.status === 401 || error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
}

export function createClient(options: { onUnauthenticated?: () => void } = {}): Client {
  return new Client({
    url: '/graphql',
    exchanges: [
      cacheExchange,
      mapExchange({
        onError(error) {
          if (isUnauthenticated(error)) options.onUnauthenticated?.();
        },
      }),
      fetchExchange,
    ],
    fetchOptions: { credentials: 'same-origin', headers: { 'apollo-require-preflight': 'true' } },
    // Results change when the principal changes (sign in/out): a new client is made then.
    requestPolicy: 'cache-and-network',
  });
}
