/** `packctl profile export`: a stored profile as a file `profile apply` takes back. */
import type { Command } from 'commander';
import type { CatalogClient } from '../../client.js';
import { CliError } from '../../errors.js';
import { graphql } from '../../generated/gql.js';
import { formatProfileFile } from '../../profile-file.js';
import { connect } from '../../session.js';
import { examples } from '../examples.js';
import { parseProfileRef, type ProfileRow } from './profile-fields.js';

const EXPORT_PROFILE = graphql(`
  query ExportProfile($name: String!, $version: String) {
    profile(name: $name, version: $version) {
      ...ProfileFields
    }
  }
`);

export function registerProfileExport(profile: Command): void {
  profile
    .command('export')
    .description('Print a stored profile as a YAML file that profile apply takes back.')
    .argument('<ref>', 'NAME (the newest version) or NAME:VERSION')
    .addHelpText('after', examples(`  $ packctl profile export web-cluster > web-cluster.yaml\n  $ packctl profile export web-cluster:1.0.0 -o json`))
    .action(async (refText: string, _options: unknown, command: Command) => {
      const ref = parseProfileRef(refText);
      const { client, out } = await connect(command);
      const found = await findProfile(client, ref.name, ref.version);
      if (out.json) {
        out.result(found, () => undefined);
        return;
      }
      process.stdout.write(formatProfileFile(found));
    });
}

async function findProfile(client: CatalogClient, name: string, version: string | undefined): Promise<ProfileRow> {
  const { profile } = await client.request(EXPORT_PROFILE, { name, version: version ?? null });
  if (!profile) throw new CliError(`Profile ${name}${version ? `:${version}` : ''} was not found.`, { code: 'NOT_FOUND' });
  return profile;
}
