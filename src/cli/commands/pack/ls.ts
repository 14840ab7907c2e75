/** `packctl pack ls`: the merged catalog, every page fetched, one line per pack. */
import type { Command } from 'commander';
import { CliError } from '../../errors.js';
import { graphql } from '../../generated/gql.js';
import type { ListPacksQuery } from '../../generated/graphql.js';
import type { Column } from '../../output.js';
import { parseLayers } from '../../refs.js';
import { connect } from '../../session.js';
import { examples } from '../examples.js';
import { assertRegistriesExist } from './pack-not-found.js';

const LIST_PACKS = graphql(`
  query ListPacks($filter: PackFilter, $first: Int, $after: String) {
    packs(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          name
          displayName
          layer
          addonType
          cloudTypes
          deprecated
          sources {
            name
          }
          latest {
            version
          }
        }
      }
    }
  }
`);

type PackNode = ListPacksQuery['packs']['edges'][number]['node'];

const LIST_PAGE_SIZE = 50;

export function registerPackList(pack: Command): void {
  pack
    .command('ls')
    .alias('list')
    .description('List the catalog: one line per pack, merged across registries (every page is fetched).')
    .option('--name <text>', 'only packs whose name or display name contains TEXT')
    .option('--registry <name...>', 'only packs from these registries')
    .option('--layer <layer...>', 'only these layers: kernel, os, k8s, cni, csi, addon (comma-separated or repeated)')
    .option('--cloud <cloudType>', 'only packs for this cloud type (or for all clouds), e.g. aws')
    .option('--addon-type <type>', 'only add-ons of this type, e.g. monitoring')
    .option('--all', 'include deprecated packs')
    .addHelpText(
      'after',
      examples(`  $ packctl pack ls
  $ packctl pack ls --layer addon --name cross
  $ packctl pack ls --layer os,k8s --cloud aws --registry default -o json`),
    )
    .action(
      async (
        options: { name?: string; registry?: string[]; layer?: string[]; cloud?: string; addonType?: string; all?: boolean },
        command: Command,
      ) => {
        const layers = options.layer ? parseLayers(options.layer) : undefined;
        const { client, out } = await connect(command);
        const filter = {
          search: options.name,
          registry: options.registry?.flatMap((r) => r.split(',')).filter(Boolean),
          layer: layers,
          cloudType: options.cloud,
          addonType: options.addonType,
          includeDeprecated: options.all ?? false,
        };
        await assertRegistriesExist(client, filter.registry ?? []);
        const nodes: PackNode[] = [];
        let after: string | null = null;
        let first = LIST_PAGE_SIZE;
        for (;;) {
          let page: ListPacksQuery;
          try {
            page = await client.request(LIST_PACKS, { filter, first, after });
          } catch (error) {
            const smaller = smallerPageSize(error, first);
            if (smaller === undefined) throw error;
            first = smaller;
            continue;
          }
          nodes.push(...page.packs.edges.map((edge) => edge.node));
          if (!page.packs.pageInfo.hasNextPage || !page.packs.pageInfo.endCursor) break;
          after = page.packs.pageInfo.endCursor;
        }
        const columns: Column<PackNode>[] = [
          { header: 'name', value: (p) => p.name },
          { header: 'display name', value: (p) => p.displayName },
          { header: 'layer', value: (p) => p.layer },
          { header: 'latest', value: (p) => p.latest?.version },
          { header: 'registries', value: (p) => p.sources.map((s) => s.name) },
          { header: 'cloud types', value: (p) => p.cloudTypes },
          { header: 'addon type', value: (p) => p.addonType },
        ];
        if (options.all) columns.push({ header: 'deprecated', value: (p) => (p.deprecated ? 'yes' : '') });
        out.table(nodes, columns, 'No packs match.');
      },
    );
}

/** When the server refused a page as too costly, the page size that fits its complexity limit. */
export function smallerPageSize(error: unknown, current: number): number | undefined {
  const extensions = error instanceof CliError ? error.options.extensions : undefined;
  const cost = Number(extensions?.complexity);
  const limit = Number(extensions?.maxComplexity);
  if (!(cost > 0 && limit > 0) || current <= 1) return undefined;
  return Math.max(1, Math.min(current - 1, Math.floor((current * limit) / cost)));
}
