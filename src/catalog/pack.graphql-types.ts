/** GraphQL shapes of the catalog: merged packs, versions, constraints and the Relay connection. */
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateTimeResolver, JSONResolver } from '../graphql/scalars.js';
import { DependencyType, Layer } from '../graphql/enums.js';
import { PageInfo } from '../graphql/pagination.js';
import { Node } from '../graphql/node.js';
import { connectionTypes } from '../graphql/connection.js';
import type { PackRow, VersionRow } from './catalog.model.js';

@ObjectType({ description: 'A dependency a pack declares in pack.json `constraints.dependencies`.' })
export class PackDependency {
  @Field(() => String)
  packName!: string;

  @Field(() => Layer)
  layer!: Layer;

  @Field(() => DependencyType)
  type!: DependencyType;

  @Field(() => String, { nullable: true })
  minVersion!: string | null;

  @Field(() => String, { nullable: true })
  maxVersion!: string | null;
}

@ObjectType({ description: 'A minimum resource a pack needs (cpu in millicores, memory in MiB, disk in GiB).' })
export class ResourceConstraint {
  @Field(() => String)
  type!: string;

  @Field(() => Float, { nullable: true })
  minLimit!: number | null;

  @Field(() => JSONResolver, { nullable: true })
  components!: unknown;
}

@ObjectType()
export class PackConstraints {
  @Field(() => [PackDependency])
  dependencies!: PackDependency[];

  @Field(() => [ResourceConstraint])
  resources!: ResourceConstraint[];
}

@ObjectType({ description: 'One version of a pack in one registry.', implements: Node })
export class PackVersion {
  // Plain fields are `simple`: graphql-js reads the property, without type-graphql's middleware
  // wrapper (no middleware applies here), and a listing page resolves ~1,000 versions.
  @Field(() => ID)
  id!: string;

  @Field(() => String, { simple: true })
  version!: string;

  @Field(() => String, { simple: true, description: 'sha256 of the pack tarball: `sha256:<hex>`.' })
  digest!: string;

  @Field(() => [String], { simple: true, description: 'Files under charts/ the pack installs.' })
  charts!: string[];

  @Field(() => [String], { simple: true, description: 'Manifests (kubeManifests) the pack installs.' })
  manifests!: string[];

  @Field(() => [String], { simple: true })
  cloudTypes!: string[];

  @Field(() => Boolean, { simple: true, description: 'pack.json annotation `system_state: deprecated`.' })
  deprecated!: boolean;

  @Field(() => DateTimeResolver, { simple: true, nullable: true, description: 'When the version disappeared upstream; it stays pullable.' })
  removedAt!: Date | null;

  @Field(() => String, { simple: true, nullable: true, description: 'Why a forced push overwrote this version.' })
  message!: string | null;

  @Field(() => DateTimeResolver, { simple: true })
  createdAt!: Date;

  @Field(() => DateTimeResolver, { simple: true })
  updatedAt!: Date;

  row!: VersionRow;
  pack!: PackRow;
}

@ObjectType({ description: 'A pack: one name in the catalog, merged across the registries that hold it.', implements: Node })
export class Pack {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { simple: true })
  name!: string;

  /** Sources of this name, highest priority first; the first is the default. */
  rows!: PackRow[];
}

export const { Edge: PackVersionEdge, Connection: PackVersionConnection } = connectionTypes(
  PackVersion,
  'PackVersion',
  "A pack's versions, newest first (ties: the higher-priority source first).",
);
export type PackVersionConnection = InstanceType<typeof PackVersionConnection>;

@ObjectType()
export class PackEdge {
  @Field(() => String, { simple: true })
  cursor!: string;

  @Field(() => Pack, { simple: true })
  node!: Pack;
}

@ObjectType()
export class PackConnection {
  @Field(() => [PackEdge], { simple: true })
  edges!: PackEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  /** Resolved by PackConnectionResolver, only when asked for. */
  count!: () => Promise<number>;
}

@InputType()
export class PackFilter {
  @Field(() => [Layer], { nullable: true })
  layer?: Layer[];

  @Field(() => String, { nullable: true, description: 'pack.json addonType, e.g. `monitoring` (case-insensitive).' })
  addonType?: string;

  @Field(() => String, { nullable: true, description: 'Packs for this cloud, or for `all` clouds.' })
  cloudType?: string;

  @Field(() => [String], { nullable: true, description: 'Only packs from these registries.' })
  registry?: string[];

  @Field(() => String, { nullable: true, description: 'Case-insensitive text in the name or display name.' })
  search?: string;

  @Field(() => Boolean, { nullable: true, description: 'Include packs marked `system_state: deprecated` (default false).' })
  includeDeprecated?: boolean;

  @Field(() => Boolean, {
    nullable: true,
    description: "true: only packs with a live version signed by a key its registry's trust policy trusts (docs/signatures.md); false: only packs without one.",
  })
  verified?: boolean;
}
