/** `packctl pack push|pull|ls|show|tag|rm`. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { DomainError } from '../../errors.js';
import type { PackIssue } from '../../packs/pack.types.js';
import { CliError, UsageError } from '../errors.js';
import { formatBytes, formatDetails, formatIssues, formatTable, shortDigest, type Column } from '../output.js';
import { createTransferProgress } from '../progress.js';
import { parseLayers, parsePackRef, parseVersionedRef, versionQueryOf } from '../refs.js';
import { connect, resolveWriteRegistry } from '../session.js';

interface RegistryName {
  name: string;
}

interface PackVersionSummary {
  version: string;
  tags: string[];
  digest: string;
  size: number | null;
  deprecated: boolean;
  createdAt: string;
  registry: RegistryName;
}

interface PackNode {
  name: string;
  displayName: string;
  layer: string;
  addonType: string | null;
  cloudTypes: string[];
  deprecated: boolean;
  sources: RegistryName[];
  latest: { version: string } | null;
}

const PUSH_PACK = `mutation PushPack($registry: String!, $archive: Upload!, $force: Boolean, $message: String) {
  pushPack(registry: $registry, archive: $archive, force: $force, message: $message) {
    version digest size tags pack { name } registry { name }
  }
}`;

const EXISTING_VERSION = `query ExistingVersion($name: String!, $version: String!, $registry: String) {
  packVersion(name: $name, version: $version, registry: $registry) { version digest }
}`;

const PULL_VERSION = `query PullVersion($name: String!, $version: String!, $registry: String) {
  packVersion(name: $name, version: $version, registry: $registry) {
    version digest size downloadUrl pack { name } registry { name }
  }
}`;

const LIST_PACKS = `query ListPacks($filter: PackFilter, $first: Int, $after: String) {
  packs(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { name displayName layer addonType cloudTypes deprecated sources { name } latest { version } } }
  }
}`;

const SHOW_PACK = `query ShowPack($name: String!, $registry: String) {
  pack(name: $name, registry: $registry) {
    name displayName layer addonType addonSubType cloudTypes deprecated logoUrl
    registry { name } sources { name }
    latest { version }
    versions { version tags digest size deprecated createdAt registry { name } }
  }
}`;

const SHOW_VERSION = `query ShowVersion($name: String!, $version: String!, $registry: String) {
  packVersion(name: $name, version: $version, registry: $registry) {
    version tags digest size deprecated createdAt cloudTypes charts manifests downloadUrl message annotations
    registry { name }
    pack { name displayName layer addonType }
    constraints { dependencies { packName layer type minVersion maxVersion } resources { type minLimit } }
  }
}`;

function examples(lines: string): string {
  return `\nExamples:\n${lines}`;
}

export function registerPackCommands(program: Command): void {
  const pack = program
    .command('pack')
    .description('Push, pull and browse packs.')
    .addHelpText(
      'after',
      examples(`  $ packctl pack push ./crossplane-2.1.3 --registry team
  $ packctl pack pull crossplane:2.1.3 ./crossplane
  $ packctl pack ls --layer addon --name cross`),
    );

  pack
    .command('push')
    .description(
      'Check a pack folder (or its .tar.gz) with the server\'s pack reader, then upload it to a HOSTED registry; ' +
        'nothing is uploaded when the registry already holds the same digest.',
    )
    .argument('<path>', 'a pack folder (NAME-VERSION/ with pack.json and values.yaml) or a .tar.gz of one')
    .option('--registry <name>', 'the HOSTED registry (default: the only HOSTED registry)')
    .option('--force', 'overwrite a published version that has a different digest (needs --message)')
    .option('-m, --message <text>', 'why a forced push overwrites a version')
    .addHelpText(
      'after',
      examples(`  $ packctl pack push ./crossplane-2.1.3 --registry team
  $ packctl pack push crossplane-2.1.3.tar.gz
  $ packctl pack push ./crossplane-2.1.3 --force -m "fix values.yaml typo"`),
    )
    .action(async (target: string, options: { registry?: string; force?: boolean; message?: string }, command: Command) => {
      if (options.force && !options.message?.trim()) throw new UsageError('--force overwrites a published version: say why with --message.');
      const { client, out } = await connect(command);
      const work = await mkdtemp(path.join(tmpdir(), 'packctl-push-'));
      try {
        const built = await archiveOf(target, work);
        // The server's own pack reader (loaded only for the commands that need it): one rule set.
        const { readPackArchive } = await import('../../packs/pack.reader.js');
        const read = await readPackArchive(built.path);
        if (!read.ok) {
          const errors = read.issues.filter((issue) => issue.severity === 'error').length;
          throw new CliError(`${target} is not a valid pack: ${errors} error(s) found locally; nothing was uploaded.`, {
            issues: read.issues.map(toCliIssue),
          });
        }
        if (read.issues.length > 0 && !out.json) process.stderr.write(`${formatIssues(read.issues.map(toCliIssue))}\n`);
        const { name, version } = read.pack.manifest;
        const registry = await resolveWriteRegistry(client, options.registry);
        const base = { registry, name, version, digest: built.digest, size: built.size, warnings: read.issues };

        const { packVersion: existing } = await client.request<{ packVersion: { version: string; digest: string } | null }>(EXISTING_VERSION, {
          name,
          version,
          registry,
        });
        if (existing && existing.version === version) {
          if (existing.digest === built.digest) {
            out.result({ status: 'unchanged', ...base }, () => `${name}:${version} unchanged (same digest ${shortDigest(built.digest)}) in registry ${registry}; nothing uploaded.`);
            return;
          }
          if (!options.force) {
            throw new CliError(`${name}:${version} is already in registry ${registry} with a different digest (${shortDigest(existing.digest)}).`, {
              code: 'CONFLICT',
              hint: 'Publish a new version, or overwrite this one with --force --message "why".',
            });
          }
        }

        const progress = createTransferProgress({ verb: 'pushing', label: built.label, total: built.size, enabled: !out.json || process.stderr.isTTY });
        let pushed: { version: string; digest: string; size: number | null; tags: string[]; pack: { name: string }; registry: RegistryName };
        try {
          ({ pushPack: pushed } = await client.upload<{ pushPack: typeof pushed }>(
            PUSH_PACK,
            { registry, archive: null, force: options.force ?? null, message: options.message?.trim() || null },
            { variable: 'variables.archive', path: built.path, filename: built.label },
            (sent) => progress.update(sent),
          ));
          progress.finish();
        } catch (error) {
          progress.abort();
          throw error;
        }
        out.result({ status: existing ? 'overwritten' : 'pushed', ...base, digest: pushed.digest, tags: pushed.tags }, () =>
          `${existing ? 'overwrote' : 'pushed'} ${pushed.pack.name}:${pushed.version} to registry ${pushed.registry.name} (${shortDigest(pushed.digest)}, ${formatBytes(built.size)})`,
        );
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    });

  pack
    .command('pull')
    .description('Download a pack version, verify its sha256 digest and extract it safely into DIR (the pack\'s files at DIR\'s root).')
    .argument('<ref>', 'NAME, NAME:VERSION, NAME:TAG (lts__1.29.4, 1.29.x) or NAME@sha256:DIGEST; NAME alone means latest')
    .argument('<dir>', 'an empty (or new) folder')
    .option('--registry <name>', 'pull from this registry (default: the highest-priority registry holding the pack)')
    .option('--archive-only', 'keep the verified NAME-VERSION.tar.gz in DIR instead of extracting it')
    .option('--force', 'write into a folder that is not empty (files of the pack replace existing ones)')
    .addHelpText(
      'after',
      examples(`  $ packctl pack pull crossplane:2.1.3 ./crossplane
  $ packctl pack pull kubernetes:1.31.x ./k8s --registry default
  $ packctl pack pull crossplane@sha256:4f2c...e9 ./crossplane --archive-only`),
    )
    .action(async (refText: string, dir: string, options: { registry?: string; archiveOnly?: boolean; force?: boolean }, command: Command) => {
      const ref = parsePackRef(refText);
      const { client, out } = await connect(command);
      const { packVersion: found } = await client.request<{
        packVersion: { version: string; digest: string; size: number | null; downloadUrl: string | null; pack: { name: string }; registry: RegistryName } | null;
      }>(PULL_VERSION, { name: ref.name, version: versionQueryOf(ref), registry: options.registry ?? null });
      if (!found) throw new CliError(`${refText} was not found${options.registry ? ` in registry ${options.registry}` : ''}.`, { code: 'NOT_FOUND' });
      if (ref.digest && found.digest !== ref.digest) {
        throw new CliError(`The server answered ${refText} with digest ${found.digest}.`, { code: 'DIGEST_MISMATCH' });
      }
      if (!found.downloadUrl) throw new CliError(`${ref.name}:${found.version} has no download URL.`);

      const dest = path.resolve(dir);
      await prepareDestination(dest, dir, options.force ?? false);
      // Staged inside DEST: same file system, so the final moves are renames, and nothing half-written is left at DEST's root.
      const staging = await mkdtemp(path.join(dest, '.packctl-pull-'));
      try {
        const archivePath = path.join(staging, 'pack.tar.gz');
        const label = `${found.pack.name}-${found.version}.tar.gz`;
        const progress = createTransferProgress({
          verb: 'pulling',
          label,
          total: found.size ?? undefined,
          enabled: !out.json || process.stderr.isTTY,
        });
        let downloaded;
        try {
          downloaded = await client.download(found.downloadUrl, archivePath, (received) => progress.update(received));
          progress.finish();
        } catch (error) {
          progress.abort();
          throw error;
        }
        if (downloaded.digest !== found.digest) {
          throw new CliError(`The download's digest ${downloaded.digest} is not the published ${found.digest}; nothing was written.`, {
            code: 'DIGEST_MISMATCH',
          });
        }
        let files: string[];
        if (options.archiveOnly) {
          await replaceEntry(archivePath, path.join(dest, label));
          files = [label];
        } else {
          files = await extractInto(archivePath, staging, dest);
        }
        const result = {
          name: found.pack.name,
          version: found.version,
          registry: found.registry.name,
          digest: found.digest,
          size: downloaded.size,
          dir: dest,
          files,
        };
        out.result(result, () =>
          `pulled ${result.name}:${result.version} from registry ${result.registry} (${shortDigest(result.digest)}, ${formatBytes(result.size)}) ` +
          `into ${dir} (${options.archiveOnly ? label : `${files.length} files`})`,
        );
      } finally {
        await rm(staging, { recursive: true, force: true });
      }
    });

  pack
    .command('ls')
    .alias('list')
    .description('List the catalog: one line per pack, merged across registries (every page is fetched).')
    .option('--name <text>', 'only packs whose name or display name contains TEXT')
    .option('--registry <name...>', 'only packs from these registries')
    .option('--layer <layer...>', 'only these layers: kernel, os, k8s, cni, csi, addon (comma-separated or repeated)')
    .option('--cloud <cloudType>', 'only packs for this cloud type (or for all clouds), e.g. aws')
    .option('--addon-type <type>', 'only add-ons of this type, e.g. monitoring')
    .option('--all', 'include deprecated packs')
    .addHelpText(
      'after',
      examples(`  $ packctl pack ls
  $ packctl pack ls --layer addon --name cross
  $ packctl pack ls --layer os,k8s --cloud aws --registry default -o json`),
    )
    .action(
      async (
        options: { name?: string; registry?: string[]; layer?: string[]; cloud?: string; addonType?: string; all?: boolean },
        command: Command,
      ) => {
        const layers = options.layer ? parseLayers(options.layer) : undefined;
        const { client, out } = await connect(command);
        const filter = {
          search: options.name,
          registry: options.registry?.flatMap((r) => r.split(',')).filter(Boolean),
          layer: layers,
          cloudType: options.cloud,
          addonType: options.addonType,
          includeDeprecated: options.all ?? false,
        };
        const nodes: PackNode[] = [];
        let after: string | null = null;
        let first = LIST_PAGE_SIZE;
        for (;;) {
          let page: {
            packs: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ node: PackNode }> };
          };
          try {
            page = await client.request(LIST_PACKS, { filter, first, after });
          } catch (error) {
            const smaller = smallerPageSize(error, first);
            if (smaller === undefined) throw error;
            first = smaller;
            continue;
          }
          nodes.push(...page.packs.edges.map((edge) => edge.node));
          if (!page.packs.pageInfo.hasNextPage || !page.packs.pageInfo.endCursor) break;
          after = page.packs.pageInfo.endCursor;
        }
        const columns: Column<PackNode>[] = [
          { header: 'name', value: (p) => p.name },
          { header: 'display name', value: (p) => p.displayName },
          { header: 'layer', value: (p) => p.layer },
          { header: 'latest', value: (p) => p.latest?.version },
          { header: 'registries', value: (p) => p.sources.map((s) => s.name) },
          { header: 'cloud types', value: (p) => p.cloudTypes },
          { header: 'addon type', value: (p) => p.addonType },
        ];
        if (options.all) columns.push({ header: 'deprecated', value: (p) => (p.deprecated ? 'yes' : '') });
        out.table(nodes, columns, 'No packs match.');
      },
    );

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
        const { pack: found } = await client.request<{ pack: (PackNode & { registry: RegistryName; addonSubType: string | null; logoUrl: string | null; versions: PackVersionSummary[] }) | null }>(
          SHOW_PACK,
          { name: ref.name, registry: options.registry ?? null },
        );
        if (!found) throw new CliError(`Pack ${ref.name} was not found${where}.`, { code: 'NOT_FOUND' });
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
      type VersionDetails = PackVersionSummary & {
        cloudTypes: string[];
        charts: string[];
        manifests: string[];
        downloadUrl: string | null;
        message: string | null;
        annotations: Record<string, string> | null;
        pack: { name: string; displayName: string; layer: string; addonType: string | null };
        constraints: {
          dependencies: Array<{ packName: string; layer: string; type: string; minVersion: string | null; maxVersion: string | null }>;
          resources: Array<{ type: string; minLimit: number | null }>;
        } | null;
      };
      const { packVersion: found } = await client.request<{ packVersion: VersionDetails | null }>(SHOW_VERSION, {
        name: ref.name,
        version: versionQueryOf(ref),
        registry: options.registry ?? null,
      });
      if (!found) throw new CliError(`${refText} was not found${where}.`, { code: 'NOT_FOUND' });
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
          lines.push('', formatTable(resources, [{ header: 'resource', value: (r) => r.type }, { header: 'minimum', value: (r) => r.minLimit }]));
        }
        return lines.join('\n');
      });
    });

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
      const { addPackTag } = await client.request<{ addPackTag: { version: string; tags: string[] } }>(
        `mutation AddTag($registry: String!, $name: String!, $version: String!, $tag: String!) {
          addPackTag(registry: $registry, name: $name, version: $version, tag: $tag) { version tags }
        }`,
        { registry, name: ref.name, version: ref.version, tag: tagName },
      );
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
      await client.request<{ deletePackTag: boolean }>(
        `mutation DeleteTag($registry: String!, $name: String!, $tag: String!) { deletePackTag(registry: $registry, name: $name, tag: $tag) }`,
        { registry, name: ref.name, tag: ref.version },
      );
      out.result({ registry, name: ref.name, tag: ref.version, deleted: true }, () => `deleted tag ${ref.version} of ${ref.name} in registry ${registry}`);
    });

  pack
    .command('rm')
    .alias('delete')
    .description('Delete one version from a HOSTED registry.')
    .argument('<ref>', 'NAME:VERSION')
    .option('--registry <name>', 'the HOSTED registry (default: the only HOSTED registry)')
    .addHelpText('after', examples(`  $ packctl pack rm crossplane:2.1.3 --registry team`))
    .action(async (refText: string, options: { registry?: string }, command: Command) => {
      const ref = parseVersionedRef(refText);
      const { client, out } = await connect(command);
      const registry = await resolveWriteRegistry(client, options.registry);
      await client.request<{ deletePackVersion: boolean }>(
        `mutation DeleteVersion($registry: String!, $name: String!, $version: String!) {
          deletePackVersion(registry: $registry, name: $name, version: $version)
        }`,
        { registry, name: ref.name, version: ref.version },
      );
      out.result({ registry, name: ref.name, version: ref.version, deleted: true }, () => `deleted ${ref.name}:${ref.version} from registry ${registry}`);
    });
}

const LIST_PAGE_SIZE = 50;

/** When the server refused a page as too costly, the page size that fits its complexity limit. */
export function smallerPageSize(error: unknown, current: number): number | undefined {
  const extensions = error instanceof CliError ? error.options.extensions : undefined;
  const cost = Number(extensions?.complexity);
  const limit = Number(extensions?.maxComplexity);
  if (!(cost > 0 && limit > 0) || current <= 1) return undefined;
  return Math.max(1, Math.min(current - 1, Math.floor((current * limit) / cost)));
}

function toCliIssue(issue: PackIssue) {
  return { code: issue.code, severity: issue.severity, path: issue.path ?? null, message: issue.message };
}

/** The tarball to push: built from a folder (deterministically, so digests compare) or the archive as given. */
async function archiveOf(target: string, work: string): Promise<{ path: string; label: string; digest: string; size: number }> {
  const info = await stat(target).catch(() => null);
  if (!info) throw new CliError(`${target} does not exist.`);
  if (info.isDirectory()) {
    const label = `${path.basename(path.resolve(target))}.tar.gz`;
    const { createPackTarball } = await import('../../packs/pack.archive.js');
    try {
      const created = await createPackTarball(target, path.join(work, label));
      return { path: created.path, label, digest: `sha256:${created.sha256}`, size: created.size };
    } catch (error) {
      if (error instanceof DomainError) throw new CliError(error.message);
      throw new CliError(`Could not pack ${target} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
    }
  }
  if (!info.isFile()) throw new CliError(`${target} is neither a folder nor a file.`);
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(target)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { path: path.resolve(target), label: path.basename(target), digest: `sha256:${hash.digest('hex')}`, size };
}

/** DEST must be a folder that is empty or absent (created here), unless `force`. */
async function prepareDestination(dest: string, shown: string, force: boolean): Promise<void> {
  let entries: string[] | null;
  try {
    entries = await readdir(dest);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') entries = null;
    else if (code === 'ENOTDIR') throw new CliError(`${shown} is a file, not a folder.`);
    else throw new CliError(`Could not read ${shown} (${code ?? 'I/O error'}).`);
  }
  if (entries && entries.length > 0 && !force) {
    throw new CliError(`${shown} is not empty; pull into an empty folder, or pass --force to write into it.`);
  }
  if (!entries) await mkdir(dest, { recursive: true });
}

/**
 * Extract the archive (with the server's reader rules: no links, no escaping paths, bounded size)
 * into the staging folder, then move the pack's files (whether the archive held them at its root
 * or under one NAME-VERSION/ folder) to DEST's root. Returns the files, relative to DEST.
 */
async function extractInto(archivePath: string, staging: string, dest: string): Promise<string[]> {
  const extractDir = path.join(staging, 'x');
  await mkdir(extractDir);
  const { extractPackArchive } = await import('../../packs/pack.archive.js');
  const extracted = await extractPackArchive(archivePath, extractDir);
  if (!extracted.ok) {
    throw new CliError('The downloaded archive was refused by the pack reader; nothing was written.', { issues: extracted.issues.map(toCliIssue) });
  }
  let prefix = '';
  if (!extracted.files.includes('pack.json')) {
    const tops = new Set(extracted.files.map((file) => file.split('/')[0]));
    const [top] = [...tops];
    if (tops.size === 1 && extracted.files.includes(`${top}/pack.json`)) prefix = `${top}/`;
  }
  const root = prefix ? path.join(extractDir, prefix.slice(0, -1)) : extractDir;
  for (const entry of await readdir(root)) await replaceEntry(path.join(root, entry), path.join(dest, entry));
  return extracted.files.filter((file) => file.startsWith(prefix)).map((file) => file.slice(prefix.length)).sort();
}

/** Move `from` to `to`, replacing whatever is there (DEST was checked empty, or --force was given). */
async function replaceEntry(from: string, to: string): Promise<void> {
  await rm(to, { recursive: true, force: true });
  await rename(from, to);
}
