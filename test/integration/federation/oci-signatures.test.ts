/**
 * Signatures come along with a sync from an OCI upstream (another pack-catalog's /v2, which serves
 * the referrers API; Debian's docker-registry, which has only cosign's `sha256-<hex>.sig` tag) and
 * keep their verified state downstream: checked against the downstream registry's trust policy, an
 * unsigned item is an item error under REQUIRE.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import request from 'supertest';
import { createTestApp, uniqueName, type TestApp } from '../../helpers/test-app.js';
import { addonPackTarball } from '../../helpers/tar-builder.js';
import { pushArchive } from '../../helpers/packs.js';
import { createScratchDatabase, createUpstreamRegistry, syncViaApi } from '../../helpers/federation.js';
import { pushBlob, pushManifest, pushOciPack, startOciRegistry, type OciRegistryServer } from '../../helpers/oci-registry.js';
import { packManifest } from '../../../src/packs/pack.oci-manifest.js';
import { COSIGN_SIGNATURE_ANNOTATION, signPayload, signatureConfig, signatureManifest, simpleSigningPayload } from '../../../src/packs/pack.signature.js';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const sha256 = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

describe('signatures synced from an OCI upstream (pack-catalog /v2)', () => {
  let upstream: TestApp;
  let downstream: TestApp;
  let server: Server;
  let dropDatabase: () => Promise<void>;
  let endpoint: string;
  const hosted = uniqueName('sigup');
  const signer = generateKeyPairSync('ed25519');

  beforeAll(async () => {
    const scratch = await createScratchDatabase('sigup');
    dropDatabase = scratch.drop;
    upstream = await createTestApp({ env: scratch.env });
    downstream = await createTestApp({ s3: true });
    server = upstream.app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await upstream.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name: hosted, kind: 'HOSTED' } });

    // signed:1.0.0 with a signature as a referrer of its canonical manifest; plain:1.0.0 without.
    const signed = addonPackTarball('signed', '1.0.0');
    expect((await pushArchive(upstream.app, upstream.adminToken, hosted, signed)).body.errors).toBeUndefined();
    expect((await pushArchive(upstream.app, upstream.adminToken, hosted, addonPackTarball('plain', '1.0.0'))).body.errors).toBeUndefined();
    const subject = packManifest({ name: 'signed', version: '1.0.0', digest: sha256(signed), size: signed.length });
    const repo = `/v2/${hosted}/spectro-packs/archive/signed`;
    const payload = simpleSigningPayload(`${hosted}/spectro-packs/archive/signed`, subject.digest);
    const config = signatureConfig([sha256(payload)]);
    const auth = `Bearer ${upstream.adminToken}`;
    for (const blob of [payload, config]) {
      const res = await request(upstream.app).post(`${repo}/blobs/uploads/?digest=${sha256(blob)}`).set('authorization', auth).set('content-type', 'application/octet-stream').send(blob);
      expect(res.status).toBe(201);
    }
    const manifest = signatureManifest({ digest: subject.digest, size: subject.bytes.length, mediaType: OCI_MANIFEST }, config, [
      { payload, annotations: { [COSIGN_SIGNATURE_ANNOTATION]: signPayload(payload, signer.privateKey) } },
    ]);
    const put = await request(upstream.app).put(`${repo}/manifests/${sha256(manifest)}`).set('authorization', auth).set('content-type', OCI_MANIFEST).send(manifest.toString());
    expect(put.status).toBe(201);
  }, 90_000);

  afterAll(async () => {
    server?.close();
    await downstream?.close();
    await upstream?.close();
    await dropDatabase?.();
  });

  it('fetches the upstream signature with the pack, verifies it downstream, and refuses the unsigned pack under REQUIRE', async () => {
    const name = uniqueName('fedsig');
    await createUpstreamRegistry(downstream, { name, kind: 'OCI', endpoint, basePath: hosted, credentials: { token: upstream.adminToken } });
    const policy = await downstream.gql('mutation($r: String!, $i: TrustPolicyInput!) { setTrustPolicy(registry: $r, input: $i) { enforce } }', {
      r: name,
      i: { enforce: 'REQUIRE', keys: [{ name: 'upstream-release', publicKeyPem: signer.publicKey.export({ type: 'spki', format: 'pem' }).toString() }] },
    });
    expect(policy.body.errors).toBeUndefined();

    const run = await syncViaApi(downstream, name);
    expect(run.added).toBe(1);
    expect(run.errors).toEqual([{ item: 'plain:1.0.0', message: expect.stringContaining('SIGNATURE_MISSING') }]);
    const version = await downstream.gql('query($r: String) { packVersion(name: "signed", version: "1.0.0", registry: $r) { signatures { keyName algorithm verified } } }', {
      r: name,
    });
    expect(version.body.data!.packVersion.signatures).toEqual([{ keyName: 'upstream-release', algorithm: 'ED25519', verified: true }]);
  }, 90_000);
});

describe("signatures synced from Debian's docker-registry (cosign's .sig tag)", () => {
  let t: TestApp;
  let oci: OciRegistryServer;
  const signer = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  beforeAll(async () => {
    t = await createTestApp({ s3: true });
    oci = await startOciRegistry();
  }, 60_000);

  afterAll(async () => {
    await oci?.close();
    await t?.close();
  });

  it('keeps the verified state of a pack pushed with oras and signed over its manifest digest', async () => {
    const tarball = addonPackTarball('orasigned', '2.0.0');
    const pushed = await pushOciPack(oci.url, { name: 'orasigned', version: '2.0.0', tarball, basePath: 'team' });
    // cosign's classic layout: the signature manifest (no subject) at sha256-<hex>.sig of the signed manifest.
    const payload = simpleSigningPayload(`127.0.0.1/${pushed.repository}`, pushed.manifestDigest);
    const config = signatureConfig([sha256(payload)]);
    await pushBlob(oci.url, pushed.repository, payload);
    await pushBlob(oci.url, pushed.repository, config);
    await pushManifest(oci.url, pushed.repository, `${pushed.manifestDigest.replace(':', '-')}.sig`, {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
      layers: [
        {
          mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
          digest: sha256(payload),
          size: payload.length,
          annotations: { [COSIGN_SIGNATURE_ANNOTATION]: signPayload(payload, signer.privateKey) },
        },
      ],
    });

    const name = uniqueName('regsig');
    await createUpstreamRegistry(t, { name, kind: 'OCI', endpoint: oci.url, basePath: 'team' });
    const pem = signer.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(
      (await t.gql('mutation($r: String!, $i: TrustPolicyInput!) { setTrustPolicy(registry: $r, input: $i) { enforce } }', { r: name, i: { enforce: 'REQUIRE', keys: [{ name: 'team', publicKeyPem: pem }] } }))
        .body.errors,
    ).toBeUndefined();
    const run = await syncViaApi(t, name);
    expect(run).toMatchObject({ added: 1, errors: [] });
    const version = await t.gql('query($r: String) { packVersion(name: "orasigned", version: "2.0.0", registry: $r) { digest signatures { keyName verified } } }', { r: name });
    expect(version.body.data!.packVersion).toEqual({ digest: sha256(tarball), signatures: [{ keyName: 'team', verified: true }] });
  }, 60_000);
});
