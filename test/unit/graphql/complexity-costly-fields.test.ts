/**
 * Fields whose work is not their selection's: proposeProfile (up to 9 solver runs of up to 2 s of
 * CPU each), profileUpgradeSteps (one validated solve per Kubernetes minor, up to 10) and
 * packFacets (aggregations over the whole readable catalog). Costing 1 like any field, 30 aliased
 * copies of one passed MAX_QUERY_COMPLEXITY (20,000) at a cost under 300; now each has its own cost,
 * so a document holds a few of them at most.
 */
import { parse } from 'graphql';
import { buildGraphQLSchema } from '../../../src/app/schema.js';
import { estimateComplexity } from '../../../src/graphql/complexity.plugin.js';

const LIMIT = 20_000;

describe('the cost of costly fields', () => {
  let schema: Awaited<ReturnType<typeof buildGraphQLSchema>>;
  beforeAll(async () => {
    schema = await buildGraphQLSchema();
  });
  const cost = (query: string) => estimateComplexity(schema, parse(query), undefined, {});
  const aliased = (n: number, field: string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

  const propose = 'proposeProfile(input: { type: CLUSTER, cloudType: "aws" }) { valid }';
  const steps = 'profileUpgradeSteps(name: "p", version: "1.0.0", toKubernetes: "1.33") { __typename }';
  const facets = 'packFacets { __typename }';

  it('lets one of each through', () => {
    for (const field of [propose, steps, facets]) expect(cost(`{ ${field} }`)).toBeLessThanOrEqual(LIMIT);
  });

  it.each([
    ['proposeProfile', propose, 5],
    ['profileUpgradeSteps', steps, 2],
    ['packFacets', facets, 20],
  ])('refuses a document of many aliased %s', (_name, field, many) => {
    expect(cost(aliased(many, field))).toBeGreaterThan(LIMIT);
  });
});
