/**
 * Signed packs: a registry's trust policy (set by ADMIN, audited) checked on OCI pushes and pushPack
 * against cosign-layout signatures stored as OCI referrers. Keys are made with node:crypto; each
 * refusal has its own code.
 */
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import request from 'supertest';
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';
import { addonPackTarball } from '../helpers/tar-builder.js';
import { PACK_CENTRAL, pushArchive } from '../helpers/packs.js';
import { createUpstreamRegistry, listedVersions, syncViaApi } from '../helpers/federation.js';
import path from 'node:path';
import { packManifest } from '../../src/oci/oci.manifest.js';
import {
  COSIGN_SIGNATURE_ANNOTATION,
  KEY_HINT_ANNOTATION,
  keyHintOf,
  signPayload,
  signatureConfig,
  signatureManifest,
  simpleSigningPayload,
} from '../../src/packs/pack.signature.js';

const EMPTY_CONFIG = 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const sha256 = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const basic = (token: string) => `Basic ${Buffer.from(`someone:${token}`).toString('base64')}`;
const pem = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();

describe('signature verification under a registry trust policy (PostgreSQL + S3)', () => {
  let t: TestApp;
  let registry: string;
  let publisher: string;
  const release = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ops = generateKeyPairSync('ed25519');
  const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  const repo = (pack: string) => `/v2/${registry}/spectro-packs/archive/${pack}`;
  const uploadBlob = async (pack: string, bytes: Buffer) => {
    const res = await request(t.app)
      .post(`${repo(pack)}/blobs/uploads/?digest=${sha256(bytes)}`)
      .set('authorization', basic(publisher))
      .set('content-type', 'application/octet-stream')
      .send(bytes);
    expect(res.status).toBe(201);
  };
  const putManifest = (pack: string, reference: string, body: string) =>
    request(t.app).put(`${repo(pack)}/manifests/${reference}`).set('authorization', basic(publisher)).set('content-type', OCI_MANIFEST).send(body);
  const canonical = (pack: string, version: string, tarball: Buffer) => packManifest({ name: pack, version, digest: sha256(tarball), size: tarball.length }).digest;

  /** Pushes a cosign-layout signature referring to `subject`; `edit` spoils it one way. */
  async function pushSignature(
    pack: string,
    subject: string,
    key: KeyObject,
    options: { signedDigest?: string; tamper?: boolean; annotation?: string; hint?: KeyObject } = {},
  ): Promise<void> {
    const signed = simpleSigningPayload(`${registry}/spectro-packs/archive/${pack}`, options.signedDigest ?? subject);
    const signature = options.annotation ?? signPayload(signed, key);
    const payload = options.tamper ? Buffer.from(signed.toString().replace('spectro-packs', 'other-packs')) : signed;
    const config = signatureConfig([sha256(payload)]);
    await uploadBlob(pack, payload);
    await uploadBlob(pack, config);
    const annotations = { [COSIGN_SIGNATURE_ANNOTATION]: signature, ...(options.hint ? { [KEY_HINT_ANNOTATION]: keyHintOf(options.hint) } : {}) };
    const manifest = signatureManifest({ digest: subject, size: 300, mediaType: OCI_MANIFEST }, config, [{ payload, annotations }]);
    const put = await putManifest(pack, sha256(manifest), manifest.toString());
    expect(put.status).toBe(201);
  }

  /** Uploads the tarball and pushes its pack manifest over OCI. */
  async function pushPackOverOci(pack: string, version: string, tarball: Buffer) {
    await uploadBlob(pack, tarball);
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.unknown.config.v1+json', digest: EMPTY_CONFIG, size: 2 },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(tarball), size: tarball.length }],
    });
    return putManifest(pack, version, manifest);
  }

  const setPolicy = (input: object, token?: string | null) =>
    t.gql(
      'mutation($r: String!, $i: TrustPolicyInput!) { setTrustPolicy(registry: $r, input: $i) { enforce updatedBy keys { name algorithm } } }',
      { r: registry, i: input },
      token,
    );

  beforeAll(async () => {
    t = await createTestApp({ s3: true });
    registry = uniqueName('signed');
    await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name: registry, kind: 'HOSTED' } });
    publisher = (
      await t.gql('mutation($n: String!, $g: [String!]) { createApiToken(name: $n, role: PUBLISHER, registries: $g) { token } }', {
        n: uniqueName('publisher'),
        g: [registry],
      })
    ).body.data!.createApiToken.token as string;
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  it('lets only ADMIN set a policy, checks every key, and audits who changed it', async () => {
    const refused = await setPolicy({ enforce: 'REQUIRE', keys: [{ name: 'release', publicKeyPem: pem(release.publicKey) }] }, publisher);
    expect(refused.body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey;
    const bad = await setPolicy({ enforce: 'REQUIRE', keys: [{ name: 'x', publicKeyPem: pem(p384) }, { name: 'x', publicKeyPem: 'nope' }] });
    expect(bad.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(bad.body.errors![0]!.extensions!.issues.map((i: { code: string; path: string }) => [i.code, i.path])).toEqual([
      ['INVALID_PUBLIC_KEY', 'input.keys[0].publicKeyPem'],
      ['DUPLICATE_KEY_NAME', 'input.keys[1].name'],
      ['INVALID_PUBLIC_KEY', 'input.keys[1].publicKeyPem'],
    ]);
    const set = await setPolicy({
      enforce: 'REQUIRE',
      keys: [
        { name: 'release', publicKeyPem: pem(release.publicKey) },
        { name: 'ops', publicKeyPem: pem(ops.publicKey) },
      ],
    });
    expect(set.body.errors).toBeUndefined();
    expect(set.body.data!.setTrustPolicy.keys).toEqual([
      { name: 'release', algorithm: 'ECDSA_P256_SHA256' },
      { name: 'ops', algorithm: 'ED25519' },
    ]);
    const audit = await t.gql('query($t: String!) { auditEvents(filter: { action: "setTrustPolicy", target: $t }) { edges { node { actor outcome target details } } } }', { t: registry });
    const outcomes = audit.body.data!.auditEvents.edges.map((e: { node: { outcome: string; details: { enforce?: string } } }) => [e.node.outcome, e.node.details.enforce]);
    expect(outcomes).toEqual(expect.arrayContaining([['SUCCESS', 'REQUIRE'], ['FAILURE', 'REQUIRE']]));
    const read = await t.gql('query($r: String!) { trustPolicy(registry: $r) { enforce keys { name } } }', { r: registry }, publisher);
    expect(read.body.data!.trustPolicy).toEqual({ enforce: 'REQUIRE', keys: [{ name: 'release' }, { name: 'ops' }] });
  });

  it.each([
    ['P-256', 'ecdsa-ok', () => release.privateKey],
    ['Ed25519', 'ed-ok', () => ops.privateKey],
  ])('accepts an OCI push signed with a trusted %s key, pushed before its subject', async (_kind, pack, key) => {
    const tarball = addonPackTarball(pack, '1.0.0');
    await pushSignature(pack, canonical(pack, '1.0.0', tarball), key());
    const put = await pushPackOverOci(pack, '1.0.0', tarball);
    expect(put.status).toBe(201);
  });

  it.each([
    ['no signature', 'unsigned', 'SIGNATURE_MISSING', null],
    ['a tampered payload', 'tampered', 'SIGNATURE_TAMPERED', { tamper: true, hint: release.publicKey }],
    ['a signature over another digest', 'otherdigest', 'SIGNATURE_DIGEST_MISMATCH', { signedDigest: sha256('another manifest') }],
    ['an unknown key', 'stranger', 'SIGNATURE_UNKNOWN_KEY', { key: stranger.privateKey }],
    ['a malformed annotation', 'malformed', 'SIGNATURE_MALFORMED', { annotation: 'not*base64' }],
  ] as const)('refuses an OCI push with %s (pack %s: DENIED, %s)', async (_case, pack, reason, options) => {
    const tarball = addonPackTarball(pack, '1.0.0');
    if (options) {
      const { key, ...rest } = options as { key?: KeyObject; tamper?: boolean; signedDigest?: string; annotation?: string; hint?: KeyObject };
      await pushSignature(pack, canonical(pack, '1.0.0', tarball), key ?? release.privateKey, rest);
    }
    const put = await pushPackOverOci(pack, '1.0.0', tarball);
    expect(put.status).toBe(403);
    expect(put.body.errors[0]).toMatchObject({ code: 'DENIED', detail: { reason } });
    const version = await t.gql('query($r: String) { packVersion(name: $n, version: "1.0.0", registry: $r) { digest } }'.replace('$n', `"${pack}"`), { r: registry });
    expect(version.body.data?.packVersion ?? null).toBeNull();
  });

  it('applies the policy to pushPack: refused unsigned with the signature issue, accepted once signed', async () => {
    const tarball = addonPackTarball('graphql-push', '1.0.0');
    const unsigned = await pushArchive(t.app, publisher, registry, tarball);
    expect(unsigned.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(unsigned.body.errors[0].extensions.issues[0]).toMatchObject({ code: 'SIGNATURE_MISSING', path: 'signature' });
    await pushSignature('graphql-push', canonical('graphql-push', '1.0.0', tarball), ops.privateKey);
    const signed = await pushArchive(t.app, publisher, registry, tarball);
    expect(signed.body.errors).toBeUndefined();
    expect(signed.body.data.pushPack.digest).toBe(sha256(tarball));
  });

  it('shows each version\'s signatures in the API, checked against the current policy, in constant statements per page', async () => {
    // Pushed under REQUIRE by the earlier cases: ecdsa-ok (release), ed-ok (ops), graphql-push (ops).
    const page = async () => {
      t.takeQueryCount();
      const res = await t.gql(
        'query($r: [String!]) { packs(filter: { registry: $r }, first: 100) { edges { node { name latest { signatures { keyName algorithm verified failure signedAt } } } } } }',
        { r: [registry] },
      );
      return { res, statements: t.takeQueryCount() };
    };
    const { res, statements } = await page();
    const byName = Object.fromEntries(res.body.data!.packs.edges.map((e: any) => [e.node.name, e.node.latest.signatures]));
    expect(byName['ecdsa-ok']).toEqual([{ keyName: 'release', algorithm: 'ECDSA_P256_SHA256', verified: true, failure: null, signedAt: expect.any(String) }]);
    expect(byName['ed-ok']).toEqual([{ keyName: 'ops', algorithm: 'ED25519', verified: true, failure: null, signedAt: expect.any(String) }]);
    expect(byName['graphql-push']).toEqual([expect.objectContaining({ keyName: 'ops', verified: true })]);

    // Another signed version adds no statement to the page.
    const tarball = addonPackTarball('one-more', '1.0.0');
    await pushSignature('one-more', canonical('one-more', '1.0.0', tarball), release.privateKey);
    expect((await pushPackOverOci('one-more', '1.0.0', tarball)).status).toBe(201);
    const again = await page();
    expect(again.res.body.data!.packs.edges).toHaveLength(res.body.data!.packs.edges.length + 1);
    expect(again.statements).toBe(statements);

    const names = async (verified: boolean) =>
      (
        await t.gql('query($r: [String!], $v: Boolean) { packs(filter: { registry: $r, verified: $v }, first: 100) { edges { node { name } } } }', {
          r: [registry],
          v: verified,
        })
      ).body.data!.packs.edges.map((e: { node: { name: string } }) => e.node.name);
    expect(await names(true)).toEqual(['ecdsa-ok', 'ed-ok', 'graphql-push', 'one-more']);
    expect(await names(false)).toEqual([]);

    // Checked against the policy as it is now: a key dropped from it no longer verifies (and the filter follows at once).
    expect((await setPolicy({ enforce: 'WARN', keys: [{ name: 'ops', publicKeyPem: pem(ops.publicKey) }] })).body.errors).toBeUndefined();
    expect(await names(true)).toEqual(['ed-ok', 'graphql-push']);
    expect(await names(false)).toEqual(['ecdsa-ok', 'one-more']);
    const now = await t.gql('query($r: String) { packVersion(name: "ecdsa-ok", version: "1.0.0", registry: $r) { signatures { keyName verified failure } } }', {
      r: registry,
    });
    expect(now.body.data!.packVersion.signatures).toEqual([{ keyName: null, verified: false, failure: 'SIGNATURE_UNKNOWN_KEY' }]);
  });

  it('accepts an unsigned version under WARN, and anything under NONE', async () => {
    expect((await setPolicy({ enforce: 'WARN', keys: [{ name: 'release', publicKeyPem: pem(release.publicKey) }] })).body.errors).toBeUndefined();
    expect((await pushPackOverOci('warned', '1.0.0', addonPackTarball('warned', '1.0.0'))).status).toBe(201);
    expect((await setPolicy({ enforce: 'NONE', keys: [] })).body.errors).toBeUndefined();
    expect((await pushArchive(t.app, publisher, registry, addonPackTarball('unchecked', '1.0.0'))).body.errors).toBeUndefined();
  });

  it('marks each synced item without a valid signature as an item error under REQUIRE, and takes them under WARN', async () => {
    const upstream = uniqueName('sync-signed');
    await createUpstreamRegistry(t, { name: upstream, kind: 'DIRECTORY', endpoint: path.join(PACK_CENTRAL, 'full') });
    const key = [{ name: 'release', publicKeyPem: pem(release.publicKey) }];
    const policy = (enforce: string) =>
      t.gql('mutation($r: String!, $i: TrustPolicyInput!) { setTrustPolicy(registry: $r, input: $i) { enforce } }', { r: upstream, i: { enforce, keys: key } });
    expect((await policy('REQUIRE')).body.errors).toBeUndefined();
    const refused = await syncViaApi(t, upstream);
    expect(refused.added).toBe(0);
    expect(refused.errors.length).toBeGreaterThan(0);
    for (const error of refused.errors) expect(error.message).toContain('SIGNATURE_MISSING');
    expect(await listedVersions(t, upstream)).toEqual([]);

    expect((await policy('WARN')).body.errors).toBeUndefined();
    const taken = await syncViaApi(t, upstream, true);
    expect(taken.added).toBe(refused.errors.length);
    expect(taken.errors).toEqual([]);
  }, 60_000);
});
