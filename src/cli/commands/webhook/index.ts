/** `packctl webhook add|ls|rm|test`: one file per action, registered in help order. */
import type { Command } from 'commander';
import { registerWebhookAdd } from './add.js';
import { registerWebhookList } from './ls.js';
import { registerWebhookRemove } from './rm.js';
import { registerWebhookTest } from './test.js';

export function registerWebhookCommands(program: Command): void {
  const webhook = program
    .command('webhook')
    .description('Manage webhooks: HTTP endpoints told of catalog events, signed with a secret (ADMIN, or PUBLISHER for its registries).')
    .addHelpText(
      'after',
      `
Examples:
  $ packctl webhook add https://ci.example.com/hooks/packs --registry team --event PACK_VERSION_PUBLISHED
  $ packctl webhook ls
  $ packctl webhook test <id>
  $ packctl webhook rm <id>

Deliveries carry X-PackCatalog-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>"> (docs/webhooks.md).`,
    );
  registerWebhookAdd(webhook);
  registerWebhookList(webhook);
  registerWebhookRemove(webhook);
  registerWebhookTest(webhook);
}
