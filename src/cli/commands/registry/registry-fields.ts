/** What packctl shows of a registry: one fragment for ls, add and update, and how one is printed. */
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { graphql } from '../../generated/gql.js';
import type { RegistryFieldsFragment, UpdateRegistryInput } from '../../generated/graphql.js';
import { formatDetails, type Output } from '../../output.js';
import { integer } from '../options.js';

// Operations spread it by name; codegen embeds it in each of their documents.
graphql(`
  fragment RegistryFields on Registry {
    name
    kind
    endpoint
    priority
    packCount
    syncIntervalSeconds
    sync {
      state
      lastRunAt
      lastSuccessAt
      message
    }
  }
`);

export type RegistryRow = RegistryFieldsFragment;

/** The options `registry add` and `registry update` share. */
export interface UpstreamOptions {
  endpoint?: string;
  basePath?: string;
  repository?: string[];
  priority?: number;
  interval?: number;
  insecure?: boolean;
  username?: string;
  password?: string;
  upstreamToken?: string;
  clearCredentials?: boolean;
}

export function addUpstreamOptions(command: Command): Command {
  return command
    .option('--endpoint <url>', 'the upstream: an OCI registry, a Helm repository, another pack-catalog, or a folder (DIRECTORY)')
    .option('--base-path <path>', 'OCI: the path under the registry host where spectro-packs/ lives')
    .option('--repository <name...>', 'OCI: repositories to sync when the registry offers no catalog')
    .option('--priority <n>', 'higher wins when several registries hold the same pack', integer('--priority', -1_000_000))
    .option('--interval <seconds>', 'seconds between scheduled syncs', integer('--interval', 0))
    .option('--insecure', 'plain HTTP or unverified TLS to the upstream')
    .option('--username <name>', 'upstream user name')
    .option('--password <secret>', 'upstream password')
    .option('--upstream-token <secret>', 'upstream bearer token (e.g. another pack-catalog\'s API token)');
}

/** Only the options given: an update leaves every other setting as it is. */
export function registryInput(options: UpstreamOptions): UpdateRegistryInput {
  const input: UpdateRegistryInput = {};
  if (options.endpoint !== undefined) input.endpoint = options.endpoint;
  if (options.basePath !== undefined) input.basePath = options.basePath;
  if (options.repository !== undefined) input.repositories = options.repository.flatMap((r) => r.split(',')).filter(Boolean);
  if (options.priority !== undefined) input.priority = options.priority;
  if (options.interval !== undefined) input.syncIntervalSeconds = options.interval;
  if (options.insecure !== undefined) input.insecure = options.insecure;
  if (options.username !== undefined || options.password !== undefined || options.upstreamToken !== undefined) {
    input.credentials = { username: options.username ?? null, password: options.password ?? null, token: options.upstreamToken ?? null };
  }
  if (options.clearCredentials) {
    if (input.credentials) throw new UsageError('--clear-credentials conflicts with --username/--password/--upstream-token.');
    input.credentials = null;
  }
  return input;
}

export function printRegistry(out: Output, registry: RegistryRow, verb: string): void {
  out.result(registry, () =>
    [
      `${verb} registry ${registry.name}.`,
      formatDetails([
        ['kind', registry.kind],
        ['endpoint', registry.endpoint],
        ['priority', registry.priority],
        ['sync every', `${registry.syncIntervalSeconds}s`],
        ['sync state', registry.sync.state],
      ]),
    ].join('\n'),
  );
}
