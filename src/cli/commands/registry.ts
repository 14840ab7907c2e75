/** `packctl registry ls|add|update|rm|sync`. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { CatalogClient } from '../client.js';
import { CliError, UsageError } from '../errors.js';
import { formatDetails, formatTable, type Output } from '../output.js';
import { connect } from '../session.js';

const KINDS = ['HOSTED', 'OCI', 'HELM', 'DIRECTORY', 'CATALOG'] as const;

interface RegistryRow {
  name: string;
  kind: string;
  endpoint: string | null;
  priority: number;
  packCount: number;
  syncIntervalSeconds: number;
  sync: { state: string; lastRunAt: string | null; lastSuccessAt: string | null; message: string | null };
}

export interface SyncRunView {
  id: string;
  state: string;
  startedAt: string | null;
  finishedAt: string | null;
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  message?: string | null;
  errors: Array<{ item: string; message: string }>;
}

const REGISTRY_FIELDS = 'name kind endpoint priority packCount syncIntervalSeconds sync { state lastRunAt lastSuccessAt message }';
const RUN_FIELDS = 'id state startedAt finishedAt added updated removed unchanged message errors { item message }';
const ACTIVE_STATES = new Set(['QUEUED', 'RUNNING']);

interface RegistryOptions {
  kind?: string;
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

/** An option value from a fixed set, in any case. */
export function oneOf(name: string, values: readonly string[]) {
  return (value: string): string => {
    const upper = value.toUpperCase();
    if (!values.includes(upper)) throw new InvalidArgumentError(`${name} must be one of ${values.join(', ')}.`);
    return upper;
  };
}

function integer(name: string, min: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min) throw new InvalidArgumentError(`${name} must be an integer >= ${min}.`);
    return parsed;
  };
}

function addUpstreamOptions(command: Command): Command {
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

function registryInput(options: RegistryOptions): Record<string, unknown> {
  const input: Record<string, unknown> = {};
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

function printRegistry(out: Output, registry: RegistryRow, verb: string): void {
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

export function registerRegistryCommands(program: Command): void {
  const registry = program
    .command('registry')
    .description('Manage the registries the server hosts or federates (changes need an ADMIN token).')
    .addHelpText(
      'after',
      `
Examples:
  $ packctl registry ls
  $ packctl registry add team --kind HOSTED
  $ packctl registry add bitnami --kind HELM --endpoint https://charts.bitnami.com/bitnami
  $ packctl registry sync bitnami --wait`,
    );

  registry
    .command('ls')
    .alias('list')
    .description('List registries, highest priority first.')
    .addHelpText('after', '\nExamples:\n  $ packctl registry ls\n  $ packctl registry ls -o json')
    .action(async (_options: unknown, command: Command) => {
      const { client, out } = await connect(command);
      const { registries } = await client.request<{ registries: RegistryRow[] }>(`query Registries { registries { ${REGISTRY_FIELDS} } }`);
      out.table(
        registries,
        [
          { header: 'name', value: (r) => r.name },
          { header: 'kind', value: (r) => r.kind },
          { header: 'priority', value: (r) => r.priority },
          { header: 'packs', value: (r) => r.packCount },
          { header: 'sync', value: (r) => r.sync.state },
          { header: 'last sync', value: (r) => r.sync.lastRunAt },
          { header: 'endpoint', value: (r) => r.endpoint },
        ],
        'No registries.',
      );
    });

  addUpstreamOptions(
    registry
      .command('add')
      .description('Create a HOSTED registry (packs pushed with packctl) or register an upstream to federate.')
      .argument('<name>', 'registry name')
      .addOption(new Option('--kind <kind>', `registry kind: ${KINDS.join(', ')} (any case)`).argParser(oneOf('--kind', KINDS)).default('HOSTED')),
  )
    .addHelpText(
      'after',
      `
Examples:
  $ packctl registry add team
  $ packctl registry add mirror --kind OCI --endpoint https://registry.example.com --base-path palette --username bot --password s3cret
  $ packctl registry add charts --kind HELM --endpoint https://charts.example.com --interval 3600
  $ packctl registry add upstream --kind CATALOG --endpoint https://catalog.example.com --upstream-token pkc_...`,
    )
    .action(async (name: string, options: RegistryOptions, command: Command) => {
      const { client, out } = await connect(command);
      const input = { name, kind: options.kind, ...registryInput(options) };
      const { createRegistry } = await client.request<{ createRegistry: RegistryRow }>(
        `mutation CreateRegistry($input: CreateRegistryInput!) { createRegistry(input: $input) { ${REGISTRY_FIELDS} } }`,
        { input },
      );
      printRegistry(out, createRegistry, 'Created');
    });

  addUpstreamOptions(
    registry.command('update').description('Change a registry\'s endpoint, priority, sync interval or credentials.').argument('<name>', 'registry name'),
  )
    .option('--clear-credentials', 'forget the stored upstream credentials')
    .addHelpText(
      'after',
      `
Examples:
  $ packctl registry update team --priority 50
  $ packctl registry update mirror --password n3w --username bot
  $ packctl registry update mirror --clear-credentials`,
    )
    .action(async (name: string, options: RegistryOptions, command: Command) => {
      const input = registryInput(options);
      if (Object.keys(input).length === 0) throw new UsageError('Nothing to update: give at least one option (see --help).');
      const { client, out } = await connect(command);
      const { updateRegistry } = await client.request<{ updateRegistry: RegistryRow }>(
        `mutation UpdateRegistry($name: String!, $input: UpdateRegistryInput!) { updateRegistry(name: $name, input: $input) { ${REGISTRY_FIELDS} } }`,
        { name, input },
      );
      printRegistry(out, updateRegistry, 'Updated');
    });

  registry
    .command('rm')
    .alias('delete')
    .description('Delete a registry and its catalog entries (the DEFAULT registry stays).')
    .argument('<name>', 'registry name')
    .addHelpText('after', '\nExamples:\n  $ packctl registry rm old-mirror')
    .action(async (name: string, _options: unknown, command: Command) => {
      const { client, out } = await connect(command);
      await client.request<{ deleteRegistry: boolean }>(`mutation DeleteRegistry($name: String!) { deleteRegistry(name: $name) }`, { name });
      out.result({ name, deleted: true }, () => `Deleted registry ${name}.`);
    });

  registry
    .command('sync')
    .description('Sync an upstream registry now; with --wait, follow the run and end with its counts and errors (exit 1 if it FAILED).')
    .argument('<name>', 'registry name')
    .option('--force', 'fetch every item again, even unchanged ones')
    .option('--wait', 'wait for the run to end, showing its progress')
    .option('--timeout <seconds>', 'give up waiting after this long', integer('--timeout', 1), 1800)
    .addHelpText(
      'after',
      `
Examples:
  $ packctl registry sync charts
  $ packctl registry sync charts --wait
  $ packctl registry sync mirror --force --wait -o json`,
    )
    .action(async (name: string, options: { force?: boolean; wait?: boolean; timeout: number }, command: Command) => {
      const { client, out } = await connect(command);
      const { syncRegistry: started } = await client.request<{ syncRegistry: SyncRunView }>(
        `mutation SyncRegistry($name: String!, $force: Boolean) { syncRegistry(name: $name, force: $force, wait: false) { ${RUN_FIELDS} } }`,
        { name, force: options.force ?? false },
      );
      if (!options.wait) {
        out.result(started, () => `Sync of ${name} ${started.state.toLowerCase()} (run ${started.id}). Follow it: packctl registry sync ${name} --wait`);
        return;
      }
      const run = ACTIVE_STATES.has(started.state) ? await waitForRun(client, name, started, options.timeout * 1000, out) : started;
      out.result(run, () => describeRun(name, run));
      if (run.state === 'FAILED') throw new CliError(`The sync of ${name} failed${run.message ? `: ${run.message}` : '.'}`);
    });
}

/** Poll the registry until the run leaves QUEUED/RUNNING, showing its state and counts on stderr. */
async function waitForRun(client: CatalogClient, name: string, started: SyncRunView, timeoutMs: number, out: Output): Promise<SyncRunView> {
  const deadline = Date.now() + timeoutMs;
  const tty = Boolean(process.stderr.isTTY) && !out.json;
  let lastLine = '';
  let run = started;
  const show = (current: SyncRunView) => {
    const line = `syncing ${name}: ${current.state} (added ${current.added}, updated ${current.updated}, removed ${current.removed}, unchanged ${current.unchanged}, errors ${current.errors.length})`;
    if (line === lastLine) return;
    lastLine = line;
    if (tty) process.stderr.write(`\r\x1b[2K${line}`);
    else out.note(line);
  };
  show(run);
  let delay = 500;
  try {
    while (ACTIVE_STATES.has(run.state)) {
      if (Date.now() > deadline) {
        throw new CliError(`The sync of ${name} is still ${run.state} after ${Math.round(timeoutMs / 1000)}s; it goes on on the server.`, {
          hint: `Check it later: packctl registry ls`,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 3000);
      const { registry } = await client.request<{ registry: { sync: { state: string; runs: SyncRunView[] } } | null }>(
        `query SyncProgress($name: String!) { registry(name: $name) { sync { state runs(last: 5) { ${RUN_FIELDS} } } } }`,
        { name },
      );
      if (!registry) throw new CliError(`Registry ${name} disappeared while syncing.`, { code: 'NOT_FOUND' });
      run = registry.sync.runs.find((candidate) => candidate.id === started.id) ?? registry.sync.runs[0] ?? run;
      show(run);
    }
  } finally {
    if (tty && lastLine) process.stderr.write('\n');
  }
  return run;
}

export function describeRun(name: string, run: SyncRunView): string {
  const seconds =
    run.startedAt && run.finishedAt ? ` in ${((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000).toFixed(1)}s` : '';
  const lines = [
    `Sync of ${name} ${run.state}${seconds}: added ${run.added}, updated ${run.updated}, removed ${run.removed}, unchanged ${run.unchanged}, errors ${run.errors.length}.`,
  ];
  if (run.message) lines.push(run.message);
  if (run.errors.length > 0) {
    lines.push('', formatTable(run.errors, [{ header: 'item', value: (e) => e.item }, { header: 'error', value: (e) => e.message }]));
  }
  return lines.join('\n');
}
