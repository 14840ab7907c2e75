/** Thin resolvers: map arguments, call RegistryService, return types. */
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { InvalidInputError } from '../errors.js';
import { toGlobalId } from '../graphql/node.js';
import {
  CreateRegistryInput,
  Registry,
  RegistrySyncStatus,
  SyncItemError,
  SyncRun,
  UpdateRegistryInput,
} from './registry.graphql-types.js';
import { endpointWithoutCredentials } from './registry.model.js';

const MAX_RUNS = 100;

@Resolver(() => Registry)
export class RegistryResolver {
  @Query(() => [Registry], {
    description: 'Every registry, highest priority first.',
    deprecationReason: 'Use registriesConnection (paged); removal on 2027-03-01.',
  })
  registries(@Ctx() ctx: Context): Promise<Registry[]> {
    return ctx.services.registries.list(ctx.principal);
  }

  @Query(() => Registry, { nullable: true })
  registry(@Arg('name', () => String) name: string, @Ctx() ctx: Context): Promise<Registry | null> {
    return ctx.services.registries.find(ctx.principal, name);
  }

  @Mutation(() => Registry, { description: 'Register a HOSTED registry or an upstream to federate (ADMIN).' })
  createRegistry(@Arg('input', () => CreateRegistryInput) input: CreateRegistryInput, @Ctx() ctx: Context): Promise<Registry> {
    return ctx.services.registries.create(ctx.principal, input);
  }

  @Mutation(() => Registry)
  updateRegistry(
    @Arg('name', () => String) name: string,
    @Arg('input', () => UpdateRegistryInput) input: UpdateRegistryInput,
    @Ctx() ctx: Context,
  ): Promise<Registry> {
    return ctx.services.registries.update(ctx.principal, name, input);
  }

  @Mutation(() => Boolean, { description: 'Delete a registry and its catalog rows (ADMIN). The DEFAULT registry stays.' })
  deleteRegistry(@Arg('name', () => String) name: string, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.services.registries.delete(ctx.principal, name);
  }

  @FieldResolver(() => ID)
  id(@Root() registry: Registry): string {
    return toGlobalId('Registry', registry.id);
  }

  @FieldResolver(() => Int, { description: 'Packs with at least one available version.' })
  packCount(@Root() registry: Registry, @Ctx() ctx: Context): Promise<number> {
    return ctx.loaders.registries.packCountByRegistryId.load(registry.id);
  }

  @FieldResolver(() => Int, { description: 'Available (not removed) pack versions, across its packs.' })
  versionCount(@Root() registry: Registry, @Ctx() ctx: Context): Promise<number> {
    return ctx.loaders.registries.versionCountByRegistryId.load(registry.id);
  }

  // Rows stored before endpoints with credentials were refused may hold some: never shown.
  @FieldResolver(() => String, { nullable: true })
  endpoint(@Root() registry: Registry): string | null {
    return registry.endpoint === null ? null : endpointWithoutCredentials(registry.endpoint);
  }

  @FieldResolver(() => Boolean, { description: 'Whether upstream credentials are stored (they are never returned).' })
  hasCredentials(@Root() registry: Registry): boolean {
    return registry.credentials != null && registry.credentials.length > 0;
  }

  @FieldResolver(() => RegistrySyncStatus)
  sync(@Root() registry: Registry): RegistrySyncStatus {
    return {
      registryId: registry.id,
      state: registry.syncState,
      lastRunAt: registry.lastRunAt,
      lastSuccessAt: registry.lastSuccessAt,
      nextSyncAt: registry.nextSyncAt ?? null,
      message: registry.syncMessage,
    };
  }
}

@Resolver(() => RegistrySyncStatus)
export class RegistrySyncStatusResolver {
  @FieldResolver(() => [SyncRun], {
    description: 'The most recent runs, newest first (default 10, at most 100).',
    deprecationReason: 'Use Registry.runs (paged); removal on 2027-03-01.',
  })
  async runs(
    @Root() status: RegistrySyncStatus,
    @Arg('last', () => Int, { nullable: true }) last: number | undefined,
    @Ctx() ctx: Context,
  ): Promise<SyncRun[]> {
    const count = last ?? 10;
    if (count < 1 || count > MAX_RUNS) throw new InvalidInputError(`last must be between 1 and ${MAX_RUNS}.`, { field: 'last' });
    return (await ctx.loaders.registries.recentRunsByRegistryId(count).load(status.registryId)) as SyncRun[];
  }
}

@Resolver(() => SyncRun)
export class SyncRunResolver {
  @FieldResolver(() => ID)
  id(@Root() run: SyncRun): string {
    return toGlobalId('SyncRun', run.id);
  }

  @FieldResolver(() => [SyncItemError])
  errors(@Root() run: SyncRun, @Ctx() ctx: Context): Promise<SyncItemError[]> {
    return ctx.loaders.registries.errorsByRunId.load(run.id);
  }
}
