/**
 * Relay connections for every list that can grow: `first`/`after` forward, `last`/`before`
 * backward, page sizes from pagination.ts (capped at 100, default 20), `totalCount` computed only
 * when a query selects it. Cursors hold a position in the list's order (its sort key), never an
 * offset, so rows written or deleted between two pages cause neither gaps nor repeats among the rest.
 */
import 'reflect-metadata';
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { InvalidInputError } from '../errors.js';
import { checkPageSize, decodeCursor, encodeCursor, PageInfo, pageInfoOf } from './pagination.js';

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, description: 'Page size forward, at most 100 (default 20 when `last` is not given either).' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Items after this cursor.' })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: 'Page size backward (the items just before `before`, or the last ones), at most 100.' })
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'Items before this cursor.' })
  before?: string | null;
}

/** A page to read: its direction, size and the position it starts from (exclusive). */
export interface PageRequest<P> {
  backward: boolean;
  size: number;
  after: P | null;
  before: P | null;
}

/** How a connection orders its items: the position of each, how positions compare, and a parse of stored ones. */
export interface Ordering<T, P> {
  position(item: T): P;
  /** Negative when `a` comes first in the connection's order. */
  compare(a: P, b: P): number;
  /** The position in a cursor's JSON, or null when it is not one of this connection's. */
  parse(value: unknown): P | null;
}

/** One page of a connection; `totalCount` runs only when the query selects it (graphql-js calls a function-valued property). */
export interface ConnectionPage<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: PageInfo;
  totalCount: () => Promise<number> | number;
}

export function cursorOf<P>(position: P): string {
  return encodeCursor(JSON.stringify(position));
}

function positionOf<T, P>(ordering: Ordering<T, P>, cursor: string, field: 'after' | 'before'): P {
  try {
    return decodeCursor(cursor, (text) => ordering.parse(JSON.parse(text)));
  } catch {
    throw new InvalidInputError(`Invalid cursor in ${field}: pass a cursor this connection returned.`, { field });
  }
}

/**
 * The page `args` ask for. @throws InvalidInputError naming the field: `first` with `last`, a size
 * out of 0..100, a cursor this connection did not return.
 */
export function pageRequestOf<T, P>(args: ConnectionArgs, ordering: Ordering<T, P>): PageRequest<P> {
  if (args.first != null && args.last != null) throw new InvalidInputError('Pass first or last, not both.', { field: 'last' });
  const backward = args.last != null;
  const size = backward ? checkSize(args.last, 'last') : checkPageSize(args.first);
  return {
    backward,
    size,
    after: args.after ? positionOf(ordering, args.after, 'after') : null,
    before: args.before ? positionOf(ordering, args.before, 'before') : null,
  };
}

function checkSize(value: number | null | undefined, field: string): number {
  try {
    return checkPageSize(value);
  } catch {
    throw new InvalidInputError(`${field} must be between 0 and 100.`, { field });
  }
}

/** A connection page over rows already read in order; `hasMoreBeyond` tells whether rows lie past either end. */
export function connectionOf<T, P>(
  ordering: Ordering<T, P>,
  rows: T[],
  hasMoreBeyond: { next: boolean; previous: boolean },
  totalCount: () => Promise<number> | number,
): ConnectionPage<T> {
  const edges = rows.map((node) => ({ cursor: cursorOf(ordering.position(node)), node }));
  return { edges, pageInfo: pageInfoOf(edges, hasMoreBeyond.next, hasMoreBeyond.previous), totalCount };
}

/**
 * A page of a list held in memory in the connection's order (a pack's versions, the registries,
 * the tokens): the window between the cursors, its first or last `size` items.
 */
export function pageInMemory<T, P>(sorted: readonly T[], args: ConnectionArgs, ordering: Ordering<T, P>): ConnectionPage<T> {
  const request = pageRequestOf(args, ordering);
  let start = 0;
  let end = sorted.length;
  if (request.after !== null) {
    const after = request.after;
    start = firstIndexWhere(sorted, (item) => ordering.compare(ordering.position(item), after) > 0);
  }
  if (request.before !== null) {
    const before = request.before;
    end = Math.max(start, firstIndexWhere(sorted, (item) => ordering.compare(ordering.position(item), before) >= 0));
  }
  const from = request.backward ? Math.max(start, end - request.size) : start;
  const to = request.backward ? end : Math.min(end, start + request.size);
  return connectionOf(ordering, sorted.slice(from, to), { next: to < sorted.length, previous: from > 0 }, () => sorted.length);
}

function firstIndexWhere<T>(items: readonly T[], test: (item: T) => boolean): number {
  const index = items.findIndex(test);
  return index === -1 ? items.length : index;
}

/** Compares two values of one sort column (strings by code point, like PostgreSQL's "C" collation on ids). */
export function compareValues(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The GraphQL types of a connection over `node`: `<Name>Edge` and `<Name>Connection` with edges,
 * pageInfo and totalCount.
 */
export function connectionTypes<T extends object>(node: ClassType<T>, name: string, description: string) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => String, { description: 'Where this item stands: pass it as `after` or `before`.' })
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description })
  class Connection {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    // simple: graphql-js's own resolver calls the function-valued property, so the count runs only when selected.
    @Field(() => Int, { simple: true, description: 'Items in the whole list, across all pages (counted only when asked for).' })
    totalCount!: () => Promise<number> | number;
  }
  return { Edge, Connection };
}
