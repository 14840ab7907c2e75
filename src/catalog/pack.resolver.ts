/** Thin resolvers for the catalog: queries, pack and version fields, publisher mutations. */
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { GraphQLUpload, JSONResolver, type ReceivedUpload } from '../graphql/scalars.js';
import { Layer } from '../graphql/enums.js';
import { pageInfoOf } from '../graphql/pagination.js';
import { toGlobalId } from '../graphql/node.js';
import { NotFoundError } from '../errors.js';
import { compareVersions, parentTagsOf, resolveVersionReference } from '../packs/version.js';
import type { PackConstraintsSpec } from '../packs/pack.types.js';
import { Registry } from '../registries/registry.graphql-types.js';
import type { PackRow, VersionRow } from './catalog.model.js';
import { packCursor } from './pack.query.service.js';
import {
  Pack,
  PackConnection,
  PackConstraints,
  PackFilter,
  PackVersion,
  type PackDependency,
} from './pack.graphql-types.js';

const DEPENDENCY_TYPE: Record<string, PackDependency['type']> = {
  required: 'REQUIRED',
  optional: 'OPTIONAL',
  notSupported: 'NOT_SUPPORTED',
  upgrade: 'UPGRADE',
};

/**
 * The GraphQL object of a version row, made once per row and pack object: rows of a cached listing
 * page are shared by every request that reads the page, and so are their objects (a page resolves
 * ~1,000 of them; the profile showed building them again, 6.7% of the samples, as the top item of
 * the catalog's own code). Nothing mutates them.
 */
const packVersionOfRow = new WeakMap<VersionRow, PackVersion>();

export function toPackVersion(row: VersionRow, pack: PackRow): PackVersion {
  const made = packVersionOfRow.get(row);
  if (made && made.pack === pack) return made;
  const version = { ...row, row, pack } as PackVersion;
  packVersionOfRow.set(row, version);
  return version;
}

/** A merged pack's node key is its name; a pack held by one registry's, `registry/name` (names hold no `/`). */
export function packOf(name: string, rows: PackRow[], registry?: string | null): Pack {
  return { id: toGlobalId('Pack', registry ? `${registry}/${name}` : name), name, rows };
}

function artifactUrl(ctx: Context, digest: string): string {
  return `${ctx.baseUrl}/artifacts/${digest.replace(':', '/')}`;
}

@Resolver(() => Pack)
export class PackResolver {
  @Query(() => PackConnection, { description: 'The merged catalog, one entry per pack name, filtered and paged by name.' })
  async packs(
    @Arg('filter', () => PackFilter, { nullable: true }) filter: PackFilter | undefined,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, at most 100 (default 20).' }) first: number | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<PackConnection> {
    const page = await ctx.services.packQueries.listPacks(ctx.principal, filter, first, after, ctx.loaders.catalog);
    const rows = await ctx.loaders.catalog.packRowsByName.loadMany(page.names);
    const edges = page.names.map((name, i) => {
      const sources = rows[i] instanceof Error ? [] : (rows[i] as PackRow[]);
      const visible = page.registries ? sources.filter((r) => page.registries!.includes(r.registry.name)) : sources;
      return { cursor: packCursor(name), node: packOf(name, visible) };
    });
    return {
      edges,
      count: page.totalCount,
      pageInfo: pageInfoOf(edges, page.hasNextPage, page.hasPreviousPage),
    };
  }

  @Query(() => [String], {
    description: 'Pack names close to `name` that the caller may read ("did you mean"), nearest first, at most three; empty when none is close.',
  })
  packNameSuggestions(@Arg('name', () => String) name: string, @Ctx() ctx: Context): Promise<string[]> {
    return ctx.services.packQueries.suggestPackNames(ctx.principal, name.slice(0, 200));
  }

  @Query(() => Pack, { nullable: true, description: 'One pack, merged across registries unless `registry` is given.' })
  async pack(
    @Arg('name', () => String) name: string,
    @Arg('registry', () => String, { nullable: true }) registry: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<Pack | null> {
    const rows = await ctx.services.packQueries.findPackRows(ctx.principal, ctx.loaders.catalog, name, registry);
    return rows.length > 0 ? packOf(name, rows, registry) : null;
  }

  @Query(() => PackVersion, {
    nullable: true,
    description: 'A version by exact version, tag (`lts__1.29.4`), parent tag (`1.29.x`, `1.x`), `latest` or `sha256:<hex>` digest.',
  })
  async packVersion(
    @Arg('name', () => String) name: string,
    @Arg('version', () => String) version: string,
    @Arg('registry', () => String, { nullable: true }) registry: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<PackVersion | null> {
    const resolved = await ctx.services.packQueries.resolveVersion(ctx.principal, ctx.loaders.catalog, name, version, registry);
    return resolved ? toPackVersion(resolved.row, resolved.pack) : null;
  }

  @Mutation(() => PackVersion, {
    description:
      'Push a pack tarball (multipart upload) into a HOSTED registry. The same digest again is a no-op; ' +
      'a different one is CONFLICT unless force (with a message). Declaring the archive\'s digest and size ' +
      '(both or neither) lets the service store the bytes while they arrive; bytes that differ are refused.',
  })
  async pushPack(
    @Arg('registry', () => String) registry: string,
    @Arg('archive', () => GraphQLUpload) archive: Promise<ReceivedUpload>,
    @Arg('force', () => Boolean, { nullable: true }) force: boolean | undefined,
    @Arg('message', () => String, { nullable: true }) message: string | undefined,
    @Arg('digest', () => String, {
      nullable: true,
      description: 'The archive\'s sha256 as `sha256:<64 hex>`, declared with size: the upload must hash to it (BAD_USER_INPUT, field digest, otherwise).',
    })
    digest: string | undefined,
    @Arg('size', () => Int, { nullable: true, description: 'The archive\'s length in bytes, declared with digest: the upload must be exactly this long.' })
    size: number | undefined,
    @Ctx() ctx: Context,
  ): Promise<PackVersion> {
    const upload = await archive;
    const outcome = await ctx.services.packPublish.push(ctx.principal, { registry, upload, force, message, digest, size, signal: ctx.signal });
    return loadVersion(ctx, outcome.versionId);
  }

  @Mutation(() => Boolean, { description: 'Delete one version from a HOSTED registry.' })
  deletePackVersion(
    @Arg('registry', () => String) registry: string,
    @Arg('name', () => String) name: string,
    @Arg('version', () => String) version: string,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    return ctx.services.packPublish.deleteVersion(ctx.principal, registry, name, version);
  }

  @Mutation(() => PackVersion, { description: 'Tag a version `group__label`; an existing tag moves to this version.' })
  async addPackTag(
    @Arg('registry', () => String) registry: string,
    @Arg('name', () => String) name: string,
    @Arg('version', () => String) version: string,
    @Arg('tag', () => String) tag: string,
    @Ctx() ctx: Context,
  ): Promise<PackVersion> {
    const { versionId } = await ctx.services.packPublish.addTag(ctx.principal, registry, name, version, tag);
    return loadVersion(ctx, versionId);
  }

  @Mutation(() => Boolean, { description: 'Delete a publisher tag; parent tags (1.x) are computed and cannot be deleted.' })
  deletePackTag(
    @Arg('registry', () => String) registry: string,
    @Arg('name', () => String) name: string,
    @Arg('tag', () => String) tag: string,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    return ctx.services.packPublish.deleteTag(ctx.principal, registry, name, tag);
  }

  @FieldResolver(() => String)
  displayName(@Root() pack: Pack): string {
    return pack.rows[0]?.displayName ?? pack.name;
  }

  @FieldResolver(() => Layer)
  layer(@Root() pack: Pack): Layer {
    return pack.rows[0].layer;
  }

  @FieldResolver(() => String, { nullable: true })
  addonType(@Root() pack: Pack): string | null {
    return pack.rows[0]?.addonType ?? null;
  }

  @FieldResolver(() => String, { nullable: true })
  addonSubType(@Root() pack: Pack): string | null {
    return pack.rows[0]?.addonSubType ?? null;
  }

  @FieldResolver(() => [String])
  cloudTypes(@Root() pack: Pack): string[] {
    return pack.rows[0]?.cloudTypes ?? [];
  }

  @FieldResolver(() => Boolean)
  deprecated(@Root() pack: Pack): boolean {
    return pack.rows[0]?.deprecated ?? false;
  }

  @FieldResolver(() => Registry, { description: 'The default source: the highest-priority registry holding the pack.' })
  registry(@Root() pack: Pack): Registry {
    return pack.rows[0].registry as Registry;
  }

  @FieldResolver(() => [Registry], { description: 'Every registry holding the pack, highest priority first.' })
  sources(@Root() pack: Pack): Registry[] {
    return pack.rows.map((r) => r.registry as Registry);
  }

  @FieldResolver(() => [PackVersion], {
    description: 'Versions from every source, newest first.',
    deprecationReason: 'Use versionsConnection (paged); removal on 2027-03-01.',
  })
  versions(
    @Root() pack: Pack,
    @Arg('includeRemoved', () => Boolean, { nullable: true, description: 'Also versions gone upstream.' }) includeRemoved: boolean | undefined,
    @Ctx() ctx: Context,
  ): Promise<PackVersion[]> {
    return versionsOfPack(pack, includeRemoved ?? false, ctx);
  }

  @FieldResolver(() => PackVersion, { nullable: true, description: 'The newest release of the default source.' })
  async latest(@Root() pack: Pack, @Ctx() ctx: Context): Promise<PackVersion | null> {
    for (const row of pack.rows) {
      const version = await ctx.services.packQueries.resolveInPack(ctx.loaders.catalog, row, 'latest');
      if (version) return toPackVersion(version, row);
    }
    return null;
  }

  @FieldResolver(() => String, { nullable: true })
  logoUrl(@Root() pack: Pack, @Ctx() ctx: Context): string | null {
    const digest = pack.rows.find((r) => r.logoDigest)?.logoDigest;
    return digest ? artifactUrl(ctx, digest) : null;
  }
}

@Resolver(() => PackConnection)
export class PackConnectionResolver {
  @FieldResolver(() => Int, { description: 'Packs matching the filter, across all pages.' })
  totalCount(@Root() connection: PackConnection): Promise<number> {
    return connection.count();
  }
}

/** Versions from every source of a pack, newest first; ties: the higher-priority source first. */
export async function versionsOfPack(pack: Pack, includeRemoved: boolean, ctx: Context): Promise<PackVersion[]> {
  // A cached listing page hands every request the same sources array (and the same version rows):
  // their merged, sorted list is made once per page, and each caller gets its own copy to reorder.
  const memo = mergedVersions.get(pack.rows);
  const known = includeRemoved ? memo?.all : memo?.live;
  if (known) return known.slice();
  const perSource = await Promise.all(
    pack.rows.map(async (row) => {
      const all = await ctx.loaders.catalog.versionsByPackId.load(row.id);
      return all.filter((v) => includeRemoved || v.removedAt === null).map((v) => toPackVersion(v, row));
    }),
  );
  const versions = perSource.flat();
  const order = new Map(pack.rows.map((r, i) => [r.id, i]));
  versions.sort((a, b) => compareVersions(b.version, a.version) || order.get(a.pack.id)! - order.get(b.pack.id)!);
  mergedVersions.set(pack.rows, { ...mergedVersions.get(pack.rows), [includeRemoved ? 'all' : 'live']: versions });
  return versions.slice();
}

/** Merged versions by the sources array they were made from (see versionsOfPack); gone with the array. */
const mergedVersions = new WeakMap<PackRow[], { live?: PackVersion[]; all?: PackVersion[] }>();

export async function loadVersion(ctx: Context, versionId: string): Promise<PackVersion> {
  const row = await ctx.services.packQueries.versionRowById(versionId);
  const pack = row ? await ctx.loaders.catalog.packRowById.load(row.packId) : null;
  if (!row || !pack) throw new NotFoundError('The version is gone.');
  return toPackVersion(row, pack);
}

@Resolver(() => PackVersion)
export class PackVersionResolver {
  @FieldResolver(() => ID)
  id(@Root() v: PackVersion): string {
    return toGlobalId('PackVersion', v.id);
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Archive size in bytes.' })
  size(@Root() v: PackVersion): number {
    return Number(v.row.size);
  }

  @FieldResolver(() => [String], { description: 'Publisher tags on this version, and the parent tags (1.x, 1.29.x) it is the newest of.' })
  async tags(@Root() v: PackVersion, @Ctx() ctx: Context): Promise<string[]> {
    const [tags, all] = await Promise.all([
      ctx.loaders.catalog.tagsByPackId.load(v.pack.id),
      ctx.loaders.catalog.versionsByPackId.load(v.pack.id),
    ]);
    const live = all.filter((r) => r.removedAt === null).map((r) => r.version);
    const parents = v.row.removedAt ? [] : parentTagsOf(v.version).filter((tag) => resolveVersionReference(tag, live) === v.version);
    return [...tags.filter((t) => t.versionId === v.id).map((t) => t.tag).sort(), ...parents];
  }

  @FieldResolver(() => String, { description: 'values.yaml as published.' })
  async values(@Root() v: PackVersion, @Ctx() ctx: Context): Promise<string> {
    return (await ctx.loaders.catalog.versionDetailsById.load(v.id))?.values ?? '';
  }

  @FieldResolver(() => JSONResolver, { nullable: true, description: 'presets.yaml `presets`, when the pack has them.' })
  async presets(@Root() v: PackVersion, @Ctx() ctx: Context): Promise<unknown> {
    return (await ctx.loaders.catalog.versionDetailsById.load(v.id))?.presets ?? null;
  }

  @FieldResolver(() => JSONResolver, { nullable: true, description: 'schema.yaml: parameter path -> schema expression.' })
  async schema(@Root() v: PackVersion, @Ctx() ctx: Context): Promise<unknown> {
    return (await ctx.loaders.catalog.versionDetailsById.load(v.id))?.schema ?? null;
  }

  @FieldResolver(() => String, { nullable: true })
  async readme(@Root() v: PackVersion, @Ctx() ctx: Context): Promise<string | null> {
    return (await ctx.loaders.catalog.versionDetailsById.load(v.id))?.readme ?? null;
  }

  @FieldResolver(() => JSONResolver, { nullable: true, description: 'The pack.json as published (extra keys included).' })
  async packJson(@Root() v: PackVersion, @Ctx() ctx: Context): Promise<unknown> {
    return (await ctx.loaders.catalog.versionDetailsById.load(v.id))?.packJson ?? null;
  }

  @FieldResolver(() => JSONResolver, { nullable: true })
  async annotations(@Root() v: PackVersion, @Ctx() ctx: Context): Promise<unknown> {
    return (await ctx.loaders.catalog.versionDetailsById.load(v.id))?.annotations ?? null;
  }

  @FieldResolver(() => PackConstraints, { nullable: true })
  async constraints(@Root() v: PackVersion, @Ctx() ctx: Context): Promise<PackConstraints | null> {
    const spec = (await ctx.loaders.catalog.versionDetailsById.load(v.id))?.constraints as PackConstraintsSpec | null;
    if (!spec) return null;
    return {
      dependencies: (spec.dependencies ?? []).map((d) => ({
        packName: d.packName,
        layer: d.layer.toUpperCase() as Layer,
        type: DEPENDENCY_TYPE[d.type] ?? 'OPTIONAL',
        minVersion: d.minVersion || null,
        maxVersion: d.maxVersion || null,
      })),
      resources: (spec.resources ?? []).map((r) => ({ type: r.type, minLimit: r.minLimit ?? null, components: r.components ?? null })),
    };
  }

  @FieldResolver(() => String, { nullable: true, description: 'Where to GET the pack tarball (Authorization: Bearer <token>).' })
  downloadUrl(@Root() v: PackVersion, @Ctx() ctx: Context): string {
    return artifactUrl(ctx, v.digest);
  }

  @FieldResolver(() => Pack, { description: 'The pack as held by this version\'s registry.' })
  pack(@Root() v: PackVersion): Pack {
    return packOf(v.pack.name, [v.pack], v.pack.registry.name);
  }

  @FieldResolver(() => Registry)
  registry(@Root() v: PackVersion): Registry {
    return v.pack.registry as Registry;
  }
}
