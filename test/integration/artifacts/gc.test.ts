/**
 * The artifact garbage collector over a real database and store: what a deleted version, a replaced
 * logo or an OCI upload no manifest took leaves behind goes (row AND object), while everything a live
 * version, logo or pushed manifest needs stays.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import request from 'supertest';
import { createTestApp, uniqueName, type TestApp } from '../../helpers/test-app.js';
import { buildTarGz, minimalPackEntries } from '../../helpers/tar-builder.js';
import { pushArchive } from '../../helpers/packs.js';
import { collectOrphanArtifacts } from '../../../src/artifacts/artifact.gc.job.js';
import { PUSHED_MANIFEST_FORMAT } from '../../../src/oci/oci.manifest.js';

function sha256(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

const basic = (token: string) => `Basic ${Buffer.from(`someone:${token}`).toString('base64')}`;

/** A pack tarball with bytes (and a logo) no other test shares: the test database is shared. */
function packTarball(name: string, version: string, logo = `\x89PNG ${randomBytes(8).toString('hex')}`): { tarball: Buffer; logo: string } {
  const tarball = buildTarGz(
    minimalPackEntries(`${name}-${version}`, {
      'pack.json': JSON.stringify({ name, displayName: name, version, layer: 'addon', cloudTypes: ['all'], charts: [] }),
      'values.yaml': `pack:\n  namespace: ${name}\n# ${randomBytes(8).toString('hex')}\n`,
      'logo.png': logo,
      'charts/demo-1.0.0.tgz': undefined,
    }),
  );
  return { tarball, logo: sha256(Buffer.from(logo, 'utf8')) };
}

describe.each([
  ['filesystem', false],
  ['S3', true],
])('artifact garbage collection (%s store)', (_kind, s3) => {
  let t: TestApp;
  let registry: string;
  let publisher: string;
  // Past everything written: every row and object is older than a zero grace period.
  const later = () => new Date(Date.now() + 5_000);
  const collect = (graceMs = 0) => collectOrphanArtifacts(t.services.packStore.artifacts, t.artifacts, PUSHED_MANIFEST_FORMAT, { graceMs, now: later });

  const repo = (pack: string) => `/v2/${registry}/spectro-packs/archive/${pack}`;
  const uploadBlob = (pack: string, bytes: Buffer) =>
    request(t.app)
      .post(`${repo(pack)}/blobs/uploads/?digest=${sha256(bytes)}`)
      .set('authorization', basic(publisher))
      .set('content-type', 'application/octet-stream')
      .send(bytes);

  const hasRow = async (digest: string) => (await t.database.prisma.artifact.findUnique({ where: { digest } })) !== null;
  const hasObject = (digest: string) => t.artifacts.exists(digest);
  const expectKept = async (digest: string) => {
    expect({ digest, row: await hasRow(digest), object: await hasObject(digest) }).toEqual({ digest, row: true, object: true });
  };
  const expectGone = async (digest: string) => {
    expect({ digest, row: await hasRow(digest), object: await hasObject(digest) }).toEqual({ digest, row: false, object: false });
  };

  async function pushGraphql(name: string, version: string) {
    const pack = packTarball(name, version);
    const pushed = await pushArchive(t.app, publisher, registry, pack.tarball);
    expect(pushed.body.errors).toBeUndefined();
    return { ...pack, digest: sha256(pack.tarball) };
  }

  /** An ORAS-style push with a config blob of its own and a manifest that differs from the canonical one. */
  async function pushOci(name: string, version: string) {
    const { tarball } = packTarball(name, version);
    const config = Buffer.from(JSON.stringify({ created: new Date().toISOString(), nonce: randomBytes(8).toString('hex') }));
    expect((await uploadBlob(name, config)).status).toBe(201);
    expect((await uploadBlob(name, tarball)).status).toBe(201);
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.example.config.v1+json', digest: sha256(config), size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(tarball), size: tarball.length }],
      annotations: { 'org.opencontainers.image.created': new Date().toISOString() },
    });
    const put = await request(t.app)
      .put(`${repo(name)}/manifests/${version}`)
      .set('authorization', basic(publisher))
      .set('content-type', 'application/vnd.oci.image.manifest.v1+json')
      .send(manifest);
    expect(put.status).toBe(201);
    return { manifest: sha256(manifest), config: sha256(config), layer: sha256(tarball) };
  }

  const deleteVersion = async (name: string, version: string) => {
    const deleted = await t.gql('mutation($r: String!, $n: String!, $v: String!) { deletePackVersion(registry: $r, name: $n, version: $v) }', {
      r: registry,
      n: name,
      v: version,
    });
    expect(deleted.body).toEqual({ data: { deletePackVersion: true } });
  };

  beforeAll(async () => {
    t = await createTestApp({ s3 });
    registry = uniqueName('gc');
    await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name: registry, kind: 'HOSTED' } });
    publisher = (
      await t.gql('mutation($n: String!, $g: [String!]) { createApiToken(name: $n, role: PUBLISHER, registries: $g) { token } }', {
        n: uniqueName('publisher'),
        g: [registry],
      })
    ).body.data!.createApiToken.token;
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  it('deletes the row and object of a deleted version, its logo and blobs no manifest took; keeps what live things need', async () => {
    const kept = await pushGraphql('kept', '1.0.0');
    const removedUpstream = await pushGraphql('removed', '1.0.0');
    // A version removed upstream stays pullable on purpose: it is not garbage.
    await t.database.prisma.packVersion.updateMany({ where: { digest: removedUpstream.digest }, data: { removedAt: new Date() } });
    const gone = await pushGraphql('gone', '1.0.0');
    const oci = await pushOci('pushed', '1.0.0');
    const stray = randomBytes(512);
    expect((await uploadBlob('pushed', stray)).status).toBe(201);
    // An object whose row never landed (a write interrupted between the two).
    const orphan = await t.artifacts.put(Readable.from([randomBytes(256)]));

    await deleteVersion('gone', '1.0.0');

    // Within the grace period nothing goes, however unreferenced.
    const early = await collectOrphanArtifacts(t.services.packStore.artifacts, t.artifacts, PUSHED_MANIFEST_FORMAT);
    expect(early).toMatchObject({ deleted: 0, rowsDeleted: 0 });
    await expectKept(gone.digest);

    const dry = await collectOrphanArtifacts(t.services.packStore.artifacts, t.artifacts, PUSHED_MANIFEST_FORMAT, { graceMs: 0, now: later, dryRun: true });
    expect(dry).toMatchObject({ deleted: 4, rowsDeleted: 0, failed: [] });
    await expectKept(gone.digest);

    const result = await collect();
    expect(result).toMatchObject({ deleted: 4, rowsDeleted: 3, failed: [] });
    await expectGone(gone.digest);
    await expectGone(gone.logo);
    await expectGone(sha256(stray));
    expect(await hasObject(orphan.digest)).toBe(false);

    for (const digest of [kept.digest, kept.logo, removedUpstream.digest, removedUpstream.logo, oci.layer, oci.manifest, oci.config]) {
      await expectKept(digest);
    }
    // What stays is still served.
    const manifest = await request(t.app).get(`${repo('pushed')}/manifests/${oci.manifest}`).set('authorization', basic(publisher));
    expect(manifest.status).toBe(200);
  });

  it('a pushed manifest and its config blob go with the last version that needed them', async () => {
    const oci = await pushOci('short-lived', '2.0.0');
    await deleteVersion('short-lived', '2.0.0');
    const result = await collect();
    expect(result.failed).toEqual([]);
    await expectGone(oci.manifest);
    await expectGone(oci.config);
    await expectGone(oci.layer);
  });

  it('gives back the row of an object put again while the collection runs (its writer found the old row)', async () => {
    const raced = await pushGraphql('raced', '1.0.0');
    await deleteVersion('raced', '1.0.0');
    const chunks: Buffer[] = [];
    for await (const chunk of await t.artifacts.get(raced.digest)) chunks.push(chunk as Buffer);
    // Between the release of its row and the deletion of its object, a push of the same bytes puts the
    // object again (and, having seen the old row, writes none).
    let racedOnce = false;
    let listed = false;
    const racing = Object.assign(Object.create(t.artifacts), {
      list: async function* (options: { olderThan?: Date }) {
        yield* t.artifacts.list(options);
        listed = true;
      },
      stat: async (digest: string) => {
        if (digest !== raced.digest || racedOnce || !listed) return t.artifacts.stat(digest);
        racedOnce = true;
        await t.artifacts.put(Readable.from([Buffer.concat(chunks)]));
        // A put refreshes the object's time on disk, S3 and MinIO; s3rver (the test S3) keeps the first one, so say it here.
        return { ...(await t.artifacts.stat(digest))!, lastModified: new Date() };
      },
    });
    // The real clock (a zero grace period), so the racing put is newer than the cutoff.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const result = await collectOrphanArtifacts(t.services.packStore.artifacts, racing, PUSHED_MANIFEST_FORMAT, { graceMs: 0 });
    expect(racedOnce).toBe(true);
    expect(result.failed).toEqual([]);
    await expectKept(raced.digest);
  });

  it('keeps a replaced logo only while a pack still shows it', async () => {
    const first = await pushGraphql('logos', '1.0.0');
    const second = await pushGraphql('logos', '1.1.0');
    await collect();
    // The pack shows the newest push's logo; the first one is referenced by nothing.
    await expectGone(first.logo);
    await expectKept(second.logo);
    await expectKept(first.digest);
  });
});
