import request from 'supertest';
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';

describe('the service skeleton on PostgreSQL and S3', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ s3: true });
  });

  afterAll(async () => {
    await t.close();
  });

  it('runs on the real backends of this tier', async () => {
    if (process.env.TEST_DATABASE_URL) expect(t.database.kind).toBe('postgresql');
    else expect(t.database.kind).toBe('embedded');
    expect(t.artifacts.kind).toBe('s3');
    const tables = await t.database.prisma.$queryRaw<Array<{ n: bigint }>>`
      SELECT count(*)::bigint AS n FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`;
    expect(Number(tables[0].n)).toBeGreaterThanOrEqual(1);
    process.stdout.write(`[integration] database=${t.database.kind} artifacts=${t.artifacts.kind}\n`);
  });

  it('lists the DEFAULT registry created at start', async () => {
    const { body } = await t.gql('{ registries { name kind priority packCount sync { state runs(last: 5) { id } } } }');
    expect(body.errors).toBeUndefined();
    // The run's database is shared: another test file may have seeded the default registry already.
    expect(body.data!.registries).toContainEqual(expect.objectContaining({ name: 'default', kind: 'DEFAULT' }));
    const one = await t.gql('query($n: String!) { registry(name: $n) { name kind } }', { n: 'default' });
    expect(one.body.data!.registry).toEqual({ name: 'default', kind: 'DEFAULT' });
    const none = await t.gql('query($n: String!) { registry(name: $n) { name } }', { n: 'no-such-registry' });
    expect(none.body.data!.registry).toBeNull();
  });

  it('refuses anonymous and bad tokens with UNAUTHENTICATED', async () => {
    const anonymous = await t.gql('{ registries { name } }', {}, null);
    expect(anonymous.body.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    const bad = await t.gql('{ registries { name } }', {}, 'pkc_not-a-real-token');
    expect(bad.status).toBe(401);
    expect(bad.body.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  });

  it('creates a HOSTED registry and refuses a duplicate and bad input with the field named', async () => {
    const name = uniqueName('hosted');
    const created = await t.gql(
      'mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name kind priority syncIntervalSeconds hasCredentials } }',
      { i: { name, kind: 'HOSTED', priority: 10 } },
    );
    expect(created.body.data!.createRegistry).toEqual({ name, kind: 'HOSTED', priority: 10, syncIntervalSeconds: 86400, hasCredentials: false });
    const again = await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', {
      i: { name, kind: 'HOSTED' },
    });
    expect(again.body.errors![0].extensions!.code).toBe('CONFLICT');
    const bad = await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', {
      i: { name: 'Bad Name!', kind: 'OCI', priority: 5000 },
    });
    expect(bad.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    const fields = bad.body.errors![0].extensions!.issues.map((i: { path: string }) => i.path);
    expect(fields).toEqual(expect.arrayContaining(['name', 'endpoint', 'priority']));
    const deleted = await t.gql('mutation($n: String!) { deleteRegistry(name: $n) }', { n: name });
    expect(deleted.body.data!.deleteRegistry).toBe(true);
    const gone = await t.gql('mutation($n: String!) { deleteRegistry(name: $n) }', { n: name });
    expect(gone.body.errors![0].extensions!.code).toBe('NOT_FOUND');
  });

  it('stores upstream credentials encrypted and never returns them', async () => {
    const name = uniqueName('oci');
    const password = `s3cret-${uniqueName('pw')}`;
    const created = await t.gql(
      'mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name hasCredentials endpoint } }',
      { i: { name, kind: 'OCI', endpoint: 'http://127.0.0.1:1', credentials: { username: 'bob', password } } },
    );
    expect(created.body.data!.createRegistry).toEqual({ name, hasCredentials: true, endpoint: 'http://127.0.0.1:1' });
    expect(JSON.stringify(created.body)).not.toContain(password);
    const row = await t.database.prisma.registry.findUniqueOrThrow({ where: { name } });
    expect(Buffer.from(row.credentials!).toString('utf8')).not.toContain(password);
    expect(t.services.registries.openCredentials(row)).toEqual({ username: 'bob', password });
    expect(t.logs()).not.toContain(password);
    const cleared = await t.gql('mutation($n: String!) { updateRegistry(name: $n, input: { credentials: null, priority: 3 }) { hasCredentials priority } }', { n: name });
    expect(cleared.body.data!.updateRegistry).toEqual({ hasCredentials: false, priority: 3 });
  });

  it('keeps the DEFAULT registry from being deleted', async () => {
    const { body } = await t.gql('mutation { deleteRegistry(name: "default") }');
    expect(body.errors![0].extensions!.code).toBe('CONFLICT');
  });

  it('answers health, readiness and metrics', async () => {
    expect((await request(t.app).get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await request(t.app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ database: 'ok', artifacts: 'ok' });
    const metrics = await request(t.app).get('/metrics');
    expect(metrics.text).toContain('packcatalog_http_requests_total');
    expect(metrics.text).toMatch(/packcatalog_graphql_operations_total\{[^}]*outcome="success"/);
  });

  it('rejects multipart requests without a CSRF preflight header', async () => {
    const response = await request(t.app)
      .post('/graphql')
      .set('authorization', `Bearer ${t.adminToken}`)
      .field('operations', JSON.stringify({ query: '{ registries { name } }' }))
      .field('map', '{}');
    expect(response.status).toBe(400);
    expect(response.text).toMatch(/CSRF|preflight/i);
  });

  it('refuses an oversized body with PAYLOAD_TOO_LARGE and too deep a query as a validation failure', async () => {
    const big = await request(t.app)
      .post('/graphql')
      .set('authorization', `Bearer ${t.adminToken}`)
      .set('content-type', 'application/json')
      .send(JSON.stringify({ query: `{ registries { name } } # ${'x'.repeat(t.config.limits.maxBodyBytes)}` }));
    expect(big.status).toBe(413);
    expect(big.body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    const deep = '{ registries { sync { runs { errors { item } } } } }';
    const strict = await createTestApp({ env: { MAX_QUERY_DEPTH: '4' } });
    try {
      const refused = await strict.gql(deep);
      expect(refused.body.errors![0].extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(refused.body.errors![0].message).toMatch(/5 levels deep; the limit \(MAX_QUERY_DEPTH\) is 4/);
      const viaFragment = await strict.gql('query { registries { ...R } } fragment R on Registry { sync { runs { errors { item } } } }');
      expect(viaFragment.body.errors![0].extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
      const shallow = await strict.gql('{ registries { sync { runs { id } } } }');
      expect(shallow.body.errors).toBeUndefined();
    } finally {
      await strict.close();
    }
  });

  it('hides internals behind INTERNAL_SERVER_ERROR and maps GraphQL errors to codes', async () => {
    const invalid = await t.gql('{ registries { nope } }');
    expect(invalid.body.errors![0].extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const badVariable = await t.gql('query($n: String!) { registry(name: $n) { name } }', { n: 42 });
    expect(badVariable.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    const runs = await t.gql('{ registries { sync { runs(last: 1000) { id } } } }');
    expect(runs.body.errors![0].extensions!).toEqual({ code: 'BAD_USER_INPUT', field: 'last' });
    const text = JSON.stringify([invalid.body, badVariable.body, runs.body]);
    expect(text).not.toMatch(/stacktrace|\/work\/|node_modules|prisma/i);
  });

  it('serves the GraphQL IDE from local files and 404s unknown routes', async () => {
    const page = await request(t.app).get('/ide');
    expect(page.text).toContain('/ide/assets/graphiql/graphiql.min.js');
    expect(page.text).not.toMatch(/https?:\/\/(unpkg|cdn|jsdelivr)/);
    const asset = await request(t.app).get('/ide/assets/graphiql/graphiql.min.js');
    expect(asset.status).toBe(200);
    const missing = await request(t.app).get('/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });
});
