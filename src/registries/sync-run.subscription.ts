/** `syncRun(id)`: a thin subscription over SyncRunWatch (which checks the caller and follows the run). */
import { Arg, Ctx, Field, ID, Int, ObjectType, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { DateTimeResolver } from '../graphql/scalars.js';
import { SyncState } from '../graphql/enums.js';
import { isUuidKey, keyOfGlobalId, toGlobalId } from '../graphql/node.js';
import { SyncCounts, SyncItemError } from './registry.graphql-types.js';
import type { SyncProgress } from './sync/progress.js';

@ObjectType({ description: 'A sync run as it goes: sent as items finish (a few times a second at most) and once more when it ends.' })
export class SyncRunProgress extends SyncCounts {
  @Field(() => ID, { description: 'The SyncRun\'s id (`node(id:)` reads the run itself).' })
  id!: string;

  @Field(() => SyncState, { description: 'RUNNING while it goes; SUCCEEDED, PARTIAL or FAILED in the last message.' })
  state!: SyncState;

  @Field(() => Int, { description: 'Items fetched and stored, or failed, so far.' })
  itemsDone!: number;

  @Field(() => Int, { nullable: true, description: 'Items the run fetches; null until the upstream has been listed.' })
  itemsTotal!: number | null;

  @Field(() => Int, { description: 'Item errors so far.' })
  errorCount!: number;

  @Field(() => [SyncItemError], { description: 'The first item errors so far (at most 10; the run lists them all once it ended).' })
  errors!: SyncItemError[];

  @Field(() => String, { nullable: true, description: 'How the run ended, in the last message.' })
  message!: string | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Set in the last message.' })
  finishedAt!: Date | null;
}

@Resolver()
export class SyncRunSubscriptionResolver {
  @Subscription(() => SyncRunProgress, {
    description:
      'A sync run\'s progress, for live views (WebSocket, graphql-transport-ws): its state now, then as it goes, then its end ' +
      '(the stream completes). Driven by any replica. NOT_FOUND for a run whose registry the caller may not read.',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, { id: string }, Context>) =>
      context.services.syncRunWatch.watch(context.principal, keyOfGlobalId(args.id, 'SyncRun', 'id', isUuidKey)),
  })
  syncRun(@Arg('id', () => ID) _id: string, @Root() progress: SyncProgress | Error, @Ctx() _ctx: Context): SyncRunProgress {
    // The stream's last word when it had to stop early (a slow reader, a deleted registry): a coded error.
    if (progress instanceof Error) throw progress;
    return {
      id: toGlobalId('SyncRun', progress.runId),
      state: progress.state,
      itemsDone: progress.itemsDone,
      itemsTotal: progress.itemsTotal,
      added: progress.added,
      updated: progress.updated,
      removed: progress.removed,
      unchanged: progress.unchanged,
      errorCount: progress.errorCount,
      errors: progress.errors,
      message: progress.message,
      finishedAt: progress.finishedAt ? new Date(progress.finishedAt) : null,
    };
  }
}
