import { InvalidInputError } from '../../../src/errors.js';
import { checkPageSize, DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, MAX_PAGE_SIZE, pageInfoOf } from '../../../src/graphql/pagination.js';

describe('pagination shared by every connection', () => {
  it('takes first within 0..MAX_PAGE_SIZE, the default when left out', () => {
    expect(checkPageSize(undefined)).toBe(DEFAULT_PAGE_SIZE);
    expect(checkPageSize(null)).toBe(DEFAULT_PAGE_SIZE);
    expect(checkPageSize(0)).toBe(0);
    expect(checkPageSize(MAX_PAGE_SIZE)).toBe(MAX_PAGE_SIZE);
    for (const bad of [-1, MAX_PAGE_SIZE + 1, 1.5]) {
      expect(() => checkPageSize(bad)).toThrow(InvalidInputError);
    }
  });

  it('gives back the position a cursor encodes, and refuses one its connection did not make', () => {
    const parse = (text: string) => (text.startsWith('x:') ? text.slice(2) : null);
    expect(decodeCursor(encodeCursor('x:alpha'), parse)).toBe('alpha');
    let refused: unknown;
    try {
      decodeCursor(encodeCursor('y:alpha'), parse);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(InvalidInputError);
    expect((refused as InvalidInputError).extensions).toEqual({ field: 'after' });
  });

  it('describes a page by its first and last cursors', () => {
    expect(pageInfoOf([{ cursor: 'a' }, { cursor: 'b' }], true, false)).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: 'a', endCursor: 'b' });
    expect(pageInfoOf([], false, true)).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null });
  });
});
