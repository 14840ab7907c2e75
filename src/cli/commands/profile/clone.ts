/**
 * `packctl profile clone`: start the next version of a profile with the same content. Stored
 * versions are immutable, so this is how a change begins: clone, export, edit, apply.
 */
import type { Command } from 'commander';
import { graphql } from '../../generated/gql.js';
import { connect } from '../../session.js';
import { examples } from '../examples.js';
import { printSaved } from './profile-fields.js';

const CLONE_PROFILE = graphql(`
  mutation CloneProfileVersion($name: String!, $version: String!, $newVersion: String!) {
    cloneProfile(name: $name, version: $version, newVersion: $newVersion) {
      ...ProfileFields
      warnings {
        ...IssueFields
      }
    }
  }
`);

export function registerProfileClone(profile: Command): void {
  profile
    .command('clone')
    .description('Copy a stored profile version to a new version (the same content; the clone keeps its owner).')
    .argument('<name>', 'the profile')
    .argument('<version>', 'the version to copy')
    .argument('<newVersion>', 'the version to create')
    .addHelpText(
      'after',
      examples(`  $ packctl profile clone web-cluster 1.0.0 1.1.0
  $ packctl profile export web-cluster:1.1.0 > web-cluster.yaml   # then edit it, and apply a new version`),
    )
    .action(async (name: string, version: string, newVersion: string, _options: unknown, command: Command) => {
      const { client, out } = await connect(command);
      const { cloneProfile } = await client.request(CLONE_PROFILE, { name, version, newVersion });
      printSaved(out, cloneProfile, `cloned ${name}:${version} into`);
    });
}
