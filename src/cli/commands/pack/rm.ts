/** `packctl pack rm`: delete one version from a HOSTED registry. */
import type { Command } from 'commander';
import { graphql } from '../../generated/gql.js';
import { parseVersionedRef } from '../../refs.js';
import { connect, resolveWriteRegistry } from '../../session.js';
import { examples } from '../examples.js';

const DELETE_VERSION = graphql(`
  mutation DeleteVersion($registry: String!, $name: String!, $version: String!) {
    deletePackVersion(registry: $registry, name: $name, version: $version)
  }
`);

export function registerPackRemove(pack: Command): void {
  pack
    .command('rm')
    .alias('delete')
    .description('Delete one version from a HOSTED registry.')
    .argument('<ref>', 'NAME:VERSION')
    .option('--registry <name>', 'the HOSTED registry (default: the only HOSTED registry)')
    .addHelpText('after', examples(`  $ packctl pack rm crossplane:2.1.3 --registry team`))
    .action(async (refText: string, options: { registry?: string }, command: Command) => {
      const ref = parseVersionedRef(refText);
      const { client, out } = await connect(command);
      const registry = await resolveWriteRegistry(client, options.registry);
      await client.request(DELETE_VERSION, { registry, name: ref.name, version: ref.version });
      out.result({ registry, name: ref.name, version: ref.version, deleted: true }, () => `deleted ${ref.name}:${ref.version} from registry ${registry}`);
    });
}
