/** `packctl registry ls`. */
import type { Command } from 'commander';
import { graphql } from '../../generated/gql.js';
import { connect } from '../../session.js';

const REGISTRIES = graphql(`
  query Registries {
    registries {
      ...RegistryFields
    }
  }
`);

export function registerRegistryList(registry: Command): void {
  registry
    .command('ls')
    .alias('list')
    .description('List registries, highest priority first.')
    .addHelpText('after', '\nExamples:\n  $ packctl registry ls\n  $ packctl registry ls -o json')
    .action(async (_options: unknown, command: Command) => {
      const { client, out } = await connect(command);
      const { registries } = await client.request(REGISTRIES);
      out.table(
        registries,
        [
          { header: 'name', value: (r) => r.name },
          { header: 'kind', value: (r) => r.kind },
          { header: 'priority', value: (r) => r.priority },
          { header: 'packs', value: (r) => r.packCount },
          { header: 'sync', value: (r) => r.sync.state },
          { header: 'last sync', value: (r) => r.sync.lastRunAt },
          { header: 'endpoint', value: (r) => r.endpoint },
        ],
        'No registries.',
      );
    });
}
