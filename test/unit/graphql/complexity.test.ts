import { parse } from 'graphql';
import { buildGraphQLSchema } from '../../../src/app/schema.js';
import { estimateComplexity } from '../../../src/graphql/complexity.plugin.js';
import { fragmentChain, typenameAliases } from './hostile-documents.js';

describe('estimateComplexity', () => {
  let schema: Awaited<ReturnType<typeof buildGraphQLSchema>>;
  beforeAll(async () => {
    schema = await buildGraphQLSchema();
  });
  const cost = (query: string, variables = {}) => estimateComplexity(schema, parse(query), undefined, variables);

  it('multiplies nested lists by their page sizes and counts connection edges once', () => {
    expect(cost('{ registries { name } }')).toBe(1 + 10 * 1);
    const page = (first: number) => cost(`{ packs(first: ${first}) { totalCount edges { node { name } } } }`);
    expect(page(50)).toBe(1 + 50 * (1 + 1 + (1 + 1)));
    expect(page(100)).toBeGreaterThan(page(50));
    expect(cost('query($n: Int) { packs(first: $n) { edges { node { versions { version } } } } }', { n: 100 })).toBe(1 + 100 * (1 + (1 + (1 + 10 * 1))));
    expect(cost('query { ...F } fragment F on Query { registries { name ...G } } fragment G on Registry { kind }')).toBe(1 + 10 * 2);
  });

  it('charges a connection asked for no size its default page (20), a plain list a typical 10', () => {
    expect(cost('{ registriesConnection { edges { node { name } } } }')).toBe(1 + 20 * (1 + 1 + 1));
    expect(cost('{ registriesConnection(first: 5) { edges { node { name } } } }')).toBe(1 + 5 * (1 + 1 + 1));
    expect(cost('{ registries { name } }')).toBe(1 + 10 * 1);
  });

  it('charges nodes(ids:) per id asked for', () => {
    const ids = Array.from({ length: 100 }, (_, i) => `id${i}`);
    expect(cost('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids })).toBe(1 + 100 * 1);
    expect(cost('{ node(id: "x") { id } }')).toBe(2);
  });

  it('charges every selection, __typename and introspection included', () => {
    // Before: __typename cost nothing, so 50,000 of them passed the limit.
    expect(cost('{ __typename }')).toBe(1);
    expect(cost(typenameAliases(500))).toBe(500);
    expect(cost('{ registries { __typename name } }')).toBe(1 + 10 * 2);
    expect(cost('{ __schema { types { name fields { name } } } }')).toBe(5);
  });

  it('counts each fragment once per spread without walking every path (a 2^60-path chain)', () => {
    // Each link doubles the cost, not the work: 60 links would be ~10^18 walks for the old estimator.
    expect(cost(fragmentChain(3))).toBe(8);
    expect(cost(fragmentChain(60))).toBe(2 ** 60);
    expect(cost(`query { ...F0 } fragment F0 on Query { registries { ...R1 ...R1 } } fragment R1 on Registry { name }`)).toBe(1 + 10 * 2);
  });
});
