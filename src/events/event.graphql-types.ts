/** GraphQL types of catalog events. */
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver, JSONResolver } from '../graphql/scalars.js';
import { Node } from '../graphql/node.js';
import { connectionTypes } from '../graphql/connection.js';
import { CATALOG_EVENT_TYPES, type CatalogEventType } from './event.model.js';

/** The GraphQL enum mirrors the data model's (the value names are the same). */
export const CatalogEventTypeEnum = Object.fromEntries(CATALOG_EVENT_TYPES.map((t) => [t, t])) as { [K in CatalogEventType]: K };
registerEnumType(CatalogEventTypeEnum, {
  name: 'CatalogEventType',
  description: 'What a catalog event says happened (see docs/webhooks.md for each type\'s `data`).',
});

@ObjectType({ description: 'A change in the catalog or a registry, recorded in the same transaction as the change.', implements: Node })
export class CatalogEvent {
  /** Holds the outbox id (a decimal string); the `id` field resolver answers its global id. */
  @Field(() => ID)
  id!: string;

  @Field(() => CatalogEventTypeEnum)
  type!: CatalogEventType;

  @Field(() => DateTimeResolver)
  occurredAt!: Date;

  @Field(() => String, { nullable: true, description: 'The registry the change happened in (its name when the event was recorded).' })
  registry!: string | null;

  @Field(() => String, { nullable: true })
  pack!: string | null;

  @Field(() => String, { nullable: true })
  version!: string | null;

  @Field(() => JSONResolver, { description: 'What changed: digests, tags, states, the profile hit (never content).' })
  data!: Record<string, unknown>;
}

export const { Connection: CatalogEventConnection } = connectionTypes(CatalogEvent, 'CatalogEvent', 'Catalog events, oldest first.');

@InputType({ description: 'Which events; an absent or empty list matches all.' })
export class CatalogEventFilterInput {
  @Field(() => [CatalogEventTypeEnum], { nullable: true })
  types?: CatalogEventType[] | null;

  @Field(() => [String], { nullable: true, description: 'Registry names.' })
  registries?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Pack names.' })
  packs?: string[] | null;
}
