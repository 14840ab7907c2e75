/** `packctl profile apply`: create a profile, or replace the stored version of the same name and version. */
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

const UPDATE_PROFILE = graphql(`
  mutation UpdateProfile($name: String!, $version: String!, $input: ProfileInput!) {
    updateProfile(name: $name, version: $version, input: $input) {
      ...ProfileFields
      warnings {
        ...IssueFields
      }
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
    .description('Save a profile file: create it, or replace the stored version of the same name and version.')
    .argument('<file>', 'a YAML or JSON profile file (- for stdin)')
    .addHelpText('after', examples(`  $ packctl profile apply web-cluster.yaml\n  $ packctl profile export web-cluster | packctl profile apply -`))
    .action(async (file: string, _options: unknown, command: Command) => {
      const input = await readProfileFile(file);
      const { client, out } = await connect(command);
      const version = input.version ?? '1.0.0';
      const { profile: existing } = await client.request(EXISTING_PROFILE, { name: input.name, version });
      const saved = existing
        ? (await client.request(UPDATE_PROFILE, { name: input.name, version, input })).updateProfile
        : (await client.request(CREATE_PROFILE, { input })).createProfile;
      printSaved(out, saved, existing ? 'updated' : 'created');
    });
}
