/** `packctl registry add`: a HOSTED registry, or an upstream to federate. */
import { Option, type Command } from 'commander';
import { graphql } from '../../generated/gql.js';
import type { RegistryKind } from '../../generated/graphql.js';
import { connect } from '../../session.js';
import { oneOf } from '../options.js';
import { addUpstreamOptions, printRegistry, registryInput, type UpstreamOptions } from './registry-fields.js';

const KINDS = ['HOSTED', 'OCI', 'HELM', 'DIRECTORY', 'CATALOG'] as const satisfies readonly RegistryKind[];

const CREATE_REGISTRY = graphql(`
  mutation CreateRegistry($input: CreateRegistryInput!) {
    createRegistry(input: $input) {
      ...RegistryFields
    }
  }
`);

export function registerRegistryAdd(registry: Command): void {
  addUpstreamOptions(
    registry
      .command('add')
      .description('Create a HOSTED registry (packs pushed with packctl) or register an upstream to federate.')
      .argument('<name>', 'registry name')
      .addOption(new Option('--kind <kind>', `registry kind: ${KINDS.join(', ')} (any case)`).argParser(oneOf('--kind', KINDS)).default('HOSTED')),
  )
    .addHelpText(
      'after',
      `
Examples:
  $ packctl registry add team
  $ packctl registry add mirror --kind OCI --endpoint https://registry.example.com --base-path palette --username bot --password s3cret
  $ packctl registry add charts --kind HELM --endpoint https://charts.example.com --interval 3600
  $ packctl registry add upstream --kind CATALOG --endpoint https://catalog.example.com --upstream-token pkc_...`,
    )
    .action(async (name: string, options: UpstreamOptions & { kind: (typeof KINDS)[number] }, command: Command) => {
      const { client, out } = await connect(command);
      const input = { name, kind: options.kind, ...registryInput(options) };
      const { createRegistry } = await client.request(CREATE_REGISTRY, { input });
      printRegistry(out, createRegistry, 'Created');
    });
}
