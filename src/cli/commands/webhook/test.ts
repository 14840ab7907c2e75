/** `packctl webhook test`: a signed ping, sent now, and how the receiver answered. */
import type { Command } from 'commander';
import { graphql } from '../../generated/gql.js';
import { CliError } from '../../errors.js';
import { connect } from '../../session.js';

const TEST_WEBHOOK = graphql(`
  mutation TestWebhook($id: ID!) {
    testWebhook(id: $id) {
      id
      status
      responseStatus
      latencyMs
      responseBody
      error
    }
  }
`);

export function registerWebhookTest(webhook: Command): void {
  webhook
    .command('test')
    .description('Send a ping (type PING) to a webhook now; fails (exit 1) unless the receiver answers 2xx.')
    .argument('<id>', 'webhook id (from packctl webhook ls)')
    .addHelpText('after', '\nExamples:\n  $ packctl webhook test V2ViaG9vazo...')
    .action(async (id: string, _options: unknown, command: Command) => {
      const { client, out } = await connect(command);
      const { testWebhook: delivery } = await client.request(TEST_WEBHOOK, { id });
      if (delivery.status !== 'DELIVERED') throw new CliError(`The webhook did not accept the ping: ${delivery.error ?? 'no answer'}.`);
      out.result(delivery, () => `Ping delivered: HTTP ${delivery.responseStatus} in ${delivery.latencyMs} ms.`);
    });
}
