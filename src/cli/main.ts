/**
 * packctl: the command-line client of pack-catalog. Builds the command tree, runs it, and turns
 * every outcome into an exit status: 0 success, 1 failure, 2 usage error.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { registerAuthCommands } from './commands/auth.js';
import { registerPackCommands } from './commands/pack/index.js';
import { registerProfileCommands } from './commands/profile/index.js';
import { registerRegistryCommands } from './commands/registry/index.js';
import { registerTokenCommands } from './commands/token.js';
import { registerKeyCommands } from './commands/key/index.js';
import { registerEventsCommand } from './commands/events.js';
import { registerWebhookCommands } from './commands/webhook/index.js';
import { CliError } from './errors.js';
import { formatIssues } from './output.js';
import { VERSION } from './session.js';

export interface RunIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** The command tree. Exported for tests that inspect help texts without running anything. */
export function buildProgram(io: RunIo = { stdout: process.stdout, stderr: process.stderr }): Command {
  const program = new Command('packctl');
  program
    .description('Push, pull and browse packs, registries and cluster profiles on a pack-catalog server.')
    .version(VERSION, '-v, --version', 'print the packctl version')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--server <url>', 'the server to talk to (default: the one chosen at login)')
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  program.addHelpText(
    'after',
    `
Examples:
  $ packctl login http://localhost:4000 --token pkc_...
  $ packctl pack push ./crossplane-2.1.3 --registry team
  $ packctl pack ls --layer addon
  $ packctl pack pull crossplane:2.1.3 ./crossplane
  $ packctl profile validate profile.yaml

Exit status: 0 success, 1 failure, 2 usage error.`,
  );
  registerAuthCommands(program);
  registerPackCommands(program);
  registerRegistryCommands(program);
  registerProfileCommands(program);
  registerTokenCommands(program);
  registerKeyCommands(program);
  registerEventsCommand(program);
  registerWebhookCommands(program);
  return program;
}

/** Run packctl with `argv` (as process.argv: node, script, args...) and resolve with the exit status. */
export async function run(argv: readonly string[], io: RunIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with 0; every parse error (and help shown for one) is a usage error.
      return error.exitCode === 0 ? 0 : 2;
    }
    return reportError(error, io, program.opts<{ output?: string }>().output === 'json');
  }
}

function reportError(error: unknown, io: RunIo, json: boolean): number {
  if (error instanceof CliError) {
    if (error.options.quiet) return error.exitCode;
    const code = error.code ? ` (${error.code})` : '';
    io.stderr.write(`error: ${error.message}${code}\n`);
    const issues = error.options.issues ?? [];
    if (json) {
      io.stdout.write(`${JSON.stringify({ error: { message: error.message, code: error.code ?? null, issues } }, null, 2)}\n`);
    } else if (issues.length > 0) {
      io.stderr.write(`${formatIssues(issues)}\n`);
    }
    if (error.options.hint) io.stderr.write(`${error.options.hint}\n`);
    return error.exitCode;
  }
  // A bug in packctl itself: still no stack unless asked for.
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`error: ${message}\n`);
  if (process.env.PACKCTL_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return 1;
}

/** Flush stdout and stderr, then exit: keep-alive sockets must not hold a finished command open. */
export async function runAndExit(argv: readonly string[]): Promise<never> {
  // `packctl pack ls | head`: the reader left; that is not packctl's failure.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => process.exit(error.code === 'EPIPE' ? 0 : 1));
  }
  const code = await run(argv);
  await Promise.all([
    new Promise<void>((resolve) => process.stdout.write('', () => resolve())),
    new Promise<void>((resolve) => process.stderr.write('', () => resolve())),
  ]);
  process.exit(code);
}

function isEntryPoint(): boolean {
  if (!process.argv[1]) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) void runAndExit(process.argv);
