/**
 * Paging shared by every connection (Relay style: `first`/`after`, edges with opaque cursors,
 * `pageInfo`). A feature chooses what its cursor holds (a name, a time and an id); the size rule,
 * the cursor encoding and the PageInfo type live here once.
 */
// Services import the paging rule without the schema: PageInfo's decorators need the polyfill here.
import 'reflect-metadata';
import { Field, ObjectType } from 'type-graphql';
import { InvalidInputError } from '../errors.js';

/** Largest `first` a client may ask for: every listing is bounded. */
export const MAX_PAGE_SIZE = 100;
/** Page size when `first` is left out. */
export const DEFAULT_PAGE_SIZE = 20;

@ObjectType()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => Boolean)
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/** The page size to read: `first`, or the default. @throws InvalidInputError outside 0..MAX_PAGE_SIZE. */
export function checkPageSize(first: number | null | undefined): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw new InvalidInputError(`first must be between 0 and ${MAX_PAGE_SIZE}.`, { field: 'first' });
  }
  return size;
}

/** An opaque cursor for the position `text` (clients pass it back, they don't read it). */
export function encodeCursor(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/**
 * The position a cursor stands for, taken apart by `parse`, which answers null for text that is
 * not one of its connection's cursors.
 *
 * @throws InvalidInputError (field `after`) for a cursor this API did not return.
 */
export function decodeCursor<T>(cursor: string, parse: (text: string) => T | null): T {
  const position = parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (position === null) throw new InvalidInputError('Invalid cursor: pass a cursor this API returned.', { field: 'after' });
  return position;
}

/** The PageInfo of a page of edges. */
export function pageInfoOf(edges: ReadonlyArray<{ cursor: string }>, hasNextPage: boolean, hasPreviousPage: boolean): PageInfo {
  return {
    hasNextPage,
    hasPreviousPage,
    startCursor: edges[0]?.cursor ?? null,
    endCursor: edges.at(-1)?.cursor ?? null,
  };
}
