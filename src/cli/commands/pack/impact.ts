/** `packctl pack impact`: the saved profiles that use a pack version, so a publisher sees who a deprecation hits. */
import type { Command } from 'commander';
import { graphql } from '../../generated/gql.js';
import { connect } from '../../session.js';
import { examples } from '../examples.js';
import { nameAndVersionOf } from './version-args.js';

export const PACK_IMPACT = graphql(`
  query PackImpactOfVersion($name: String!, $version: String!, $registry: String) {
    packImpact(name: $name, version: $version, registry: $registry) {
      name
      version
      owner
      layers {
        index
        pack
        version
        registry
      }
    }
  }
`);

export function registerPackImpact(pack: Command): void {
  pack
    .command('impact')
    .description('List the saved profile versions with a layer that resolves to this pack version today (exact, tag, 1.x, latest).')
    .argument('<name>', 'the pack (or NAME:VERSION)')
    .argument('[version]', 'the version')
    .option('--registry <name>', 'only layers that resolve in this registry')
    .addHelpText('after', examples(`  $ packctl pack impact kubernetes 1.31.2\n  $ packctl pack impact cert-manager:1.16.1 --registry default -o json`))
    .action(async (nameText: string, versionText: string | undefined, options: { registry?: string }, command: Command) => {
      const { name, version } = nameAndVersionOf(nameText, versionText);
      const { client, out } = await connect(command);
      const { packImpact } = await client.request(PACK_IMPACT, { name, version, registry: options.registry ?? null });
      const rows = packImpact.map((p) => ({ ...p, using: p.layers.filter((l) => l.pack === name) }));
      out.table(
        rows,
        [
          { header: 'profile', value: (p) => p.name },
          { header: 'version', value: (p) => p.version },
          { header: 'owner', value: (p) => p.owner ?? '' },
          { header: 'layer', value: (p) => p.using.map((l) => `#${l.index} ${l.pack}:${l.version}${l.registry ? ` (${l.registry})` : ''}`) },
        ],
        `No saved profile uses ${name}:${version}.`,
        packImpact,
      );
    });
}
