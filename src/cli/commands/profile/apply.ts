/**
 * `packctl profile apply`: create a profile version. Stored versions are immutable, so applying a
 * file again is a no-op ("unchanged") and a changed file with the same version is refused by the
 * server (PROFILE_VERSION_IMMUTABLE: bump `version`, or `cloneProfile`).
 */
import type { Command } from 'commander';
import { graphql } from '../../generated/gql.js';
import { connect } from '../../session.js';
import { examples } from '../examples.js';
import { printSaved, readProfileFile } from './profile-fields.js';

const EXISTING_PROFILE = graphql(`
  query ExistingProfile($name: String!, $version: String) {
    profile(name: $name, version: $version) {
      version
    }
  }
`);

const CREATE_PROFILE = graphql(`
  mutation CreateProfile($input: ProfileInput!) {
    createProfile(input: $input) {
      ...ProfileFields
      warnings {
        ...IssueFields
      }
    }
  }
`);

export function registerProfileApply(profile: Command): void {
  profile
    .command('apply')
    .description('Save a profile file as a new version; the same file again changes nothing (stored versions are immutable).')
    .argument('<file>', 'a YAML or JSON profile file (- for stdin)')
    .addHelpText('after', examples(`  $ packctl profile apply web-cluster.yaml\n  $ packctl profile export web-cluster | packctl profile apply -`))
    .action(async (file: string, _options: unknown, command: Command) => {
      const input = await readProfileFile(file);
      const { client, out } = await connect(command);
      const version = input.version ?? '1.0.0';
      const { profile: existing } = await client.request(EXISTING_PROFILE, { name: input.name, version });
      // Create is idempotent: an existing version with this content comes back as it is.
      const saved = (await client.request(CREATE_PROFILE, { input })).createProfile;
      printSaved(out, saved, existing ? 'unchanged' : 'created');
    });
}
