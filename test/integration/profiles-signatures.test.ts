/**
 * Issue 18 (3): profile validation warns UNSIGNED_PACK for a layer whose pack version has no
 * signature a trusted key verifies, in a registry whose trust policy enforces WARN (or REQUIRE);
 * NONE says nothing. The signature state is cached with the resolution at the catalog generation:
 * a signature pushed (over OCI, cosign layout, as test/integration/signatures.test.ts pushes them)
 * or a policy changed is seen by the next validation.
 */
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import request from 'supertest';
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';
import { addonPackTarball } from '../helpers/tar-builder.js';
import { pushArchive } from '../helpers/packs.js';
import { packManifest } from '../../src/oci/oci.manifest.js';
import { COSIGN_SIGNATURE_ANNOTATION, signPayload, signatureConfig, signatureManifest, simpleSigningPayload } from '../../src/packs/pack.signature.js';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const VALIDATE = `query($input: ProfileInput!) {
  validateProfile(input: $input) { valid issues { code severity layerIndex pack path message } resolvedLayers { layerIndex pack registry version } }
}`;
const sha256 = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const basic = (token: string) => `Basic ${Buffer.from(`someone:${token}`).toString('base64')}`;
const pem = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();

describe('UNSIGNED_PACK in profile validation, under each registry trust policy (PostgreSQL, cached resolution)', () => {
  let t: TestApp;
  let publisher: string;
  const warned = uniqueName('warned');
  // Names of this file's own: other files validate cert-manager and friends against the same
  // database, and must not find these (WARN-policy) copies, nor this file theirs.
  const CM = uniqueName('sig-cert-manager');
  const DNS = uniqueName('sig-external-dns');
  const LB = uniqueName('sig-metallb');
  const open = uniqueName('open');
  const release = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const tarballs = {
    signed: addonPackTarball(CM, '1.16.1'),
    unsigned: addonPackTarball(DNS, '1.15.0'),
    plain: addonPackTarball(LB, '0.14.8'),
  };

  const setPolicy = async (registry: string, input: object) => {
    const res = await t.gql('mutation($r: String!, $i: TrustPolicyInput!) { setTrustPolicy(registry: $r, input: $i) { enforce } }', { r: registry, i: input });
    expect(res.body.errors).toBeUndefined();
  };

  /** A cosign-layout signature of `pack`'s canonical manifest, pushed over OCI before or after the version. */
  async function pushSignature(registry: string, pack: string, version: string, tarball: Buffer, key: KeyObject): Promise<void> {
    const repo = `/v2/${registry}/spectro-packs/archive/${pack}`;
    const subject = packManifest({ name: pack, version, digest: sha256(tarball), size: tarball.length }).digest;
    const payload = simpleSigningPayload(`${registry}/spectro-packs/archive/${pack}`, subject);
    const config = signatureConfig([sha256(payload)]);
    for (const blob of [payload, config]) {
      const res = await request(t.app)
        .post(`${repo}/blobs/uploads/?digest=${sha256(blob)}`)
        .set('authorization', basic(publisher))
        .set('content-type', 'application/octet-stream')
        .send(blob);
      expect(res.status).toBe(201);
    }
    const manifest = signatureManifest({ digest: subject, size: 300, mediaType: OCI_MANIFEST }, config, [
      { payload, annotations: { [COSIGN_SIGNATURE_ANNOTATION]: signPayload(payload, key) } },
    ]);
    const put = await request(t.app)
      .put(`${repo}/manifests/${sha256(manifest)}`)
      .set('authorization', basic(publisher))
      .set('content-type', OCI_MANIFEST)
      .send(manifest.toString());
    expect(put.status).toBe(201);
  }

  const input = () => ({
    name: uniqueName('signed-profile'),
    type: 'ADDON',
    cloudType: 'all',
    layers: [
      { pack: CM, version: '1.16.1', registry: warned },
      { pack: DNS, version: '1.15.0', registry: warned },
      { pack: LB, version: '0.14.8', registry: open },
    ],
  });

  async function validate(profile: object): Promise<{ count: number; result: any }> {
    t.takeQueryCount();
    const { body } = await t.gql(VALIDATE, { input: profile });
    expect(body.errors).toBeUndefined();
    return { count: t.takeQueryCount(), result: body.data!.validateProfile };
  }

  async function floor(): Promise<number> {
    t.takeQueryCount();
    expect((await t.gql('{ __typename }')).body.errors).toBeUndefined();
    return t.takeQueryCount();
  }

  const unsigned = (result: any) => result.issues.filter((i: { code: string }) => i.code === 'UNSIGNED_PACK');

  beforeAll(async () => {
    t = await createTestApp();
    // What startServer does: this process hears every catalog write, so the resolution cache serves.
    if (t.database.kind === 'postgresql') await t.services.catalogChanges.listen(t.database.connectionString);
    else t.services.catalogChanges.useExclusiveDatabase();
    for (const name of [warned, open]) {
      expect((await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name, kind: 'HOSTED' } })).body.errors).toBeUndefined();
    }
    publisher = (
      await t.gql('mutation($n: String!, $g: [String!]) { createApiToken(name: $n, role: PUBLISHER, registries: $g) { token } }', {
        n: uniqueName('publisher'),
        g: [warned, open],
      })
    ).body.data!.createApiToken.token as string;
    await setPolicy(warned, { enforce: 'WARN', keys: [{ name: 'release', publicKeyPem: pem(release.publicKey) }] });
    await setPolicy(open, { enforce: 'NONE', keys: [] });
    // cert-manager signed before its push; external-dns and metallb unsigned (accepted: WARN and NONE).
    await pushSignature(warned, CM, '1.16.1', tarballs.signed, release.privateKey);
    for (const [registry, tarball] of [[warned, tarballs.signed], [warned, tarballs.unsigned], [open, tarballs.plain]] as const) {
      expect((await pushArchive(t.app, publisher, registry, tarball)).body.errors).toBeUndefined();
    }
  }, 120_000);

  afterAll(async () => {
    await t.services.catalogChanges.close();
    await t.close();
  });

  it('warns for the unsigned layer in the WARN registry only, naming the layer, version and registry; the profile stays valid', async () => {
    const { result } = await validate(input());
    expect(result.valid).toBe(true);
    expect(result.resolvedLayers.map((l: { registry: string }) => l.registry)).toEqual([warned, warned, open]);
    expect(result.issues).toEqual([
      {
        code: 'UNSIGNED_PACK',
        severity: 'WARNING',
        layerIndex: 1,
        pack: DNS,
        path: 'layers[1]',
        message: `${DNS} 1.15.0 from registry "${warned}" has no signature verified by its trust policy (WARN)`,
      },
    ]);
  });

  it('answers from the cache until a signature lands, then the warning goes away on the next validation', async () => {
    const profile = input();
    const first = await validate(profile);
    const cached = await validate(profile);
    expect(cached.count).toBe(await floor());
    expect(cached.result).toEqual(first.result);
    expect(unsigned(cached.result)).toHaveLength(1);

    await pushSignature(warned, DNS, '1.15.0', tarballs.unsigned, release.privateKey);
    const signed = await validate(profile);
    expect(signed.count).toBeGreaterThan(await floor());
    expect(signed.result.issues).toEqual([]);
  });

  it('follows a trust policy change: NONE to WARN warns for the unsigned layer there, a dropped key unsigns the others', async () => {
    const profile = input();
    expect((await validate(profile)).result.issues).toEqual([]);
    expect((await validate(profile)).count).toBe(await floor());

    await setPolicy(open, { enforce: 'WARN', keys: [{ name: 'release', publicKeyPem: pem(release.publicKey) }] });
    const after = await validate(profile);
    expect(unsigned(after.result)).toEqual([expect.objectContaining({ layerIndex: 2, pack: LB, path: 'layers[2]', message: expect.stringContaining(`registry "${open}"`) })]);

    const other = generateKeyPairSync('ed25519');
    await setPolicy(warned, { enforce: 'REQUIRE', keys: [{ name: 'other', publicKeyPem: pem(other.publicKey) }] });
    const required = await validate(profile);
    expect(unsigned(required.result).map((i: { layerIndex: number; message: string }) => [i.layerIndex, i.message.endsWith('(REQUIRE)')])).toEqual([
      [0, true],
      [1, true],
      [2, false],
    ]);
  });
});
