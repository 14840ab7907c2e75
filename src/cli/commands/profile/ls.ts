/** `packctl profile ls`. */
import type { Command } from 'commander';
import { graphql } from '../../generated/gql.js';
import { connect } from '../../session.js';
import { examples } from '../examples.js';

const PROFILES = graphql(`
  query Profiles($name: String) {
    profiles(name: $name) {
      ...ProfileFields
    }
  }
`);

export function registerProfileList(profile: Command): void {
  profile
    .command('ls')
    .alias('list')
    .description('List stored profiles, by name, newest version first.')
    .option('--name <name>', 'only the versions of this profile')
    .addHelpText('after', examples(`  $ packctl profile ls\n  $ packctl profile ls --name web-cluster -o json`))
    .action(async (options: { name?: string }, command: Command) => {
      const { client, out } = await connect(command);
      const { profiles } = await client.request(PROFILES, { name: options.name ?? null });
      out.table(
        profiles,
        [
          { header: 'name', value: (p) => p.name },
          { header: 'version', value: (p) => p.version },
          { header: 'type', value: (p) => p.type },
          { header: 'cloud type', value: (p) => p.cloudType },
          { header: 'layers', value: (p) => p.layers.map((l) => `${l.pack}:${l.version}`) },
          { header: 'updated', value: (p) => p.updatedAt },
        ],
        'No profiles.',
      );
    });
}
