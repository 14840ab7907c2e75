/** `syncRegistry`: a thin resolver over RegistryService (which checks the caller and asks the sync engine). */
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { SyncRun } from './registry.graphql-types.js';

@Resolver(() => SyncRun)
export class SyncResolver {
  @Mutation(() => SyncRun, {
    description:
      'Sync an upstream registry now (ADMIN). `force` fetches every item again. With `wait` (the default) the answer comes when ' +
      'the run ends, or after two minutes with the run still RUNNING; without it, at once. A run already going on is joined, not doubled.',
  })
  async syncRegistry(
    @Arg('name', () => String) name: string,
    @Arg('force', () => Boolean, { nullable: true }) force: boolean | undefined,
    @Arg('wait', () => Boolean, { nullable: true, defaultValue: true }) wait: boolean,
    @Ctx() ctx: Context,
  ): Promise<SyncRun> {
    return (await ctx.services.registries.requestSync(ctx.principal, name, { force: force ?? false, wait })) as SyncRun;
  }
}
