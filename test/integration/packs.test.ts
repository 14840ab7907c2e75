import { readFile } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';
import { FULL_PACKS, PACK_CENTRAL, pushArchive, tarPack } from '../helpers/packs.js';
import { buildTarGz, minimalPackEntries } from '../helpers/tar-builder.js';
import { sha256File } from '../../src/platform/hashing.js';

const CREATE_HOSTED = 'mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }';

async function countObjects(t: TestApp): Promise<number> {
  let n = 0;
  for await (const _ of t.artifacts.list()) n++;
  return n;
}

describe('packs in hosted registries (PostgreSQL + S3)', () => {
  let t: TestApp;
  let registry: string;
  const archives = new Map<string, string>();

  beforeAll(async () => {
    t = await createTestApp({ s3: true });
    registry = uniqueName('team');
    await t.gql(CREATE_HOSTED, { i: { name: registry, kind: 'HOSTED', priority: 50 } });
    for (const folder of FULL_PACKS) archives.set(folder, await tarPack(path.join(PACK_CENTRAL, 'full', folder)));
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  it('pushes the ten full pack-central packs and pulls each back byte-identical', async () => {
    for (const folder of FULL_PACKS) {
      const archive = archives.get(folder)!;
      const { body } = await pushArchive(t.app, t.adminToken, registry, archive);
      expect(body.errors).toBeUndefined();
      const pushed = body.data.pushPack;
      const { digest, size } = await sha256File(archive);
      expect(pushed).toMatchObject({ digest, size, registry: { name: registry } });
      const download = await request(t.app)
        .get(`/artifacts/${digest.replace(':', '/')}`)
        .set('authorization', `Bearer ${t.adminToken}`)
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      expect(download.status).toBe(200);
      expect(download.headers.etag).toBe(`"${digest}"`);
      expect(Buffer.compare(download.body as Buffer, await readFile(archive))).toBe(0);
    }
    const listed = await t.gql('query($r: [String!]) { packs(first: 100, filter: { registry: $r }) { totalCount } }', { r: [registry] });
    expect(listed.body.data!.packs.totalCount).toBe(10);
  }, 60_000);

  it('serves byte ranges, 304 on a matching ETag, 404 for an unknown digest and 401 without a token', async () => {
    const archive = archives.get('crossplane-2.1.3')!;
    const { digest, size } = await sha256File(archive);
    const url = `/artifacts/${digest.replace(':', '/')}`;
    const auth = `Bearer ${t.adminToken}`;
    const part = await request(t.app).get(url).set('authorization', auth).set('range', 'bytes=10-19');
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 10-19/${size}`);
    expect(Number(part.headers['content-length'])).toBe(10);
    const notModified = await request(t.app).get(url).set('authorization', auth).set('if-none-match', `"${digest}"`);
    expect(notModified.status).toBe(304);
    const missing = await request(t.app).get(`/artifacts/sha256/${'0'.repeat(64)}`).set('authorization', auth);
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0].extensions.code).toBe('NOT_FOUND');
    const anonymous = await request(t.app).get(url);
    expect(anonymous.status).toBe(401);
  });

  it('treats the same digest as a no-op and another digest as CONFLICT unless forced with a message', async () => {
    const name = uniqueName('demo');
    const v1 = buildTarGz(minimalPackEntries(`${name}-1.0.0`, { 'pack.json': packJson(name, '1.0.0') }));
    const first = await pushArchive(t.app, t.adminToken, registry, v1);
    const again = await pushArchive(t.app, t.adminToken, registry, v1);
    expect(again.body.data.pushPack.id).toBe(first.body.data.pushPack.id);
    const changed = buildTarGz(
      minimalPackEntries(`${name}-1.0.0`, { 'pack.json': packJson(name, '1.0.0'), 'values.yaml': 'pack:\n  namespace: changed\n' }),
    );
    const conflict = await pushArchive(t.app, t.adminToken, registry, changed);
    expect(conflict.body.errors[0].extensions.code).toBe('CONFLICT');
    const noMessage = await pushArchive(t.app, t.adminToken, registry, changed, { force: true });
    expect(noMessage.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'message' });
    const forced = await pushArchive(t.app, t.adminToken, registry, changed, { force: true, message: 'fix namespace' });
    expect(forced.body.errors).toBeUndefined();
    expect(forced.body.data.pushPack.digest).not.toBe(first.body.data.pushPack.digest);
    const stored = await t.gql('query($n: String!) { packVersion(name: $n, version: "1.0.0") { message values } }', { n: name });
    expect(stored.body.data!.packVersion).toEqual({ message: 'fix namespace', values: 'pack:\n  namespace: changed\n' });
  });

  it('keeps exactly one version row and one object when twenty pushes of one version race', async () => {
    const name = uniqueName('race');
    const archive = buildTarGz(minimalPackEntries(`${name}-2.0.0`, { 'pack.json': packJson(name, '2.0.0') }));
    const before = await countObjects(t);
    const results = await Promise.all(Array.from({ length: 20 }, () => pushArchive(t.app, t.adminToken, registry, archive)));
    for (const r of results) expect(r.body.errors).toBeUndefined();
    expect(new Set(results.map((r) => r.body.data.pushPack.id)).size).toBe(1);
    const rows = await t.database.prisma.packVersion.count({ where: { version: '2.0.0', pack: { name } } });
    expect(rows).toBe(1);
    // One new object for the archive, whatever the number of pushes (minimal packs share one logo, stored before).
    expect((await countObjects(t)) - before).toBe(1);
  });

  it('refuses a hostile archive with every problem listed and leaves no object and no row', async () => {
    const name = uniqueName('evil');
    const hostile = buildTarGz([
      ...minimalPackEntries(`${name}-1.0.0`, { 'pack.json': packJson(name, '1.0.0') }),
      { path: '../escape.txt', body: 'x' },
      { path: `${name}-1.0.0/link`, type: 'symlink', linkpath: '/etc/passwd' },
    ]);
    const objects = await countObjects(t);
    const { body } = await pushArchive(t.app, t.adminToken, registry, hostile);
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const codes = body.errors[0].extensions.issues.map((i: { code: string }) => i.code);
    expect(codes).toEqual(expect.arrayContaining(['ARCHIVE_PATH_TRAVERSAL', 'ARCHIVE_LINK']));
    expect(await countObjects(t)).toBe(objects);
    expect(await t.database.prisma.pack.count({ where: { name } })).toBe(0);
    const garbage = await pushArchive(t.app, t.adminToken, registry, Buffer.from('not a tarball at all'));
    expect(garbage.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const badPack = await pushArchive(
      t.app,
      t.adminToken,
      registry,
      buildTarGz(minimalPackEntries(`${name}-1.0.0`, { 'pack.json': JSON.stringify({ name, version: 'v1', layer: 'nope' }) })),
    );
    const packIssues = badPack.body.errors[0].extensions.issues.map((i: { code: string; path: string }) => `${i.code} ${i.path}`);
    expect(packIssues.join('\n')).toMatch(/PACK_JSON_SCHEMA[\s\S]*displayName|displayName[\s\S]*PACK_JSON_SCHEMA/);
    expect(packIssues.join('\n')).toContain('VERSION_LEADING_V');
  });

  it('refuses an upload over MAX_UPLOAD_BYTES with PAYLOAD_TOO_LARGE and refuses pushes to upstream or default registries', async () => {
    const small = await createTestApp({ env: { MAX_UPLOAD_BYTES: '1024' } });
    try {
      const tiny = uniqueName('tiny');
      await small.gql(CREATE_HOSTED, { i: { name: tiny, kind: 'HOSTED' } });
      const objects = await countObjects(small);
      const big = await pushArchive(small.app, small.adminToken, tiny, Buffer.alloc(4096, 1));
      expect(big.body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
      expect(await small.database.prisma.packVersion.count({ where: { registry: { name: tiny } } })).toBe(0);
      expect(await countObjects(small)).toBe(objects);
    } finally {
      await small.close();
    }
    const toDefault = await pushArchive(t.app, t.adminToken, 'default', archives.get('spegel-0.0.18')!);
    expect(toDefault.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const nowhere = await pushArchive(t.app, t.adminToken, 'no-such-registry', archives.get('spegel-0.0.18')!);
    expect(nowhere.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('tags versions, resolves tags, parent tags and latest, and refuses to delete parent tags', async () => {
    const name = uniqueName('k8s');
    for (const version of ['1.29.4', '1.29.10', '1.30.2', '1.31.0-rc.1']) {
      const r = await pushArchive(t.app, t.adminToken, registry, buildTarGz(minimalPackEntries(`${name}-${version}`, { 'pack.json': packJson(name, version) })));
      expect(r.body.errors).toBeUndefined();
    }
    const tagged = await t.gql(
      'mutation($r: String!, $n: String!) { addPackTag(registry: $r, name: $n, version: "1.29.4", tag: "lts__1.29.4") { version tags } }',
      { r: registry, n: name },
    );
    expect(tagged.body.data!.addPackTag).toEqual({ version: '1.29.4', tags: ['lts__1.29.4'] });
    const resolve = async (ref: string) =>
      (await t.gql('query($n: String!, $v: String!) { packVersion(name: $n, version: $v) { version } }', { n: name, v: ref })).body.data!
        .packVersion?.version ?? null;
    expect(await resolve('lts__1.29.4')).toBe('1.29.4');
    expect(await resolve('1.29.x')).toBe('1.29.10');
    expect(await resolve('1.x')).toBe('1.30.2');
    expect(await resolve('latest')).toBe('1.30.2');
    expect(await resolve('1.31.0-rc.1')).toBe('1.31.0-rc.1');
    expect(await resolve('9.x')).toBeNull();
    const versions = await t.gql('query($n: String!) { pack(name: $n) { versions { version tags } latest { version } } }', { n: name });
    expect(versions.body.data!.pack.versions).toEqual([
      // No 1.31 release yet: its parent tag names the newest pre-release.
      { version: '1.31.0-rc.1', tags: ['1.31.x'] },
      { version: '1.30.2', tags: ['1.x', '1.30.x'] },
      { version: '1.29.10', tags: ['1.29.x'] },
      { version: '1.29.4', tags: ['lts__1.29.4'] },
    ]);
    const badTag = await t.gql('mutation($r: String!, $n: String!) { addPackTag(registry: $r, name: $n, version: "1.29.4", tag: "no group") { version } }', {
      r: registry,
      n: name,
    });
    expect(badTag.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'tag' });
    const parent = await t.gql('mutation($r: String!, $n: String!) { deletePackTag(registry: $r, name: $n, tag: "1.29.x") }', { r: registry, n: name });
    expect(parent.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    const removed = await t.gql('mutation($r: String!, $n: String!) { deletePackTag(registry: $r, name: $n, tag: "lts__1.29.4") }', { r: registry, n: name });
    expect(removed.body.data!.deletePackTag).toBe(true);
    expect(await resolve('lts__1.29.4')).toBeNull();
    const deleted = await t.gql('mutation($r: String!, $n: String!) { deletePackVersion(registry: $r, name: $n, version: "1.30.2") }', { r: registry, n: name });
    expect(deleted.body.data!.deletePackVersion).toBe(true);
    expect(await resolve('latest')).toBe('1.29.10');
    const again = await t.gql('mutation($r: String!, $n: String!) { deletePackVersion(registry: $r, name: $n, version: "1.30.2") }', { r: registry, n: name });
    expect(again.body.errors![0].extensions!.code).toBe('NOT_FOUND');
    // A missing version's answer names the closest ones the pack has there (the deleted one is gone).
    // 1.30.2 differs from each at its minor by 1: ties go newest first.
    expect(again.body.errors![0].message).toContain('Closest versions: 1.31.0-rc.1, 1.29.10, 1.29.4.');
    expect(again.body.errors![0].extensions!.closestVersions).toEqual(['1.31.0-rc.1', '1.29.10', '1.29.4']);
    const tagMissing = await t.gql('mutation($r: String!, $n: String!) { addPackTag(registry: $r, name: $n, version: "1.29.9", tag: "lts__x") { version } }', {
      r: registry,
      n: name,
    });
    expect(tagMissing.body.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', closestVersions: ['1.29.10', '1.29.4', '1.31.0-rc.1'] });
  });

  it('merges one pack name across registries, the highest priority the default', async () => {
    const low = uniqueName('low');
    await t.gql(CREATE_HOSTED, { i: { name: low, kind: 'HOSTED', priority: 1 } });
    const name = uniqueName('shared');
    const archive = buildTarGz(minimalPackEntries(`${name}-1.0.7`, { 'pack.json': packJson(name, '1.0.7') }));
    expect((await pushArchive(t.app, t.adminToken, low, archive)).body.errors).toBeUndefined();
    expect((await pushArchive(t.app, t.adminToken, registry, archive)).body.errors).toBeUndefined();
    const merged = await t.gql('query($n: String!) { pack(name: $n) { id registry { name } sources { name } versions { version registry { name } } } }', {
      n: name,
    });
    const pack = merged.body.data!.pack;
    expect(pack.registry.name).toBe(registry);
    expect(pack.sources.map((s: { name: string }) => s.name)).toEqual([registry, low]);
    expect(pack.versions).toEqual([
      { version: '1.0.7', registry: { name: registry } },
      { version: '1.0.7', registry: { name: low } },
    ]);
    const only = await t.gql('query($n: String!, $r: String!) { pack(name: $n, registry: $r) { sources { name } } }', { n: name, r: low });
    expect(only.body.data!.pack.sources).toEqual([{ name: low }]);
    const inLow = await t.gql('query($n: String!, $r: String!) { packVersion(name: $n, version: "1.0.7", registry: $r) { registry { name } } }', {
      n: name,
      r: low,
    });
    expect(inLow.body.data!.packVersion.registry.name).toBe(low);
  });

  it('filters and pages the catalog', async () => {
    const q = `query($f: PackFilter, $first: Int, $after: String) {
      packs(filter: $f, first: $first, after: $after) { totalCount edges { cursor node { name layer addonType cloudTypes } } pageInfo { hasNextPage endCursor } } }`;
    const names = async (f: Record<string, unknown>) =>
      (await t.gql(q, { f: { registry: [registry], ...f }, first: 100 })).body.data!.packs.edges.map((e: any) => e.node.name);
    expect(await names({ layer: ['CSI'] })).toEqual(['csi-nfs-subdir-external']);
    expect(await names({ layer: ['CNI'] })).toEqual([]);
    expect(await names({ search: 'CROSS' })).toEqual(['crossplane']);
    expect(await names({ search: 'Elastic' })).toEqual(['elastic-stack']);
    const aws = await names({ cloudType: 'aws' });
    expect(aws).toEqual(expect.arrayContaining(['crossplane', 'kubewatch', 'cni-multus']));
    expect(aws).not.toContain('lb-citrix-adc');
    const systemApps = await names({ addonType: 'SYSTEM APP' });
    expect(systemApps).toContain('crossplane');
    // Page through 3 at a time: every name once, in order.
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: any = (await t.gql(q, { f: { registry: [registry] }, first: 3, after })).body.data!.packs;
      seen.push(...page.edges.map((e: any) => e.node.name));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(await names({}));
    const tooMany = await t.gql(q, { first: 101 });
    expect(tooMany.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const badCursor = await t.gql(q, { first: 5, after: 'garbage' });
    expect(badCursor.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('hides deprecated packs unless asked', async () => {
    const name = uniqueName('old');
    const archive = buildTarGz(
      minimalPackEntries(`${name}-1.0.0`, {
        'pack.json': JSON.stringify({ ...JSON.parse(packJson(name, '1.0.0')), annotations: { system_state: 'deprecated' } }),
      }),
    );
    expect((await pushArchive(t.app, t.adminToken, registry, archive)).body.errors).toBeUndefined();
    const q = 'query($f: PackFilter) { packs(first: 100, filter: $f) { edges { node { name deprecated } } } }';
    const hidden = await t.gql(q, { f: { search: name } });
    expect(hidden.body.data!.packs.edges).toEqual([]);
    const shown = await t.gql(q, { f: { search: name, includeDeprecated: true } });
    expect(shown.body.data!.packs.edges).toEqual([{ node: { name, deprecated: true } }]);
  });

  it('exposes the pack details a client needs', async () => {
    const { body } = await t.gql(`{ packVersion(name: "crossplane", version: "2.1.3") {
      version digest size values readme charts manifests annotations presets schema
      constraints { dependencies { packName layer type minVersion maxVersion } resources { type minLimit } }
      downloadUrl pack { name displayName layer logoUrl } } }`);
    const v = body.data!.packVersion;
    expect(v.charts).toEqual(['charts/crossplane-2.1.3.tgz']);
    expect(v.values).toContain('crossplane-system');
    expect(v.readme).toBeTruthy();
    expect(v.annotations).toEqual({ source: 'community', contributor: 'spectrocloud' });
    expect(v.constraints.dependencies).toEqual([{ packName: 'kubernetes', layer: 'K8S', type: 'OPTIONAL', minVersion: '1.27', maxVersion: null }]);
    expect(v.constraints.resources).toEqual([{ type: 'cpu', minLimit: 100 }, { type: 'memory', minLimit: 256 }]);
    expect(v.downloadUrl).toMatch(new RegExp(`/artifacts/sha256/${v.digest.slice(7)}$`));
    expect(v.pack.logoUrl).toMatch(/\/artifacts\/sha256\/[0-9a-f]{64}$/);
  });

  it('answers a page of packs with versions and registries in a constant number of SQL statements', async () => {
    const q = `query($first: Int) { packs(first: $first) { edges { node { name displayName registry { name priority }
      sources { name } versions { version digest tags registry { name } } latest { version } } } } }`;
    const counts: number[] = [];
    for (const first of [2, 10, 50]) {
      t.takeQueryCount();
      const { body } = await t.gql(q, { first });
      expect(body.errors).toBeUndefined();
      counts.push(t.takeQueryCount());
    }
    expect(counts[0]).toBeGreaterThan(0);
    expect(new Set(counts).size).toBe(1);
    process.stdout.write(`[integration] SQL statements per packs page: ${counts.join(', ')}\n`);
  });
});

function packJson(name: string, version: string): string {
  return JSON.stringify({ name, displayName: name, version, layer: 'addon', cloudTypes: ['all'], charts: ['charts/demo-1.0.0.tgz'] });
}

describe('concurrent tagging', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('sets the same new tag from ten callers at once without an error', async () => {
    const registry = uniqueName('tags');
    await t.gql(CREATE_HOSTED, { i: { name: registry, kind: 'HOSTED' } });
    const name = uniqueName('tagged');
    const pushed = await pushArchive(t.app, t.adminToken, registry, buildTarGz(minimalPackEntries(`${name}-1.0.0`, { 'pack.json': packJson(name, '1.0.0') })));
    expect(pushed.body.errors).toBeUndefined();
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        t.gql('mutation($r: String!, $n: String!) { addPackTag(registry: $r, name: $n, version: "1.0.0", tag: "soak__a") { tags } }', { r: registry, n: name }),
      ),
    );
    for (const r of results) expect(r.body.errors).toBeUndefined();
    expect(await t.database.prisma.packTag.count({ where: { tag: 'soak__a', pack: { name } } })).toBe(1);
  });
});

describe('an interrupted upload', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('is the client going away, not a server fault: nothing stored, no internal error', async () => {
    const { createServer } = await import('node:http');
    const server = createServer(t.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const registry = uniqueName('cut');
    await t.gql(CREATE_HOSTED, { i: { name: registry, kind: 'HOSTED' } });
    const { connect } = await import('node:net');
    const boundary = 'cutboundary';
    const head =
      `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n` +
      JSON.stringify({ query: 'mutation($a: Upload!) { pushPack(registry: "' + registry + '", archive: $a) { version } }', variables: { a: null } }) +
      `\r\n--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.a"]}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="p.tar.gz"\r\nContent-Type: application/gzip\r\n\r\n`;
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${t.adminToken}\r\napollo-require-preflight: true\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 10000000\r\n\r\n${head}`,
    );
    socket.write(Buffer.alloc(64 * 1024, 7));
    await new Promise((resolve) => setTimeout(resolve, 300));
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 700));
    const metrics = await request(t.app).get('/metrics');
    expect(metrics.text).not.toMatch(/packcatalog_graphql_errors_total\{code="INTERNAL_SERVER_ERROR"\}/);
    expect(t.logs()).not.toContain('unexpected error in GraphQL request');
    expect(await t.database.prisma.packVersion.count({ where: { registry: { name: registry } } })).toBe(0);
    expect((await t.gql('{ registries { name } }')).body.errors).toBeUndefined();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
