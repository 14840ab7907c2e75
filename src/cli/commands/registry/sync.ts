/** `packctl registry sync`: start a run; with --wait, follow it to its end. */
import type { Command } from 'commander';
import type { CatalogClient } from '../../client.js';
import { CliError } from '../../errors.js';
import { graphql } from '../../generated/gql.js';
import type { SyncRunFieldsFragment } from '../../generated/graphql.js';
import { formatTable, type Output } from '../../output.js';
import { connect } from '../../session.js';
import { integer } from '../options.js';

// Operations spread it by name; codegen embeds it in each of their documents.
graphql(`
  fragment SyncRunFields on SyncRun {
    id
    state
    startedAt
    finishedAt
    added
    updated
    removed
    unchanged
    message
    errors {
      item
      message
    }
  }
`);

const SYNC_REGISTRY = graphql(`
  mutation SyncRegistry($name: String!, $force: Boolean) {
    syncRegistry(name: $name, force: $force, wait: false) {
      ...SyncRunFields
    }
  }
`);

const SYNC_PROGRESS = graphql(`
  query SyncProgress($name: String!) {
    registry(name: $name) {
      sync {
        state
        runs(last: 5) {
          ...SyncRunFields
        }
      }
    }
  }
`);

export type SyncRunView = SyncRunFieldsFragment;

const ACTIVE_STATES = new Set(['QUEUED', 'RUNNING']);

export function registerRegistrySync(registry: Command): void {
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
      const { syncRegistry: started } = await client.request(SYNC_REGISTRY, { name, force: options.force ?? false });
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
      const { registry } = await client.request(SYNC_PROGRESS, { name });
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
