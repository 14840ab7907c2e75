/** How `node(id:)` refetches API tokens: ADMIN only, as `apiTokens` (a VIEWER is refused, not answered null). */
import type { Context } from '../graphql/context.js';
import type { NodeType } from '../graphql/node.js';

export const authNodeTypes: ReadonlyArray<NodeType<Context>> = [
  { typename: 'ApiToken', fetch: (ctx, key) => ctx.services.tokens.get(ctx.principal, key) },
];
