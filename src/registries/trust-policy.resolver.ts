/** Thin resolvers of registry trust policies: map arguments, call TrustPolicyService. */
import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { TrustPolicy, TrustPolicyInput } from './trust-policy.graphql-types.js';

@Resolver(() => TrustPolicy)
export class TrustPolicyResolver {
  @Query(() => TrustPolicy, { description: 'The trust policy of a registry the caller may read (NONE with no keys until one is set).' })
  trustPolicy(@Arg('registry', () => String) registry: string, @Ctx() ctx: Context): Promise<TrustPolicy> {
    return ctx.services.trustPolicies.get(ctx.principal, registry);
  }

  @Mutation(() => TrustPolicy, {
    description: 'Replace a registry\'s trust policy (ADMIN): its trusted public keys, and whether pushes and syncs need a valid signature from one.',
  })
  setTrustPolicy(
    @Arg('registry', () => String) registry: string,
    @Arg('input', () => TrustPolicyInput) input: TrustPolicyInput,
    @Ctx() ctx: Context,
  ): Promise<TrustPolicy> {
    return ctx.services.trustPolicies.set(ctx.principal, registry, input);
  }
}
