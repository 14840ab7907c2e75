/** `packctl pack tag add|delete`: publisher tags on versions of a HOSTED registry. */
import type { Command } from 'commander';
import { CliError } from '../../errors.js';
import { graphql } from '../../generated/gql.js';
import { parseVersionedRef, suggestPublisherTag } from '../../refs.js';
import { connect, resolveWriteRegistry } from '../../session.js';
import { examples } from '../examples.js';

const ADD_TAG = graphql(`
  mutation AddTag($registry: String!, $name: String!, $version: String!, $tag: String!) {
    addPackTag(registry: $registry, name: $name, version: $version, tag: $tag) {
      version
      tags
    }
  }
`);

const DELETE_TAG = graphql(`
  mutation DeleteTag($registry: String!, $name: String!, $tag: String!) {
    deletePackTag(registry: $registry, name: $name, tag: $tag)
  }
`);

export function registerPackTag(pack: Command): void {
  const tag = pack
    .command('tag')
    .description('Add or delete publisher tags (group__label, e.g. lts__2.1) on versions of a HOSTED registry.')
    .addHelpText(
      'after',
      examples(`  $ packctl pack tag add crossplane:2.1.3 stable__2.1 --registry team
  $ packctl pack tag delete crossplane:stable__2.1 --registry team`),
    );

  tag
    .command('add')
    .description('Tag a version; a tag already on another version moves here.')
    .argument('<ref>', 'NAME:VERSION')
    .argument('<tag>', 'group__label, e.g. lts__2.1')
    .option('--registry <name>', 'the HOSTED registry (default: the only HOSTED registry)')
    .addHelpText('after', examples(`  $ packctl pack tag add crossplane:2.1.3 stable__2.1 --registry team`))
    .action(async (refText: string, tagName: string, options: { registry?: string }, command: Command) => {
      const ref = parseVersionedRef(refText);
      const { client, out } = await connect(command);
      const registry = await resolveWriteRegistry(client, options.registry);
      const { addPackTag } = await client.request(ADD_TAG, { registry, name: ref.name, version: ref.version, tag: tagName }).catch((error: unknown) => {
        throw withTagSuggestion(error, ref, tagName, registry);
      });
      out.result({ registry, name: ref.name, ...addPackTag }, () => `tagged ${ref.name}:${addPackTag.version} as ${tagName} in registry ${registry} (tags: ${addPackTag.tags.join(', ')})`);
    });

  tag
    .command('delete')
    .alias('rm')
    .description('Delete a publisher tag (parent tags such as 1.x are computed and cannot be deleted).')
    .argument('<ref>', 'NAME:TAG')
    .option('--registry <name>', 'the HOSTED registry (default: the only HOSTED registry)')
    .addHelpText('after', examples(`  $ packctl pack tag delete crossplane:stable__2.1 --registry team`))
    .action(async (refText: string, options: { registry?: string }, command: Command) => {
      const ref = parseVersionedRef(refText, 'NAME:TAG');
      const { client, out } = await connect(command);
      const registry = await resolveWriteRegistry(client, options.registry);
      await client.request(DELETE_TAG, { registry, name: ref.name, tag: ref.version });
      out.result({ registry, name: ref.name, tag: ref.version, deleted: true }, () => `deleted tag ${ref.version} of ${ref.name} in registry ${registry}`);
    });
}

/**
 * A tag refused for its form gets a hint with the command that would work (`group__label`); tags
 * the server computes (`latest`, `1.x`) are refused with their own reason and get none.
 */
function withTagSuggestion(error: unknown, ref: { name: string; version: string }, tag: string, registry: string): unknown {
  if (!(error instanceof CliError) || error.code !== 'BAD_USER_INPUT' || error.options.extensions?.field !== 'tag') return error;
  if (tag === 'latest' || /^\d+(\.\d+)*\.x$/.test(tag)) return error;
  const suggestion = suggestPublisherTag(tag, ref.version);
  return new CliError(error.message, {
    ...error.options,
    hint: `A publisher tag is group__label, for example: packctl pack tag add ${ref.name}:${ref.version} ${suggestion} --registry ${registry}`,
  });
}
