/** `PackVersion.lifecycle`: the version's state, eol and replacement (packs/pack-lifecycle.ts), from the request's details loader. */
import { Arg, Ctx, Field, FieldResolver, Mutation, ObjectType, Resolver, Root, registerEnumType } from 'type-graphql';
import { DateTimeResolver } from '../graphql/scalars.js';
import type { Context } from '../graphql/context.js';
import { lifecycleOf } from '../packs/pack-lifecycle.js';
import { PackVersion } from './pack.graphql-types.js';
import { loadVersion } from './pack.resolver.js';

export enum PackLifecycleState {
  ACTIVE = 'ACTIVE',
  DEPRECATED = 'DEPRECATED',
  DISABLED = 'DISABLED',
}
registerEnumType(PackLifecycleState, {
  name: 'PackLifecycleState',
  description: 'Where a pack version is in its life: ACTIVE; DEPRECATED (still selectable, profiles warned); DISABLED (no new profiles). Deleted versions are gone.',
});

@ObjectType({ description: 'A pack version\'s lifecycle: a publisher\'s setPackVersionLifecycle, else its pack.json (annotations `system_state`, `replacedBy`; `eol`) and the catalog\'s deprecated flag.' })
export class PackVersionLifecycle {
  @Field(() => PackLifecycleState)
  state!: PackLifecycleState;

  @Field(() => String, { nullable: true, description: 'pack.json `eol` (YYYY-MM-DD) when it is a date.' })
  eol!: string | null;

  @Field(() => Boolean, { description: 'Whether `eol` is before today: profiles using the version are warned (PACK_VERSION_PAST_EOL).' })
  pastEol!: boolean;

  @Field(() => String, { nullable: true, description: 'What to use instead, from the `replacedBy` (or `replaced_by`) annotation or setPackVersionLifecycle.' })
  replacedBy!: string | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When a publisher first deprecated or disabled it with setPackVersionLifecycle.' })
  deprecatedAt!: Date | null;
}

@Resolver(() => PackVersion)
export class PackVersionLifecycleResolver {
  @FieldResolver(() => PackVersionLifecycle)
  async lifecycle(@Root() v: PackVersion, @Ctx() ctx: Context): Promise<PackVersionLifecycle> {
    const details = await ctx.loaders.catalog.versionDetailsById.load(v.id);
    const packJson = (details?.packJson ?? {}) as Record<string, unknown>;
    const lifecycle = lifecycleOf({
      deprecated: v.deprecated,
      annotations: (details?.annotations ?? null) as Record<string, unknown> | null,
      eol: packJson.eol,
      override: v.row.lifecycle,
    });
    return { ...lifecycle, state: lifecycle.state as PackLifecycleState, deprecatedAt: lifecycle.deprecatedAt ? new Date(lifecycle.deprecatedAt) : null };
  }
}

@Resolver()
export class PackLifecycleMutationResolver {
  @Mutation(() => PackVersion, {
    description:
      'Set a version\'s lifecycle: DEPRECATED (profiles warned), DISABLED (refused in new profiles) or ACTIVE; ' +
      'an eol date (YYYY-MM-DD, "" clears pack.json\'s) and what replaces it. What is given wins over pack.json, and the pack is deprecated ' +
      '(hidden from `packs` unless includeDeprecated) when none of its live versions is ACTIVE. Who may: in a HOSTED registry its publishers ' +
      '(a PUBLISHER whose token may publish there, or an ADMIN); in every other kind (DEFAULT, OCI, HELM, DIRECTORY, CATALOG) the lifecycle ' +
      'comes from the source (pack.json system_state, replacedBy, eol) and only an ADMIN may override it (FORBIDDEN for a PUBLISHER); the ' +
      'override outlives later syncs. Audited like every mutation.',
  })
  async setPackVersionLifecycle(
    @Arg('registry', () => String) registry: string,
    @Arg('name', () => String) name: string,
    @Arg('version', () => String) version: string,
    @Arg('state', () => PackLifecycleState) state: PackLifecycleState,
    @Arg('eol', () => String, { nullable: true }) eol: string | undefined,
    @Arg('replacedBy', () => String, { nullable: true }) replacedBy: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<PackVersion> {
    const { versionId } = await ctx.services.packPublish.setLifecycle(ctx.principal, registry, name, version, { state, eol, replacedBy });
    return loadVersion(ctx, versionId);
  }
}
