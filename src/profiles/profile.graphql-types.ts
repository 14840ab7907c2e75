/** GraphQL shapes of cluster profiles, their validation and upgrade plans. */
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver } from '../graphql/scalars.js';
import { Layer, ProfileType, Severity } from '../graphql/enums.js';
import { Node } from '../graphql/node.js';
import type { ProfileValidationResult } from './profile.model.js';
import type { StoredProfile } from './profile.repository.js';

export const LayerChangeKind = {
  ADDED: 'ADDED',
  REMOVED: 'REMOVED',
  VERSION_CHANGED: 'VERSION_CHANGED',
  VALUES_CHANGED: 'VALUES_CHANGED',
} as const;
export type LayerChangeKind = (typeof LayerChangeKind)[keyof typeof LayerChangeKind];

export const UpgradeDirection = { UPGRADE: 'UPGRADE', DOWNGRADE: 'DOWNGRADE' } as const;
export type UpgradeDirection = (typeof UpgradeDirection)[keyof typeof UpgradeDirection];

registerEnumType(LayerChangeKind, { name: 'LayerChangeKind', description: 'How a layer differs between two profile versions.' });
registerEnumType(UpgradeDirection, { name: 'UpgradeDirection' });

export const ValueSourceKind = { PACK_DEFAULT: 'PACK_DEFAULT', OVERRIDE: 'OVERRIDE', MERGED: 'MERGED' } as const;
export type ValueSourceKind = (typeof ValueSourceKind)[keyof typeof ValueSourceKind];
registerEnumType(ValueSourceKind, {
  name: 'ValueSourceKind',
  description: "Where a value of a layer's effective values came from.",
  valuesConfig: {
    PACK_DEFAULT: { description: "The pack's values.yaml, untouched." },
    OVERRIDE: { description: 'Written by the layer (`values`, or `valuesOverride` at this path).' },
    MERGED: { description: "A map holding both the pack's values and `valuesOverride` keys (its OVERRIDE paths follow)." },
  },
});

@ObjectType({ description: 'Where the value at a path of the effective values came from.' })
export class ValueSource {
  @Field(() => String, { description: 'A dotted path: a top-level key, or a path `valuesOverride` wrote under a MERGED key.' })
  path!: string;

  @Field(() => ValueSourceKind)
  source!: ValueSourceKind;
}

@ObjectType({ description: 'One problem found in a profile, with a stable code and where it is.' })
export class ValidationIssue {
  @Field(() => String, { description: 'A stable code: MISSING_CORE_LAYER, LAYER_ORDER, DEPENDENCY_MISSING, VALUES_SCHEMA...' })
  code!: string;

  @Field(() => Severity, { description: 'ERROR refuses a save; WARNING is reported and the profile is kept.' })
  severity!: Severity;

  @Field(() => Int, { nullable: true, description: 'Index of the layer concerned (0-based); null for profile-level issues.' })
  layerIndex!: number | null;

  @Field(() => String, { nullable: true })
  pack!: string | null;

  @Field(() => String, { nullable: true, description: 'A values path (`pack.podCIDR`), a preset or a variable name, by code.' })
  path!: string | null;

  @Field(() => String)
  message!: string;
}

@ObjectType({ description: 'A layer reference as the catalog resolved it: registry, exact version and digest.' })
export class ResolvedLayer {
  @Field(() => Int)
  layerIndex!: number;

  @Field(() => String)
  pack!: string;

  @Field(() => String)
  registry!: string;

  @Field(() => String, { description: 'The exact version the reference (tag, parent tag, `latest`) resolved to.' })
  version!: string;

  @Field(() => String)
  digest!: string;

  @Field(() => Layer)
  layer!: Layer;

  @Field(() => String, {
    nullable: true,
    description: "The values it deploys with: `values`, the pack's values.yaml, or `valuesOverride` merged onto it (null when that is not valid YAML).",
  })
  effectiveValues!: string | null;

  @Field(() => [ValueSource], { description: 'Where each top-level value of effectiveValues came from, and each path valuesOverride wrote.' })
  valueSources!: ValueSource[];
}

@ObjectType({ description: 'One step of the install order.' })
export class InstallStep {
  @Field(() => Int)
  layerIndex!: number;

  @Field(() => String)
  pack!: string;

  @Field(() => Int, { description: 'values `pack.spectrocloud.com/install-priority` (0 when absent).' })
  priority!: number;
}

@ObjectType({ description: "Sums of the packs' `constraints.resources` minimum limits." })
export class ProfileResources {
  @Field(() => Float)
  cpuMillicores!: number;

  @Field(() => Float)
  memoryMi!: number;

  @Field(() => Float, { nullable: true, description: 'Only when some pack declares a diskSize constraint.' })
  diskGi!: number | null;
}

@ObjectType({ description: 'Every issue of a profile against the catalog, and what it resolves to.' })
export class ProfileValidation {
  @Field(() => Boolean, { description: 'No issue of severity ERROR.' })
  valid!: boolean;

  @Field(() => [ValidationIssue], { description: 'Every issue: profile-level first, then by layer.' })
  issues!: ValidationIssue[];

  @Field(() => Int)
  errorCount!: number;

  @Field(() => Int)
  warningCount!: number;

  @Field(() => [ResolvedLayer], { description: 'The layers that resolved, in profile order.' })
  resolvedLayers!: ResolvedLayer[];

  @Field(() => [InstallStep], { description: 'Core layers in profile order, then add-ons by install priority.' })
  installOrder!: InstallStep[];

  @Field(() => ProfileResources)
  resources!: ProfileResources;
}

@ObjectType({ description: 'One layer of a stored profile: the pack reference as written, with its overrides.' })
export class ProfileLayer {
  @Field(() => Int)
  index!: number;

  @Field(() => String)
  pack!: string;

  @Field(() => String, { description: 'As written: an exact version, a tag, a parent tag (`1.31.x`) or `latest`.' })
  version!: string;

  @Field(() => String, { nullable: true, description: 'The registry named by the profile; null lets the catalog choose by priority.' })
  registry!: string | null;

  @Field(() => String, { nullable: true, description: "values.yaml override; null means the pack's own values." })
  values!: string | null;

  @Field(() => String, { nullable: true, description: "YAML deep-merged onto the pack's values.yaml; null when none." })
  valuesOverride!: string | null;

  @Field(() => [String], { nullable: true, description: 'Selected presets; null means as the values\' enabled-presets comment says.' })
  presets!: string[] | null;

  /** The profile this layer belongs to (its validation holds the layer's resolution). */
  owner!: ClusterProfile;
}

@ObjectType({ description: 'A profile variable, used in values as `{{ .spectro.var.<name> }}`.' })
export class ProfileVariable {
  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  displayName!: string | null;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => String, { description: 'string, number, boolean, ipv4, ipv4cidr, ipv6 or version.' })
  format!: string;

  @Field(() => String, { nullable: true })
  default!: string | null;

  @Field(() => Boolean)
  required!: boolean;

  @Field(() => String, { nullable: true })
  regex!: string | null;

  @Field(() => [String])
  options!: string[];

  @Field(() => Boolean)
  hidden!: boolean;

  @Field(() => Boolean)
  readonly!: boolean;
}

@ObjectType({ description: 'A versioned cluster profile: ordered layers of pack references, and variables.', implements: Node })
export class ClusterProfile {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  version!: string;

  @Field(() => ProfileType)
  type!: ProfileType;

  @Field(() => String)
  cloudType!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => String, { nullable: true, description: 'The token that created it.' })
  createdBy!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Who may change it besides ADMINs: the creating token\'s team, else its name. A PUBLISHER whose token\'s team or name ' +
      'equals it may update or delete it; a profile with no owner (older than owners) is changed by ADMINs only.',
  })
  owner!: string | null;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => DateTimeResolver)
  updatedAt!: Date;

  stored!: StoredProfile;
  /** The validation run for this object, shared by `warnings`, `validation` and `layers.resolved`. */
  validated?: Promise<ProfileValidationResult>;
}

@ObjectType({ description: 'How a layer changes from one profile version to another.' })
export class ProfileLayerChange {
  @Field(() => LayerChangeKind)
  kind!: LayerChangeKind;

  @Field(() => String)
  pack!: string;

  @Field(() => Int, { nullable: true, description: 'Index in the from version (null for ADDED).' })
  fromIndex!: number | null;

  @Field(() => Int, { nullable: true, description: 'Index in the to version (null for REMOVED).' })
  toIndex!: number | null;

  @Field(() => String, { nullable: true, description: 'Exact resolved version in the from version.' })
  fromVersion!: string | null;

  @Field(() => String, { nullable: true, description: 'Exact resolved version in the to version.' })
  toVersion!: string | null;

  @Field(() => UpgradeDirection, { nullable: true, description: 'For VERSION_CHANGED.' })
  direction!: UpgradeDirection | null;

  @Field(() => Boolean, {
    description:
      'Whether the effective values differ as data (comments and formatting aside). A version change where both sides keep ' +
      "the pack's own values is not a values change.",
  })
  valuesChanged!: boolean;
}

@ObjectType({ description: 'The layers that change between two versions of a profile, and what forbids the move.' })
export class ProfileUpgradePlan {
  @Field(() => ClusterProfile)
  from!: ClusterProfile;

  @Field(() => ClusterProfile)
  to!: ClusterProfile;

  @Field(() => [ProfileLayerChange], { description: 'Changes in to-order, then removals; unchanged layers are not listed.' })
  changes!: ProfileLayerChange[];

  @Field(() => [ValidationIssue], {
    description: 'UPGRADE_NOT_SUPPORTED (an `upgrade` constraint of a target pack), or layers that no longer resolve.',
  })
  issues!: ValidationIssue[];

  @Field(() => Boolean, { description: 'No ERROR issue.' })
  allowed!: boolean;
}

@InputType({ description: 'A layer: a pack reference with overrides.' })
export class ProfileLayerInput {
  @Field(() => String)
  pack!: string;

  @Field(() => String, { description: 'An exact version, a tag (`lts__1.29.4`), a parent tag (`1.29.x`, `1.x`) or `latest`.' })
  version!: string;

  @Field(() => String, { nullable: true, description: 'Take the pack from this registry; omitted: the highest-priority registry holding it.' })
  registry?: string | null;

  @Field(() => String, { nullable: true, description: "values.yaml replacing the pack's whole (at most 1 MiB); omitted: the pack's own." })
  values?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "YAML deep-merged onto the pack's values.yaml (at most 1 MiB): maps merge, lists and scalars replace, `null` deletes a key; " +
      'validated after the merge. Give `values` or this, not both.',
  })
  valuesOverride?: string | null;

  @Field(() => [String], { nullable: true, description: 'Presets by name or `group:name`; omitted: the values\' enabled-presets comment.' })
  presets?: string[] | null;
}

@InputType()
export class ProfileVariableInput {
  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true, description: 'string (default), number, boolean, ipv4, ipv4cidr, ipv6 or version.' })
  format?: string | null;

  @Field(() => String, { nullable: true })
  default?: string | null;

  @Field(() => Boolean, { nullable: true })
  required?: boolean | null;

  @Field(() => String, { nullable: true, description: 'RE2 regular expression the value must match (unanchored).' })
  regex?: string | null;

  @Field(() => [String], { nullable: true, description: 'Allowed values; omitted: free input.' })
  options?: string[] | null;

  @Field(() => String, { nullable: true })
  displayName?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Boolean, { nullable: true })
  hidden?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  readonly?: boolean | null;
}

@InputType({ description: 'A cluster profile draft: at most 50 layers and 100 variables.' })
export class ProfileInput {
  @Field(() => String, { description: '1-100 letters, digits, ".", "_" or "-".' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'MAJOR.MINOR.PATCH; 1.0.0 when omitted on create.' })
  version?: string | null;

  @Field(() => ProfileType)
  type!: ProfileType;

  @Field(() => String, { description: 'A cloud type (aws, vsphere, edge-native...) or `all` (ADDON profiles only).' })
  cloudType!: string;

  @Field(() => [ProfileLayerInput])
  layers!: ProfileLayerInput[];

  @Field(() => [ProfileVariableInput], { nullable: true })
  variables?: ProfileVariableInput[] | null;

  @Field(() => String, { nullable: true })
  description?: string | null;
}
