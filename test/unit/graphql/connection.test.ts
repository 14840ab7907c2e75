/** Connection pages over an ordered list: both directions, windows between cursors, sizes, refusals. */
import { compareValues, cursorOf, pageInMemory, type Ordering } from '../../../src/graphql/connection.js';
import { InvalidInputError } from '../../../src/errors.js';

const ORDER: Ordering<number, [number]> = {
  position: (n) => [n],
  compare: (a, b) => compareValues(a[0], b[0]),
  parse: (v) => (Array.isArray(v) && v.length === 1 && typeof v[0] === 'number' ? (v as [number]) : null),
};
const ITEMS = [10, 20, 30, 40, 50];
const page = (args: Record<string, unknown>) => pageInMemory(ITEMS, args, ORDER);
const nodes = (args: Record<string, unknown>) => page(args).edges.map((e) => e.node);

describe('pageInMemory', () => {
  it('pages forward from a position, even one no item holds any more', () => {
    expect(nodes({ first: 2 })).toEqual([10, 20]);
    expect(nodes({ first: 2, after: cursorOf([20]) })).toEqual([30, 40]);
    expect(nodes({ first: 2, after: cursorOf([25]) })).toEqual([30, 40]);
    expect(page({ first: 2, after: cursorOf([20]) }).pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    expect(page({ first: 2, after: cursorOf([30]) }).pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it('pages backward, and between two cursors', () => {
    expect(nodes({ last: 2 })).toEqual([40, 50]);
    expect(nodes({ last: 2, before: cursorOf([40]) })).toEqual([20, 30]);
    expect(page({ last: 2, before: cursorOf([30]) }).pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(nodes({ first: 10, after: cursorOf([10]), before: cursorOf([50]) })).toEqual([20, 30, 40]);
  });

  it('defaults to 20, allows 0, refuses more than 100, first with last, and cursors of another order', () => {
    expect(pageInMemory(Array.from({ length: 30 }, (_, i) => i), {}, ORDER).edges).toHaveLength(20);
    expect(nodes({ first: 0 })).toEqual([]);
    expect(() => page({ first: 101 })).toThrow(InvalidInputError);
    expect(() => page({ last: 101 })).toThrow(/last/);
    expect(() => page({ first: 1, last: 1 })).toThrow(InvalidInputError);
    expect(() => page({ after: cursorOf(['a', 'b']) })).toThrow(/after/);
    expect(() => page({ before: 'garbage' })).toThrow(/before/);
  });

  it('counts lazily', async () => {
    expect(await page({ first: 1 }).totalCount()).toBe(5);
  });
});
