/**
 * The console's GraphQL client. The session cookie (HttpOnly, set by POST /session) authenticates
 * each request, so no token is ever held by the page. `apollo-require-preflight` satisfies Apollo
 * Server's CSRF prevention for a same-origin client without a preflight-worthy content type.
 */
import { Client, cacheExchange, fetchExchange } from 'urql';

export function createClient(): Client {
  return new Client({
    url: '/graphql',
    exchanges: [cacheExchange, fetchExchange],
    fetchOptions: { credentials: 'same-origin', headers: { 'apollo-require-preflight': 'true' } },
    // Results change when the principal changes (sign in/out): a new client is made then.
    requestPolicy: 'cache-and-network',
  });
}
