/** GraphQL shapes of registries and their sync status. */
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateTimeResolver } from '../graphql/scalars.js';
import { RegistryKind, RegistryVisibility, SyncState } from '../graphql/enums.js';
import { Node } from '../graphql/node.js';

const ALLOWED_ORIGINS_DOC =
  'OCI, HELM, CATALOG: origins (`scheme://host[:port]`) besides the endpoint\'s own that pagination links, download URLs ' +
  'and redirects may point to, e.g. the CDN a registry redirects blob downloads to. They never receive the credentials.';

@ObjectType({ description: 'One item a sync could not take, with why.' })
export class SyncItemError {
  @Field(() => String, { description: 'The upstream item, e.g. `crossplane:2.1.3`.' })
  item!: string;

  @Field(() => String)
  message!: string;
}

/**
 * What a sync run did to the registry's versions, on the run (SyncRun) and on its live progress
 * (SyncRunProgress). Decorated so type-graphql hands its fields down; no field returns it, so the
 * schema has no type of that name.
 */
@ObjectType()
export abstract class SyncCounts {
  @Field(() => Int)
  added!: number;

  @Field(() => Int)
  updated!: number;

  @Field(() => Int)
  removed!: number;

  @Field(() => Int)
  unchanged!: number;
}

@ObjectType({ description: 'One sync of one registry.', implements: Node })
export class SyncRun extends SyncCounts {
  @Field(() => ID)
  id!: string;

  @Field(() => SyncState)
  state!: SyncState;

  @Field(() => Boolean)
  force!: boolean;

  @Field(() => String, { description: 'What started the run: `manual` (syncRegistry) or `schedule`.' })
  trigger!: string;

  @Field(() => DateTimeResolver, { nullable: true })
  startedAt!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true })
  finishedAt!: Date | null;

  @Field(() => Int, { description: 'Artifacts downloaded from the upstream in this run.' })
  artifactsFetched!: number;

  @Field(() => String, { nullable: true })
  message!: string | null;

  registryId!: string;
}

@ObjectType({ description: 'Where a registry\'s synchronisation stands.' })
export class RegistrySyncStatus {
  @Field(() => SyncState)
  state!: SyncState;

  @Field(() => DateTimeResolver, { nullable: true })
  lastRunAt!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true })
  lastSuccessAt!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true })
  nextSyncAt!: Date | null;

  @Field(() => String, { nullable: true })
  message!: string | null;

  registryId!: string;
}

@ObjectType({ description: 'A pack registry: built in, hosted here, or an upstream this service federates.', implements: Node })
export class Registry {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => RegistryKind)
  kind!: RegistryKind;

  @Field(() => String, { nullable: true })
  endpoint!: string | null;

  @Field(() => String, { nullable: true })
  basePath!: string | null;

  @Field(() => [String])
  repositories!: string[];

  @Field(() => Int, { description: 'Higher wins when several registries hold the same pack.' })
  priority!: number;

  @Field(() => Int)
  syncIntervalSeconds!: number;

  @Field(() => Boolean)
  insecure!: boolean;

  @Field(() => [String], { description: ALLOWED_ORIGINS_DOC })
  allowedOrigins!: string[];

  @Field(() => RegistryVisibility, { description: 'PRIVATE registries and their packs are seen only by ADMINs and tokens that name them.' })
  visibility!: RegistryVisibility;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => DateTimeResolver)
  updatedAt!: Date;

  credentials!: Uint8Array | null;
  syncState!: SyncState;
  lastRunAt!: Date | null;
  lastSuccessAt!: Date | null;
  syncMessage!: string | null;
  nextSyncAt?: Date | null;
}

@InputType({ description: 'Credentials for an upstream registry: stored encrypted, never returned.' })
export class RegistryCredentialsInput {
  @Field(() => String, { nullable: true })
  username?: string;

  @Field(() => String, { nullable: true })
  password?: string;

  @Field(() => String, { nullable: true })
  token?: string;
}

@InputType()
export class CreateRegistryInput {
  @Field(() => String)
  name!: string;

  @Field(() => RegistryKind)
  kind!: RegistryKind;

  @Field(() => String, { nullable: true, description: 'URL of an upstream (OCI, HELM, CATALOG) or a path (DIRECTORY).' })
  endpoint?: string;

  @Field(() => String, { nullable: true, description: 'OCI: the path under the registry host where `spectro-packs/` lives.' })
  basePath?: string;

  @Field(() => [String], { nullable: true, description: 'OCI: repositories to sync when the registry offers no `_catalog`.' })
  repositories?: string[];

  @Field(() => Int, { nullable: true })
  priority?: number;

  @Field(() => Int, { nullable: true, description: 'Default 86400 (daily, as Palette).' })
  syncIntervalSeconds?: number;

  @Field(() => Boolean, { nullable: true, description: 'Plain HTTP or unverified TLS.' })
  insecure?: boolean;

  @Field(() => [String], { nullable: true, description: ALLOWED_ORIGINS_DOC })
  allowedOrigins?: string[];

  @Field(() => RegistryVisibility, { nullable: true, description: 'Default PUBLIC.' })
  visibility?: RegistryVisibility;

  @Field(() => RegistryCredentialsInput, { nullable: true })
  credentials?: RegistryCredentialsInput;
}

@InputType()
export class UpdateRegistryInput {
  @Field(() => String, { nullable: true })
  endpoint?: string;

  @Field(() => String, { nullable: true })
  basePath?: string;

  @Field(() => [String], { nullable: true })
  repositories?: string[];

  @Field(() => Int, { nullable: true })
  priority?: number;

  @Field(() => Int, { nullable: true })
  syncIntervalSeconds?: number;

  @Field(() => Boolean, { nullable: true })
  insecure?: boolean;

  @Field(() => [String], { nullable: true, description: 'Replaces the allowed origins; null or [] clears them.' })
  allowedOrigins?: string[] | null;

  @Field(() => RegistryVisibility, { nullable: true, description: 'The DEFAULT registry stays PUBLIC.' })
  visibility?: RegistryVisibility;

  @Field(() => RegistryCredentialsInput, { nullable: true, description: 'Replaces stored credentials; null clears them.' })
  credentials?: RegistryCredentialsInput | null;
}
