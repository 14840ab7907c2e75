/**
 * `profilesConnection`: profile versions paged, all of them or the versions of one name (the list
 * `profiles` is deprecated). The page is cut from the light keys (id, name, version), then only
 * its own profiles are read with their layers.
 */
import { Arg, Args, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { ConnectionArgs, connectionTypes, pageInMemory, type ConnectionPage, type Ordering } from '../graphql/connection.js';
import { ClusterProfile } from './profile.graphql-types.js';
import { compareProfileKeys, type ProfileKey } from './profile.service.js';
import { toProfile } from './profile.resolver.js';

export const { Connection: ClusterProfileConnection } = connectionTypes(
  ClusterProfile,
  'ClusterProfile',
  'Profile versions by name, newest version first.',
);

type ProfilePosition = [name: string, version: string];

const PROFILE_ORDER: Ordering<ProfileKey, ProfilePosition> = {
  position: (p) => [p.name, p.version],
  compare: (a, b) => compareProfileKeys({ name: a[0], version: a[1] }, { name: b[0], version: b[1] }),
  parse: (v) => (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string' ? (v as ProfilePosition) : null),
};

@Resolver()
export class ProfileConnectionResolver {
  // Named after the list it replaces (`profiles` + Connection): the list stays one release under its own name.
  @Query(() => ClusterProfileConnection, {
    description: 'Profile versions (every profile, or the versions of one name): by name, newest version first, paged.',
  })
  async profilesConnection(
    @Arg('name', () => String, { nullable: true, description: 'Only the versions of this profile.' }) name: string | undefined,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: Context,
  ): Promise<ConnectionPage<ClusterProfile>> {
    const page = pageInMemory(await ctx.services.profiles.listKeys(ctx.principal, name), args, PROFILE_ORDER);
    const profiles = new Map(
      (await ctx.services.profiles.findByIds(ctx.principal, page.edges.map((e) => e.node.id))).map((p) => [p.id, toProfile(p)]),
    );
    // A version deleted between the two reads drops out of its page rather than coming back null.
    const edges = page.edges.flatMap((e) => (profiles.has(e.node.id) ? [{ cursor: e.cursor, node: profiles.get(e.node.id)! }] : []));
    return { ...page, edges };
  }
}
