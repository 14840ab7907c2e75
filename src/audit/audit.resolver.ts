/** Admins read the audit trail. */
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { DateTimeResolver, JSONResolver } from '../graphql/scalars.js';
import { AuditOutcome } from '../graphql/enums.js';
import { PageInfo } from '../graphql/pagination.js';
import { Node, toGlobalId, type NodeType } from '../graphql/node.js';

@ObjectType({ description: 'Who did what to which target, when, and how it ended.', implements: Node })
export class AuditEvent {
  @Field(() => ID)
  id!: string;

  @Field(() => DateTimeResolver)
  at!: Date;

  @Field(() => String, { description: 'The token name that acted.' })
  actor!: string;

  @Field(() => String, { description: 'The mutation, e.g. `pushPack`.' })
  action!: string;

  @Field(() => String, { nullable: true })
  targetType!: string | null;

  @Field(() => String, { nullable: true, description: 'e.g. `team/crossplane:2.1.3` or a registry name.' })
  target!: string | null;

  @Field(() => AuditOutcome)
  outcome!: AuditOutcome;

  @Field(() => String, { nullable: true, description: 'The error code and message of a failure.' })
  message!: string | null;

  @Field(() => JSONResolver, { nullable: true, description: 'Non-secret arguments of the call.' })
  details!: unknown;

  @Field(() => String, { nullable: true })
  requestId!: string | null;
}

@ObjectType()
export class AuditEventEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => AuditEvent)
  node!: AuditEvent;
}

@ObjectType()
export class AuditEventConnection {
  @Field(() => [AuditEventEdge])
  edges!: AuditEventEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;
}

@InputType()
export class AuditEventFilter {
  @Field(() => String, { nullable: true })
  actor?: string;

  @Field(() => String, { nullable: true })
  action?: string;

  @Field(() => String, { nullable: true, description: 'Substring of the target.' })
  target?: string;

  @Field(() => AuditOutcome, { nullable: true })
  outcome?: AuditOutcome;

  @Field(() => DateTimeResolver, { nullable: true })
  since?: Date;
}

@Resolver(() => AuditEvent)
export class AuditEventResolver {
  @FieldResolver(() => ID)
  id(@Root() event: AuditEvent): string {
    return toGlobalId('AuditEvent', event.id);
  }
}

/** `node(id:)` refetches an event with the rule of `auditEvents`: ADMIN only. */
export const auditNodeTypes: ReadonlyArray<NodeType<Context>> = [
  { typename: 'AuditEvent', fetch: (ctx, key) => ctx.services.audit.get(ctx.principal, key) },
];

@Resolver()
export class AuditResolver {
  @Query(() => AuditEventConnection, { description: 'The audit trail, newest first (ADMIN).' })
  auditEvents(
    @Arg('first', () => Int, { nullable: true }) first: number | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | undefined,
    @Arg('filter', () => AuditEventFilter, { nullable: true }) filter: AuditEventFilter | undefined,
    @Ctx() ctx: Context,
  ): Promise<AuditEventConnection> {
    return ctx.services.audit.list(ctx.principal, first, after, filter) as Promise<AuditEventConnection>;
  }
}
