import { parse } from 'graphql';
import { buildGraphQLSchema } from '../../../src/graphql/schema.js';
import { estimateComplexity } from '../../../src/graphql/complexity.plugin.js';

describe('estimateComplexity', () => {
  it('multiplies nested lists by their page sizes and counts connection edges once', async () => {
    const schema = await buildGraphQLSchema();
    const cost = (query: string, variables = {}) => estimateComplexity(schema, parse(query), undefined, variables);
    expect(cost('{ registries { name } }')).toBe(1 + 10 * 1);
    const page = (first: number) => cost(`{ packs(first: ${first}) { totalCount edges { node { name } } } }`);
    expect(page(50)).toBe(1 + 50 * (1 + 1 + (1 + 1)));
    expect(page(100)).toBeGreaterThan(page(50));
    expect(cost('query($n: Int) { packs(first: $n) { edges { node { versions { version } } } } }', { n: 100 })).toBe(1 + 100 * (1 + (1 + (1 + 10 * 1))));
    expect(cost('query { ...F } fragment F on Query { registries { name ...G } } fragment G on Registry { kind }')).toBe(1 + 10 * 2);
  });
});
