/**
 * OCI 1.1 referrers on /v2 over plain HTTP (distribution-spec "Pushing Manifests with Subject",
 * "Listing Referrers", "Unavailable Referrers API" tag schema): signatures in cosign's layout pushed
 * before and after their subject, listed with the artifactType filter, served by their `.sig` tag,
 * and following their subject (gone with it, kept by the collector while it lives).
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createTestApp, createToken, uniqueName, type TestApp } from '../helpers/test-app.js';
import { addonPackTarball } from '../helpers/tar-builder.js';
import { pushArchive } from '../helpers/packs.js';
import { collectOrphanArtifacts } from '../../src/artifacts/artifact.gc.job.js';
import { PUSHED_MANIFEST_FORMAT, packManifest } from '../../src/oci/oci.manifest.js';
import {
  COSIGN_SIGNATURE_ANNOTATION,
  COSIGN_SIGNATURE_ARTIFACT_TYPE,
  signPayload,
  signatureConfig,
  signatureManifest,
  simpleSigningPayload,
} from '../../src/packs/pack.signature.js';

const EMPTY_CONFIG = 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const sha256 = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const basic = (token: string) => `Basic ${Buffer.from(`someone:${token}`).toString('base64')}`;

function packManifestFor(layer: Buffer, title: string): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.unknown.config.v1+json', digest: EMPTY_CONFIG, size: 2 },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(layer), size: layer.length, annotations: { 'org.opencontainers.image.title': title } }],
  });
}

const binary = (res: any, cb: (err: Error | null, body: any) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('OCI referrers API (PostgreSQL + S3)', () => {
  let t: TestApp;
  let registry: string;
  let publisher: string;
  let viewer: string;
  const signer = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const repo = (pack: string) => `/v2/${registry}/spectro-packs/archive/${pack}`;
  const as = (token: string) => ({
    get: (url: string) => request(t.app).get(url).set('authorization', basic(token)),
    post: (url: string) => request(t.app).post(url).set('authorization', basic(token)),
    put: (url: string) => request(t.app).put(url).set('authorization', basic(token)),
  });
  const uploadBlob = async (pack: string, bytes: Buffer) => {
    const res = await as(publisher).post(`${repo(pack)}/blobs/uploads/?digest=${sha256(bytes)}`).set('content-type', 'application/octet-stream').send(bytes);
    expect(res.status).toBe(201);
  };
  const putManifest = (pack: string, reference: string, body: string | Buffer) =>
    as(publisher).put(`${repo(pack)}/manifests/${reference}`).set('content-type', OCI_MANIFEST).send(body.toString());
  const canonicalDigest = (pack: string, version: string, tarball: Buffer) =>
    packManifest({ name: pack, version, digest: sha256(tarball), size: tarball.length }).digest;

  /** Uploads a cosign-layout signature of `subject` and answers its manifest (not yet pushed). */
  async function signatureOf(pack: string, subject: string, options: { withSubject?: boolean } = {}) {
    const payload = simpleSigningPayload(`${registry}/spectro-packs/archive/${pack}`, subject);
    const config = signatureConfig([sha256(payload)]);
    await uploadBlob(pack, payload);
    await uploadBlob(pack, config);
    const manifest = signatureManifest({ digest: subject, size: 400, mediaType: OCI_MANIFEST }, config, [
      { payload, annotations: { [COSIGN_SIGNATURE_ANNOTATION]: signPayload(payload, signer.privateKey) } },
    ]);
    if (options.withSubject !== false) return { manifest, payload, config };
    const doc = JSON.parse(manifest.toString());
    delete doc.subject;
    delete doc.artifactType;
    return { manifest: Buffer.from(JSON.stringify(doc)), payload, config };
  }

  const referrers = async (pack: string, subject: string, query = '') => {
    const res = await as(viewer).get(`${repo(pack)}/referrers/${subject}${query}`).buffer(true).parse(binary);
    return { status: res.status, headers: res.headers, body: JSON.parse(res.body.toString() || '{}') };
  };

  beforeAll(async () => {
    t = await createTestApp({ s3: true });
    registry = uniqueName('refs');
    await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name: registry, kind: 'HOSTED' } });
    viewer = await createToken(t, 'VIEWER', []);
    publisher = await createToken(t, 'PUBLISHER', [registry]);
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  it('accepts a signature before its subject (OCI-Subject), lists it once the subject lands, with the artifactType filter', async () => {
    const tarball = addonPackTarball('signed', '1.0.0');
    const subject = canonicalDigest('signed', '1.0.0', tarball);
    const { manifest } = await signatureOf('signed', subject);
    const put = await putManifest('signed', sha256(manifest), manifest);
    expect(put.status).toBe(201);
    expect(put.headers['oci-subject']).toBe(subject);
    expect(put.headers['docker-content-digest']).toBe(sha256(manifest));

    await uploadBlob('signed', tarball);
    expect((await putManifest('signed', '1.0.0', packManifestFor(tarball, 'signed-1.0.0.tar.gz'))).status).toBe(201);

    const listed = await referrers('signed', subject);
    expect(listed.status).toBe(200);
    expect(listed.headers['content-type']).toContain(OCI_INDEX);
    expect(listed.headers['oci-filters-applied']).toBeUndefined();
    expect(listed.body).toEqual({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [{ mediaType: OCI_MANIFEST, digest: sha256(manifest), size: manifest.length, artifactType: COSIGN_SIGNATURE_ARTIFACT_TYPE }],
    });
    const filtered = await referrers('signed', subject, `?artifactType=${encodeURIComponent(COSIGN_SIGNATURE_ARTIFACT_TYPE)}`);
    expect(filtered.headers['oci-filters-applied']).toBe('artifactType');
    expect(filtered.body.manifests).toHaveLength(1);
    const none = await referrers('signed', subject, '?artifactType=application%2Fvnd.example.sbom');
    expect(none.headers['oci-filters-applied']).toBe('artifactType');
    expect(none.body.manifests).toEqual([]);

    // Audited like any OCI push, as a referrer of its subject.
    const audit = await t.gql('query($t: String!) { auditEvents(filter: { action: "oci.putReferrer", target: $t }) { edges { node { outcome target details } } } }', {
      t: `${registry}/signed@${sha256(manifest)}`,
    });
    expect(audit.body.data!.auditEvents.edges.map((e: any) => [e.node.outcome, e.node.details.subject])).toEqual([['SUCCESS', subject]]);

    // The signature manifest and its blobs pull like any artifact of the repository.
    const pulled = await as(viewer).get(`${repo('signed')}/manifests/${sha256(manifest)}`).buffer(true).parse(binary);
    expect(pulled.status).toBe(200);
    expect(pulled.body.equals(manifest)).toBe(true);
    const layer = JSON.parse(manifest.toString()).layers[0];
    expect((await as(viewer).get(`${repo('signed')}/blobs/${layer.digest}`)).status).toBe(200);
  });

  it('answers an empty index for a subject with no referrers, and 400 for a bad digest', async () => {
    const tarball = addonPackTarball('plain', '1.0.0');
    await uploadBlob('plain', tarball);
    expect((await putManifest('plain', '1.0.0', packManifestFor(tarball, 'plain.tar.gz'))).status).toBe(201);
    const empty = await referrers('plain', sha256('nothing refers to this'));
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] });
    const bad = await referrers('plain', 'sha256:nothex');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].code).toBe('DIGEST_INVALID');
  });

  it('serves the tag-schema fallback: a manifest pushed to sha256-<hex>.sig is a referrer, tagged and listed', async () => {
    const tarball = addonPackTarball('tagged', '2.0.0');
    await uploadBlob('tagged', tarball);
    const pushed = await putManifest('tagged', '2.0.0', packManifestFor(tarball, 'tagged.tar.gz'));
    const subject = pushed.headers['docker-content-digest'] as string;
    const { manifest } = await signatureOf('tagged', subject, { withSubject: false });
    const sigTag = `${subject.replace(':', '-')}.sig`;
    const put = await putManifest('tagged', sigTag, manifest);
    expect(put.status).toBe(201);
    expect(put.headers['oci-subject']).toBeUndefined();

    const byTag = await as(viewer).get(`${repo('tagged')}/manifests/${sigTag}`).buffer(true).parse(binary);
    expect(byTag.status).toBe(200);
    expect(byTag.headers['docker-content-digest']).toBe(sha256(manifest));
    const tags = await as(viewer).get(`${repo('tagged')}/tags/list`);
    expect(tags.body.tags).toEqual(['2.0.0', sigTag]);
    const listed = await referrers('tagged', subject);
    expect(listed.body.manifests.map((m: { digest: string; artifactType: string }) => [m.digest, m.artifactType])).toEqual([
      [sha256(manifest), 'application/vnd.oci.image.config.v1+json'],
    ]);
    // A signature with no subject may only go to its tag-schema tag.
    const wrongTag = await putManifest('tagged', 'stable', manifest);
    expect(wrongTag.status).toBe(400);
  });

  it('refuses a referrer whose blobs were not uploaded', async () => {
    const subject = sha256('some manifest');
    const payload = simpleSigningPayload('x', subject);
    const manifest = signatureManifest({ digest: subject, size: 10, mediaType: OCI_MANIFEST }, signatureConfig([sha256(payload)]), [{ payload, annotations: {} }]);
    const put = await putManifest('missing', sha256(manifest), manifest);
    expect(put.status).toBe(400);
    expect(put.body.errors[0].code).toBe('MANIFEST_BLOB_UNKNOWN');
  });

  it('keeps a signature while its subject lives and deletes it with the subject', async () => {
    const tarball = addonPackTarball('follows', '1.0.0');
    await uploadBlob('follows', tarball);
    expect((await putManifest('follows', '1.0.0', packManifestFor(tarball, 'follows.tar.gz'))).status).toBe(201);
    const subject = canonicalDigest('follows', '1.0.0', tarball);
    const { manifest, payload, config } = await signatureOf('follows', subject);
    expect((await putManifest('follows', sha256(manifest), manifest)).status).toBe(201);
    // A second version keeps the pack (and so the repository) alive after the first goes.
    const other = addonPackTarball('follows', '1.1.0');
    await uploadBlob('follows', other);
    expect((await putManifest('follows', '1.1.0', packManifestFor(other, 'follows-1.1.0.tar.gz'))).status).toBe(201);

    const later = () => new Date(Date.now() + 60_000);
    const collect = () => collectOrphanArtifacts(t.services.packStore.artifacts, t.artifacts, PUSHED_MANIFEST_FORMAT, { graceMs: 0, now: later });
    await collect();
    for (const digest of [sha256(manifest), sha256(payload), sha256(config)]) expect(await t.artifacts.exists(digest)).toBe(true);
    expect((await referrers('follows', subject)).body.manifests).toHaveLength(1);

    const deleted = await t.gql('mutation($r: String!) { deletePackVersion(name: "follows", version: "1.0.0", registry: $r) }', { r: registry });
    expect(deleted.body.errors).toBeUndefined();
    expect((await referrers('follows', subject)).body.manifests).toEqual([]);
    expect((await as(viewer).get(`${repo('follows')}/manifests/${sha256(manifest)}`)).status).toBe(404);
    await collect();
    for (const digest of [sha256(manifest), sha256(payload), sha256(config)]) expect(await t.artifacts.exists(digest)).toBe(false);
  });

  it('keeps a signature pushed before a subject that lands through pushPack', async () => {
    const tarball = addonPackTarball('graphql-subject', '1.0.0');
    const subject = canonicalDigest('graphql-subject', '1.0.0', tarball);
    const { manifest, payload } = await signatureOf('graphql-subject', subject);
    expect((await putManifest('graphql-subject', sha256(manifest), manifest)).status).toBe(201);
    const pushed = await pushArchive(t.app, publisher, registry, tarball);
    expect(pushed.body.errors).toBeUndefined();
    await collectOrphanArtifacts(t.services.packStore.artifacts, t.artifacts, PUSHED_MANIFEST_FORMAT, { graceMs: 0, now: () => new Date(Date.now() + 60_000) });
    expect(await t.artifacts.exists(sha256(manifest))).toBe(true);
    expect(await t.artifacts.exists(sha256(payload))).toBe(true);
    expect((await referrers('graphql-subject', subject)).body.manifests).toHaveLength(1);
  });

  it("lets Debian's skopeo find and copy a signature through the tag-schema fallback", async () => {
    const tarball = addonPackTarball('skopeo-signed', '1.0.0');
    await uploadBlob('skopeo-signed', tarball);
    const pushed = await putManifest('skopeo-signed', '1.0.0', packManifestFor(tarball, 'skopeo-signed.tar.gz'));
    const subject = pushed.headers['docker-content-digest'] as string;
    const { manifest, payload } = await signatureOf('skopeo-signed', subject, { withSubject: false });
    const sigTag = `${subject.replace(':', '-')}.sig`;
    expect((await putManifest('skopeo-signed', sigTag, manifest)).status).toBe(201);

    const server = t.app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const work = await mkdtemp(path.join(tmpdir(), 'skopeo-sig-'));
    try {
      const authFile = path.join(work, 'auth.json');
      await writeFile(authFile, '{}');
      const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
      const image = `docker://${host}/${registry}/spectro-packs/archive/skopeo-signed`;
      const skopeo = (...args: string[]) =>
        new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
          execFile('skopeo', args, { env: { ...process.env, REGISTRY_AUTH_FILE: authFile }, timeout: 60_000 }, (error, stdout, stderr) =>
            resolve({ code: error ? 1 : 0, stdout, stderr }),
          ),
        );
      const creds = ['--tls-verify=false', '--creds', `someone:${viewer}`];
      const tags = await skopeo('list-tags', ...creds, image);
      expect(tags.stderr).toBe('');
      expect(JSON.parse(tags.stdout).Tags).toEqual(['1.0.0', sigTag]);
      const raw = await skopeo('inspect', '--raw', ...creds, `${image}:${sigTag}`);
      expect(raw.code).toBe(0);
      expect(Buffer.from(raw.stdout).equals(manifest)).toBe(true);
      const copied = await skopeo('copy', '--src-tls-verify=false', '--src-creds', `someone:${viewer}`, `${image}:${sigTag}`, `oci:${path.join(work, 'layout')}:sig`);
      expect(copied.stderr).toBe('');
      const layer = JSON.parse(manifest.toString()).layers[0];
      const copiedPayload = await readFile(path.join(work, 'layout', 'blobs', 'sha256', layer.digest.slice('sha256:'.length)));
      expect(copiedPayload.equals(payload)).toBe(true);
    } finally {
      server.close();
      await rm(work, { recursive: true, force: true });
    }
  }, 60_000);
});
