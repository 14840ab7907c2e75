/**
 * Object identity (the Relay/GitHub convention): every object with its own identity implements
 * `interface Node { id: ID! }`, and its id is global and opaque: the type name and the object's
 * key in that type, encoded. `node(id:)` (node.resolver.ts) takes one apart to refetch the object,
 * and a normalising client cache keys its entries by it without configuration.
 */
import 'reflect-metadata';
import { Field, ID, InterfaceType } from 'type-graphql';
import { InvalidInputError } from '../errors.js';

/** The types that implement Node. A new one is added here, and its feature exports a NodeType for it. */
export const NODE_TYPENAMES = ['Pack', 'PackVersion', 'Registry', 'SyncRun', 'ClusterProfile', 'ApiToken', 'AuditEvent', 'CatalogEvent', 'Webhook', 'WebhookDelivery'] as const;
export type NodeTypename = (typeof NODE_TYPENAMES)[number];

/** The property node(id:) tags a refetched object with, so the interface knows its concrete type. */
export const NODE_TYPENAME = Symbol('nodeTypename');

@InterfaceType({
  description: 'An object with a global id: `node(id:)` refetches it. Ids are opaque: pass them back, never build or parse them.',
  resolveType: (value: { [NODE_TYPENAME]?: NodeTypename }) => value[NODE_TYPENAME],
})
export abstract class Node {
  @Field(() => ID, { description: 'Global and opaque: the same object always has the same id, and no two objects share one.' })
  id!: string;
}

/** The global id of the object `key` of type `typename`. */
export function toGlobalId(typename: NodeTypename, key: string): string {
  return Buffer.from(`${typename}:${key}`, 'utf8').toString('base64url');
}

/** A global id taken apart; null for text that is not an id this API returned. */
export function fromGlobalId(id: string): { typename: NodeTypename; key: string } | null {
  if (!/^[A-Za-z0-9_-]{1,700}$/.test(id)) return null;
  const text = Buffer.from(id, 'base64url').toString('utf8');
  const colon = text.indexOf(':');
  const typename = text.slice(0, colon) as NodeTypename;
  const key = text.slice(colon + 1);
  // A valid id re-encodes to itself: anything else (padding, stray characters) was not made here.
  if (colon < 1 || key === '' || !NODE_TYPENAMES.includes(typename) || toGlobalId(typename, key) !== id) return null;
  return { typename, key };
}

/**
 * The key of `typename` an id argument names. Arguments that took a bare database id before
 * global ids (`revokeApiToken(id:)`) pass `acceptBareKey` so older clients keep working.
 *
 * @throws InvalidInputError (naming `field`) for an id of another type or no id at all.
 */
export function keyOfGlobalId(id: string, typename: NodeTypename, field: string, acceptBareKey?: (text: string) => boolean): string {
  const decoded = fromGlobalId(id);
  if (decoded?.typename === typename) return decoded.key;
  if (acceptBareKey?.(id)) return id;
  throw new InvalidInputError(`${field} must be the id of a ${typename}.`, { field });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a key is a database uuid (keys of other shapes name nothing, and would be an SQL error). */
export function isUuidKey(key: string): boolean {
  return UUID.test(key);
}

/**
 * How a feature refetches one of its objects by key, for `node(id:)`: with the same rules as the
 * field that returned it (null when the caller may not see it, a domain error when the caller may
 * never read that type).
 */
export interface NodeType<Ctx> {
  typename: NodeTypename;
  fetch(ctx: Ctx, key: string): Promise<object | null>;
}
