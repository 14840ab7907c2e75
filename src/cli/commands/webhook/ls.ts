/** `packctl webhook ls`. */
import type { Command } from 'commander';
import { graphql } from '../../generated/gql.js';
import { connect } from '../../session.js';

const WEBHOOKS = graphql(`
  query Webhooks($after: String) {
    webhooks(first: 100, after: $after) {
      edges {
        node {
          id
          url
          events
          registries
          packs
          format
          enabled
          failing
          createdBy
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export function registerWebhookList(webhook: Command): void {
  webhook
    .command('ls')
    .alias('list')
    .description('List the webhooks you manage (every one for an ADMIN).')
    .addHelpText('after', '\nExamples:\n  $ packctl webhook ls\n  $ packctl webhook ls -o json')
    .action(async (_options: unknown, command: Command) => {
      const { client, out } = await connect(command);
      const rows = [];
      let after: string | null | undefined;
      do {
        const { webhooks } = await client.request(WEBHOOKS, { after });
        rows.push(...webhooks.edges.map((e) => e.node));
        after = webhooks.pageInfo.hasNextPage ? webhooks.pageInfo.endCursor : null;
      } while (after);
      out.table(
        rows,
        [
          { header: 'id', value: (w) => w.id },
          { header: 'url', value: (w) => w.url },
          { header: 'events', value: (w) => (w.events.length > 0 ? w.events.join(',') : 'all') },
          { header: 'registries', value: (w) => (w.registries.length > 0 ? w.registries.join(',') : 'all') },
          { header: 'format', value: (w) => w.format },
          { header: 'state', value: (w) => (!w.enabled ? 'disabled' : w.failing ? 'FAILING' : 'ok') },
        ],
        'No webhooks.',
      );
    });
}
