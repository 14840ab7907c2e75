/**
 * Every mutation leaves an audit event: who, what, which target, when, and how it ended. Done once
 * here for all mutations (not in each service), so a new mutation can't forget it. Arguments are
 * summarised, never copied: secrets, uploads and values stay out of the trail.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLResolveInfo } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Context } from '../graphql/context.js';
import { isDomainError } from '../errors.js';
import type { AuditRecorder, AuditEventInput } from './audit.service.js';
import { endpointWithoutCredentials } from '../registries/registry.model.js';

/** Argument names whose value identifies what a mutation acted on. */
const TARGET_ARGS = ['registry', 'name', 'version', 'tag', 'id'] as const;
/** Input fields safe to keep in an event's details. */
const SAFE_INPUT_FIELDS = ['name', 'kind', 'endpoint', 'priority', 'type', 'cloudType', 'version', 'role', 'syncIntervalSeconds', 'insecure', 'enforce'];

export function summariseArguments(field: string, args: Record<string, unknown>): { targetType: string; target: string | null; details: Record<string, unknown> } {
  const details: Record<string, unknown> = {};
  for (const key of TARGET_ARGS) if (typeof args[key] === 'string') details[key] = args[key];
  if (typeof args.force === 'boolean') details.force = args.force;
  if (typeof args.message === 'string') details.message = args.message.slice(0, 200);
  if (typeof args.role === 'string') details.role = args.role;
  if (Array.isArray(args.registries)) details.registries = args.registries.slice(0, 20);
  const input = args.input as Record<string, unknown> | undefined;
  if (input && typeof input === 'object') {
    for (const key of SAFE_INPUT_FIELDS) if (input[key] !== undefined && input[key] !== null) details[key] = input[key];
    // A refused endpoint may hold credentials (`http://robot:secret@host`): the trail never keeps them.
    if (typeof details.endpoint === 'string') details.endpoint = endpointWithoutCredentials(details.endpoint);
    if ('credentials' in input) details.credentials = input.credentials === null ? 'cleared' : 'set';
  }
  const targetType = /Registry$/.test(field) ? 'registry' : /Pack|Tag/.test(field) ? 'pack' : /Profile/.test(field) ? 'profile' : /Token/.test(field) ? 'token' : 'other';
  const name = (details.name ?? (input?.name as string | undefined)) as string | undefined;
  const target =
    targetType === 'pack'
      ? [details.registry, [name, details.version ?? details.tag].filter(Boolean).join(':')].filter(Boolean).join('/') || null
      : targetType === 'profile'
        ? [name, details.version].filter(Boolean).join(':') || null
        : ((name ?? details.id ?? details.registry ?? null) as string | null);
  return { targetType, target, details };
}

export function auditPlugin(recorder: AuditRecorder): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      const events: AuditEventInput[] = [];
      return {
        async executionDidStart(execution) {
          if (execution.operation.operation !== 'mutation') return;
          return {
            willResolveField({ info, args, contextValue }) {
              if ((info as GraphQLResolveInfo).parentType.name !== 'Mutation') return;
              const field = info.fieldName;
              const summary = summariseArguments(field, args as Record<string, unknown>);
              return (error, result) => {
                const original = error ? unwrapResolverError(error) : undefined;
                const code = original ? (isDomainError(original) ? original.code : 'INTERNAL_SERVER_ERROR') : undefined;
                // pushPack's target is only known from its result (the archive names the pack).
                const pushed = field === 'pushPack' && result && typeof result === 'object' ? (result as { version?: string; pack?: { name?: string } }) : null;
                const target = pushed?.pack?.name ? `${summary.details.registry}/${pushed.pack.name}:${pushed.version}` : summary.target;
                events.push({
                  actor: contextValue.principal.name,
                  action: field,
                  targetType: summary.targetType,
                  target,
                  outcome: error ? 'FAILURE' : 'SUCCESS',
                  message: code ? `${code}: ${original instanceof Error && isDomainError(original) ? original.message.slice(0, 300) : 'internal error'}` : null,
                  details: summary.details,
                  requestId: contextValue.requestId,
                });
              };
            },
          };
        },
        async willSendResponse() {
          if (events.length > 0) await recorder.record(events.splice(0));
        },
      };
    },
  };
}
