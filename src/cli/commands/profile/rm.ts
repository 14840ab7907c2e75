/** `packctl profile rm`: delete one profile version. */
import type { Command } from 'commander';
import { graphql } from '../../generated/gql.js';
import { parseVersionedRef } from '../../refs.js';
import { connect } from '../../session.js';
import { examples } from '../examples.js';

const DELETE_PROFILE = graphql(`
  mutation DeleteProfile($name: String!, $version: String!) {
    deleteProfile(name: $name, version: $version)
  }
`);

export function registerProfileRemove(profile: Command): void {
  profile
    .command('rm')
    .alias('delete')
    .description('Delete one profile version.')
    .argument('<ref>', 'NAME:VERSION')
    .addHelpText('after', examples(`  $ packctl profile rm web-cluster:1.0.0`))
    .action(async (refText: string, _options: unknown, command: Command) => {
      const ref = parseVersionedRef(refText);
      const { client, out } = await connect(command);
      await client.request(DELETE_PROFILE, ref);
      out.result({ ...ref, deleted: true }, () => `deleted profile ${ref.name}:${ref.version}`);
    });
}
