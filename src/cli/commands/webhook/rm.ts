/** `packctl webhook rm`. */
import type { Command } from 'commander';
import { graphql } from '../../generated/gql.js';
import { connect } from '../../session.js';

const DELETE_WEBHOOK = graphql(`
  mutation DeleteWebhook($id: ID!) {
    deleteWebhook(id: $id)
  }
`);

export function registerWebhookRemove(webhook: Command): void {
  webhook
    .command('rm')
    .alias('delete')
    .description('Delete a webhook and its delivery log.')
    .argument('<id>', 'webhook id (from packctl webhook ls)')
    .addHelpText('after', '\nExamples:\n  $ packctl webhook rm V2ViaG9vazo...')
    .action(async (id: string, _options: unknown, command: Command) => {
      const { client, out } = await connect(command);
      await client.request(DELETE_WEBHOOK, { id });
      out.result({ id, deleted: true }, () => `Deleted webhook ${id}.`);
    });
}
