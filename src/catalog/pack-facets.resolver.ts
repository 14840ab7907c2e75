/** `packFacets(filter)`: the catalog page's facet counts (pack-facets.service.ts). */
import { Arg, Ctx, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { Layer } from '../graphql/enums.js';
import { PackFilter } from './pack.graphql-types.js';

@ObjectType({ description: 'How many pack names one value of a facet holds.' })
export class PackFacetValue {
  @Field(() => String, { description: 'The value to put in the filter (add-on types in lower case: the filter ignores case).' })
  value!: string;

  @Field(() => Int, { description: 'The totalCount `packs` answers with this value chosen and the other facets\' choices kept.' })
  count!: number;
}

@ObjectType({ description: 'How many pack names one layer holds.' })
export class PackLayerFacetValue {
  @Field(() => Layer)
  layer!: Layer;

  @Field(() => Int, { description: 'The totalCount `packs` answers with only this layer chosen and the other facets\' choices kept.' })
  count!: number;
}

@ObjectType({
  description:
    'Facet counts of the merged catalog for a PackFilter. Each facet is counted with the other facets\' choices applied and its own left out ' +
    '(choosing a layer does not zero the other layers). Values with no pack are left out, except the ones the filter chose (count 0).',
})
export class PackFacets {
  @Field(() => [PackLayerFacetValue], { description: 'In profile order: KERNEL, OS, K8S, CNI, CSI, ADDON.' })
  layer!: PackLayerFacetValue[];

  @Field(() => [PackFacetValue], { description: 'Readable registries, most packs first.' })
  registry!: PackFacetValue[];

  @Field(() => [PackFacetValue], { description: 'Cloud types, most packs first; a pack for `all` clouds counts in each, and in `all`.' })
  cloudType!: PackFacetValue[];

  @Field(() => [PackFacetValue], { description: 'pack.json addonType of add-on packs, most packs first.' })
  addonType!: PackFacetValue[];

  @Field(() => Int, { description: 'What `packs(filter)` answers as totalCount.' })
  totalCount!: number;
}

@Resolver()
export class PackFacetsResolver {
  @Query(() => PackFacets, {
    description:
      'Counts per layer, registry, cloud type and add-on type of the packs `filter` matches, in the registries the caller may read ' +
      '(as `packs`): the facets of a catalog search. Cached at the catalog generation like listing pages.',
  })
  async packFacets(@Arg('filter', () => PackFilter, { nullable: true }) filter: PackFilter | undefined, @Ctx() ctx: Context): Promise<PackFacets> {
    const facets = await ctx.services.packFacets.facets(ctx.principal, filter ?? {});
    return { ...facets, layer: facets.layer.map(({ value, count }) => ({ layer: value as Layer, count })) };
  }
}
