/**
 * Issue 21: automatic persisted queries over POST and GET (in memory, bounded; shared by replicas
 * through Redis; a fixed allow-list), CSRF prevention kept on GET, and Cache-Control + ETag on
 * anonymous GET reads of a digest-addressed version.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';
import { pushArchive } from '../helpers/packs.js';
import { buildTarGz, minimalPackEntries } from '../helpers/tar-builder.js';
import { persistedQueryHash } from '../../src/graphql/persisted-queries.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { pollUntil } from '../helpers/wait-until.js';

/** A document no other test (or earlier run against the same Redis) has registered. */
function freshQuery(): string {
  return `query Fresh_${randomBytes(6).toString('hex')} { me { name } }`;
}

function apq(hash: string) {
  return { persistedQuery: { version: 1, sha256Hash: hash } };
}

async function post(t: TestApp, body: Record<string, unknown>, token: string | null = t.adminToken) {
  let call = request(t.app).post('/graphql').set('content-type', 'application/json');
  if (token) call = call.set('authorization', `Bearer ${token}`);
  const response = await call.send(body);
  return { status: response.status, body: response.body, headers: response.headers };
}

async function get(t: TestApp, params: Record<string, unknown>, options: { token?: string | null; headers?: Record<string, string> } = {}) {
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) query[key] = typeof value === 'string' ? value : JSON.stringify(value);
  let call = request(t.app).get('/graphql').query(query).set('accept', 'application/json').set('apollo-require-preflight', 'true');
  const token = options.token === undefined ? t.adminToken : options.token;
  if (token) call = call.set('authorization', `Bearer ${token}`);
  for (const [name, value] of Object.entries(options.headers ?? {})) call = call.set(name, value);
  const response = await call;
  return { status: response.status, body: response.body, headers: response.headers, text: response.text };
}

const code = (body: { errors?: Array<{ extensions?: { code?: string } }> }) => body.errors?.[0]?.extensions?.code;

describe('automatic persisted queries (in memory)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers a hash it does not know PERSISTED_QUERY_NOT_FOUND, registers the document, then runs the hash alone (POST)', async () => {
    const query = freshQuery();
    const hash = persistedQueryHash(query);
    const miss = await post(t, { extensions: apq(hash) });
    expect(code(miss.body)).toBe('PERSISTED_QUERY_NOT_FOUND');
    const register = await post(t, { query, extensions: apq(hash) });
    expect(register.body).toEqual({ data: { me: { name: 'admin' } } });
    const hit = await post(t, { extensions: apq(hash) });
    expect(hit.body).toEqual({ data: { me: { name: 'admin' } } });
    // A hash that is not the document's is refused, and registers nothing.
    const wrong = await post(t, { query: freshQuery(), extensions: apq('0'.repeat(64)) });
    expect(wrong.status).toBe(400);
  });

  it('does the same over GET, where CSRF prevention still wants a preflight header and mutations are refused', async () => {
    const query = freshQuery();
    const hash = persistedQueryHash(query);
    expect(code((await get(t, { extensions: apq(hash) })).body)).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await get(t, { query, extensions: apq(hash) })).body).toEqual({ data: { me: { name: 'admin' } } });
    expect((await get(t, { extensions: apq(hash) })).body).toEqual({ data: { me: { name: 'admin' } } });
    // A hash alone is a query too: a client that prefers HTML is not sent to the IDE for it.
    const htmlFirst = await get(t, { extensions: apq(hash) }, { headers: { accept: 'text/html, application/json;q=0.9' } });
    expect([htmlFirst.status, htmlFirst.body]).toEqual([200, { data: { me: { name: 'admin' } } }]);

    const simple = await request(t.app).get('/graphql').query({ query: '{ me { name } }' }).set('accept', 'application/json').set('authorization', `Bearer ${t.adminToken}`);
    expect(simple.status).toBe(400);
    expect(simple.text).toMatch(/Cross-Site Request Forgery/);
    const mutation = await get(t, { query: 'mutation { deleteRegistry(name: "nothing") }' });
    expect(mutation.status).toBe(405);
  });

  it('keeps the in-memory cache within PERSISTED_QUERIES_CACHE_BYTES (the oldest document goes first)', async () => {
    const small = await createTestApp({ env: { PERSISTED_QUERIES_CACHE_BYTES: '400' } });
    try {
      const docs = Array.from({ length: 4 }, () => freshQuery().padEnd(120, ' '));
      for (const query of docs) expect((await post(small, { query, extensions: apq(persistedQueryHash(query)) })).body.data).toBeDefined();
      expect(code((await post(small, { extensions: apq(persistedQueryHash(docs[0])) })).body)).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect((await post(small, { extensions: apq(persistedQueryHash(docs[3])) })).body.data).toEqual({ me: { name: 'admin' } });
    } finally {
      await small.close();
    }
  });
});

describe('persisted queries shared through Redis (REDIS_URL)', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis.close());

  it('runs on one replica a document registered on another', async () => {
    const env = { REDIS_URL: redis.url };
    const [a, b] = [await createTestApp({ env }), await createTestApp({ env })];
    try {
      const query = freshQuery();
      const hash = persistedQueryHash(query);
      expect(code((await post(b, { extensions: apq(hash) })).body)).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect((await post(a, { query, extensions: apq(hash) })).body.data).toEqual({ me: { name: 'admin' } });
      // Apollo registers without awaiting the write: give it a moment to land.
      const hit = await pollUntil(() => post(b, { extensions: apq(hash) }), (answer) => code(answer.body) !== 'PERSISTED_QUERY_NOT_FOUND', {
        what: 'the other replica finds the registered document',
        timeoutMs: 1_000,
        intervalMs: 50,
        describe: (answer) => JSON.stringify(answer.body),
      });
      expect(hit.body).toEqual({ data: { me: { name: 'admin' } } });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('degrades to misses, not failures, when Redis cannot be reached', async () => {
    const down = await createTestApp({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    try {
      const query = freshQuery();
      const hash = persistedQueryHash(query);
      expect(code((await post(down, { extensions: apq(hash) })).body)).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect((await post(down, { query, extensions: apq(hash) })).body).toEqual({ data: { me: { name: 'admin' } } });
    } finally {
      await down.close();
    }
  });
});

describe('PERSISTED_QUERIES_ONLY', () => {
  let t: TestApp;
  let dir: string;
  const allowed = 'query Allowed { me { name role } }';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'pack-catalog-apq-'));
    const file = path.join(dir, 'persisted-queries.json');
    await writeFile(file, JSON.stringify({ [persistedQueryHash(allowed)]: allowed }));
    t = await createTestApp({ env: { PERSISTED_QUERIES_ONLY: 'true', PERSISTED_QUERIES_FILE: file } });
  });
  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs the listed documents by hash (POST and GET) and refuses every other, as text or by hash', async () => {
    const hash = persistedQueryHash(allowed);
    expect((await post(t, { extensions: apq(hash) })).body).toEqual({ data: { me: { name: 'admin', role: 'ADMIN' } } });
    expect((await get(t, { extensions: apq(hash) })).body).toEqual({ data: { me: { name: 'admin', role: 'ADMIN' } } });

    const other = freshQuery();
    const asText = await post(t, { query: other });
    expect(asText.status).toBe(400);
    expect(code(asText.body)).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    const registering = await post(t, { query: other, extensions: apq(persistedQueryHash(other)) });
    expect(code(registering.body)).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    // Nothing registered: the hash alone is still unknown.
    expect(code((await post(t, { extensions: apq(persistedQueryHash(other)) })).body)).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('refuses to start with a list whose hashes are not their documents', async () => {
    const file = path.join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ ['0'.repeat(64)]: allowed }));
    await expect(createTestApp({ env: { PERSISTED_QUERIES_ONLY: 'true', PERSISTED_QUERIES_FILE: file } })).rejects.toThrow(/is not the sha256 of its document/);
  });
});

describe('HTTP caching of immutable reads', () => {
  let t: TestApp;
  let name: string;
  let digest: string;
  const byDigest = 'query($n: String!, $v: String!) { packVersion(name: $n, version: $v) { version digest values } }';

  beforeAll(async () => {
    t = await createTestApp({ env: { ALLOW_ANONYMOUS_READ: 'true' } });
    const registry = uniqueName('cache');
    await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { id } }', { i: { name: registry, kind: 'HOSTED' } });
    name = uniqueName('cpack');
    const pushed = await pushArchive(
      t.app,
      t.adminToken,
      registry,
      buildTarGz(minimalPackEntries(`${name}-1.0.0`, { 'pack.json': JSON.stringify({ name, displayName: name, version: '1.0.0', layer: 'addon', cloudTypes: ['all'], charts: ['charts/demo-1.0.0.tgz'] }) })),
    );
    expect(pushed.body.errors).toBeUndefined();
    digest = pushed.body.data.pushPack.digest;
  });
  afterAll(() => t.close());

  it('gives an anonymous GET of a version by digest Cache-Control and an ETag, and 304 on a matching If-None-Match', async () => {
    const first = await get(t, { query: byDigest, variables: { n: name, v: digest } }, { token: null });
    expect(first.body.data.packVersion).toMatchObject({ version: '1.0.0', digest });
    expect(first.headers['cache-control']).toBe('max-age=86400, public');
    expect(first.headers.etag).toBeTruthy();
    // A shared cache keys on the token too: it never hands this answer to a request that carries one.
    expect(first.headers.vary).toMatch(/\bAuthorization\b/i);
    const again = await get(t, { query: byDigest, variables: { n: name, v: digest } }, { token: null, headers: { 'if-none-match': first.headers.etag } });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
  });

  it('caches by hash too (APQ over GET: a short URL a CDN can key on)', async () => {
    const hash = persistedQueryHash(byDigest);
    await get(t, { query: byDigest, variables: { n: name, v: digest }, extensions: apq(hash) }, { token: null });
    const hit = await get(t, { variables: { n: name, v: digest }, extensions: apq(hash) }, { token: null });
    expect(hit.body.data.packVersion.digest).toBe(digest);
    expect(hit.headers['cache-control']).toBe('max-age=86400, public');
  });

  it('keeps no-store on what may change or depends on the caller', async () => {
    const cases: Array<[string, Record<string, unknown>, string | null, 'GET' | 'POST']> = [
      // Mutable fields of the version: tags move, removal and forced pushes change it.
      ['query($n: String!, $v: String!) { packVersion(name: $n, version: $v) { digest tags } }', { n: name, v: digest }, null, 'GET'],
      // Another object's state.
      ['query($n: String!, $v: String!) { packVersion(name: $n, version: $v) { digest registry { name } } }', { n: name, v: digest }, null, 'GET'],
      // A version by tag or number: `latest` moves.
      [byDigest, { n: name, v: 'latest' }, null, 'GET'],
      // A digest not pushed (yet): null now, a version tomorrow.
      [byDigest, { n: name, v: `sha256:${'0'.repeat(64)}` }, null, 'GET'],
      // An authenticated caller: what it sees depends on its token.
      [byDigest, { n: name, v: digest }, t.adminToken, 'GET'],
      [byDigest, { n: name, v: digest }, null, 'POST'],
    ];
    for (const [query, variables, token, method] of cases) {
      const response = method === 'GET' ? await get(t, { query, variables }, { token }) : await post(t, { query, variables }, token);
      expect(response.body.errors).toBeUndefined();
      expect([query, variables.v, method, response.headers['cache-control']]).toEqual([query, variables.v, method, 'no-store']);
    }
  });
});
