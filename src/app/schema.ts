/** Builds the executable schema from the type-graphql resolvers every feature exports. */
import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import '../graphql/enums.js';
import { DateTimeResolver, JSONResolver } from '../graphql/scalars.js';
import { registryResolvers } from '../registries/index.js';
import { authResolvers } from '../auth/index.js';
import { catalogResolvers } from '../catalog/index.js';
import { auditResolvers } from '../audit/index.js';
import { profileResolvers } from '../profiles/index.js';

/** Each feature lists its own resolvers; the schema is their union. */
export const RESOLVERS = [...registryResolvers, ...authResolvers, ...catalogResolvers, ...auditResolvers, ...profileResolvers] as const;

let cached: Promise<GraphQLSchema> | undefined;

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
  });
  return cached;
}
