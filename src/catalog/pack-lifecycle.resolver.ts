/** `PackVersion.lifecycle`: the version's state, eol and replacement (packs/pack-lifecycle.ts), from the request's details loader. */
import { Ctx, Field, FieldResolver, ObjectType, Resolver, Root, registerEnumType } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { lifecycleOf } from '../packs/pack-lifecycle.js';
import { PackVersion } from './pack.graphql-types.js';

export enum PackLifecycleState {
  ACTIVE = 'ACTIVE',
  DEPRECATED = 'DEPRECATED',
  DISABLED = 'DISABLED',
}
registerEnumType(PackLifecycleState, {
  name: 'PackLifecycleState',
  description: 'Where a pack version is in its life: ACTIVE; DEPRECATED (still selectable, profiles warned); DISABLED (no new profiles). Deleted versions are gone.',
});

@ObjectType({ description: 'A pack version\'s lifecycle, from its pack.json (annotations `system_state`, `replacedBy`; `eol`) and the catalog\'s deprecated flag.' })
export class PackVersionLifecycle {
  @Field(() => PackLifecycleState)
  state!: PackLifecycleState;

  @Field(() => String, { nullable: true, description: 'pack.json `eol` (YYYY-MM-DD) when it is a date.' })
  eol!: string | null;

  @Field(() => Boolean, { description: 'Whether `eol` is before today: profiles using the version are warned (PACK_VERSION_PAST_EOL).' })
  pastEol!: boolean;

  @Field(() => String, { nullable: true, description: 'What to use instead, from the `replacedBy` (or `replaced_by`) annotation.' })
  replacedBy!: string | null;
}

@Resolver(() => PackVersion)
export class PackVersionLifecycleResolver {
  @FieldResolver(() => PackVersionLifecycle)
  async lifecycle(@Root() v: PackVersion, @Ctx() ctx: Context): Promise<PackVersionLifecycle> {
    const details = await ctx.loaders.catalog.versionDetailsById.load(v.id);
    const packJson = (details?.packJson ?? {}) as Record<string, unknown>;
    const lifecycle = lifecycleOf({ deprecated: v.deprecated, annotations: (details?.annotations ?? null) as Record<string, unknown> | null, eol: packJson.eol });
    return { ...lifecycle, state: lifecycle.state as PackLifecycleState };
  }
}
