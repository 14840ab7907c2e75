/**
 * OCI pushes leave audit events like their GraphQL twins: the blob upload, the manifest PUT that
 * creates a version, a push to a publisher tag that moves it, and every refused push (FAILURE with
 * its OCI error code).
 */
import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import { createTestApp, createToken, uniqueName, type TestApp } from '../helpers/test-app.js';
import { buildTarGz, minimalPackEntries } from '../helpers/tar-builder.js';

const EMPTY_CONFIG = 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';
const MANIFEST_TYPE = 'application/vnd.oci.image.manifest.v1+json';

function sha256(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

const basic = (token: string) => `Basic ${Buffer.from(`someone:${token}`).toString('base64')}`;

function packTarball(name: string, version: string): Buffer {
  return buildTarGz(
    minimalPackEntries(`${name}-${version}`, {
      'pack.json': JSON.stringify({ name, displayName: name, version, layer: 'addon', cloudTypes: ['all'], charts: [] }),
      'values.yaml': `pack:\n  namespace: ${name}\n# ${randomBytes(8).toString('hex')}\n`,
      'charts/demo-1.0.0.tgz': undefined,
    }),
  );
}

function manifestFor(layer: Buffer): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: MANIFEST_TYPE,
    config: { mediaType: 'application/vnd.unknown.config.v1+json', digest: EMPTY_CONFIG, size: 2 },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(layer), size: layer.length }],
  });
}

const AUDIT = `query($f: AuditEventFilter) {
  auditEvents(first: 50, filter: $f) { edges { node { actor action targetType target outcome message details requestId } } }
}`;

describe('audit trail of OCI pushes', () => {
  let t: TestApp;
  let registry: string;
  const names = { publisher: uniqueName('oci-publisher'), viewer: uniqueName('oci-viewer') };
  let publisher: string;
  let viewer: string;

  const repo = (pack: string) => `/v2/${registry}/spectro-packs/archive/${pack}`;
  const as = (token: string, requestId = uniqueName('req')) => ({
    post: (url: string) => request(t.app).post(url).set('authorization', basic(token)).set('x-request-id', requestId),
    patch: (url: string) => request(t.app).patch(url).set('authorization', basic(token)).set('x-request-id', requestId),
    put: (url: string) => request(t.app).put(url).set('authorization', basic(token)).set('x-request-id', requestId),
  });
  const putManifest = (token: string, pack: string, reference: string, layer: Buffer, requestId?: string) =>
    as(token, requestId).put(`${repo(pack)}/manifests/${reference}`).set('content-type', MANIFEST_TYPE).send(manifestFor(layer));
  const uploadBlob = (token: string, pack: string, bytes: Buffer) =>
    as(token).post(`${repo(pack)}/blobs/uploads/?digest=${sha256(bytes)}`).set('content-type', 'application/octet-stream').send(bytes);

  async function events(filter: Record<string, unknown>) {
    const answer = await t.gql(AUDIT, { f: { target: registry, ...filter } });
    expect(answer.body.errors).toBeUndefined();
    return answer.body.data!.auditEvents.edges.map((e: { node: Record<string, unknown> }) => e.node) as Array<Record<string, any>>;
  }

  beforeAll(async () => {
    t = await createTestApp({ env: { OCI_MAX_UPLOAD_SESSIONS_PER_TOKEN: '2' } });
    registry = uniqueName('audited');
    await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name: registry, kind: 'HOSTED' } });
    publisher = await createToken(t, 'PUBLISHER', [registry], names.publisher);
    viewer = await createToken(t, 'VIEWER', [], names.viewer);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  it('records a chunked blob upload and the manifest PUT that creates the version', async () => {
    const tarball = packTarball('audited', '1.0.0');
    const start = await as(publisher).post(`${repo('audited')}/blobs/uploads/`);
    expect(start.status).toBe(202);
    const chunk = await as(publisher).patch(start.headers.location!).set('content-type', 'application/octet-stream').send(tarball);
    expect(chunk.status).toBe(202);
    const finished = await as(publisher, 'req-blob-1').put(`${start.headers.location!}?digest=${sha256(tarball)}`).send();
    expect(finished.status).toBe(201);
    const put = await putManifest(publisher, 'audited', '1.0.0', tarball, 'req-manifest-1');
    expect(put.status).toBe(201);

    // One event for the upload (not one per request of it), one for the version.
    expect(await events({ action: 'oci.blobUpload' })).toEqual([
      {
        actor: names.publisher,
        action: 'oci.blobUpload',
        targetType: 'blob',
        target: `${registry}/audited@${sha256(tarball)}`,
        outcome: 'SUCCESS',
        message: null,
        details: { registry, name: 'audited', digest: sha256(tarball), upload: start.headers['docker-upload-uuid'] },
        requestId: 'req-blob-1',
      },
    ]);
    expect(await events({ action: 'oci.putManifest' })).toEqual([
      {
        actor: names.publisher,
        action: 'oci.putManifest',
        targetType: 'pack',
        target: `${registry}/audited:1.0.0`,
        outcome: 'SUCCESS',
        message: null,
        details: { registry, name: 'audited', reference: '1.0.0', version: '1.0.0', digest: put.headers['docker-content-digest'], status: 'created' },
        requestId: 'req-manifest-1',
      },
    ]);
  });

  it('moves a publisher tag with a push to it, and records the move', async () => {
    const v1 = packTarball('tagged', '1.0.0');
    const v2 = packTarball('tagged', '1.1.0');
    for (const tarball of [v1, v2]) expect((await uploadBlob(publisher, 'tagged', tarball)).status).toBe(201);
    expect((await putManifest(publisher, 'tagged', 'stable__prod', v1)).status).toBe(201);
    expect((await putManifest(publisher, 'tagged', 'stable__prod', v2)).status).toBe(201);

    const pulled = await request(t.app).get(`${repo('tagged')}/manifests/stable__prod`).set('authorization', basic(viewer));
    expect(pulled.status).toBe(200);
    expect(JSON.parse(pulled.text || pulled.body.toString()).layers[0].digest).toBe(sha256(v2));

    const moves = await events({ action: 'oci.tagMoved' });
    expect(moves.map((e) => [e.actor, e.target, e.outcome, e.details.tag])).toEqual([
      [names.publisher, `${registry}/tagged:1.1.0`, 'SUCCESS', 'stable__prod'],
      [names.publisher, `${registry}/tagged:1.0.0`, 'SUCCESS', 'stable__prod'],
    ]);
    const pushes = await events({ action: 'oci.putManifest', target: `${registry}/tagged` });
    expect(pushes.map((e) => [e.target, e.details.reference, e.details.status])).toEqual([
      [`${registry}/tagged:1.1.0`, 'stable__prod', 'created'],
      [`${registry}/tagged:1.0.0`, 'stable__prod', 'created'],
    ]);
  });

  it('records refused pushes as FAILURE with the OCI error code', async () => {
    const tarball = packTarball('refused', '1.0.0');
    expect((await uploadBlob(publisher, 'refused', tarball)).status).toBe(201);

    // A viewer may not push.
    expect((await putManifest(viewer, 'refused', '1.0.0', tarball)).status).toBe(403);
    // Other bytes for a published version are a conflict (force is not offered over OCI).
    expect((await putManifest(publisher, 'refused', '1.0.0', tarball)).status).toBe(201);
    const other = packTarball('refused', '1.0.0');
    expect((await uploadBlob(publisher, 'refused', other)).status).toBe(201);
    expect((await putManifest(publisher, 'refused', '1.0.0', other)).status).toBe(409);
    // Over the session quota.
    for (let i = 0; i < 2; i++) expect((await as(publisher).post(`${repo('refused')}/blobs/uploads/`)).status).toBe(202);
    expect((await as(publisher).post(`${repo('refused')}/blobs/uploads/`)).status).toBe(429);
    // Anonymous attempts are the challenge clients expect before sending credentials: not recorded.
    expect((await request(t.app).put(`${repo('refused')}/manifests/1.0.0`).set('content-type', MANIFEST_TYPE).send(manifestFor(tarball))).status).toBe(401);

    const failures = await events({ outcome: 'FAILURE', target: `${registry}/refused` });
    expect(failures.map((e) => [e.actor, e.action, e.target, e.message.split(':')[0]])).toEqual([
      [names.publisher, 'oci.blobUpload', `${registry}/refused`, 'TOOMANYREQUESTS'],
      [names.publisher, 'oci.putManifest', `${registry}/refused:1.0.0`, 'DENIED'],
      [names.viewer, 'oci.putManifest', `${registry}/refused:1.0.0`, 'DENIED'],
    ]);
    expect(failures.every((e) => e.requestId)).toBe(true);
    expect((await events({ actor: 'anonymous' })).length).toBe(0);
  });
});
