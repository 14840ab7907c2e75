/** Builds the executable schema from the type-graphql resolvers of every domain. */
import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import '../graphql/enums.js';
import { DateTimeResolver, JSONResolver } from '../graphql/scalars.js';
import { RegistryResolver, RegistrySyncStatusResolver, SyncRunResolver } from '../registries/registry.resolver.js';
import { AuthResolver } from '../auth/auth.resolver.js';
import { SyncResolver } from '../registries/sync.resolver.js';
import { PackConnectionResolver, PackResolver, PackVersionResolver } from '../catalog/pack.resolver.js';
import { AuditResolver } from '../audit/audit.resolver.js';
import { ProfileLayerResolver, ProfileResolver } from '../profiles/profile.resolver.js';

export const RESOLVERS = [RegistryResolver, RegistrySyncStatusResolver, SyncRunResolver, SyncResolver, AuthResolver, PackResolver, PackConnectionResolver, PackVersionResolver, AuditResolver, ProfileResolver, ProfileLayerResolver] as const;

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
