/** `Pack.versionsConnection`: a pack's versions paged (the list field `versions` is deprecated). */
import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { compareValues, ConnectionArgs, pageInMemory, type ConnectionPage, type Ordering } from '../graphql/connection.js';
import { compareVersions } from '../packs/version.js';
import { Pack, PackVersion, PackVersionConnection } from './pack.graphql-types.js';
import { versionsOfPack } from './pack.resolver.js';

/** A version's place: newest first, then the higher-priority source, then the registry's name. */
type VersionPosition = [version: string, priority: number, registry: string];

const VERSION_ORDER: Ordering<PackVersion, VersionPosition> = {
  position: (v) => [v.version, v.pack.registry.priority, v.pack.registry.name],
  compare: (a, b) => compareVersions(b[0], a[0]) || b[1] - a[1] || compareValues(a[2], b[2]),
  parse: (value) =>
    Array.isArray(value) && value.length === 3 && typeof value[0] === 'string' && Number.isInteger(value[1]) && typeof value[2] === 'string'
      ? (value as VersionPosition)
      : null,
};

@Resolver(() => Pack)
export class PackVersionsConnectionResolver {
  // Named after the list it replaces (`versions` + Connection): the list stays one release under its own name.
  @FieldResolver(() => PackVersionConnection, { description: 'Versions from every source, newest first, paged.' })
  async versionsConnection(
    @Root() pack: Pack,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('includeRemoved', () => Boolean, { nullable: true, description: 'Also versions gone upstream.' }) includeRemoved: boolean | undefined,
    @Ctx() ctx: Context,
  ): Promise<ConnectionPage<PackVersion>> {
    const versions = await versionsOfPack(pack, includeRemoved ?? false, ctx);
    // versionsOfPack orders by the sources' rank; the cursor's order breaks ties by priority then name, the same rank.
    return pageInMemory(versions.sort((a, b) => VERSION_ORDER.compare(VERSION_ORDER.position(a), VERSION_ORDER.position(b))), args, VERSION_ORDER);
  }
}
