/** Issue 6: who may do what, the limits, secrets kept out of logs, the audit trail, and fuzzed input. */
import request from 'supertest';
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';
import { fromGlobalId } from '../../src/graphql/node.js';
import { FULL_PACKS, PACK_CENTRAL, pushArchive, tarPack, PUSH_PACK } from '../helpers/packs.js';
import { buildTarGz, minimalPackEntries, buildGzipBomb } from '../helpers/tar-builder.js';
import path from 'node:path';

type Who = 'anonymous' | 'viewer' | 'publisherElsewhere' | 'publisher' | 'admin';
type Expect = 'OK' | 'UNAUTHENTICATED' | 'FORBIDDEN';
const WHO: Who[] = ['anonymous', 'viewer', 'publisherElsewhere', 'publisher', 'admin'];

const READ: Record<Who, Expect> = { anonymous: 'UNAUTHENTICATED', viewer: 'OK', publisherElsewhere: 'OK', publisher: 'OK', admin: 'OK' };
const PUBLISH: Record<Who, Expect> = { anonymous: 'UNAUTHENTICATED', viewer: 'FORBIDDEN', publisherElsewhere: 'FORBIDDEN', publisher: 'OK', admin: 'OK' };
/** Profiles are not scoped to registries: any publisher may create them. */
const PROFILE_CREATE: Record<Who, Expect> = { anonymous: 'UNAUTHENTICATED', viewer: 'FORBIDDEN', publisherElsewhere: 'OK', publisher: 'OK', admin: 'OK' };
const ADMIN_ONLY: Record<Who, Expect> = { anonymous: 'UNAUTHENTICATED', viewer: 'FORBIDDEN', publisherElsewhere: 'FORBIDDEN', publisher: 'FORBIDDEN', admin: 'OK' };

function packJson(name: string, version: string): string {
  return JSON.stringify({ name, displayName: name, version, layer: 'addon', cloudTypes: ['all'], charts: ['charts/demo-1.0.0.tgz'] });
}

describe('security', () => {
  let t: TestApp;
  let registry: string;
  let other: string;
  const tokens = {} as Record<Who, string | null>;
  let crossplane: string;

  const createToken = async (name: string, role: string, registries?: string[]) => {
    const { body } = await t.gql(
      'mutation($n: String!, $r: Role!, $g: [String!]) { createApiToken(name: $n, role: $r, registries: $g) { token apiToken { id } } }',
      { n: name, r: role, g: registries },
    );
    return body.data!.createApiToken as { token: string; apiToken: { id: string } };
  };

  /** Pushes a fresh small pack as admin and returns its name. */
  const seedPack = async () => {
    const name = uniqueName('p');
    const r = await pushArchive(t.app, t.adminToken, registry, buildTarGz(minimalPackEntries(`${name}-1.0.0`, { 'pack.json': packJson(name, '1.0.0') })));
    expect(r.body.errors).toBeUndefined();
    return name;
  };

  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    registry = uniqueName('sec');
    other = uniqueName('other');
    for (const name of [registry, other]) {
      await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name, kind: 'HOSTED' } });
    }
    tokens.anonymous = null;
    tokens.admin = t.adminToken;
    tokens.viewer = (await createToken(uniqueName('viewer'), 'VIEWER')).token;
    tokens.publisher = (await createToken(uniqueName('pub'), 'PUBLISHER', [registry])).token;
    tokens.publisherElsewhere = (await createToken(uniqueName('pub-other'), 'PUBLISHER', [other])).token;
    crossplane = await tarPack(path.join(PACK_CENTRAL, 'full', 'crossplane-2.1.3'));
    expect((await pushArchive(t.app, t.adminToken, registry, crossplane)).body.errors).toBeUndefined();
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  interface Case {
    name: string;
    expected: Record<Who, Expect>;
    run(who: Who): Promise<{ errors?: Array<{ extensions?: Record<string, any> }> }>;
  }

  const gqlAs = async (who: Who, query: string, variables: Record<string, unknown> = {}) => (await t.gql(query, variables, tokens[who])).body;

  const profileInput = (name: string, version = '1.0.0') => ({
    name,
    version,
    type: 'CLUSTER',
    cloudType: 'aws',
    layers: [
      { pack: 'ubuntu', version: '22.04' },
      { pack: 'kubernetes', version: '1.31.2' },
      { pack: 'cni-calico', version: '3.28.2' },
      { pack: 'csi-longhorn', version: '1.7.2' },
    ],
  });
  const CREATE_PROFILE = 'mutation($i: ProfileInput!) { createProfile(input: $i) { id } }';
  const seedProfile = async () => {
    const name = uniqueName('prof');
    const created = await t.gql(CREATE_PROFILE, { i: profileInput(name) });
    expect(created.body.errors).toBeUndefined();
    return name;
  };

  const cases: Case[] = [
    { name: 'registries', expected: READ, run: (w) => gqlAs(w, '{ registries { name } }') },
    { name: 'registry', expected: READ, run: (w) => gqlAs(w, '{ registry(name: "default") { name } }') },
    { name: 'packs', expected: READ, run: (w) => gqlAs(w, '{ packs(first: 5) { totalCount } }') },
    { name: 'pack', expected: READ, run: (w) => gqlAs(w, '{ pack(name: "crossplane") { name } }') },
    { name: 'packVersion', expected: READ, run: (w) => gqlAs(w, '{ packVersion(name: "crossplane", version: "latest") { digest } }') },
    { name: 'apiTokens', expected: ADMIN_ONLY, run: (w) => gqlAs(w, '{ apiTokens { id } }') },
    { name: 'auditEvents', expected: ADMIN_ONLY, run: (w) => gqlAs(w, '{ auditEvents(first: 5) { totalCount } }') },
    { name: 'profiles', expected: READ, run: (w) => gqlAs(w, '{ profiles { name } }') },
    { name: 'profile', expected: READ, run: async (w) => gqlAs(w, 'query($n: String!) { profile(name: $n) { name } }', { n: await seedProfile() }) },
    {
      name: 'validateProfile',
      expected: READ,
      run: (w) => gqlAs(w, 'query($i: ProfileInput!) { validateProfile(input: $i) { valid } }', { i: profileInput(uniqueName('v')) }),
    },
    {
      name: 'profileUpgradePlan',
      expected: READ,
      run: async (w) =>
        gqlAs(w, 'query($n: String!) { profileUpgradePlan(name: $n, fromVersion: "1.0.0", toVersion: "1.0.0") { allowed } }', { n: await seedProfile() }),
    },
    { name: 'createProfile', expected: PROFILE_CREATE, run: (w) => gqlAs(w, CREATE_PROFILE, { i: profileInput(uniqueName('c')) }) },
    // The admin seeds these profiles, so they belong to "admin": no publisher's team or name (see profile-ownership.test.ts).
    {
      name: 'updateProfile',
      expected: ADMIN_ONLY,
      run: async (w) => {
        const name = await seedProfile();
        return gqlAs(w, 'mutation($n: String!, $i: ProfileInput!) { updateProfile(name: $n, version: "1.0.0", input: $i) { id } }', {
          n: name,
          i: profileInput(name),
        });
      },
    },
    {
      name: 'cloneProfile',
      expected: ADMIN_ONLY,
      run: async (w) =>
        gqlAs(w, 'mutation($n: String!) { cloneProfile(name: $n, version: "1.0.0", newVersion: "1.1.0") { id } }', { n: await seedProfile() }),
    },
    {
      name: 'deleteProfile',
      expected: ADMIN_ONLY,
      run: async (w) => gqlAs(w, 'mutation($n: String!) { deleteProfile(name: $n, version: "1.0.0") }', { n: await seedProfile() }),
    },
    {
      name: 'syncRegistry',
      expected: ADMIN_ONLY,
      run: async (w) => {
        const name = uniqueName('dir');
        await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', {
          i: { name, kind: 'DIRECTORY', endpoint: path.join(PACK_CENTRAL, 'full') },
        });
        return gqlAs(w, 'mutation($n: String!) { syncRegistry(name: $n) { state } }', { n: name });
      },
    },
    {
      name: 'createRegistry',
      expected: ADMIN_ONLY,
      run: (w) => gqlAs(w, 'mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name: uniqueName('r'), kind: 'HOSTED' } }),
    },
    {
      name: 'updateRegistry',
      expected: ADMIN_ONLY,
      run: (w) => gqlAs(w, 'mutation($n: String!) { updateRegistry(name: $n, input: { priority: 7 }) { name } }', { n: other }),
    },
    {
      name: 'deleteRegistry',
      expected: ADMIN_ONLY,
      run: async (w) => {
        const name = uniqueName('del');
        await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name, kind: 'HOSTED' } });
        return gqlAs(w, 'mutation($n: String!) { deleteRegistry(name: $n) }', { n: name });
      },
    },
    {
      name: 'pushPack',
      expected: PUBLISH,
      run: async (w) => {
        const name = uniqueName('push');
        const archive = buildTarGz(minimalPackEntries(`${name}-1.0.0`, { 'pack.json': packJson(name, '1.0.0') }));
        return (await pushArchiveAs(w, archive)).body;
      },
    },
    {
      name: 'addPackTag',
      expected: PUBLISH,
      run: async (w) => {
        const name = await seedPack();
        return gqlAs(w, 'mutation($r: String!, $n: String!) { addPackTag(registry: $r, name: $n, version: "1.0.0", tag: "lts__1.0.0") { version } }', { r: registry, n: name });
      },
    },
    {
      name: 'deletePackTag',
      expected: PUBLISH,
      run: async (w) => {
        const name = await seedPack();
        await t.gql('mutation($r: String!, $n: String!) { addPackTag(registry: $r, name: $n, version: "1.0.0", tag: "lts__1.0.0") { version } }', { r: registry, n: name });
        return gqlAs(w, 'mutation($r: String!, $n: String!) { deletePackTag(registry: $r, name: $n, tag: "lts__1.0.0") }', { r: registry, n: name });
      },
    },
    {
      name: 'deletePackVersion',
      expected: PUBLISH,
      run: async (w) => {
        const name = await seedPack();
        return gqlAs(w, 'mutation($r: String!, $n: String!) { deletePackVersion(registry: $r, name: $n, version: "1.0.0") }', { r: registry, n: name });
      },
    },
    {
      name: 'createApiToken',
      expected: ADMIN_ONLY,
      run: (w) => gqlAs(w, 'mutation($n: String!) { createApiToken(name: $n, role: VIEWER) { token } }', { n: uniqueName('t') }),
    },
    {
      name: 'revokeApiToken',
      expected: ADMIN_ONLY,
      run: async (w) => {
        const { apiToken } = await createToken(uniqueName('victim'), 'VIEWER');
        return gqlAs(w, 'mutation($id: ID!) { revokeApiToken(id: $id) }', { id: apiToken.id });
      },
    },
  ];

  const pushArchiveAs = (who: Who, archive: Buffer) => {
    const token = tokens[who];
    if (token) return pushArchive(t.app, token, registry, archive);
    return request(t.app)
      .post('/graphql')
      .set('apollo-require-preflight', 'true')
      .field('operations', JSON.stringify({ query: PUSH_PACK, variables: { registry, archive: null } }))
      .field('map', JSON.stringify({ 0: ['variables.archive'] }))
      .attach('0', archive, { filename: 'p.tar.gz', contentType: 'application/gzip' })
      .then((r) => ({ status: r.status, body: r.body }));
  };

  it('answers every operation for every kind of caller as the role matrix says', async () => {
    const table: string[] = [];
    for (const c of cases) {
      for (const who of WHO) {
        const body = await c.run(who);
        const code = body.errors?.[0]?.extensions?.code ?? 'OK';
        table.push(`${c.name} ${who} ${code}`);
      }
    }
    const expected = cases.flatMap((c) => WHO.map((who) => `${c.name} ${who} ${c.expected[who]}`));
    expect(table).toEqual(expected);
  }, 60_000);

  it('refuses artifact downloads without a token and serves them to a viewer', async () => {
    const { body } = await t.gql('{ packVersion(name: "crossplane", version: "2.1.3") { downloadUrl } }');
    const url = new URL(body.data!.packVersion.downloadUrl).pathname;
    expect((await request(t.app).get(url)).status).toBe(401);
    expect((await request(t.app).get(url).set('authorization', `Bearer ${tokens.viewer}`)).status).toBe(200);
  });

  it('tells the caller who they are', async () => {
    const me = await gqlAs('publisher', '{ me { name role registries } }');
    expect(me.data!.me).toMatchObject({ role: 'PUBLISHER', registries: [registry] });
    expect((await gqlAs('anonymous', '{ me { name } }')).data!.me).toBeNull();
  });

  it('stores only a hash of each token, shows the secret once, and stops honouring revoked and expired tokens', async () => {
    const created = await createToken(uniqueName('short'), 'VIEWER');
    expect(created.token).toMatch(/^pkc_[A-Za-z0-9_-]{43}$/); // 256 random bits
    const row = await t.database.prisma.apiToken.findUniqueOrThrow({ where: { id: fromGlobalId(created.apiToken.id)!.key } });
    expect(JSON.stringify(row)).not.toContain(created.token);
    const listed = await t.gql('{ apiTokens { id prefix lastUsedAt } }');
    expect(JSON.stringify(listed.body)).not.toContain(created.token);
    expect((await t.gql('{ me { role } }', {}, created.token)).body.data!.me.role).toBe('VIEWER');
    const used = await t.gql('{ apiTokens { id lastUsedAt } }');
    expect(used.body.data!.apiTokens.find((x: { id: string }) => x.id === created.apiToken.id).lastUsedAt).not.toBeNull();
    await t.gql('mutation($id: ID!) { revokeApiToken(id: $id) }', { id: created.apiToken.id });
    const revoked = await t.gql('{ registries { name } }', {}, created.token);
    expect(revoked.status).toBe(401);
    expect(revoked.body.errors![0].extensions!.code).toBe('UNAUTHENTICATED');

    const expiring = await t.gql(
      'mutation($n: String!, $e: DateTime) { createApiToken(name: $n, role: VIEWER, expiresAt: $e) { token } }',
      { n: uniqueName('exp'), e: new Date(Date.now() + 1500).toISOString() },
    );
    const secret = expiring.body.data!.createApiToken.token;
    expect((await t.gql('{ me { role } }', {}, secret)).body.data!.me.role).toBe('VIEWER');
    await new Promise((r) => setTimeout(r, 1700));
    expect((await t.gql('{ me { role } }', {}, secret)).body.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    const past = await t.gql('mutation($e: DateTime) { createApiToken(name: "past", role: VIEWER, expiresAt: $e) { token } }', {
      e: new Date(Date.now() - 1000).toISOString(),
    });
    expect(past.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'expiresAt' });
  });

  it('writes an audit event for every mutation, with who, what, target and outcome', async () => {
    const name = uniqueName('audited');
    const archive = buildTarGz(minimalPackEntries(`${name}-1.0.0`, { 'pack.json': packJson(name, '1.0.0') }));
    await pushArchive(t.app, tokens.publisher!, registry, archive);
    await pushArchive(t.app, tokens.publisherElsewhere!, registry, archive);
    const events = await t.gql(
      'query($f: AuditEventFilter) { auditEvents(first: 2, filter: $f) { totalCount edges { node { actor action target outcome message details at } } } }',
      // This file's registry only: files running beside it push too.
      { f: { action: 'pushPack', target: registry } },
    );
    const me = async (who: Who) => (await gqlAs(who, '{ me { name } }')).data!.me.name;
    const nodes = events.body.data!.auditEvents.edges.map((e: any) => e.node);
    expect(nodes).toEqual([
      // Refused before the archive was read: the target is the registry it tried.
      expect.objectContaining({ actor: await me('publisherElsewhere'), outcome: 'FAILURE', target: registry, message: expect.stringMatching(/^FORBIDDEN/) }),
      expect.objectContaining({ actor: await me('publisher'), outcome: 'SUCCESS', target: `${registry}/${name}:1.0.0` }),
    ]);
    const failures = await t.gql('{ auditEvents(first: 100, filter: { outcome: FAILURE }) { totalCount } }');
    expect(failures.body.data!.auditEvents.totalCount).toBeGreaterThan(10); // the matrix's refusals are there too
    const page1 = await t.gql('{ auditEvents(first: 2) { edges { node { id } } pageInfo { endCursor hasNextPage } } }');
    const page2 = await t.gql('query($a: String) { auditEvents(first: 2, after: $a) { edges { node { id } } } }', {
      a: page1.body.data!.auditEvents.pageInfo.endCursor,
    });
    const ids = [...page1.body.data!.auditEvents.edges, ...page2.body.data!.auditEvents.edges].map((e: any) => e.node.id);
    expect(new Set(ids).size).toBe(4);
  });

  it('keeps tokens and upstream credentials out of logs, errors and the audit trail', async () => {
    const secretPassword = `pw-${uniqueName('x')}`;
    const created = await createToken(uniqueName('logged'), 'VIEWER');
    await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', {
      i: { name: uniqueName('up'), kind: 'HELM', endpoint: 'http://127.0.0.1:9', credentials: { username: 'u', password: secretPassword } },
    });
    await t.gql('{ me { name } }', {}, created.token);
    await t.gql('{ me { name } }', {}, `${created.token}x`);
    const audit = await t.gql('{ auditEvents(first: 100) { edges { node { details message } } } }');
    const everything = t.logs() + JSON.stringify(audit.body);
    expect(everything).not.toContain(secretPassword);
    expect(everything).not.toContain(created.token);
    expect(everything).not.toContain(t.adminToken);
  });

  it('enforces the request limits', async () => {
    const firstTooBig = await t.gql('{ packs(first: 1000) { totalCount } }');
    expect(firstTooBig.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const complex = await t.gql('{ packs(first: 100) { edges { node { versions { tags registry { sync { runs(last: 100) { errors { item } } } } } } } } }');
    expect(complex.status).toBe(400);
    expect(complex.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'query' });
    const twoFiles = await request(t.app)
      .post('/graphql')
      .set('authorization', `Bearer ${t.adminToken}`)
      .set('apollo-require-preflight', 'true')
      .field('operations', JSON.stringify({ query: PUSH_PACK, variables: { registry, archive: null } }))
      .field('map', JSON.stringify({ 0: ['variables.archive'], 1: ['variables.other'] }))
      .attach('0', Buffer.from('a'), 'a.tgz')
      .attach('1', Buffer.from('b'), 'b.tgz');
    expect(twoFiles.status).toBe(413);
    expect(twoFiles.body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('rate limits per token with 429 and Retry-After', async () => {
    const limited = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '5' } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await limited.gql('{ me { name } }')).status);
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      const refused = await request(limited.app)
        .post('/graphql')
        .set('authorization', `Bearer ${limited.adminToken}`)
        .set('content-type', 'application/json')
        .send({ query: '{ me { name } }' });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(refused.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });

  it('switches introspection and the IDE off for production, configures CORS and sends security headers', async () => {
    const prod = await createTestApp({ env: { NODE_ENV: 'production', CORS_ORIGINS: 'https://console.example.com' } });
    try {
      const introspection = await prod.gql('{ __schema { queryType { name } } }');
      expect(introspection.body.errors![0].message).toMatch(/introspection/i);
      expect((await request(prod.app).get('/ide')).status).toBe(404);
      const allowed = await request(prod.app).options('/graphql').set('origin', 'https://console.example.com').set('access-control-request-method', 'POST');
      expect(allowed.headers['access-control-allow-origin']).toBe('https://console.example.com');
      const denied = await request(prod.app).options('/graphql').set('origin', 'https://evil.example.com').set('access-control-request-method', 'POST');
      expect(denied.headers['access-control-allow-origin']).toBeUndefined();
      const headers = (await request(prod.app).get('/healthz').set('x-forwarded-proto', 'https')).headers;
      expect(headers['x-content-type-options']).toBe('nosniff');
      // Over https only (behind the trusted proxy); plain http gets none (test/integration/web-console.test.ts).
      expect(headers['strict-transport-security']).toBeDefined();
      expect(headers['x-powered-by']).toBeUndefined();
    } finally {
      await prod.close();
    }
  });

  it('allows anonymous reads only when switched on, never anonymous writes', async () => {
    const open = await createTestApp({ env: { ALLOW_ANONYMOUS_READ: 'true' } });
    try {
      expect((await open.gql('{ registries { name } }', {}, null)).body.data!.registries.length).toBeGreaterThan(0);
      const write = await open.gql('mutation { createRegistry(input: { name: "anon", kind: HOSTED }) { name } }', {}, null);
      expect(write.body.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    } finally {
      await open.close();
    }
  });

  it('survives a bounded fuzz run of malformed documents, multipart bodies and hostile archives without a 5xx', async () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
    const fragments = ['{', '}', 'query', 'mutation', 'packs', '(first: ', '"', '$x', '...', 'fragment', 'on', '@skip', '\\u0000', '1e999', 'registries', ':', '[', ']'];
    const statuses: Array<{ status: number; input: string }> = [];
    for (let i = 0; i < 150; i++) {
      const doc = Array.from({ length: 1 + Math.floor(random() * 12) }, () => pick(fragments)).join(' ');
      const body = pick([
        JSON.stringify({ query: doc }),
        JSON.stringify({ query: doc, variables: pick(['null', '[]', '{"x": {"y": 1}}']) }),
        `{"query": ${JSON.stringify(doc)}`,
        JSON.stringify([{ query: doc }]),
        JSON.stringify({ query: 42 }),
      ]);
      const r = await request(t.app).post('/graphql').set('authorization', `Bearer ${t.adminToken}`).set('content-type', 'application/json').send(body);
      statuses.push({ status: r.status, input: body });
    }
    const multipartBodies = [
      { operations: '{bad json', map: '{}' },
      { operations: JSON.stringify({ query: PUSH_PACK, variables: { registry, archive: null } }), map: '{"0": ["variables.nope.deeper"]}' },
      { operations: JSON.stringify({ query: PUSH_PACK, variables: { registry, archive: null } }), map: 'not json' },
      { operations: JSON.stringify({ query: PUSH_PACK, variables: { registry, archive: null } }), map: '{"0": ["variables.archive"]}' },
    ];
    for (const m of multipartBodies) {
      const r = await request(t.app)
        .post('/graphql')
        .set('authorization', `Bearer ${t.adminToken}`)
        .set('apollo-require-preflight', 'true')
        .field('operations', m.operations)
        .field('map', m.map);
      statuses.push({ status: r.status, input: JSON.stringify(m) });
    }
    const raw = await request(t.app)
      .post('/graphql')
      .set('authorization', `Bearer ${t.adminToken}`)
      .set('apollo-require-preflight', 'true')
      .set('content-type', 'multipart/form-data; boundary=xyz')
      .send('--xyz\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query"');
    statuses.push({ status: raw.status, input: 'truncated multipart' });
    const hostile = [
      await buildGzipBomb(20 * 1024 * 1024),
      buildTarGz([{ path: '/etc/passwd', body: 'x' }]),
      buildTarGz([{ path: 'a', type: 'char' }]),
      Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02]),
    ];
    for (const archive of hostile) {
      const r = await pushArchive(t.app, t.adminToken, registry, archive);
      statuses.push({ status: r.status, input: `archive ${archive.subarray(0, 8).toString('hex')}` });
      if (r.body.errors) expect(['BAD_USER_INPUT', 'PAYLOAD_TOO_LARGE']).toContain(r.body.errors[0].extensions.code);
    }
    expect(statuses.filter((s) => s.status >= 500)).toEqual([]);
    expect((await t.gql('{ registries { name } }')).body.data!.registries.length).toBeGreaterThan(0);
  }, 60_000);

  it('can still push one of the full packs as the scoped publisher', async () => {
    const archive = await tarPack(path.join(PACK_CENTRAL, 'full', FULL_PACKS[4]));
    const ok = await pushArchive(t.app, tokens.publisher!, registry, archive);
    expect(ok.body.errors).toBeUndefined();
    const refused = await pushArchive(t.app, tokens.publisher!, other, archive);
    expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });
});
