/** `packctl profile validate`: every issue of a profile file against the catalog, nothing saved. */
import type { Command } from 'commander';
import { CliError } from '../../errors.js';
import { graphql } from '../../generated/gql.js';
import { connect } from '../../session.js';
import { examples } from '../examples.js';
import { readProfileFile } from './profile-fields.js';
import { formatValidation } from './validation-report.js';

const VALIDATE_PROFILE = graphql(`
  query ValidateProfile($input: ProfileInput!) {
    validateProfile(input: $input) {
      valid
      issues {
        ...IssueFields
      }
      resolvedLayers {
        layerIndex
        pack
        registry
        version
        digest
        layer
      }
      installOrder {
        layerIndex
        pack
        priority
      }
    }
  }
`);

export function registerProfileValidate(profile: Command): void {
  profile
    .command('validate')
    .description('Check a profile file against the catalog without saving it: what each layer resolves to and the install order, or every issue (exit 1 when any is an ERROR).')
    .argument('<file>', 'a YAML or JSON profile file (- for stdin)')
    .addHelpText('after', examples(`  $ packctl profile validate web-cluster.yaml\n  $ packctl profile validate web-cluster.json -o json`))
    .action(async (file: string, _options: unknown, command: Command) => {
      const input = await readProfileFile(file);
      const { client, out } = await connect(command);
      const { validateProfile: validation } = await client.request(VALIDATE_PROFILE, { input });
      out.result(validation, () => formatValidation(`${input.name}${input.version ? `:${input.version}` : ''}`, input, validation));
      // The verdict is printed (or in the JSON): exit 1 with nothing more to say.
      if (!validation.valid) throw new CliError('The profile is not valid.', { quiet: true });
    });
}
