/** Builds the executable schema from the type-graphql resolvers every feature exports. */
import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import '../graphql/enums.js';
import { DateTimeResolver, JSONResolver } from '../graphql/scalars.js';
import { createNodeResolver } from '../graphql/node.resolver.js';
import { registryNodeTypes, registryResolvers } from '../registries/index.js';
import { authNodeTypes, authResolvers } from '../auth/index.js';
import { catalogNodeTypes, catalogResolvers } from '../catalog/index.js';
import { auditNodeTypes, auditResolvers } from '../audit/index.js';
import { profileNodeTypes, profileResolvers } from '../profiles/index.js';
import { eventNodeTypes, eventResolvers } from '../events/index.js';
import { webhookNodeTypes, webhookResolvers } from '../webhooks/index.js';

/** `node(id:)` refetches through each feature's own rules: the features list how, the root joins them. */
const NodeResolver = createNodeResolver([...registryNodeTypes, ...authNodeTypes, ...catalogNodeTypes, ...auditNodeTypes, ...profileNodeTypes, ...eventNodeTypes, ...webhookNodeTypes]);

/** Each feature lists its own resolvers; the schema is their union. */
export const RESOLVERS = [
  ...registryResolvers,
  ...authResolvers,
  ...catalogResolvers,
  ...auditResolvers,
  ...profileResolvers,
  ...eventResolvers,
  ...webhookResolvers,
  NodeResolver,
] as const;

let cached: Promise<GraphQLSchema> | undefined;

/**
 * type-graphql asks for a PubSub as soon as a schema has subscriptions; ours don't use it: each
 * `@Subscription` has its own `subscribe` over PostgreSQL LISTEN/NOTIFY (src/platform/pg-notifications.ts).
 */
const NO_PUBSUB = {
  publish(): never {
    throw new Error('Subscriptions here use their own subscribe functions, not type-graphql\'s PubSub.');
  },
  subscribe(): never {
    throw new Error('Subscriptions here use their own subscribe functions, not type-graphql\'s PubSub.');
  },
};

/** The schema is the same for every app instance, so it is built once per process. */
export function buildGraphQLSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers: [...RESOLVERS] as unknown as [Function, ...Function[]],
    scalarsMap: [
      { type: Date, scalar: DateTimeResolver },
      { type: Object, scalar: JSONResolver },
    ],
    validate: false,
    emitSchemaFile: false,
    pubSub: NO_PUBSUB,
  });
  return cached;
}
