/** The OCI distribution API over createApp(): the spec's error JSON, pagination, ranges, uploads, mounts, pushes. */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import path from 'node:path';
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import { createTestApp, createToken, uniqueName, type TestApp } from '../helpers/test-app.js';
import { buildTarGz, minimalPackEntries } from '../helpers/tar-builder.js';
import { PACK_CENTRAL, pushArchive, tarPack } from '../helpers/packs.js';
import { createScratchDatabase, createUpstreamRegistry, download, listedVersions, syncViaApi } from '../helpers/federation.js';

const EMPTY_CONFIG = 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';
const MAX_UPLOAD = 1024 * 1024;

function sha256(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function basic(token: string): string {
  return `Basic ${Buffer.from(`someone:${token}`).toString('base64')}`;
}

/** A valid pack tarball named `name` at `version`; `flavour` changes its bytes. */
function packTarball(name: string, version: string, flavour = ''): Buffer {
  return buildTarGz(
    minimalPackEntries(`${name}-${version}`, {
      'pack.json': JSON.stringify({ name, displayName: name, version, layer: 'addon', cloudTypes: ['all'], charts: [] }),
      'values.yaml': `pack:\n  namespace: ${name}\n${flavour}`,
      'charts/demo-1.0.0.tgz': undefined,
    }),
  );
}

/** Sent as a string: superagent turns a Buffer with a `+json` content type into the JSON of the Buffer object. */
function manifestFor(layer: Buffer, title: string, extra: object = {}): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.unknown.config.v1+json', digest: EMPTY_CONFIG, size: 2 },
      layers: [
        { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(layer), size: layer.length, annotations: { 'org.opencontainers.image.title': title } },
      ],
      annotations: { 'org.opencontainers.image.created': '2026-01-01T00:00:00Z' },
      ...extra,
    }),
  );
}

const binary = (res: any, cb: (err: Error | null, body: any) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('OCI distribution API (PostgreSQL + S3)', () => {
  let t: TestApp;
  let registry: string;
  let viewer: string;
  let publisher: string;

  const repo = (pack: string, reg = registry) => `/v2/${reg}/spectro-packs/archive/${pack}`;
  const as = (token: string) => ({
    get: (url: string) => request(t.app).get(url).set('authorization', basic(token)),
    head: (url: string) => request(t.app).head(url).set('authorization', basic(token)),
    post: (url: string) => request(t.app).post(url).set('authorization', basic(token)),
    patch: (url: string) => request(t.app).patch(url).set('authorization', basic(token)),
    put: (url: string) => request(t.app).put(url).set('authorization', basic(token)),
    delete: (url: string) => request(t.app).delete(url).set('authorization', basic(token)),
  });

  /** Uploads a blob in one POST, then puts a manifest for it under `tag`. */
  async function pushPack(token: string, pack: string, tag: string, tarball: Buffer, reg = registry) {
    const blob = await as(token)
      .post(`${repo(pack, reg)}/blobs/uploads/?digest=${sha256(tarball)}`)
      .set('content-type', 'application/octet-stream')
      .send(tarball);
    if (blob.status !== 201) return blob;
    return as(token)
      .put(`${repo(pack, reg)}/manifests/${tag}`)
      .set('content-type', 'application/vnd.oci.image.manifest.v1+json')
      .send(manifestFor(tarball, `${pack}-${tag}.tar.gz`).toString());
  }

  beforeAll(async () => {
    t = await createTestApp({ s3: true, env: { MAX_UPLOAD_BYTES: String(MAX_UPLOAD) } });
    registry = uniqueName('oci');
    await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name: registry, kind: 'HOSTED' } });
    viewer = await createToken(t, 'VIEWER', []);
    publisher = await createToken(t, 'PUBLISHER', [registry]);
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  it('challenges anonymous and bad credentials, accepts a token as Basic password or Bearer', async () => {
    const anonymous = await request(t.app).get('/v2/');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Basic realm="pack-catalog"');
    expect(anonymous.body).toEqual({ errors: [expect.objectContaining({ code: 'UNAUTHORIZED' })] });
    const bad = await request(t.app).get('/v2/').set('authorization', basic('pkc_nope'));
    expect(bad.status).toBe(401);
    expect(bad.body.errors[0].code).toBe('UNAUTHORIZED');
    const ok = await as(viewer).get('/v2/');
    expect(ok.status).toBe(200);
    expect(ok.headers['docker-distribution-api-version']).toBe('registry/2.0');
    const token = await as(viewer).get('/v2/token?service=pack-catalog&scope=repository:x:pull');
    expect(token.body.token).toBe(viewer);
    expect((await request(t.app).get('/v2/').set('authorization', `Bearer ${token.body.token}`)).status).toBe(200);
    expect((await request(t.app).get('/v2/token')).status).toBe(401);
  });

  it('pushes a pack monolithically and serves it: tags, manifest by tag and digest, blobs with ranges', async () => {
    const tarball = packTarball('alpha', '1.0.0');
    const put = await pushPack(publisher, 'alpha', '1.0.0', tarball);
    expect(put.status).toBe(201);
    const pushedManifest = manifestFor(tarball, 'alpha-1.0.0.tar.gz');
    expect(put.headers['docker-content-digest']).toBe(sha256(pushedManifest));

    const version = await t.gql('query($r: String) { packVersion(name: "alpha", version: "1.0.0", registry: $r) { digest } }', { r: registry });
    expect(version.body.data!.packVersion.digest).toBe(sha256(tarball));

    const manifest = await as(viewer).get(`${repo('alpha')}/manifests/1.0.0`).buffer(true).parse(binary);
    expect(manifest.status).toBe(200);
    expect(manifest.headers['content-type']).toBe('application/vnd.oci.image.manifest.v1+json');
    const digest = manifest.headers['docker-content-digest'];
    expect(digest).toBe(sha256(manifest.body));
    expect(JSON.parse(manifest.body.toString()).layers[0]).toEqual({
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      digest: sha256(tarball),
      size: tarball.length,
      annotations: { 'org.opencontainers.image.title': 'alpha-1.0.0.tar.gz' },
    });
    // The pushed manifest (with its creation time) still pulls by the digest the client was given.
    const byPushedDigest = await as(viewer).get(`${repo('alpha')}/manifests/${sha256(pushedManifest)}`).buffer(true).parse(binary);
    expect(byPushedDigest.status).toBe(200);
    expect(byPushedDigest.body.equals(pushedManifest)).toBe(true);
    const head = await as(viewer).head(`${repo('alpha')}/manifests/${digest}`);
    expect(head.status).toBe(200);
    expect(head.headers['docker-content-digest']).toBe(digest);
    expect(head.headers['content-length']).toBe(String(manifest.body.length));

    const whole = await as(viewer).get(`${repo('alpha')}/blobs/${sha256(tarball)}`).buffer(true).parse(binary);
    expect(whole.status).toBe(200);
    expect(whole.body.equals(tarball)).toBe(true);
    const part = await as(viewer).get(`${repo('alpha')}/blobs/${sha256(tarball)}`).set('range', 'bytes=10-19').buffer(true).parse(binary);
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 10-19/${tarball.length}`);
    expect(part.body.equals(tarball.subarray(10, 20))).toBe(true);
    const past = await as(viewer).get(`${repo('alpha')}/blobs/${sha256(tarball)}`).set('range', `bytes=${tarball.length + 5}-`);
    expect(past.status).toBe(416);
    const config = await as(viewer).get(`${repo('alpha')}/blobs/${EMPTY_CONFIG}`).buffer(true).parse(binary);
    expect(config.body.toString()).toBe('{}');
  });

  it('paginates _catalog and tags/list with n, last and Link', async () => {
    for (const [pack, version] of [
      ['beta', '1.0.0'],
      ['beta', '1.1.0'],
      ['beta', '2.0.0'],
      ['gamma', '0.1.0'],
    ] as const) {
      expect((await pushPack(publisher, pack, version, packTarball(pack, version))).status).toBe(201);
    }
    const first = await as(viewer).get(`${repo('beta')}/tags/list?n=2`);
    expect(first.body).toEqual({ name: `${registry}/spectro-packs/archive/beta`, tags: ['1.0.0', '1.1.0'] });
    expect(first.headers.link).toBe(`<${repo('beta')}/tags/list?n=2&last=1.1.0>; rel="next"`);
    const next = await as(viewer).get(/<([^>]+)>/.exec(first.headers.link!)![1]!);
    expect(next.body.tags).toEqual(['2.0.0']);
    expect(next.headers.link).toBeUndefined();

    const all = (await as(viewer).get('/v2/_catalog')).body.repositories as string[];
    const ours = all.filter((r) => r.startsWith(`${registry}/`));
    expect(ours).toEqual(['alpha', 'beta', 'gamma'].map((p) => `${registry}/spectro-packs/archive/${p}`));
    const seen: string[] = [];
    let url: string | undefined = '/v2/_catalog?n=2';
    while (url) {
      const page = await as(viewer).get(url);
      expect(page.status).toBe(200);
      expect(page.body.repositories.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.repositories);
      url = page.headers.link ? /<([^>]+)>/.exec(page.headers.link)![1] : undefined;
    }
    // Other test files write to the run's shared database meanwhile: check the pages' order and our own
    // repositories, not a snapshot of everyone's.
    expect(seen).toEqual([...new Set(seen)].sort());
    expect(seen.filter((r) => r.startsWith(`${registry}/`))).toEqual(ours);
    expect((await as(viewer).get('/v2/_catalog?n=-1')).status).toBe(400);
  });

  it('answers unknown names, manifests and blobs with the spec codes', async () => {
    const missingRegistry = await as(viewer).get(`/v2/${uniqueName('nowhere')}/spectro-packs/archive/alpha/tags/list`);
    expect(missingRegistry.status).toBe(404);
    expect(missingRegistry.body.errors[0].code).toBe('NAME_UNKNOWN');
    const manifest = await as(viewer).get(`${repo('alpha')}/manifests/9.9.9`);
    expect(manifest.status).toBe(404);
    expect(manifest.body.errors[0]).toMatchObject({ code: 'MANIFEST_UNKNOWN', message: expect.any(String) });
    const blob = await as(viewer).get(`${repo('alpha')}/blobs/sha256:${'0'.repeat(64)}`);
    expect(blob.status).toBe(404);
    expect(blob.body.errors[0].code).toBe('BLOB_UNKNOWN');
    const badName = await as(viewer).get('/v2/library/ubuntu/tags/list');
    expect(badName.status).toBe(400);
    expect(badName.body.errors[0].code).toBe('NAME_INVALID');
    const badDigest = await as(viewer).get(`${repo('alpha')}/blobs/sha256:xyz`);
    expect(badDigest.status).toBe(400);
    expect(badDigest.body.errors[0].code).toBe('DIGEST_INVALID');
  });

  it('takes a chunked upload with Content-Range, checks order and digest, and keeps sessions private', async () => {
    const tarball = packTarball('delta', '1.0.0');
    const start = await as(publisher).post(`${repo('delta')}/blobs/uploads/`);
    expect(start.status).toBe(202);
    const uuid = start.headers['docker-upload-uuid'];
    expect(start.headers.location).toBe(`${repo('delta')}/blobs/uploads/${uuid}`);
    const half = Math.floor(tarball.length / 2);

    const chunk1 = await as(publisher)
      .patch(start.headers.location!)
      .set('content-type', 'application/octet-stream')
      .set('content-range', `0-${half - 1}`)
      .send(tarball.subarray(0, half));
    expect(chunk1.status).toBe(202);
    expect(chunk1.headers.range).toBe(`0-${half - 1}`);
    const outOfOrder = await as(publisher)
      .patch(start.headers.location!)
      .set('content-type', 'application/octet-stream')
      .set('content-range', `${half + 5}-${tarball.length - 1}`)
      .send(tarball.subarray(half + 5));
    expect(outOfOrder.status).toBe(416);
    expect(outOfOrder.body.errors[0].code).toBe('RANGE_INVALID');
    const status = await as(publisher).get(start.headers.location!);
    expect(status.status).toBe(204);
    expect(status.headers.range).toBe(`0-${half - 1}`);
    // Another token can't see or touch the session.
    expect((await as(t.adminToken).get(start.headers.location!)).body.errors[0].code).toBe('BLOB_UPLOAD_UNKNOWN');

    const done = await as(publisher)
      .put(`${start.headers.location}?digest=${sha256(tarball)}`)
      .set('content-type', 'application/octet-stream')
      .send(tarball.subarray(half));
    expect(done.status).toBe(201);
    expect(done.headers['docker-content-digest']).toBe(sha256(tarball));
    // Stored, but served only once a manifest makes it a pack version: an upload nothing uses is not pullable.
    expect((await as(viewer).head(`${repo('delta')}/blobs/${sha256(tarball)}`)).status).toBe(404);
    expect((await as(publisher).get(start.headers.location!)).status).toBe(404);

    const manifest = await as(publisher)
      .put(`${repo('delta')}/manifests/1.0.0`)
      .set('content-type', 'application/vnd.oci.image.manifest.v1+json')
      .send(manifestFor(tarball, 'delta-1.0.0.tar.gz').toString());
    expect(manifest.status).toBe(201);
    expect((await as(viewer).head(`${repo('delta')}/blobs/${sha256(tarball)}`)).status).toBe(200);

    const wrong = await as(publisher).post(`${repo('delta')}/blobs/uploads/`);
    const mismatch = await as(publisher)
      .put(`${wrong.headers.location}?digest=${sha256('something else')}`)
      .set('content-type', 'application/octet-stream')
      .send(Buffer.from('these bytes'));
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.errors[0].code).toBe('DIGEST_INVALID');
    expect((await as(viewer).head(`${repo('delta')}/blobs/${sha256('these bytes')}`)).status).toBe(404);
  });

  it('refuses a blob over the upload limit with SIZE_INVALID', async () => {
    const start = await as(publisher).post(`${repo('big')}/blobs/uploads/`);
    const big = await as(publisher)
      .patch(start.headers.location!)
      .set('content-type', 'application/octet-stream')
      .send(Buffer.alloc(MAX_UPLOAD + 1024));
    expect(big.status).toBe(413);
    expect(big.body.errors[0].code).toBe('SIZE_INVALID');
  });

  it('mounts a blob from another repository when it exists, and starts an upload when not', async () => {
    const tarball = packTarball('alpha', '1.0.0');
    const mounted = await as(publisher).post(`${repo('epsilon')}/blobs/uploads/?mount=${sha256(tarball)}&from=${registry}/spectro-packs/archive/alpha`);
    expect(mounted.status).toBe(201);
    expect(mounted.headers.location).toBe(`${repo('epsilon')}/blobs/${sha256(tarball)}`);
    const notThere = await as(publisher).post(`${repo('epsilon')}/blobs/uploads/?mount=sha256:${'1'.repeat(64)}&from=x`);
    expect(notThere.status).toBe(202);
    expect(notThere.headers['docker-upload-uuid']).toBeTruthy();
    expect((await as(publisher).delete(notThere.headers.location!)).status).toBe(204);
  });

  it('refuses manifests that are not one-tarball packs, or that disagree with pack.json', async () => {
    const tarball = packTarball('zeta', '1.0.0');
    expect((await pushPack(publisher, 'zeta', '1.0.0', tarball)).status).toBe(201);
    const put = (body: Buffer | string, tag = '1.0.0', pack = 'zeta', type = 'application/vnd.oci.image.manifest.v1+json') =>
      as(publisher).put(`${repo(pack)}/manifests/${tag}`).set('content-type', type).send(body.toString());

    const twoLayers = JSON.parse(manifestFor(tarball, 'zeta-1.0.0.tar.gz').toString());
    twoLayers.layers.push(twoLayers.layers[0]);
    const r1 = await put(JSON.stringify(twoLayers));
    expect(r1.status).toBe(400);
    expect(r1.body.errors[0].code).toBe('MANIFEST_INVALID');

    const unknownLayer = manifestFor(packTarball('zeta', '1.0.0', 'x: never uploaded\n'), 'zeta-1.0.0.tar.gz');
    const r2 = await put(unknownLayer);
    expect(r2.status).toBe(400);
    expect(r2.body.errors[0].code).toBe('MANIFEST_BLOB_UNKNOWN');

    const r3 = await put(manifestFor(tarball, 'zeta-2.0.0.tar.gz'), '2.0.0');
    expect(r3.status).toBe(400);
    expect(r3.body.errors[0]).toMatchObject({ code: 'MANIFEST_INVALID', message: expect.stringContaining('1.0.0') });

    const r4 = await pushPack(publisher, 'eta', '1.0.0', tarball);
    expect(r4.status).toBe(400);
    expect(r4.body.errors[0].message).toContain('zeta');

    const index = await put(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [] }));
    expect(index.status).toBe(415);
    expect(index.body.errors[0].code).toBe('UNSUPPORTED');

    expect((await put('not json')).body.errors[0].code).toBe('MANIFEST_INVALID');

    const broken = buildTarGz(minimalPackEntries('zeta-3.0.0', { 'pack.json': undefined }));
    const r5 = await pushPack(publisher, 'zeta', '3.0.0', broken);
    expect(r5.status).toBe(400);
    expect(r5.body.errors[0].code).toBe('MANIFEST_INVALID');
    expect(r5.body.errors[0].detail.issues.length).toBeGreaterThan(0);

    // Same version, other bytes: the pushPack conflict rule, and force is not offered here.
    const other = packTarball('zeta', '1.0.0', 'changed: true\n');
    const conflict = await pushPack(publisher, 'zeta', '1.0.0', other);
    expect(conflict.status).toBe(409);
    expect(conflict.body.errors[0]).toMatchObject({ code: 'DENIED', detail: { digest: sha256(tarball) } });
    // The same bytes again are a no-op.
    expect((await pushPack(publisher, 'zeta', '1.0.0', tarball)).status).toBe(201);
  });

  it('lets only publishers of a HOSTED registry push', async () => {
    const tarball = packTarball('theta', '1.0.0');
    const anonymous = await request(t.app).post(`${repo('theta')}/blobs/uploads/`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toContain('Basic');
    const byViewer = await pushPack(viewer, 'theta', '1.0.0', tarball);
    expect(byViewer.status).toBe(403);
    expect(byViewer.body.errors[0].code).toBe('DENIED');
    const elsewhere = uniqueName('oci-else');
    await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name: elsewhere, kind: 'HOSTED' } });
    expect((await pushPack(publisher, 'theta', '1.0.0', tarball, elsewhere)).status).toBe(403);
    const intoDefault = await pushPack(t.adminToken, 'theta', '1.0.0', tarball, 'default');
    expect(intoDefault.status).toBe(403);
    expect(intoDefault.body.errors[0].message).toContain('HOSTED');
    expect((await pushPack(t.adminToken, 'theta', '1.0.0', tarball, uniqueName('missing'))).body.errors[0].code).toBe('NAME_UNKNOWN');
  });
});

describe('Helm chart repositories at /helm/<registry>/', () => {
  let t: TestApp;
  let registry: string;

  beforeAll(async () => {
    t = await createTestApp({ s3: true });
    registry = uniqueName('helm');
    await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name: registry, kind: 'HOSTED' } });
    for (const folder of ['crossplane-2.1.3', 'spegel-0.0.18', 'multus-3.9.0']) {
      const pushed = await pushArchive(t.app, t.adminToken, registry, await tarPack(path.join(PACK_CENTRAL, 'full', folder)));
      expect(pushed.body.errors).toBeUndefined();
    }
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  it('lists the charts of add-on packs in index.yaml and serves them byte for byte', async () => {
    const index = await request(t.app).get(`/helm/${registry}/index.yaml`).set('authorization', basic(t.adminToken));
    expect(index.status).toBe(200);
    const doc = parseYaml(index.text);
    expect(doc.apiVersion).toBe('v1');
    expect(Object.keys(doc.entries).sort()).toEqual(['crossplane', 'spegel']);
    const entry = doc.entries.crossplane[0];
    expect(entry).toMatchObject({ name: 'crossplane', version: '2.1.3', urls: ['charts/crossplane-2.1.3.tgz'] });
    const chart = await request(t.app)
      .get(`/helm/${registry}/${entry.urls[0]}`)
      .set('authorization', basic(t.adminToken))
      .buffer(true)
      .parse(binary);
    expect(chart.status).toBe(200);
    const original = await readFile(path.join(PACK_CENTRAL, 'full', 'crossplane-2.1.3', 'charts', 'crossplane-2.1.3.tgz'));
    expect(chart.body.equals(original)).toBe(true);
    expect(createHash('sha256').update(chart.body).digest('hex')).toBe(entry.digest);
  });

  it('asks for credentials, and answers unknown registries and charts with 404', async () => {
    const anonymous = await request(t.app).get(`/helm/${registry}/index.yaml`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toContain('Basic');
    expect((await request(t.app).get(`/helm/${uniqueName('none')}/index.yaml`).set('authorization', basic(t.adminToken))).status).toBe(404);
    expect((await request(t.app).get(`/helm/${registry}/charts/nope-1.0.0.tgz`).set('authorization', basic(t.adminToken))).status).toBe(404);
  });
});

describe("pack-catalog's own OCI adapter federating another instance's /v2/", () => {
  let upstream: TestApp;
  let downstream: TestApp;
  let server: Server;
  let dropDatabase: () => Promise<void>;
  let endpoint: string;
  const hosted = uniqueName('up');
  const archives: Record<string, Buffer> = {};

  beforeAll(async () => {
    const scratch = await createScratchDatabase('ociup');
    dropDatabase = scratch.drop;
    upstream = await createTestApp({ env: scratch.env });
    downstream = await createTestApp({ s3: true });
    server = upstream.app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await upstream.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name: hosted, kind: 'HOSTED' } });
    for (const folder of ['crossplane-2.1.3', 'spegel-0.0.18']) {
      const archive = await tarPack(path.join(PACK_CENTRAL, 'full', folder));
      archives[folder] = await readFile(archive);
      const pushed = await pushArchive(upstream.app, upstream.adminToken, hosted, archive);
      expect(pushed.body.errors).toBeUndefined();
    }
  }, 90_000);

  afterAll(async () => {
    server?.close();
    await downstream?.close();
    await upstream?.close();
    await dropDatabase?.();
  });

  it('syncs the packs of one upstream registry, byte for byte, with a viewer token as Bearer or as Basic password', async () => {
    const { body } = await upstream.gql('mutation { createApiToken(name: "federation-viewer", role: VIEWER) { token } }');
    const token = body.data!.createApiToken.token as string;
    for (const credentials of [{ token }, { username: 'sync-bot', password: token }]) {
      const name = uniqueName('fed');
      await createUpstreamRegistry(downstream, { name, kind: 'OCI', endpoint, basePath: hosted, credentials });
      const run = await syncViaApi(downstream, name);
      expect(run).toMatchObject({ state: 'SUCCEEDED', added: 2, errors: [] });
      expect(await listedVersions(downstream, name)).toEqual(['crossplane@2.1.3', 'spegel@0.0.18']);
      const version = await downstream.gql('query($r: String) { packVersion(name: "crossplane", version: "2.1.3", registry: $r) { digest } }', { r: name });
      expect(version.body.data!.packVersion.digest).toBe(sha256(archives['crossplane-2.1.3']!));
      expect((await download(downstream, sha256(archives['spegel-0.0.18']!))).equals(archives['spegel-0.0.18']!)).toBe(true);
      // Unchanged upstream: the manifest digests (the adapter's markers) are stable, nothing is refetched.
      const again = await syncViaApi(downstream, name);
      expect(again).toMatchObject({ state: 'SUCCEEDED', added: 0, updated: 0, unchanged: 2 });
    }
  }, 90_000);

  it('fails the sync, keeping nothing, without credentials', async () => {
    const name = uniqueName('fed-anon');
    await createUpstreamRegistry(downstream, { name, kind: 'OCI', endpoint, basePath: hosted });
    const run = await syncViaApi(downstream, name);
    expect(run.state).toBe('FAILED');
    expect(await listedVersions(downstream, name)).toEqual([]);
  }, 60_000);
});
