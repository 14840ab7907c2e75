/**
 * Issue 12, point 1: hostile documents are refused by a named limit, quickly enough that the
 * service keeps answering meanwhile. (The old depth rule and cost estimate walked every path of a
 * fragment chain: 30 links would have blocked the event loop for hours, far past Jest's timeout.)
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { directives, fragmentChain, typenameAliases } from '../unit/graphql/hostile-documents.js';

describe('document limits over HTTP', () => {
  let t: TestApp;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp();
    server = createServer(t.app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.close();
    await t.close();
  });

  /** Sends `query` anonymously while /healthz is asked at the same moment; both answers. */
  const withHealthz = async (query: string) => {
    const [graphql, healthz] = await Promise.all([
      fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) }),
      fetch(`${base}/healthz`),
    ]);
    return { status: graphql.status, body: (await graphql.json()) as { errors?: Array<{ message: string; extensions: Record<string, unknown> }> }, healthz: healthz.status };
  };

  it('refuses a fragment chain with 2^30 paths by its cost, and /healthz answers meanwhile', async () => {
    const query = fragmentChain(30);
    expect(query.length).toBeLessThan(1500);
    const { status, body, healthz } = await withHealthz(query);
    expect(healthz).toBe(200);
    expect(status).toBe(400);
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'MAX_QUERY_COMPLEXITY', complexity: 2 ** 30 });
  });

  it('refuses 50,000 __typename aliases at parse time with a normal GraphQL error body, not a 500', async () => {
    const { status, body, healthz } = await withHealthz(typenameAliases(50_000));
    expect(healthz).toBe(200);
    expect(status).toBe(400);
    expect(body.errors).toEqual([
      {
        message: `The document has more than ${t.config.limits.maxQueryTokens} tokens; the limit (MAX_QUERY_TOKENS) is ${t.config.limits.maxQueryTokens}.`,
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', field: 'query', limit: 'MAX_QUERY_TOKENS', max: t.config.limits.maxQueryTokens },
      },
    ]);
  });

  it('refuses too many aliases and directives by name, and still executes documents under the limits', async () => {
    const aliases = await withHealthz(typenameAliases(t.config.limits.maxQueryAliases + 1));
    expect(aliases.body.errors![0]!.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'MAX_QUERY_ALIASES' });
    const many = await withHealthz(directives(t.config.limits.maxQueryDirectives + 1));
    expect(many.body.errors![0]!.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'MAX_QUERY_DIRECTIVES' });
    const fine = await t.gql(typenameAliases(t.config.limits.maxQueryAliases));
    expect(fine.body.errors).toBeUndefined();
    expect(fine.body.data!.a0).toBe('Query');
  });

  it('names the token limit it was configured with', async () => {
    const strict = await createTestApp({ env: { MAX_QUERY_TOKENS: '10' } });
    try {
      const refused = await strict.gql('{ registries { name kind endpoint priority insecure sync { state } } me { name role } }');
      expect(refused.status).toBe(400);
      expect(refused.body.errors![0]!.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'MAX_QUERY_TOKENS', max: 10 });
      expect((await strict.gql('{ me { name } }')).body.errors).toBeUndefined();
    } finally {
      await strict.close();
    }
  });
});
