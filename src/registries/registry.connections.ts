/** `registriesConnection` and `Registry.runs`: registries and sync runs paged (the lists they replace are deprecated). */
import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import {
  compareValues,
  ConnectionArgs,
  connectionOf,
  connectionTypes,
  pageInMemory,
  pageRequestOf,
  type ConnectionPage,
  type Ordering,
} from '../graphql/connection.js';
import { Registry, SyncRun } from './registry.graphql-types.js';

export const { Connection: RegistryConnection } = connectionTypes(Registry, 'Registry', 'Registries, highest priority first (ties by name).');
export const { Connection: SyncRunConnection } = connectionTypes(SyncRun, 'SyncRun', 'Sync runs, newest first.');

type RegistryPosition = [priority: number, name: string];

const REGISTRY_ORDER: Ordering<Registry, RegistryPosition> = {
  position: (r) => [r.priority, r.name],
  compare: (a, b) => b[0] - a[0] || compareValues(a[1], b[1]),
  parse: (v) => (Array.isArray(v) && v.length === 2 && Number.isInteger(v[0]) && typeof v[1] === 'string' ? (v as RegistryPosition) : null),
};

type RunPosition = [createdAt: string, id: string];

const RUN_ORDER: Ordering<SyncRun & { createdAt: Date }, RunPosition> = {
  position: (r) => [r.createdAt.toISOString(), r.id],
  compare: (a, b) => compareValues(b[0], a[0]) || compareValues(b[1], a[1]),
  parse: (v) =>
    Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && !Number.isNaN(Date.parse(v[0])) && typeof v[1] === 'string' && /^[0-9a-f-]{36}$/i.test(v[1])
      ? (v as RunPosition)
      : null,
};

const runPosition = (p: RunPosition | null) => (p ? { createdAt: new Date(p[0]), id: p[1] } : null);

@Resolver(() => Registry)
export class RegistryConnectionResolver {
  // Named after the list it replaces (`registries` + Connection): the list stays one release under its own name.
  @Query(() => RegistryConnection, { description: 'The registries the caller may read, highest priority first, paged.' })
  async registriesConnection(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context): Promise<ConnectionPage<Registry>> {
    const registries = (await ctx.services.registries.list(ctx.principal)) as Registry[];
    // Registries are few (one per upstream) and `list` reads them whole; the cursor is still a position, not an offset.
    const sorted = registries.sort((a, b) => REGISTRY_ORDER.compare(REGISTRY_ORDER.position(a), REGISTRY_ORDER.position(b)));
    return pageInMemory(sorted, args, REGISTRY_ORDER);
  }

  @FieldResolver(() => SyncRunConnection, { description: "The registry's sync runs, newest first, paged." })
  async runs(@Root() registry: Registry, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context): Promise<ConnectionPage<SyncRun>> {
    const request = pageRequestOf(args, RUN_ORDER);
    const window = { after: runPosition(request.after), before: runPosition(request.before) };
    const rows = await ctx.services.registries.runsPage(registry.id, window, request.size + 1, request.backward);
    // One row more than the page tells whether more lie beyond its far end; the near end is the cursor's side.
    const more = rows.length > request.size;
    const page = (request.backward ? rows.slice(rows.length - Math.min(rows.length, request.size)) : rows.slice(0, request.size)) as Array<SyncRun & { createdAt: Date }>;
    const beyond = request.backward ? { next: request.before !== null, previous: more } : { next: more, previous: request.after !== null };
    return connectionOf(RUN_ORDER, page, beyond, () => ctx.services.registries.countRuns(registry.id));
  }
}
