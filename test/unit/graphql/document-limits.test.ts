/** Document limits (issue 12, point 1): each named in its refusal, each linear in the document. */
import { parse, specifiedRules, validate, type GraphQLError } from 'graphql';
import { buildGraphQLSchema } from '../../../src/app/schema.js';
import { documentLimitOptions, rewriteLimitMessage } from '../../../src/graphql/document-limits.js';
import { fragmentChain, typenameAliases } from './hostile-documents.js';
import { loadConfig } from '../../../src/config.js';

const LIMITS = { maxQueryTokens: 2_000, maxQueryAliases: 30, maxQueryDirectives: 30, maxQueryDepth: 12 };

describe('document limits', () => {
  let check: (query: string, limits?: Partial<typeof LIMITS>) => readonly GraphQLError[];
  beforeAll(async () => {
    const schema = await buildGraphQLSchema();
    check = (query, limits = {}) => {
      const options = documentLimitOptions({ ...LIMITS, ...limits }, { hideSuggestions: false });
      return validate(schema, parse(query, options.parseOptions), [...specifiedRules, ...options.validationRules]);
    };
  });

  const limitOf = (errors: readonly GraphQLError[]) => errors.map((e) => [e.extensions.code, e.extensions.limit]);

  it('accepts ordinary documents', () => {
    expect(check('{ me { name role } registries { name kind sync { runs(last: 5) { id } } } }')).toEqual([]);
    expect(check(`{ ${Array.from({ length: 30 }, (_, i) => `r${i}: registries { name }`).join(' ')} }`)).toEqual([]);
  });

  it('stops parsing at the token limit, and names it once rewritten for clients', () => {
    const aliases = typenameAliases(50_000);
    let thrown: GraphQLError | undefined;
    try {
      check(aliases);
    } catch (error) {
      thrown = error as GraphQLError;
    }
    expect(thrown?.message).toMatch(/more (than|that) 2000 tokens/);
    expect(rewriteLimitMessage(thrown!.message)).toEqual({
      message: 'The document has more than 2000 tokens; the limit (MAX_QUERY_TOKENS) is 2000.',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', field: 'query', limit: 'MAX_QUERY_TOKENS', max: 2000 },
    });
  });

  it('counts every alias, __typename aliases included', () => {
    const errors = check(typenameAliases(31));
    expect(limitOf(errors)).toEqual([['GRAPHQL_VALIDATION_FAILED', 'MAX_QUERY_ALIASES']]);
    expect(errors[0]!.message).toBe('The document has 31 aliases; the limit (MAX_QUERY_ALIASES) is 30.');
  });

  it('counts directives, through fragments too', () => {
    const errors = check(`query { ...F ...F } fragment F on Query { ${Array.from({ length: 16 }, (_, i) => `a${i}: __typename @skip(if: false)`).join(' ')} }`, { maxQueryAliases: 100 });
    expect(limitOf(errors)).toEqual([['GRAPHQL_VALIDATION_FAILED', 'MAX_QUERY_DIRECTIVES']]);
  });

  it('measures depth as the nesting of fields, fragments followed but adding no level', () => {
    const deep = check('{ registries { sync { runs { errors { item } } } } }', { maxQueryDepth: 4 });
    expect(deep[0]!.message).toBe('The query is 5 levels deep; the limit (MAX_QUERY_DEPTH) is 4.');
    expect(deep[0]!.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'MAX_QUERY_DEPTH', max: 4, found: 5 });
    expect(limitOf(check('query { registries { ...R } } fragment R on Registry { sync { runs { errors { item } } } }', { maxQueryDepth: 4 }))).toEqual([
      ['GRAPHQL_VALIDATION_FAILED', 'MAX_QUERY_DEPTH'],
    ]);
    expect(check('query { ...Q } fragment Q on Query { registries { ...R } } fragment R on Registry { sync { runs { id } } }', { maxQueryDepth: 4 })).toEqual([]);
  });

  it('checks a fragment chain with 2^200 paths (every rule measures each fragment once)', () => {
    // The old depth rule and cost estimate walked every path: 20 links already took seconds.
    expect(check(fragmentChain(200), { maxQueryTokens: 10_000 })).toEqual([]);
  });

  it('reads the limits from the environment, with defaults, and caps the token limit below what the checks can recurse through', () => {
    expect(loadConfig({}).limits).toMatchObject({ maxQueryTokens: 2_000, maxQueryAliases: 30, maxQueryDirectives: 30, maxQueryDepth: 12, maxQueryComplexity: 20_000 });
    expect(loadConfig({ MAX_QUERY_TOKENS: '5000', MAX_QUERY_ALIASES: '5', MAX_QUERY_DIRECTIVES: '0' }).limits).toMatchObject({
      maxQueryTokens: 5_000,
      maxQueryAliases: 5,
      maxQueryDirectives: 0,
    });
    expect(() => loadConfig({ MAX_QUERY_TOKENS: '50000' })).toThrow(/MAX_QUERY_TOKENS/);
  });
});
