/** `packctl webhook add`. */
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { graphql } from '../../generated/gql.js';
import type { CatalogEventType, WebhookFormat } from '../../generated/graphql.js';
import { UsageError } from '../../errors.js';
import { EVENT_TYPES } from '../../event-types.js';
import { connect } from '../../session.js';

const CREATE_WEBHOOK = graphql(`
  mutation CreateWebhook($input: CreateWebhookInput!) {
    createWebhook(input: $input) {
      id
      url
      events
      registries
      packs
      format
    }
  }
`);

const collect = (value: string, previous: string[] = []) => [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];

interface AddOptions {
  event?: string[];
  registry?: string[];
  pack?: string[];
  secret?: string;
  secretEnv?: string;
  format?: string;
  insecure?: boolean;
}

export function registerWebhookAdd(webhook: Command): void {
  webhook
    .command('add')
    .description('Create a webhook. Without --secret a random one is made and printed once: keep it to verify signatures.')
    .argument('<url>', 'where deliveries are POSTed (https; plain http only to loopback unless --insecure)')
    .option('--event <type>', `event types to deliver, repeatable or comma-separated (default: all): ${EVENT_TYPES.join(', ')}`, collect)
    .option('--registry <name>', 'registries whose events are delivered, repeatable (a PUBLISHER must name its registries)', collect)
    .option('--pack <name>', 'packs whose events are delivered, repeatable', collect)
    .option('--secret <secret>', 'the signing secret (16 to 256 characters)')
    .option('--secret-env <variable>', 'read the signing secret from this environment variable')
    .option('--format <format>', 'JSON or CLOUDEVENTS', 'JSON')
    .option('--insecure', 'allow plain http to a host other than loopback')
    .addHelpText('after', '\nExamples:\n  $ packctl webhook add https://ci.example.com/hooks --registry team --event PACK_VERSION_PUBLISHED,PACK_LIFECYCLE_CHANGED')
    .action(async (url: string, options: AddOptions, command: Command) => {
      const format = options.format?.toUpperCase();
      if (format !== 'JSON' && format !== 'CLOUDEVENTS') throw new UsageError('--format is JSON or CLOUDEVENTS.');
      const known = new Set<string>(EVENT_TYPES);
      const unknown = (options.event ?? []).filter((e) => !known.has(e.toUpperCase()));
      if (unknown.length > 0) throw new UsageError(`Unknown event type ${unknown.join(', ')}: one of ${[...known].join(', ')}.`);
      let secret = options.secret;
      if (options.secretEnv) {
        secret = process.env[options.secretEnv];
        if (!secret) throw new UsageError(`The environment variable ${options.secretEnv} is not set.`);
      }
      const generated = secret === undefined;
      secret ??= randomBytes(24).toString('base64url');
      const { client, out } = await connect(command);
      const { createWebhook } = await client.request(CREATE_WEBHOOK, {
        input: {
          url,
          secret,
          format: format as WebhookFormat,
          events: (options.event ?? []).map((e) => e.toUpperCase() as CatalogEventType),
          registries: options.registry ?? [],
          packs: options.pack ?? [],
          insecure: options.insecure ?? false,
        },
      });
      out.result({ ...createWebhook, ...(generated ? { secret } : {}) }, () =>
        [
          `Created webhook ${createWebhook.id} -> ${createWebhook.url}`,
          `  events: ${createWebhook.events.length > 0 ? createWebhook.events.join(', ') : 'all'}`,
          `  registries: ${createWebhook.registries.length > 0 ? createWebhook.registries.join(', ') : 'all'}`,
          ...(createWebhook.packs.length > 0 ? [`  packs: ${createWebhook.packs.join(', ')}`] : []),
          ...(generated ? [`  secret: ${secret}   (shown once: it is stored encrypted and never shown again)`] : []),
        ].join('\n'),
      );
    });
}
