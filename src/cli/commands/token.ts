/** `packctl token create|ls|revoke` (ADMIN). */
import { Option, type Command } from 'commander';
import { graphql } from '../generated/gql.js';
import type { Role } from '../generated/graphql.js';
import { formatDetails } from '../output.js';
import { parseExpiry } from '../refs.js';
import { connect } from '../session.js';
import { oneOf } from './options.js';

// Operations spread it by name; codegen embeds it in each of their documents.
graphql(`
  fragment ApiTokenFields on ApiToken {
    id
    name
    prefix
    role
    registries
    createdAt
    lastUsedAt
    expiresAt
    revokedAt
  }
`);

const CREATE_TOKEN = graphql(`
  mutation CreateToken($name: String!, $role: Role!, $registries: [String!], $expiresAt: DateTime) {
    createApiToken(name: $name, role: $role, registries: $registries, expiresAt: $expiresAt) {
      token
      apiToken {
        ...ApiTokenFields
      }
    }
  }
`);

const TOKENS = graphql(`
  query Tokens {
    apiTokens {
      ...ApiTokenFields
    }
  }
`);

const REVOKE_TOKEN = graphql(`
  mutation RevokeToken($id: ID!) {
    revokeApiToken(id: $id)
  }
`);

const ROLES = ['VIEWER', 'PUBLISHER', 'ADMIN'] as const satisfies readonly Role[];

export function registerTokenCommands(program: Command): void {
  const token = program
    .command('token')
    .description('Manage API tokens (needs an ADMIN token).')
    .addHelpText(
      'after',
      `
Examples:
  $ packctl token create ci-publisher --role PUBLISHER --registry team --expires 90d
  $ packctl token ls
  $ packctl token revoke 3f1c...`,
    );

  token
    .command('create')
    .description('Create a token; its secret is printed once and never again.')
    .argument('<name>', 'what the token is for, e.g. ci-publisher')
    .addOption(
      new Option('--role <role>', 'VIEWER reads; PUBLISHER also pushes and tags; ADMIN does everything (any case)')
        .argParser(oneOf('--role', ROLES))
        .makeOptionMandatory(),
    )
    .option('--registry <name...>', 'PUBLISHER: the registries it may write to (default: all)')
    .option('--expires <when>', 'a duration (30d, 12h, 2w, 1y) or a date (2026-01-31); default: never')
    .addHelpText(
      'after',
      `
Examples:
  $ packctl token create ci-publisher --role PUBLISHER --registry team --expires 90d
  $ packctl token create dashboards --role viewer
  $ packctl token create ci --role PUBLISHER -o json | jq -r .token`,
    )
    .action(async (name: string, options: { role: Role; registry?: string[]; expires?: string }, command: Command) => {
      const expiresAt = options.expires ? parseExpiry(options.expires) : undefined;
      const { client, out, server } = await connect(command);
      const { createApiToken } = await client.request(CREATE_TOKEN, {
        name,
        role: options.role,
        registries: options.registry?.flatMap((r) => r.split(',')).filter(Boolean) ?? null,
        expiresAt: expiresAt?.toISOString() ?? null,
      });
      const { token: secret, apiToken } = createApiToken;
      out.result({ token: secret, ...apiToken }, () =>
        [
          formatDetails([
            ['id', apiToken.id],
            ['name', apiToken.name],
            ['role', apiToken.role],
            ['registries', apiToken.registries.length > 0 ? apiToken.registries.join(', ') : 'all'],
            ['expires', apiToken.expiresAt ?? 'never'],
          ]),
          '',
          'The secret, shown this once (store it now):',
          secret,
          '',
          `Use it: packctl login ${server.url} --token ${secret.slice(0, 8)}...`,
        ].join('\n'),
      );
    });

  token
    .command('ls')
    .alias('list')
    .description('List tokens, revoked ones included (secrets are never shown again).')
    .addHelpText('after', '\nExamples:\n  $ packctl token ls\n  $ packctl token ls -o json')
    .action(async (_options: unknown, command: Command) => {
      const { client, out } = await connect(command);
      const { apiTokens } = await client.request(TOKENS);
      out.table(
        apiTokens,
        [
          { header: 'id', value: (t) => t.id },
          { header: 'name', value: (t) => t.name },
          { header: 'prefix', value: (t) => t.prefix },
          { header: 'role', value: (t) => t.role },
          { header: 'registries', value: (t) => (t.registries.length > 0 ? t.registries : 'all') },
          { header: 'created', value: (t) => t.createdAt },
          { header: 'last used', value: (t) => t.lastUsedAt },
          { header: 'expires', value: (t) => t.expiresAt },
          { header: 'revoked', value: (t) => t.revokedAt },
        ],
        'No tokens.',
      );
    });

  token
    .command('revoke')
    .description('Revoke a token: it stops working at once.')
    .argument('<id>', 'the token id (see packctl token ls)')
    .addHelpText('after', '\nExamples:\n  $ packctl token revoke 3f1c2a9e-...')
    .action(async (id: string, _options: unknown, command: Command) => {
      const { client, out } = await connect(command);
      await client.request(REVOKE_TOKEN, { id });
      out.result({ id, revoked: true }, () => `Revoked token ${id}.`);
    });
}
