/** GraphQL shapes of proposeProfile (the solver's answer) and profileUpgradeSteps. */
import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Layer, ProfileType } from '../graphql/enums.js';
import { ProfileValidation } from './profile.graphql-types.js';

export const ProposalPolicy = { NEWEST: 'NEWEST', CLOSEST: 'CLOSEST' } as const;
export type ProposalPolicy = (typeof ProposalPolicy)[keyof typeof ProposalPolicy];
registerEnumType(ProposalPolicy, {
  name: 'ProposalPolicy',
  description: 'Which versions a proposal prefers.',
  valuesConfig: {
    NEWEST: { description: 'The newest versions that fit (DEPRECATED or past-eol versions only when nothing else does).' },
    CLOSEST: { description: 'The versions nearest to those of a saved profile (`from`): same version, then the nearest newer, then older.' },
  },
});

export const ProposedLayerOrigin = { FIXED: 'FIXED', SLOT: 'SLOT', REQUIRED: 'REQUIRED' } as const;
export type ProposedLayerOrigin = (typeof ProposedLayerOrigin)[keyof typeof ProposedLayerOrigin];
registerEnumType(ProposedLayerOrigin, {
  name: 'ProposedLayerOrigin',
  description: 'Why a proposed layer is there: the request fixed its pack, a slot chose it, or another layer requires it.',
});

export const ProposalFactRelation = {
  REQUIRES: 'REQUIRES',
  NOT_SUPPORTED_WITH: 'NOT_SUPPORTED_WITH',
  NEEDS_KUBERNETES: 'NEEDS_KUBERNETES',
  REQUEST_FIXES: 'REQUEST_FIXES',
  CLOUD_TYPE: 'CLOUD_TYPE',
  DISABLED: 'DISABLED',
  NOT_IN_CATALOG: 'NOT_IN_CATALOG',
  UPGRADE_FROM: 'UPGRADE_FROM',
  SAME_PACK: 'SAME_PACK',
  LAYER_TAKEN: 'LAYER_TAKEN',
  REFUSED_BY_VALIDATION: 'REFUSED_BY_VALIDATION',
  NO_CANDIDATE: 'NO_CANDIDATE',
} as const;
export type ProposalFactRelation = (typeof ProposalFactRelation)[keyof typeof ProposalFactRelation];
registerEnumType(ProposalFactRelation, { name: 'ProposalFactRelation', description: 'How a fact of an explanation relates its pack to the other side.' });

@InputType({ description: 'A layer the proposal must hold.' })
export class ProposeLayerInput {
  @Field(() => String)
  pack!: string;

  @Field(() => String, { nullable: true, description: 'An exact version, a tag, a parent tag (`1.31.x`) or `latest`; omitted: any version.' })
  version?: string | null;

  @Field(() => String, { nullable: true, description: 'Take the pack from this registry only.' })
  registry?: string | null;
}

@InputType({ description: 'An open layer the solver fills.' })
export class ProposeSlotInput {
  @Field(() => Layer)
  layer!: Layer;

  @Field(() => [String], { nullable: true, description: 'Packs to try first, in order (at most 10).' })
  prefer?: string[] | null;
}

@InputType({ description: 'A saved profile version.' })
export class ProfileVersionRefInput {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  version!: string;
}

@InputType({ description: 'What proposeProfile is asked: fixed layers, open slots, a cloud type, a Kubernetes range, a policy.' })
export class ProposeProfileInput {
  @Field(() => String, { nullable: true, description: 'The proposed profile\'s name (default `proposal`).' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'The proposed profile\'s version (omitted: none, 1.0.0 when saved).' })
  version?: string | null;

  @Field(() => ProfileType, { nullable: true, description: 'CLUSTER (default) or ADDON. A CLUSTER proposal fills every core layer the request leaves open.' })
  type?: ProfileType | null;

  @Field(() => String)
  cloudType!: string;

  @Field(() => String, { nullable: true, description: 'Kubernetes range: `1.31.x`, `1.31.2`, or a constraint (`>=1.30 <1.32`); vendor suffixes are ignored.' })
  kubernetes?: string | null;

  @Field(() => [ProposeLayerInput], { nullable: true, description: 'Fixed layers (at most 30).' })
  layers?: ProposeLayerInput[] | null;

  @Field(() => [ProposeSlotInput], { nullable: true, description: 'Open slots (at most 20).' })
  slots?: ProposeSlotInput[] | null;

  @Field(() => ProposalPolicy, { nullable: true, description: 'NEWEST (default) or CLOSEST (needs `from`).' })
  policy?: ProposalPolicy | null;

  @Field(() => ProfileVersionRefInput, { nullable: true, description: 'The saved profile CLOSEST stays near (an upgrade of it).' })
  from?: ProfileVersionRefInput | null;
}

@ObjectType({ description: 'A layer of a proposed profile: an exact version from one registry.' })
export class ProposedProfileLayer {
  @Field(() => String)
  pack!: string;

  @Field(() => String)
  version!: string;

  @Field(() => String)
  registry!: string;

  @Field(() => Layer)
  layer!: Layer;

  @Field(() => ProposedLayerOrigin)
  origin!: ProposedLayerOrigin;
}

@ObjectType({ description: 'A profile draft shaped like ProfileInput: save it with createProfile or `packctl profile apply`.' })
export class ProposedProfile {
  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  version!: string | null;

  @Field(() => ProfileType)
  type!: ProfileType;

  @Field(() => String)
  cloudType!: string;

  @Field(() => [ProposedProfileLayer])
  layers!: ProposedProfileLayer[];
}

@ObjectType({ description: 'One fact of an explanation: `pack versionRange relation otherPack otherRange`, and its sentence.' })
export class ProposalFact {
  @Field(() => String)
  pack!: string;

  @Field(() => String, { description: 'The versions the fact concerns (`1.16.3`, `1.14.0 - 1.16.3`, `*` for every version), or the request\'s range.' })
  versionRange!: string;

  @Field(() => ProposalFactRelation)
  relation!: ProposalFactRelation;

  @Field(() => String, { nullable: true })
  otherPack!: string | null;

  @Field(() => String, { nullable: true })
  otherRange!: string | null;

  @Field(() => String)
  text!: string;
}

@ObjectType({ description: 'Why no profile fits the request: the shortest chain of facts, the layers involved, and the chain as one text.' })
export class ProposalExplanation {
  @Field(() => [ProposalFact])
  facts!: ProposalFact[];

  @Field(() => [String], { description: 'The layers involved: pack names of the request, or slots (`the CNI slot`).' })
  layers!: string[];

  @Field(() => String)
  text!: string;
}

@ObjectType({ description: 'The answer of proposeProfile: a profile with its validation (no ERROR), or an explanation of why none fits.' })
export class ProfileProposal {
  @Field(() => ProposedProfile, { nullable: true })
  profile!: ProposedProfile | null;

  @Field(() => ProfileValidation, { nullable: true, description: 'validateProfile of `profile`.' })
  validation!: ProfileValidation | null;

  @Field(() => ProposalExplanation, { nullable: true })
  explanation!: ProposalExplanation | null;
}

@ObjectType({ description: 'A layer that changes version at an upgrade step.' })
export class UpgradeStepMove {
  @Field(() => String)
  pack!: string;

  @Field(() => String)
  fromVersion!: string;

  @Field(() => String)
  toVersion!: string;
}

@ObjectType({ description: 'One Kubernetes minor of an upgrade: the layers that move together, and the profile after the step.' })
export class ProfileUpgradeStep {
  @Field(() => String, { description: 'The Kubernetes minor after this step (`1.31`).' })
  kubernetes!: string;

  @Field(() => [UpgradeStepMove], { description: 'Layers whose version changes at this step: they move together.' })
  moves!: UpgradeStepMove[];

  @Field(() => ProfileProposal)
  proposal!: ProfileProposal;
}

@ObjectType({ description: 'An upgrade of a saved profile to a Kubernetes minor, one minor at a time (the version skew policy).' })
export class ProfileUpgradeSteps {
  @Field(() => String)
  fromKubernetes!: string;

  @Field(() => String)
  toKubernetes!: string;

  @Field(() => [ProfileUpgradeStep], { description: 'In order; a step with an explanation ends the plan.' })
  steps!: ProfileUpgradeStep[];

  @Field(() => Boolean, { description: 'Every minor up to toKubernetes has a step with a profile.' })
  complete!: boolean;
}
