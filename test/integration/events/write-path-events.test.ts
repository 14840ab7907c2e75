/**
 * Issue 17 (1), the other write paths: an OCI push (version and publisher tag; a refused push
 * records nothing), a sync that imports new bytes with another lifecycle, and the DEFAULT
 * registry's seed (on a database of this file's own: on the shared one another file seeded first).
 */
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createTestApp, createToken, uniqueName, type TestApp } from '../../helpers/test-app.js';
import { createOwnDatabase } from '../../helpers/own-database.js';
import { PACK_CENTRAL } from '../../helpers/packs.js';
import { buildTarGz, minimalPackEntries } from '../../helpers/tar-builder.js';
import { createUpstreamRegistry } from '../../helpers/federation.js';

const EMPTY_CONFIG = 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';
const MANIFEST_TYPE = 'application/vnd.oci.image.manifest.v1+json';
const sha256 = (bytes: Buffer | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

const EVENTS = `query($f: CatalogEventFilterInput) {
  catalogEvents(filter: $f, first: 100) { edges { node { type registry pack version data } } }
}`;

async function eventsOf(t: TestApp, registries: string[]): Promise<Array<{ type: string; pack: string; version: string; data: Record<string, any> }>> {
  const { body } = await t.gql(EVENTS, { f: { registries } });
  expect(body.errors).toBeUndefined();
  return body.data!.catalogEvents.edges.map((e: { node: unknown }) => e.node);
}

describe('events of OCI pushes and syncs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ s3: false });
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it('records an OCI push and a publisher tag pushed over OCI; a refused OCI push records nothing', async () => {
    const registry = uniqueName('oci-events');
    expect((await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name: registry, kind: 'HOSTED' } })).body.errors).toBeUndefined();
    const publisher = await createToken(t, 'PUBLISHER', [registry]);
    const auth = `Basic ${Buffer.from(`someone:${publisher}`).toString('base64')}`;
    const pack = uniqueName('ocipack');
    const repo = `/v2/${registry}/spectro-packs/archive/${pack}`;
    const tarball = (values: string) =>
      buildTarGz(
        minimalPackEntries(`${pack}-1.0.0`, {
          'pack.json': JSON.stringify({ name: pack, displayName: pack, version: '1.0.0', layer: 'addon', cloudTypes: ['all'], charts: [] }),
          'values.yaml': values,
          'charts/demo-1.0.0.tgz': undefined,
        }),
      );
    const push = async (layer: Buffer, reference: string) => {
      const blob = await request(t.app).post(`${repo}/blobs/uploads/?digest=${sha256(layer)}`).set('authorization', auth).set('content-type', 'application/octet-stream').send(layer);
      expect(blob.status).toBe(201);
      const manifest = JSON.stringify({
        schemaVersion: 2,
        mediaType: MANIFEST_TYPE,
        config: { mediaType: 'application/vnd.unknown.config.v1+json', digest: EMPTY_CONFIG, size: 2 },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(layer), size: layer.length }],
      });
      return request(t.app).put(`${repo}/manifests/${reference}`).set('authorization', auth).set('content-type', MANIFEST_TYPE).send(manifest);
    };
    const first = tarball('pack:\n  namespace: one\n');
    expect((await push(first, '1.0.0')).status).toBe(201);
    expect((await push(first, 'stable__prod')).status).toBe(201);
    expect((await push(tarball('pack:\n  namespace: two\n'), '1.0.0')).status).toBe(409);
    const events = (await eventsOf(t, [registry])).map((e) => `${e.type} ${e.pack}@${e.version}`);
    expect(events).toEqual([`PACK_VERSION_PUBLISHED ${pack}@1.0.0`, `PACK_TAG_MOVED ${pack}@1.0.0`]);
  });

  it('records a lifecycle change a sync imports with new bytes', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'pack-catalog-lifecycle-sync-'));
    try {
      const folder = path.join(root, 'kubewatch-1.0.7');
      await cp(path.join(PACK_CENTRAL, 'full', 'kubewatch-1.0.7'), folder, { recursive: true });
      const name = uniqueName('ev-life-sync');
      await createUpstreamRegistry(t, { name, kind: 'DIRECTORY', endpoint: root });
      expect((await t.services.sync.run(name, { force: true })).state).toBe('SUCCEEDED');
      const packJson = JSON.parse(await readFile(path.join(folder, 'pack.json'), 'utf8'));
      packJson.annotations = { ...packJson.annotations, system_state: 'deprecated' };
      await writeFile(path.join(folder, 'pack.json'), JSON.stringify(packJson));
      expect((await t.services.sync.run(name, { force: true })).state).toBe('SUCCEEDED');
      const events = await eventsOf(t, [name]);
      expect(events.map((e) => `${e.type} ${e.data.status ?? ''}`.trim())).toEqual(['PACK_VERSION_PUBLISHED created', 'PACK_VERSION_PUBLISHED updated', 'PACK_LIFECYCLE_CHANGED']);
      expect(events[2]).toMatchObject({ pack: 'kubewatch', version: '1.0.7', data: { from: 'ACTIVE', to: 'DEPRECATED' } });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('records the DEFAULT registry seed: one PACK_VERSION_PUBLISHED per seeded version, none when seeded again', async () => {
    const own = await createOwnDatabase();
    const seeded = await createTestApp({ s3: false, seed: true, env: own.url ? { DATABASE_URL: own.url } : {} });
    try {
      const versions = await seeded.database.prisma.packVersion.count({ where: { registry: { name: 'default' } } });
      expect(versions).toBeGreaterThan(10);
      const published = await seeded.database.prisma.catalogEvent.count({ where: { registryName: 'default', type: 'PACK_VERSION_PUBLISHED' } });
      expect(published).toBe(versions);
      await seeded.services.defaultRegistry.seed();
      expect(await seeded.database.prisma.catalogEvent.count({ where: { registryName: 'default' } })).toBe(versions);
    } finally {
      await seeded.close();
      await own.drop();
    }
  }, 120_000);
});
