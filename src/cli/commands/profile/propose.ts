/**
 * `packctl profile propose`: ask the solver (proposeProfile) for a profile that fits the packs,
 * slots, cloud and Kubernetes range given, and print it as the profile file `profile apply` takes;
 * when none fits, print why (the chain of facts) and exit 1.
 */
import type { Command } from 'commander';
import { CliError } from '../../errors.js';
import { graphql } from '../../generated/gql.js';
import type { Layer, ProposalPolicy, ProposeProfileInput, ProfileType } from '../../generated/graphql.js';
import { formatProfileFile } from '../../profile-file.js';
import { connect } from '../../session.js';
import { examples } from '../examples.js';

const PROPOSE_PROFILE = graphql(`
  query ProposeProfile($input: ProposeProfileInput!) {
    proposeProfile(input: $input) {
      profile {
        name
        version
        type
        cloudType
        layers {
          pack
          version
          registry
          layer
          origin
        }
      }
      validation {
        valid
        issues {
          ...IssueFields
        }
      }
      explanation {
        text
        layers
        facts {
          pack
          versionRange
          relation
          otherPack
          otherRange
          text
        }
      }
    }
  }
`);

const LAYERS: Record<string, Layer> = { kernel: 'KERNEL', os: 'OS', k8s: 'K8S', kubernetes: 'K8S', cni: 'CNI', csi: 'CSI', addon: 'ADDON', 'add-on': 'ADDON' };
const TYPES: Record<string, ProfileType> = { cluster: 'CLUSTER', addon: 'ADDON', 'add-on': 'ADDON' };

const repeat = (value: string, previous: string[] = []) => [...previous, value];

/** `name`, `name@version` (any reference form: 1.31.x, a tag, latest). */
function packOf(text: string): { pack: string; version?: string } {
  const at = text.indexOf('@');
  if (at === 0 || at === text.length - 1) throw new CliError(`--pack "${text}" is not NAME or NAME@VERSION.`, { exitCode: 2 });
  return at === -1 ? { pack: text } : { pack: text.slice(0, at), version: text.slice(at + 1) };
}

/** `CNI`, `CSI:prefer=csi-aws-ebs,csi-longhorn`. */
function slotOf(text: string): { layer: Layer; prefer?: string[] } {
  const [kind, ...options] = text.split(':');
  const layer = LAYERS[kind.trim().toLowerCase()];
  if (!layer) throw new CliError(`--slot "${text}": the layer must be one of KERNEL, OS, K8S, CNI, CSI, ADDON.`, { exitCode: 2 });
  const option = options.join(':').trim();
  if (option === '') return { layer };
  if (!option.startsWith('prefer=')) throw new CliError(`--slot "${text}": the only option is prefer=PACK[,PACK...].`, { exitCode: 2 });
  return { layer, prefer: option.slice('prefer='.length).split(',').map((p) => p.trim()).filter(Boolean) };
}

interface ProposeOptions {
  pack?: string[];
  slot?: string[];
  cloud: string;
  kubernetes?: string;
  policy?: string;
  from?: string;
  type?: string;
  name?: string;
  profileVersion?: string;
}

function inputOf(options: ProposeOptions): ProposeProfileInput {
  const policy = (options.policy ?? 'newest').toUpperCase();
  if (policy !== 'NEWEST' && policy !== 'CLOSEST') throw new CliError(`--policy "${options.policy}" is not newest or closest.`, { exitCode: 2 });
  let from: ProposeProfileInput['from'] = null;
  if (options.from) {
    const at = options.from.lastIndexOf('@');
    if (at <= 0 || at === options.from.length - 1) throw new CliError(`--from "${options.from}" is not NAME@VERSION.`, { exitCode: 2 });
    from = { name: options.from.slice(0, at), version: options.from.slice(at + 1) };
  }
  if (policy === 'CLOSEST' && !from) throw new CliError('--policy closest needs --from NAME@VERSION (the saved profile to stay close to).', { exitCode: 2 });
  const type = TYPES[(options.type ?? 'cluster').toLowerCase()];
  if (!type) throw new CliError(`--type "${options.type}" is not cluster or add-on.`, { exitCode: 2 });
  return {
    name: options.name ?? null,
    version: options.profileVersion ?? null,
    type,
    cloudType: options.cloud,
    kubernetes: options.kubernetes ?? null,
    layers: (options.pack ?? []).map(packOf),
    slots: (options.slot ?? []).map(slotOf),
    policy: policy as ProposalPolicy,
    from,
  };
}

export function registerProfilePropose(profile: Command): void {
  profile
    .command('propose')
    .description('Let the catalog fill in a profile: exact versions for the packs and slots given that pass validation, printed as a profile file (or why none fits, exit 1).')
    .requiredOption('--cloud <type>', 'the cloud type (aws, vsphere, edge-native...)')
    .option('--pack <ref>', 'a pack the profile holds: NAME or NAME@VERSION (1.31.x, a tag, latest); repeatable', repeat)
    .option('--slot <layer>', 'an open layer to fill: CNI, CSI, ADDON... with :prefer=PACK[,PACK]; repeatable', repeat)
    .option('--kubernetes <range>', 'the Kubernetes range: 1.31.x, 1.31.2 or >=1.30 <1.32')
    .option('--policy <policy>', 'newest (default) or closest (with --from)')
    .option('--from <name@version>', 'the saved profile closest stays near (an upgrade of it)')
    .option('--type <type>', 'cluster (default: every core layer left open is filled) or add-on')
    .option('--name <name>', 'the proposed profile\'s name (default proposal)')
    .option('--profile-version <version>', 'the proposed profile\'s version')
    .addHelpText(
      'after',
      examples(`  $ packctl profile propose --cloud aws --kubernetes 1.31.x --pack ubuntu --pack cert-manager --slot CNI --slot CSI:prefer=csi-aws-ebs > web.yaml
  $ packctl profile apply web.yaml
  $ packctl profile propose --cloud aws --kubernetes 1.31.x --pack ubuntu --policy closest --from web-cluster@1.0.0`),
    )
    .action(async (options: ProposeOptions, command: Command) => {
      const input = inputOf(options);
      const { client, out } = await connect(command);
      const { proposeProfile: proposal } = await client.request(PROPOSE_PROFILE, { input });
      if (out.json) out.result(proposal, () => undefined);
      if (proposal.explanation || !proposal.profile) {
        const facts = proposal.explanation?.facts ?? [];
        throw new CliError(`No profile fits: ${proposal.explanation?.text ?? 'the service gave no explanation'}.`, {
          code: 'NO_PROPOSAL',
          quiet: out.json,
          issues: facts.map((f) => ({ code: f.relation, severity: 'ERROR', message: f.text, path: f.otherPack ? `${f.pack} -> ${f.otherPack}` : f.pack })),
        });
      }
      if (out.json) return;
      const p = proposal.profile;
      process.stdout.write(
        formatProfileFile({
          name: p.name,
          version: p.version ?? '1.0.0',
          type: p.type,
          cloudType: p.cloudType,
          layers: p.layers.map((l) => ({ pack: l.pack, version: l.version, registry: l.registry })),
        }),
      );
    });
}
