/** `apiTokensConnection`: API tokens paged (the list `apiTokens` is deprecated). */
import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { compareValues, ConnectionArgs, connectionTypes, pageInMemory, type ConnectionPage, type Ordering } from '../graphql/connection.js';
import { ApiTokenType } from './auth.type.js';

export const { Connection: ApiTokenConnection } = connectionTypes(ApiTokenType, 'ApiToken', 'API tokens, oldest first.');

type TokenPosition = [createdAt: string, id: string];

const TOKEN_ORDER: Ordering<ApiTokenType, TokenPosition> = {
  position: (t) => [t.createdAt.toISOString(), t.id],
  compare: (a, b) => compareValues(a[0], b[0]) || compareValues(a[1], b[1]),
  parse: (v) => (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string' ? (v as TokenPosition) : null),
};

@Resolver()
export class ApiTokenConnectionResolver {
  // Named after the list it replaces (`apiTokens` + Connection): the list stays one release under its own name.
  @Query(() => ApiTokenConnection, { description: 'Every API token, revoked ones included, oldest first, paged (ADMIN).' })
  async apiTokensConnection(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context): Promise<ConnectionPage<ApiTokenType>> {
    // Tokens are few (people and machines, not requests), and `list` reads them whole; cursors are positions all the same.
    const tokens = await ctx.services.tokens.list(ctx.principal);
    return pageInMemory(tokens.sort((a, b) => TOKEN_ORDER.compare(TOKEN_ORDER.position(a), TOKEN_ORDER.position(b))), args, TOKEN_ORDER);
  }
}
