/**
 * The auth feature as the composition root sees it: its resolvers, and what it adds to the GraphQL
 * context (src/graphql/context.ts): who calls, and the token service.
 */
import type { Principal } from './principal.js';
import type { TokenService } from './token.service.js';
import { AuthResolver } from './auth.resolver.js';

export const authResolvers = [AuthResolver] as const;

declare module '../graphql/context.js' {
  interface Context {
    /** Who calls: authenticated once per request, before any resolver runs. */
    principal: Principal;
  }
  interface ContextServices {
    tokens: TokenService;
  }
}
