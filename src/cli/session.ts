/** What every command needs: the global options, the output, and a client for the chosen server. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CatalogClient } from './client.js';
import { configPath, loadConfig, selectServer, type SelectedServer } from './config.js';
import { UsageError } from './errors.js';
import { graphql } from './generated/gql.js';
import { Output, type OutputFormat } from './output.js';

export interface GlobalOptions {
  server?: string;
  output: OutputFormat;
}

export interface Session {
  client: CatalogClient;
  server: SelectedServer;
  out: Output;
}

/** The package version (src/cli and dist/cli both sit two folders below package.json). */
export const VERSION: string = (() => {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
})();

export function globalsOf(command: Command): GlobalOptions {
  const options = command.optsWithGlobals() as { server?: string; output?: OutputFormat };
  return { server: options.server, output: options.output ?? 'table' };
}

export function outputOf(command: Command): Output {
  return new Output(globalsOf(command).output);
}

/** The logged-in server for this command, or the "Not logged in" error (exit 1). */
export async function connect(command: Command): Promise<Session> {
  const globals = globalsOf(command);
  const config = await loadConfig(configPath());
  const server = selectServer(config, globals.server);
  return {
    server,
    client: new CatalogClient({ url: server.url, token: server.token, insecure: server.insecure, userAgent: VERSION }),
    out: new Output(globals.output),
  };
}

const HOSTED_REGISTRIES = graphql(`
  query HostedRegistries {
    registries {
      name
      kind
    }
  }
`);

/**
 * The registry a write goes to: `--registry` when given, else the server's only HOSTED
 * registry. With none or several, the user must choose: a usage error (exit 2).
 */
export async function resolveWriteRegistry(client: CatalogClient, given: string | undefined): Promise<string> {
  if (given) return given;
  const { registries } = await client.request(HOSTED_REGISTRIES);
  const hosted = registries.filter((registry) => registry.kind === 'HOSTED');
  if (hosted.length === 1) return hosted[0].name;
  if (hosted.length === 0) {
    throw new UsageError(
      'This server has no HOSTED registry to write to.',
      'Create one (packctl registry add NAME --kind HOSTED), then pass --registry NAME.',
    );
  }
  throw new UsageError(`Several HOSTED registries exist (${hosted.map((r) => r.name).join(', ')}): choose one with --registry.`);
}
