/** Thin resolvers for `me` and API tokens. */
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { DateTimeResolver } from '../graphql/scalars.js';
import { Role } from '../graphql/enums.js';
import { keyOfGlobalId, toGlobalId } from '../graphql/node.js';
import { ApiTokenType, CreatedApiToken, PrincipalType } from './auth.type.js';

@Resolver()
export class AuthResolver {
  @Query(() => PrincipalType, { nullable: true, description: 'Who the caller is; null when anonymous.' })
  me(@Ctx() ctx: Context): PrincipalType | null {
    const { principal } = ctx;
    if (principal.kind === 'anonymous' || !principal.role) return null;
    return { name: principal.name, role: principal.role, registries: principal.registries, team: principal.team ?? null };
  }

  @Query(() => [ApiTokenType], {
    description: 'Every API token, revoked ones included (ADMIN).',
    deprecationReason: 'Use apiTokensConnection (paged); removal on 2027-03-01.',
  })
  apiTokens(@Ctx() ctx: Context): Promise<ApiTokenType[]> {
    return ctx.services.tokens.list(ctx.principal);
  }

  @Mutation(() => CreatedApiToken, { description: 'Create a token; the secret is in the answer and nowhere else (ADMIN).' })
  async createApiToken(
    @Arg('name', () => String) name: string,
    @Arg('role', () => Role) role: Role,
    @Arg('registries', () => [String], { nullable: true }) registries: string[] | undefined,
    @Arg('team', () => String, {
      nullable: true,
      description: 'The team the token acts for: profiles it creates belong to the team, which its other tokens may then change.',
    })
    team: string | undefined,
    @Arg('expiresAt', () => DateTimeResolver, { nullable: true }) expiresAt: Date | undefined,
    @Ctx() ctx: Context,
  ): Promise<CreatedApiToken> {
    const { secret, token } = await ctx.services.tokens.create(ctx.principal, { name, role, registries, team, expiresAt });
    return { token: secret, apiToken: token };
  }

  @Mutation(() => Boolean, { description: "Revoke a token by its id (a bare database id, as ids were before global ids, is still taken)." })
  revokeApiToken(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    // Anything that is not a token's global id goes on as is: revoke answers NOT_FOUND for what names no token.
    return ctx.services.tokens.revoke(ctx.principal, keyOfGlobalId(id, 'ApiToken', 'id', () => true));
  }
}

@Resolver(() => ApiTokenType)
export class ApiTokenResolver {
  @FieldResolver(() => ID)
  id(@Root() token: ApiTokenType): string {
    return toGlobalId('ApiToken', token.id);
  }
}
