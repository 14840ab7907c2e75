/**
 * The auth feature as the composition root sees it: its resolvers, and what it adds to the GraphQL
 * context (src/graphql/context.ts): who calls, and the token service.
 */
import type { Principal } from './principal.js';
import type { TokenService } from './token.service.js';
import { ApiTokenResolver, AuthResolver } from './auth.resolver.js';
import { ApiTokenConnectionResolver } from './auth.connections.js';

export const authResolvers = [AuthResolver, ApiTokenResolver, ApiTokenConnectionResolver] as const;
export { authNodeTypes } from './auth.nodes.js';

declare module '../graphql/context.js' {
  interface Context {
    /** Who calls: authenticated once per request, before any resolver runs. */
    principal: Principal;
  }
  interface ContextServices {
    tokens: TokenService;
  }
}
