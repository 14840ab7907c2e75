/** `packctl pack show`: a pack and its versions, or one version in detail. */
import type { Command } from 'commander';
import { CliError } from '../../errors.js';
import { graphql } from '../../generated/gql.js';
import { formatBytes, formatDetails, formatResourceMinimum, formatTable, shortDigest } from '../../output.js';
import { parsePackRef, versionQueryOf } from '../../refs.js';
import { connect } from '../../session.js';
import { examples } from '../examples.js';
import { packNotFound } from './pack-not-found.js';
import { versionNotFound } from './version-not-found.js';

const SHOW_PACK = graphql(`
  query ShowPack($name: String!, $registry: String) {
    pack(name: $name, registry: $registry) {
      name
      displayName
      layer
      addonType
      addonSubType
      cloudTypes
      deprecated
      logoUrl
      registry {
        name
      }
      sources {
        name
      }
      latest {
        version
      }
      versions {
        version
        tags
        digest
        size
        deprecated
        createdAt
        registry {
          name
        }
      }
    }
  }
`);

const SHOW_VERSION = graphql(`
  query ShowVersion($name: String!, $version: String!, $registry: String) {
    packVersion(name: $name, version: $version, registry: $registry) {
      version
      tags
      digest
      size
      deprecated
      createdAt
      cloudTypes
      charts
      manifests
      downloadUrl
      message
      annotations
      registry {
        name
      }
      pack {
        name
        displayName
        layer
        addonType
      }
      constraints {
        dependencies {
          packName
          layer
          type
          minVersion
          maxVersion
        }
        resources {
          type
          minLimit
        }
      }
    }
  }
`);

export function registerPackShow(pack: Command): void {
  pack
    .command('show')
    .description('Show a pack and its versions, or one version in detail.')
    .argument('<ref>', 'NAME (the pack and its versions) or NAME:VERSION|TAG|@sha256:DIGEST (one version)')
    .option('--registry <name>', 'only this registry\'s copy')
    .addHelpText(
      'after',
      examples(`  $ packctl pack show kubernetes
  $ packctl pack show kubernetes:1.31.x
  $ packctl pack show crossplane:2.1.3 --registry team -o json`),
    )
    .action(async (refText: string, options: { registry?: string }, command: Command) => {
      const ref = parsePackRef(refText);
      const { client, out } = await connect(command);
      const where = options.registry ? ` in registry ${options.registry}` : '';
      if (!ref.version && !ref.digest) {
        const { pack: found } = await client.request(SHOW_PACK, { name: ref.name, registry: options.registry ?? null });
        if (!found) throw await packNotFound(client, ref.name, options.registry);
        out.result(found, () =>
          [
            formatDetails([
              ['name', found.name],
              ['display name', found.displayName],
              ['layer', found.layer],
              ['addon type', [found.addonType, found.addonSubType].filter(Boolean).join(' / ')],
              ['cloud types', found.cloudTypes],
              ['latest', found.latest?.version],
              ['registry', found.registry.name],
              ['sources', found.sources.map((s) => s.name)],
              ['deprecated', found.deprecated ? 'yes' : 'no'],
            ]),
            '',
            formatTable(found.versions, [
              { header: 'version', value: (v) => v.version },
              { header: 'tags', value: (v) => v.tags },
              { header: 'registry', value: (v) => v.registry.name },
              { header: 'digest', value: (v) => shortDigest(v.digest) },
              { header: 'size', value: (v) => (v.size === null ? null : formatBytes(v.size)) },
              { header: 'created', value: (v) => v.createdAt },
            ]),
          ].join('\n'),
        );
        return;
      }
      const { packVersion: found } = await client.request(SHOW_VERSION, {
        name: ref.name,
        version: versionQueryOf(ref),
        registry: options.registry ?? null,
      });
      if (!found) throw await versionNotFound(client, ref.name, versionQueryOf(ref), refText, options.registry);
      out.result(found, () => {
        const lines = [
          formatDetails([
            ['name', found.pack.name],
            ['display name', found.pack.displayName],
            ['version', found.version],
            ['layer', found.pack.layer],
            ['addon type', found.pack.addonType],
            ['registry', found.registry.name],
            ['tags', found.tags],
            ['digest', found.digest],
            ['size', found.size === null ? null : formatBytes(found.size)],
            ['cloud types', found.cloudTypes],
            ['charts', found.charts],
            ['manifests', found.manifests],
            ['deprecated', found.deprecated ? 'yes' : 'no'],
            ['created', found.createdAt],
            ...(found.message ? ([['message', found.message]] as const) : []),
            ['download', found.downloadUrl],
          ]),
        ];
        const dependencies = found.constraints?.dependencies ?? [];
        if (dependencies.length > 0) {
          lines.push(
            '',
            formatTable(dependencies, [
              { header: 'dependency', value: (d) => d.packName },
              { header: 'layer', value: (d) => d.layer },
              { header: 'type', value: (d) => d.type },
              { header: 'min', value: (d) => d.minVersion },
              { header: 'max', value: (d) => d.maxVersion },
            ]),
          );
        }
        const resources = found.constraints?.resources ?? [];
        if (resources.length > 0) {
          lines.push(
            '',
            formatTable(resources, [
              { header: 'resource', value: (r) => r.type },
              { header: 'minimum', value: (r) => formatResourceMinimum(r.type, r.minLimit) },
            ]),
          );
        }
        return lines.join('\n');
      });
    });
}
