/** What the profile commands share: the fields they show, reading a profile file, printing a saved profile. */
import { readFile } from 'node:fs/promises';
import { CliError } from '../../errors.js';
import { graphql } from '../../generated/gql.js';
import type { ProfileFieldsFragment, IssueFieldsFragment } from '../../generated/graphql.js';
import { formatIssues, type Output } from '../../output.js';
import { parseProfileFile, type ProfileInput } from '../../profile-file.js';
import { parseVersionedRef } from '../../refs.js';

// Operations spread these by name; codegen embeds them in each of their documents.
graphql(`
  fragment IssueFields on ValidationIssue {
    code
    severity
    layerIndex
    pack
    path
    message
  }
`);

graphql(`
  fragment ProfileFields on ClusterProfile {
    name
    version
    type
    cloudType
    description
    createdAt
    updatedAt
    layers {
      pack
      version
      registry
      values
      valuesOverride
      presets
    }
    variables {
      name
      displayName
      description
      format
      default
      required
      regex
      options
      hidden
      readonly
    }
  }
`);

export type ProfileRow = ProfileFieldsFragment;

/** `NAME` or `NAME:VERSION`. */
export function parseProfileRef(text: string): { name: string; version?: string } {
  if (!text.includes(':')) return { name: text.trim() };
  const ref = parseVersionedRef(text, 'NAME[:VERSION]');
  return { name: ref.name, version: ref.version };
}

export async function readProfileFile(file: string): Promise<ProfileInput> {
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

export function printSaved(out: Output, saved: ProfileRow & { warnings: IssueFieldsFragment[] }, verb: string): void {
  out.result(saved, () => {
    const line = `${verb} profile ${saved.name}:${saved.version} (${saved.type}, ${saved.cloudType}, ${saved.layers.length} layers)`;
    return saved.warnings.length > 0 ? `${formatIssues(saved.warnings)}\n\n${line} with ${saved.warnings.length} warning(s)` : line;
  });
}
