/**
 * `packctl pack lifecycle`: deprecate, disable or reactivate a pack version (setPackVersionLifecycle).
 * Publishers do it in their HOSTED registries; in other registries the lifecycle comes from pack.json
 * and only an ADMIN may override it (the server decides). Retiring a version names the saved
 * profiles it hits, as `packctl pack impact` lists them.
 */
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { graphql } from '../../generated/gql.js';
import { connect, resolveWriteRegistry } from '../../session.js';
import { examples } from '../examples.js';
import { PACK_IMPACT } from './impact.js';
import { nameAndVersionOf } from './version-args.js';

const SET_LIFECYCLE = graphql(`
  mutation SetLifecycle($registry: String!, $name: String!, $version: String!, $state: PackLifecycleState!, $eol: String, $replacedBy: String) {
    setPackVersionLifecycle(registry: $registry, name: $name, version: $version, state: $state, eol: $eol, replacedBy: $replacedBy) {
      version
      lifecycle {
        state
        eol
        pastEol
        replacedBy
        deprecatedAt
      }
    }
  }
`);

const STATES = ['ACTIVE', 'DEPRECATED', 'DISABLED'] as const;
type State = (typeof STATES)[number];

function stateOf(text: string): State {
  const state = text.trim().toUpperCase();
  if (!(STATES as readonly string[]).includes(state)) throw new UsageError(`--state ${text}: expected one of ${STATES.join(', ')}.`);
  return state as State;
}

export function registerPackLifecycle(pack: Command): void {
  pack
    .command('lifecycle')
    .description('Set a pack version\'s lifecycle: DEPRECATED (profiles warned), DISABLED (refused in new profiles) or ACTIVE.')
    .argument('<name>', 'the pack (or NAME:VERSION)')
    .argument('[version]', 'the version')
    .requiredOption('--state <state>', 'ACTIVE, DEPRECATED or DISABLED')
    .option('--replaced-by <ref>', 'what to use instead, e.g. cert-manager:1.16.1')
    .option('--eol <date>', 'end of life, YYYY-MM-DD ("" clears the one pack.json gives)')
    .option('--registry <name>', 'the registry (default: the only HOSTED registry)')
    .addHelpText(
      'after',
      examples(`  $ packctl pack lifecycle crossplane 1.7.0 --state DEPRECATED --replaced-by crossplane:2.1.3 --eol 2025-06-30 --registry team
  $ packctl pack lifecycle crossplane:1.7.0 --state DISABLED --registry team
  $ packctl pack lifecycle crossplane 1.7.0 --state ACTIVE --registry team`),
    )
    .action(
      async (
        nameText: string,
        versionText: string | undefined,
        options: { state: string; replacedBy?: string; eol?: string; registry?: string },
        command: Command,
      ) => {
        const { name, version } = nameAndVersionOf(nameText, versionText);
        const state = stateOf(options.state);
        const { client, out } = await connect(command);
        const registry = await resolveWriteRegistry(client, options.registry);
        const { setPackVersionLifecycle: set } = await client.request(SET_LIFECYCLE, {
          registry,
          name,
          version,
          state,
          eol: options.eol ?? null,
          replacedBy: options.replacedBy ?? null,
        });
        // Who it hits: only worth a request when the version left ACTIVE.
        const hit = state === 'ACTIVE' ? [] : (await client.request(PACK_IMPACT, { name, version, registry })).packImpact;
        out.result({ registry, name, ...set, impact: hit.map((p) => ({ name: p.name, version: p.version })) }, () => {
          const { lifecycle } = set;
          const details = [
            lifecycle.eol ? `eol ${lifecycle.eol}${lifecycle.pastEol ? ' (past)' : ''}` : null,
            lifecycle.replacedBy ? `replaced by ${lifecycle.replacedBy}` : null,
          ].filter(Boolean);
          const line = `${name}:${set.version} in registry ${registry} is ${lifecycle.state}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
          if (state === 'ACTIVE') return line;
          const profiles = hit.map((p) => `${p.name}:${p.version}`);
          return hit.length === 0
            ? `${line}\nno saved profile uses it`
            : `${line}\n${hit.length} saved profile version(s) use it: ${profiles.join(', ')} (packctl pack impact ${name} ${set.version})`;
        });
      },
    );
}
