/** `packctl registry rm`. */
import type { Command } from 'commander';
import { graphql } from '../../generated/gql.js';
import { connect } from '../../session.js';

const DELETE_REGISTRY = graphql(`
  mutation DeleteRegistry($name: String!) {
    deleteRegistry(name: $name)
  }
`);

export function registerRegistryRemove(registry: Command): void {
  registry
    .command('rm')
    .alias('delete')
    .description('Delete a registry and its catalog entries (the DEFAULT registry stays).')
    .argument('<name>', 'registry name')
    .addHelpText('after', '\nExamples:\n  $ packctl registry rm old-mirror')
    .action(async (name: string, _options: unknown, command: Command) => {
      const { client, out } = await connect(command);
      await client.request(DELETE_REGISTRY, { name });
      out.result({ name, deleted: true }, () => `Deleted registry ${name}.`);
    });
}
