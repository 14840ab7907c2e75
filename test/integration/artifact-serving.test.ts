/**
 * Issue 12 point 7, serving side: an object is downloadable (`/artifacts` and `/v2` blobs alike)
 * only while a pack version, a logo or a pushed manifest needs it, whatever rows or objects remain.
 */
import { createHash } from 'node:crypto';
import request from 'supertest';
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';
import { pushArchive, uniquePackCopy } from '../helpers/packs.js';
import { buildTarGz, minimalPackEntries } from '../helpers/tar-builder.js';

const EMPTY_CONFIG = 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';

function sha256(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function packTarball(name: string, version: string): Buffer {
  return buildTarGz(
    minimalPackEntries(`${name}-${version}`, {
      'pack.json': JSON.stringify({ name, displayName: name, version, layer: 'addon', cloudTypes: ['all'], charts: [] }),
    }),
  );
}

/** A manifest as ORAS writes it: with a creation time, so not the canonical bytes (it is stored as an object). */
function orasManifest(layer: Buffer, title: string, config?: Buffer): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: config
      ? { mediaType: 'application/vnd.cncf.spectrocloud.pack.config.v1+json', digest: sha256(config), size: config.length }
      : { mediaType: 'application/vnd.unknown.config.v1+json', digest: EMPTY_CONFIG, size: 2 },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(layer), size: layer.length, annotations: { 'org.opencontainers.image.title': title } }],
    annotations: { 'org.opencontainers.image.created': '2026-01-01T00:00:00Z' },
  });
}

describe('artifact serving follows what the catalog needs', () => {
  let t: TestApp;
  let registry: string;
  let viewer: string;

  const repo = (pack: string, reg = registry) => `/v2/${reg}/spectro-packs/archive/${pack}`;
  const auth = (token: string) => `Bearer ${token}`;
  /** [/artifacts status, /v2 blob status] for one digest, as the viewer. */
  const served = async (digest: string, pack = 'any') => [
    (await request(t.app).get(`/artifacts/${digest.replace(':', '/')}`).set('authorization', auth(viewer))).status,
    (await request(t.app).get(`${repo(pack)}/blobs/${digest}`).set('authorization', auth(viewer))).status,
  ];
  const deleteVersion = async (name: string, version: string, reg = registry) => {
    const { body } = await t.gql('mutation($r: String!, $n: String!, $v: String!) { deletePackVersion(registry: $r, name: $n, version: $v) }', {
      r: reg,
      n: name,
      v: version,
    });
    expect(body.errors).toBeUndefined();
  };
  const push = async (archive: Buffer | string, reg = registry) => {
    const { body } = await pushArchive(t.app, t.adminToken, reg, archive);
    expect(body.errors).toBeUndefined();
    return body.data.pushPack as { digest: string };
  };

  beforeAll(async () => {
    t = await createTestApp();
    registry = uniqueName('serve');
    await t.gql('mutation($n: String!) { createRegistry(input: { name: $n, kind: HOSTED }) { name } }', { n: registry });
    viewer = (await t.gql('mutation($n: String!) { createApiToken(name: $n, role: VIEWER) { token } }', { n: uniqueName('v') })).body.data!
      .createApiToken.token;
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  it('stops serving a version\'s archive once deletePackVersion removed it, though row and object remain', async () => {
    const name = uniqueName('gone');
    const { digest } = await push(packTarball(name, '1.0.0'));
    expect(await served(digest, name)).toEqual([200, 200]);
    await deleteVersion(name, '1.0.0');
    // The Artifact row and the object wait for the collector; neither makes the digest downloadable.
    expect(await t.database.prisma.artifact.findUnique({ where: { digest } })).not.toBeNull();
    expect(await served(digest, name)).toEqual([404, 404]);
  });

  it('keeps serving a digest while another version still needs it, and versions removed upstream', async () => {
    const name = uniqueName('twice');
    const other = uniqueName('serve2');
    await t.gql('mutation($n: String!) { createRegistry(input: { name: $n, kind: HOSTED }) { name } }', { n: other });
    const archive = packTarball(name, '1.0.0');
    const { digest } = await push(archive);
    await push(archive, other);
    await deleteVersion(name, '1.0.0');
    expect(await served(digest)).toEqual([200, 200]);
    // Gone upstream (removedAt set by a sync), kept so pulls keep working.
    await t.database.prisma.packVersion.updateMany({ where: { digest }, data: { removedAt: new Date() } });
    expect(await served(digest)).toEqual([200, 200]);
  });

  it('serves a logo while its pack exists, and no longer once its last version is deleted', async () => {
    const reg = uniqueName('logo');
    await t.gql('mutation($n: String!) { createRegistry(input: { name: $n, kind: HOSTED }) { name } }', { n: reg });
    // A logo of its own: other test files of the run push spegel's, and a logo another pack shows stays served.
    const name = uniqueName('spegel');
    await push(await uniquePackCopy('spegel-0.0.18', name), reg);
    const { body } = await t.gql('query($n: String!, $r: String!) { pack(name: $n, registry: $r) { logoUrl } }', { n: name, r: reg });
    const logo = `sha256:${new URL(body.data!.pack.logoUrl).pathname.split('/').pop()}`;
    expect(await served(logo)).toEqual([200, 200]);
    await deleteVersion(name, '0.0.18', reg);
    expect(await served(logo)).toEqual([404, 404]);
  });

  it('serves an OCI upload only once a manifest uses it, and a pushed manifest only while its version lives', async () => {
    const name = uniqueName('oras');
    const tarball = packTarball(name, '1.0.0');
    const upload = await request(t.app)
      .post(`${repo(name)}/blobs/uploads/?digest=${sha256(tarball)}`)
      .set('authorization', auth(t.adminToken))
      .set('content-type', 'application/octet-stream')
      .send(tarball);
    expect(upload.status).toBe(201);
    expect(await served(sha256(tarball), name)).toEqual([404, 404]);

    const manifest = orasManifest(tarball, `${name}-1.0.0.tar.gz`);
    const put = await request(t.app)
      .put(`${repo(name)}/manifests/1.0.0`)
      .set('authorization', auth(t.adminToken))
      .set('content-type', 'application/vnd.oci.image.manifest.v1+json')
      .send(manifest);
    expect(put.status).toBe(201);
    expect(put.headers['docker-content-digest']).toBe(sha256(manifest));
    expect(await served(sha256(tarball), name)).toEqual([200, 200]);
    expect(await served(sha256(manifest), name)).toEqual([200, 200]);

    await deleteVersion(name, '1.0.0');
    expect(await served(sha256(tarball), name)).toEqual([404, 404]);
    expect(await served(sha256(manifest), name)).toEqual([404, 404]);
  });

  it('serves a pushed manifest\'s own config blob while the manifest\'s version lives (a pull by digest asks for it)', async () => {
    const name = uniqueName('cfg');
    const tarball = packTarball(name, '1.0.0');
    const config = Buffer.from(JSON.stringify({ name, version: '1.0.0', pushedBy: 'oras' }));
    for (const blob of [tarball, config]) {
      const upload = await request(t.app)
        .post(`${repo(name)}/blobs/uploads/?digest=${sha256(blob)}`)
        .set('authorization', auth(t.adminToken))
        .set('content-type', 'application/octet-stream')
        .send(blob);
      expect(upload.status).toBe(201);
    }
    expect(await served(sha256(config), name)).toEqual([404, 404]);
    const put = await request(t.app)
      .put(`${repo(name)}/manifests/1.0.0`)
      .set('authorization', auth(t.adminToken))
      .set('content-type', 'application/vnd.oci.image.manifest.v1+json')
      .send(orasManifest(tarball, `${name}-1.0.0.tar.gz`, config));
    expect(put.status).toBe(201);
    expect(await served(sha256(config), name)).toEqual([200, 200]);
    const pulled = await request(t.app).get(`${repo(name)}/blobs/${sha256(config)}`).set('authorization', auth(viewer)).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(pulled.body).toEqual(config);

    await deleteVersion(name, '1.0.0');
    expect(await served(sha256(config), name)).toEqual([404, 404]);
  });
});
