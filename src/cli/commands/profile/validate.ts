/** `packctl profile validate`: every issue of a profile file against the catalog, nothing saved. */
import type { Command } from 'commander';
import { CliError, type CliIssue } from '../../errors.js';
import { graphql } from '../../generated/gql.js';
import { formatIssues } from '../../output.js';
import { connect } from '../../session.js';
import { examples } from '../examples.js';
import { readProfileFile } from './profile-fields.js';

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
    }
  }
`);

export function registerProfileValidate(profile: Command): void {
  profile
    .command('validate')
    .description('Check a profile file against the catalog without saving it; prints every issue (exit 1 when any is an ERROR).')
    .argument('<file>', 'a YAML or JSON profile file (- for stdin)')
    .addHelpText('after', examples(`  $ packctl profile validate web-cluster.yaml\n  $ packctl profile validate web-cluster.json -o json`))
    .action(async (file: string, _options: unknown, command: Command) => {
      const input = await readProfileFile(file);
      const { client, out } = await connect(command);
      const { validateProfile: validation } = await client.request(VALIDATE_PROFILE, { input });
      const { errors, warnings } = countBySeverity(validation.issues);
      const label = `${input.name}${input.version ? `:${input.version}` : ''}`;
      out.result(validation, () => {
        const summary = validation.valid
          ? `${label} is valid${warnings > 0 ? ` (${warnings} warning(s))` : ''}.`
          : `${label} is not valid: ${errors} error(s), ${warnings} warning(s).`;
        return validation.issues.length > 0 ? `${formatIssues(validation.issues)}\n\n${summary}` : summary;
      });
      if (!validation.valid) throw new CliError(`${label} has ${errors} error(s).`, { printed: true });
    });
}

function countBySeverity(issues: readonly CliIssue[]): { errors: number; warnings: number } {
  const errors = issues.filter((i) => i.severity === 'ERROR').length;
  return { errors, warnings: issues.length - errors };
}
