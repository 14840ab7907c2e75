/** `packctl profile validate|apply|export|ls|rm`. */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { CatalogClient } from '../client.js';
import { CliError, type CliIssue } from '../errors.js';
import { formatIssues, type Output } from '../output.js';
import { formatProfileFile, parseProfileFile, type ProfileInput } from '../profile-file.js';
import { parseVersionedRef } from '../refs.js';
import { connect } from '../session.js';

const ISSUE_FIELDS = 'code severity layerIndex pack path message';
const PROFILE_FIELDS = `name version type cloudType description createdAt updatedAt
  layers { pack version registry values presets }
  variables { name displayName description format default required regex options hidden readonly }`;

interface ProfileRow {
  name: string;
  version: string;
  type: string;
  cloudType: string;
  description: string | null;
  createdAt: string;
  updatedAt: string;
  layers: Array<{ pack: string; version: string; registry: string | null; values: string | null; presets: string[] | null }>;
  variables: Array<Record<string, unknown>>;
}

function examples(lines: string): string {
  return `\nExamples:\n${lines}`;
}

/** `NAME` or `NAME:VERSION`. */
function parseProfileRef(text: string): { name: string; version?: string } {
  if (!text.includes(':')) return { name: text.trim() };
  const ref = parseVersionedRef(text, 'NAME[:VERSION]');
  return { name: ref.name, version: ref.version };
}

async function readProfileFile(file: string): Promise<ProfileInput> {
  let text: string;
  try {
    text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `${file} does not exist.` : `Could not read ${file} (${code ?? 'I/O error'}).`);
  }
  const parsed = parseProfileFile(text, file);
  if (!parsed.ok) throw new CliError(`${file} is not a valid profile file.`, { issues: parsed.issues });
  return parsed.input;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function countBySeverity(issues: readonly CliIssue[]): { errors: number; warnings: number } {
  const errors = issues.filter((i) => i.severity === 'ERROR').length;
  return { errors, warnings: issues.length - errors };
}

export function registerProfileCommands(program: Command): void {
  const profile = program
    .command('profile')
    .description('Validate, save and export cluster profiles (ordered layers of packs).')
    .addHelpText(
      'after',
      examples(`  $ packctl profile validate web-cluster.yaml
  $ packctl profile apply web-cluster.yaml
  $ packctl profile export web-cluster:1.0.0 > web-cluster.yaml
  $ packctl profile ls

A profile file (YAML or JSON):
  name: web-cluster
  version: 1.0.0
  type: cluster            # cluster, infra, add-on or system
  cloudType: aws
  layers:
    - { pack: ubuntu, version: "22.04" }
    - { pack: kubernetes, version: 1.31.x }
    - { pack: cni-calico, version: 3.28.2 }
    - pack: csi-longhorn
      version: 1.7.2
      presets: [replicas-3]
      values: |
        pack:
          namespace: longhorn-system`),
    );

  profile
    .command('validate')
    .description('Check a profile file against the catalog without saving it; prints every issue (exit 1 when any is an ERROR).')
    .argument('<file>', 'a YAML or JSON profile file (- for stdin)')
    .addHelpText('after', examples(`  $ packctl profile validate web-cluster.yaml\n  $ packctl profile validate web-cluster.json -o json`))
    .action(async (file: string, _options: unknown, command: Command) => {
      const input = await readProfileFile(file);
      const { client, out } = await connect(command);
      const { validateProfile: validation } = await client.request<{ validateProfile: { valid: boolean; issues: CliIssue[] } }>(
        `query ValidateProfile($input: ProfileInput!) {
          validateProfile(input: $input) {
            valid issues { ${ISSUE_FIELDS} }
            resolvedLayers { layerIndex pack registry version digest layer }
          }
        }`,
        { input },
      );
      const { errors, warnings } = countBySeverity(validation.issues);
      const label = `${input.name}${input.version ? `:${input.version}` : ''}`;
      out.result(validation, () => {
        const summary = validation.valid
          ? `${label} is valid${warnings > 0 ? ` (${warnings} warning(s))` : ''}.`
          : `${label} is not valid: ${errors} error(s), ${warnings} warning(s).`;
        return validation.issues.length > 0 ? `${formatIssues(validation.issues)}\n\n${summary}` : summary;
      });
      if (!validation.valid) throw new CliError(`${label} has ${errors} error(s).`, { printed: true });
    });

  profile
    .command('apply')
    .description('Save a profile file: create it, or replace the stored version of the same name and version.')
    .argument('<file>', 'a YAML or JSON profile file (- for stdin)')
    .addHelpText('after', examples(`  $ packctl profile apply web-cluster.yaml\n  $ packctl profile export web-cluster | packctl profile apply -`))
    .action(async (file: string, _options: unknown, command: Command) => {
      const input = await readProfileFile(file);
      const { client, out } = await connect(command);
      const version = input.version ?? '1.0.0';
      const { profile: existing } = await client.request<{ profile: { version: string } | null }>(
        `query ExistingProfile($name: String!, $version: String) { profile(name: $name, version: $version) { version } }`,
        { name: input.name, version },
      );
      const saved = existing
        ? (
            await client.request<{ updateProfile: ProfileRow & { warnings: CliIssue[] } }>(
              `mutation UpdateProfile($name: String!, $version: String!, $input: ProfileInput!) {
                updateProfile(name: $name, version: $version, input: $input) { ${PROFILE_FIELDS} warnings { ${ISSUE_FIELDS} } }
              }`,
              { name: input.name, version, input },
            )
          ).updateProfile
        : (
            await client.request<{ createProfile: ProfileRow & { warnings: CliIssue[] } }>(
              `mutation CreateProfile($input: ProfileInput!) { createProfile(input: $input) { ${PROFILE_FIELDS} warnings { ${ISSUE_FIELDS} } } }`,
              { input },
            )
          ).createProfile;
      printSaved(out, saved, existing ? 'updated' : 'created');
    });

  profile
    .command('export')
    .description('Print a stored profile as a YAML file that profile apply takes back.')
    .argument('<ref>', 'NAME (the newest version) or NAME:VERSION')
    .addHelpText('after', examples(`  $ packctl profile export web-cluster > web-cluster.yaml\n  $ packctl profile export web-cluster:1.0.0 -o json`))
    .action(async (refText: string, _options: unknown, command: Command) => {
      const ref = parseProfileRef(refText);
      const { client, out } = await connect(command);
      const found = await findProfile(client, ref.name, ref.version);
      if (out.json) {
        out.result(found, () => undefined);
        return;
      }
      process.stdout.write(formatProfileFile(found));
    });

  profile
    .command('ls')
    .alias('list')
    .description('List stored profiles, by name, newest version first.')
    .option('--name <name>', 'only the versions of this profile')
    .addHelpText('after', examples(`  $ packctl profile ls\n  $ packctl profile ls --name web-cluster -o json`))
    .action(async (options: { name?: string }, command: Command) => {
      const { client, out } = await connect(command);
      const { profiles } = await client.request<{ profiles: ProfileRow[] }>(
        `query Profiles($name: String) { profiles(name: $name) { ${PROFILE_FIELDS} } }`,
        { name: options.name ?? null },
      );
      out.table(
        profiles,
        [
          { header: 'name', value: (p) => p.name },
          { header: 'version', value: (p) => p.version },
          { header: 'type', value: (p) => p.type },
          { header: 'cloud type', value: (p) => p.cloudType },
          { header: 'layers', value: (p) => p.layers.map((l) => `${l.pack}:${l.version}`) },
          { header: 'updated', value: (p) => p.updatedAt },
        ],
        'No profiles.',
      );
    });

  profile
    .command('rm')
    .alias('delete')
    .description('Delete one profile version.')
    .argument('<ref>', 'NAME:VERSION')
    .addHelpText('after', examples(`  $ packctl profile rm web-cluster:1.0.0`))
    .action(async (refText: string, _options: unknown, command: Command) => {
      const ref = parseVersionedRef(refText);
      const { client, out } = await connect(command);
      await client.request<{ deleteProfile: boolean }>(
        `mutation DeleteProfile($name: String!, $version: String!) { deleteProfile(name: $name, version: $version) }`,
        ref,
      );
      out.result({ ...ref, deleted: true }, () => `deleted profile ${ref.name}:${ref.version}`);
    });
}

async function findProfile(client: CatalogClient, name: string, version: string | undefined): Promise<ProfileRow> {
  const { profile } = await client.request<{ profile: ProfileRow | null }>(
    `query ExportProfile($name: String!, $version: String) { profile(name: $name, version: $version) { ${PROFILE_FIELDS} } }`,
    { name, version: version ?? null },
  );
  if (!profile) throw new CliError(`Profile ${name}${version ? `:${version}` : ''} was not found.`, { code: 'NOT_FOUND' });
  return profile;
}

function printSaved(out: Output, saved: ProfileRow & { warnings: CliIssue[] }, verb: string): void {
  out.result(saved, () => {
    const line = `${verb} profile ${saved.name}:${saved.version} (${saved.type}, ${saved.cloudType}, ${saved.layers.length} layers)`;
    return saved.warnings.length > 0 ? `${formatIssues(saved.warnings)}\n\n${line} with ${saved.warnings.length} warning(s)` : line;
  });
}
