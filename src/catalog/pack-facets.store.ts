/**
 * Facet counts of the merged pack listing (the web console's catalog page): for the packs a
 * `PackFilter` matches, how many pack names each layer, registry, cloud type and add-on type
 * holds. Each dimension is counted with the other dimensions' filters applied and its own left
 * out, the usual faceted-search behaviour: with `layer: [CNI]` chosen, the layer counts still say
 * how many CSI or ADDON packs choosing those instead would give. A count is what `packs(filter)`
 * with that value chosen answers as `totalCount` (distinct names, every readable source).
 *
 * One statement: the packs every dimension agrees on (readable registries, search, deprecated,
 * verified, a live version) are read once into a CTE, then counted per dimension. The conditions
 * are the listing's own (pack.store.reads.ts `filterConditions`), so a facet never disagrees with
 * the page it narrows.
 */
import type { Db } from '../platform/database.js';
import { Prisma } from '../generated/prisma/client.js';
import type { Principal } from '../auth/principal.js';
import { ADDON_TYPE_KEY, cloudTypeMatchSql, filterConditions, packsFrom, readableRegistrySql, type PackListFilter } from './pack.store.reads.js';

export type FacetDimension = 'layer' | 'registry' | 'cloudType' | 'addonType';

/** Counts per value of each dimension, values with no pack left out; `total` is the listing's totalCount. */
export interface FacetCounts {
  layer: Map<string, number>;
  registry: Map<string, number>;
  cloudType: Map<string, number>;
  addonType: Map<string, number>;
  total: number;
}

interface FacetRow {
  facet: FacetDimension | 'total';
  value: string | null;
  count: bigint;
}

export class PackFacetsStore {
  constructor(private readonly prisma: Db) {}

  async facetCounts(actor: Principal, filter: PackListFilter): Promise<FacetCounts> {
    const c = filterConditions(filter);
    const dims: Record<FacetDimension, Prisma.Sql | null> = { layer: c.layer, registry: c.registry, cloudType: c.cloudType, addonType: c.addonType };
    /** The chosen values of every dimension but `except`. */
    const others = (except: FacetDimension | null): Prisma.Sql => {
      const chosen = (Object.keys(dims) as FacetDimension[]).filter((d) => d !== except && dims[d] !== null).map((d) => dims[d]!);
      return chosen.length === 0 ? Prisma.sql`TRUE` : Prisma.join(chosen, ' AND ');
    };
    // `base` keeps the columns the dimension conditions read on `p`; `r` is joined again (registries are a handful of rows).
    const rows = await this.prisma.$queryRaw<FacetRow[]>`
      WITH base AS MATERIALIZED (
        SELECT p.name, p.layer, p."addonType", p."cloudTypes", p."registryId"
        FROM ${packsFrom(filter)} p JOIN "Registry" r ON r.id = p."registryId"
        WHERE ${readableRegistrySql(actor)} AND ${Prisma.join(c.rest, ' AND ')}
      ),
      clouds AS (SELECT DISTINCT unnest("cloudTypes") AS value FROM base UNION SELECT 'all')
      SELECT 'layer' AS facet, p.layer::text AS value, count(DISTINCT p.name) AS count
        FROM base p JOIN "Registry" r ON r.id = p."registryId" WHERE ${others('layer')} GROUP BY p.layer
      UNION ALL
      SELECT 'registry', r.name, count(DISTINCT p.name)
        FROM base p JOIN "Registry" r ON r.id = p."registryId" WHERE ${others('registry')} GROUP BY r.name
      UNION ALL
      SELECT 'cloudType', cloud.value, count(DISTINCT p.name)
        FROM base p JOIN "Registry" r ON r.id = p."registryId" JOIN clouds cloud ON ${cloudTypeMatchSql(Prisma.sql`cloud.value`)}
        WHERE ${others('cloudType')} GROUP BY cloud.value
      UNION ALL
      SELECT 'addonType', ${ADDON_TYPE_KEY}, count(DISTINCT p.name)
        FROM base p JOIN "Registry" r ON r.id = p."registryId" WHERE p."addonType" IS NOT NULL AND ${others('addonType')} GROUP BY ${ADDON_TYPE_KEY}
      UNION ALL
      SELECT 'total', NULL, count(DISTINCT p.name)
        FROM base p JOIN "Registry" r ON r.id = p."registryId" WHERE ${others(null)}`;
    const counts: FacetCounts = { layer: new Map(), registry: new Map(), cloudType: new Map(), addonType: new Map(), total: 0 };
    for (const row of rows) {
      if (row.facet === 'total') counts.total = Number(row.count);
      else if (row.value !== null && row.value.trim() !== '') counts[row.facet].set(row.value, Number(row.count));
    }
    return counts;
  }
}
