/**
 * The API contract check: compares the schema as built (graphql/schema.graphql) with the schema
 * clients were given (the last release tag's, or before the first release the committed
 * graphql/schema.released.graphql) with @graphql-inspector/core, and fails on every breaking
 * change except a removal announced beforehand: the removed field, argument, input field or enum
 * value carried `@deprecated(reason: "... removal on YYYY-MM-DD")` in the released schema and
 * that date has come. A type may go when everything that referred to it went that way.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { buildSchema, getNamedType, isInputObjectType, isInterfaceType, isObjectType, isEnumType, type GraphQLSchema } from 'graphql';

export interface ContractProblem {
  path: string;
  message: string;
}

export interface ContractCheck {
  /** Breaking changes not announced (or not yet due): each one fails the check. */
  breaking: ContractProblem[];
  /** Removals whose dated deprecation has come: allowed. */
  announcedRemovals: ContractProblem[];
  /** Every change found, for the report. */
  changes: Change[];
}

/** The date a deprecation reason announces removal on, e.g. "Use x; removal on 2027-03-01." */
export function removalDateOf(reason: string | null | undefined): string | null {
  return reason?.match(/removal on (\d{4}-\d{2}-\d{2})/)?.[1] ?? null;
}

/** The deprecation reason of the element a path names in `schema`: `Type.field`, `Type.field.arg`, `Input.field`, `Enum.VALUE`. */
function deprecationAt(schema: GraphQLSchema, coordinate: string): string | null | undefined {
  const [typeName, member, argument] = coordinate.split('.');
  const type = schema.getType(typeName);
  if (!type || !member) return undefined;
  if (isEnumType(type)) return type.getValue(member)?.deprecationReason;
  if (isInputObjectType(type)) return type.getFields()[member]?.deprecationReason;
  if (isObjectType(type) || isInterfaceType(type)) {
    const field = type.getFields()[member];
    return argument ? field?.args.find((a) => a.name === argument)?.deprecationReason : field?.deprecationReason;
  }
  return undefined;
}

/** Where the released schema refers to a type: `Type.field`, `Type.field.arg`, `Input.field`. */
function referencesTo(schema: GraphQLSchema, typeName: string): string[] {
  const found: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (getNamedType(field.type).name === typeName) found.push(`${type.name}.${field.name}`);
        for (const arg of field.args) if (getNamedType(arg.type).name === typeName) found.push(`${type.name}.${field.name}.${arg.name}`);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) if (getNamedType(field.type).name === typeName) found.push(`${type.name}.${field.name}`);
    }
  }
  return found;
}

const REMOVALS = new Set(['FIELD_REMOVED', 'FIELD_ARGUMENT_REMOVED', 'INPUT_FIELD_REMOVED', 'ENUM_VALUE_REMOVED']);

/**
 * Why a breaking change is allowed, or null when it is not. `today` is YYYY-MM-DD (UTC).
 */
function announcement(change: Change, released: GraphQLSchema, current: GraphQLSchema, today: string): string | null {
  if (!change.path) return null;
  const due = (coordinate: string) => {
    const date = removalDateOf(deprecationAt(released, coordinate));
    return date !== null && date <= today ? date : null;
  };
  if (REMOVALS.has(change.type)) return due(change.path);
  if (change.type === 'TYPE_REMOVED') {
    // Referred to only from removals that were due, or from types removed too: nothing a client can still reach.
    const refs = referencesTo(released, change.path);
    const gone = refs.every((ref) => due(ref) !== null || !current.getType(ref.split('.')[0]));
    return gone ? 'every reference removed as announced' : null;
  }
  return null;
}

export async function checkSchemaContract(releasedSdl: string, currentSdl: string, now = new Date()): Promise<ContractCheck> {
  const released = buildSchema(releasedSdl);
  const current = buildSchema(currentSdl);
  const today = now.toISOString().slice(0, 10);
  const changes = await diff(released, current);
  const breaking: ContractProblem[] = [];
  const announcedRemovals: ContractProblem[] = [];
  for (const change of changes) {
    if (change.criticality.level !== CriticalityLevel.Breaking) continue;
    const why = announcement(change, released, current, today);
    const problem = { path: change.path ?? '(schema)', message: change.message };
    if (why) announcedRemovals.push({ ...problem, message: `${change.message} (announced: ${why})` });
    else breaking.push(problem);
  }
  return { breaking, announcedRemovals, changes };
}

/**
 * The schema clients were given: the newest release tag's (`v*`), or before the first release the
 * committed snapshot. Returns the SDL and where it came from.
 */
export function releasedSchema(root: string): { sdl: string; source: string } {
  try {
    const tag = execFileSync('git', ['describe', '--tags', '--abbrev=0', '--match', 'v*'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (tag) {
      const sdl = execFileSync('git', ['show', `${tag}:graphql/schema.graphql`], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      return { sdl, source: `release ${tag}` };
    }
  } catch {
    // No release tag yet (or no git): the committed snapshot stands for the released schema.
  }
  return { sdl: readFileSync(path.join(root, 'graphql/schema.released.graphql'), 'utf8'), source: 'graphql/schema.released.graphql' };
}
