/** `packctl login`, `logout`, `whoami`. */
import type { Command } from 'commander';
import { CatalogClient } from '../client.js';
import { addServer, configPath, loadConfig, normalizeServerUrl, removeServer, saveConfig } from '../config.js';
import { CliError, UsageError } from '../errors.js';
import { graphql } from '../generated/gql.js';
import type { MeQuery } from '../generated/graphql.js';
import { formatDetails } from '../output.js';
import { VERSION, connect, globalsOf, outputOf } from '../session.js';

const ME = graphql(`
  query Me {
    me {
      name
      role
      registries
    }
  }
`);

export function registerAuthCommands(program: Command): void {
  program
    .command('login')
    .description('Log in to a server with an API token; checks the token, then stores it in ~/.packctl/config.json (mode 0600).')
    .argument('<url>', 'the server, e.g. http://localhost:4000')
    .option('--token <token>', 'the API token (pkc_...); read from stdin when omitted')
    .option('--insecure', 'accept a self-signed TLS certificate from this server')
    .option('--default', 'make this the default server (the first login always is)')
    .addHelpText(
      'after',
      `
Examples:
  $ packctl login http://localhost:4000 --token pkc_...
  $ cat token.txt | packctl login https://catalog.example.com --default
  $ packctl login https://catalog.internal:8443 --insecure --token pkc_...

The token printed at the first start of the server (DATA_DIR/admin-token) is an ADMIN token.`,
    )
    .action(async (rawUrl: string, options: { token?: string; insecure?: boolean; default?: boolean }, command: Command) => {
      const out = outputOf(command);
      const url = normalizeServerUrl(rawUrl);
      const token = (options.token ?? (await readTokenFromStdin())).trim();
      if (!token) throw new UsageError('No token given: pass --token <token> or pipe it on stdin.');
      const client = new CatalogClient({ url, token, insecure: options.insecure, userAgent: VERSION });
      let me: MeQuery['me'];
      try {
        ({ me } = await client.request(ME));
      } catch (error) {
        if (error instanceof CliError && error.code === 'UNAUTHENTICATED') {
          throw new CliError(`${url} did not accept the token: ${error.message}`, { code: error.code });
        }
        throw error;
      }
      if (!me) throw new CliError(`${url} did not accept the token.`, { code: 'UNAUTHENTICATED' });
      const file = configPath();
      const config = await loadConfig(file);
      const updated = addServer(
        config,
        url,
        { token, insecure: options.insecure || undefined, principal: { name: me.name, role: me.role }, loggedInAt: new Date().toISOString() },
        options.default ?? false,
      );
      await saveConfig(updated, file);
      const isDefault = updated.defaultServer === url;
      out.result({ server: url, name: me.name, role: me.role, registries: me.registries, default: isDefault }, () =>
        `Logged in to ${url} as ${me.name} (${me.role})${isDefault ? ', the default server' : ''}.`,
      );
    });

  program
    .command('logout')
    .description('Forget the token of a server (the default one, or URL / --server).')
    .argument('[url]', 'the server to log out of')
    .addHelpText(
      'after',
      `
Examples:
  $ packctl logout
  $ packctl logout https://catalog.example.com`,
    )
    .action(async (rawUrl: string | undefined, _options: unknown, command: Command) => {
      const out = outputOf(command);
      const file = configPath();
      const config = await loadConfig(file);
      const requested = rawUrl ?? globalsOf(command).server;
      const url = requested ? normalizeServerUrl(requested) : config.defaultServer;
      if (!url || !config.servers[url]) throw new CliError(url ? `Not logged in to ${url}.` : 'Not logged in.');
      const updated = removeServer(config, url);
      await saveConfig(updated, file);
      out.result({ server: url, defaultServer: updated.defaultServer ?? null }, () => {
        const next = updated.defaultServer && updated.defaultServer !== config.defaultServer ? ` The default server is now ${updated.defaultServer}.` : '';
        return `Logged out of ${url}.${next}`;
      });
    });

  program
    .command('whoami')
    .description('Show who the stored token belongs to, as the server sees it.')
    .addHelpText(
      'after',
      `
Examples:
  $ packctl whoami
  $ packctl whoami --server https://catalog.example.com -o json`,
    )
    .action(async (_options: unknown, command: Command) => {
      const { client, server, out } = await connect(command);
      const { me } = await client.request(ME);
      if (!me) {
        throw new CliError(`${server.url} no longer accepts the stored token.`, {
          code: 'UNAUTHENTICATED',
          hint: `Log in again: packctl login ${server.url} --token <token>`,
        });
      }
      out.result({ server: server.url, ...me }, () =>
        formatDetails([
          ['server', server.url],
          ['name', me.name],
          ['role', me.role],
          ['registries', me.registries.length > 0 ? me.registries.join(', ') : 'all'],
        ]),
      );
    });
}

/** The token from stdin: typed without echo on a terminal, else everything piped in. */
async function readTokenFromStdin(): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  process.stderr.write('API token: ');
  return new Promise<string>((resolve, reject) => {
    let typed = '';
    const finish = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (data: Buffer) => {
      for (const char of data.toString('utf8')) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003' || char === '\u0004') return finish(new UsageError('Login cancelled.'));
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}
