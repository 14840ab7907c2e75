/** Thin resolvers of proposeProfile and profileUpgradeSteps: map arguments, call ProfileProposalService, return types. */
import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import type { Layer, ProfileType } from '../graphql/enums.js';
import type { Proposal } from './profile.proposal.service.js';
import { ProfileProposal, ProfileUpgradeSteps, ProposeProfileInput, type ProposalFactRelation, type ProposedLayerOrigin } from './profile.proposal.graphql-types.js';
import { toValidation } from './profile.resolver.js';

export function toProposal(p: Proposal): ProfileProposal {
  if (p.explanation) {
    return {
      profile: null,
      validation: null,
      explanation: { ...p.explanation, facts: p.explanation.facts.map((f) => ({ ...f, relation: f.relation as ProposalFactRelation })) },
    };
  }
  return {
    profile: {
      name: p.profile.name,
      version: p.profile.version ?? null,
      type: p.profile.type as ProfileType,
      cloudType: p.profile.cloudType,
      layers: p.layers.map((l) => ({ ...l, layer: l.layer.toUpperCase() as Layer, origin: l.origin as ProposedLayerOrigin })),
    },
    validation: toValidation(p.validation),
    explanation: null,
  };
}

@Resolver()
export class ProfileProposalResolver {
  @Query(() => ProfileProposal, {
    description:
      'A profile that fits: the fixed layers, every slot (and, for a CLUSTER profile, every core layer left open) filled with exact ' +
      'versions that pass every rule of validateProfile (dependencies, cloud types, layers, chart kubeVersion, lifecycle, registry ' +
      'priority), chosen by the policy; with its validation. When none fits: `explanation`, the shortest chain of facts why. ' +
      'Same read rights as validateProfile; BAD_USER_INPUT (extensions.field) for input over the bounds (30 layers, 20 slots, 10 preferred packs a slot).',
  })
  async proposeProfile(@Arg('input', () => ProposeProfileInput) input: ProposeProfileInput, @Ctx() ctx: Context): Promise<ProfileProposal> {
    return toProposal(await ctx.services.proposals.propose(ctx.principal, ctx.loaders.catalog, input));
  }

  @Query(() => ProfileUpgradeSteps, {
    description:
      'An upgrade of saved profile `name`@`version` to Kubernetes `toKubernetes` (`1.33`, `1.33.x`), one minor at a time (the version ' +
      'skew policy): each step keeps the profile\'s packs, moves the others as little as it can (the CLOSEST policy of proposeProfile) and ' +
      'lists the layers that move together. profileUpgradePlan compares two saved versions; this plans the versions to save. ' +
      'NOT_FOUND for a missing profile version; BAD_USER_INPUT (extensions.field `toKubernetes`) for a target that is not a later minor, or more than 10 minors away.',
  })
  async profileUpgradeSteps(
    @Arg('name', () => String) name: string,
    @Arg('version', () => String) version: string,
    @Arg('toKubernetes', () => String) toKubernetes: string,
    @Ctx() ctx: Context,
  ): Promise<ProfileUpgradeSteps> {
    const plan = await ctx.services.proposals.upgradeSteps(ctx.principal, ctx.loaders.catalog, name, version, toKubernetes);
    return { ...plan, steps: plan.steps.map((s) => ({ ...s, proposal: toProposal(s.proposal) })) };
  }
}
