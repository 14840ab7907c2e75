/** `packctl registry update`: only the settings given change. */
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { graphql } from '../../generated/gql.js';
import { connect } from '../../session.js';
import { addUpstreamOptions, printRegistry, registryInput, type UpstreamOptions } from './registry-fields.js';

const UPDATE_REGISTRY = graphql(`
  mutation UpdateRegistry($name: String!, $input: UpdateRegistryInput!) {
    updateRegistry(name: $name, input: $input) {
      ...RegistryFields
    }
  }
`);

export function registerRegistryUpdate(registry: Command): void {
  addUpstreamOptions(
    registry.command('update').description('Change a registry\'s endpoint, priority, sync interval or credentials.').argument('<name>', 'registry name'),
  )
    .option('--clear-credentials', 'forget the stored upstream credentials')
    .addHelpText(
      'after',
      `
Examples:
  $ packctl registry update team --priority 50
  $ packctl registry update mirror --password n3w --username bot
  $ packctl registry update mirror --clear-credentials`,
    )
    .action(async (name: string, options: UpstreamOptions, command: Command) => {
      const input = registryInput(options);
      if (Object.keys(input).length === 0) throw new UsageError('Nothing to update: give at least one option (see --help).');
      const { client, out } = await connect(command);
      const { updateRegistry } = await client.request(UPDATE_REGISTRY, { name, input });
      printRegistry(out, updateRegistry, 'Updated');
    });
}
