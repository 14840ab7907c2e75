/**
 * Issue 12, private registries: the security matrix of what each caller sees of a PRIVATE registry
 * on every read path (GraphQL, /v2, /helm, /artifacts). A separate app from security.test.ts: this
 * one allows anonymous reads, so anonymous callers see PUBLIC registries and must still miss PRIVATE ones.
 */
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';
import { pushArchive, uniquePackCopy } from '../helpers/packs.js';
import { buildTarGz, minimalPackEntries } from '../helpers/tar-builder.js';

const EMPTY_CONFIG = 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';

type Who = 'admin' | 'named' | 'viewerElsewhere' | 'anonymous';
const WHO: Who[] = ['admin', 'named', 'viewerElsewhere', 'anonymous'];
/** ADMINs and tokens naming the registry see it; everyone else finds nothing there. */
const EXPECTED: Record<Who, 'seen' | 'hidden'> = { admin: 'seen', named: 'seen', viewerElsewhere: 'hidden', anonymous: 'hidden' };

describe('private registries', () => {
  let t: TestApp;
  let secret: string;
  let open: string;
  let shared: string;
  /** A copy of crossplane 2.1.3 (with its chart and a logo) under a name of this test's own. */
  let hidden: string;
  const tokens = {} as Record<Who, string | null>;
  /** Its archive digest and its logo URL path. */
  let objects: { archive: string; logo: string };

  const gqlAs = async (who: Who, query: string, variables: Record<string, unknown> = {}) => {
    const { body } = await t.gql(query, variables, tokens[who]);
    expect(body.errors).toBeUndefined();
    return body.data!;
  };
  const get = (who: Who, url: string) => {
    const call = request(t.app).get(url);
    return tokens[who] ? call.set('authorization', `Bearer ${tokens[who]}`) : call;
  };
  const repo = (registry: string, pack: string) => `/v2/${registry}/spectro-packs/archive/${pack}`;

  beforeAll(async () => {
    t = await createTestApp({ env: { ALLOW_ANONYMOUS_READ: 'true' } });
    secret = uniqueName('secret');
    open = uniqueName('open');
    shared = uniqueName('shared');
    hidden = uniqueName('xp');
    const created = await t.gql(
      `mutation($s: String!, $o: String!) {
        s: createRegistry(input: { name: $s, kind: HOSTED, visibility: PRIVATE }) { visibility }
        o: createRegistry(input: { name: $o, kind: HOSTED }) { visibility } }`,
      { s: secret, o: open },
    );
    expect(created.body.data).toEqual({ s: { visibility: 'PRIVATE' }, o: { visibility: 'PUBLIC' } });
    const token = async (registries: string[]) =>
      (await t.gql('mutation($n: String!, $g: [String!]) { createApiToken(name: $n, role: VIEWER, registries: $g) { token } }', { n: uniqueName('v'), g: registries }))
        .body.data!.createApiToken.token as string;
    tokens.admin = t.adminToken;
    tokens.named = await token([secret]);
    tokens.viewerElsewhere = await token([open]);
    tokens.anonymous = null;

    // The crossplane copy only in the private registry; `shared` in both.
    const pushed = await pushArchive(t.app, t.adminToken, secret, await uniquePackCopy('crossplane-2.1.3', hidden));
    expect(pushed.body.errors).toBeUndefined();
    const sharedPack = buildTarGz(
      minimalPackEntries(`${shared}-1.0.0`, {
        'pack.json': JSON.stringify({ name: shared, displayName: shared, version: '1.0.0', layer: 'addon', cloudTypes: ['all'], charts: [] }),
      }),
    );
    for (const registry of [secret, open]) expect((await pushArchive(t.app, t.adminToken, registry, sharedPack)).body.errors).toBeUndefined();
    const { body } = await t.gql('query($n: String!) { packVersion(name: $n, version: "2.1.3") { digest pack { logoUrl } } }', { n: hidden });
    objects = { archive: body.data!.packVersion.digest, logo: new URL(body.data!.packVersion.pack.logoUrl).pathname };
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  /** Each check answers whether the caller saw the private registry's content through one read path. */
  const checks: Array<{ name: string; seen(who: Who): Promise<boolean> }> = [
    { name: 'registries', seen: async (w) => (await gqlAs(w, '{ registries { name } }')).registries.some((r: { name: string }) => r.name === secret) },
    { name: 'registry', seen: async (w) => (await gqlAs(w, 'query($n: String!) { registry(name: $n) { name } }', { n: secret })).registry !== null },
    {
      name: 'packs',
      seen: async (w) => {
        const { packs } = await gqlAs(w, 'query($s: String!) { packs(first: 100, filter: { search: $s }) { totalCount edges { node { name } } } }', { s: hidden });
        expect(packs.edges.length).toBe(packs.totalCount);
        return packs.totalCount > 0;
      },
    },
    {
      name: 'packs filtered by registry',
      seen: async (w) => (await gqlAs(w, 'query($r: [String!]) { packs(filter: { registry: $r }) { totalCount } }', { r: [secret] })).packs.totalCount > 0,
    },
    { name: 'pack', seen: async (w) => (await gqlAs(w, 'query($n: String!) { pack(name: $n) { name } }', { n: hidden })).pack !== null },
    {
      name: 'pack sources',
      seen: async (w) => {
        const { pack } = await gqlAs(w, 'query($n: String!) { pack(name: $n) { sources { name } versions { registry { name } } } }', { n: shared });
        const versionsThere = pack.versions.some((v: { registry: { name: string } }) => v.registry.name === secret);
        const sourceThere = pack.sources.some((s: { name: string }) => s.name === secret);
        expect(versionsThere).toBe(sourceThere);
        return sourceThere;
      },
    },
    {
      name: 'packVersion',
      seen: async (w) => (await gqlAs(w, 'query($n: String!) { packVersion(name: $n, version: "2.1.3") { digest } }', { n: hidden })).packVersion !== null,
    },
    {
      name: 'validateProfile',
      seen: async (w) => {
        const input = { name: uniqueName('p'), type: 'ADDON', cloudType: 'all', layers: [{ pack: hidden, version: '2.1.3' }] };
        const { validateProfile } = await gqlAs(w, 'query($i: ProfileInput!) { validateProfile(input: $i) { valid issues { code } } }', { i: input });
        if (!validateProfile.valid) expect(validateProfile.issues.map((i: { code: string }) => i.code)).toContain('PACK_NOT_FOUND');
        return validateProfile.valid;
      },
    },
    {
      name: '/v2/_catalog',
      seen: async (w) => {
        const res = await get(w, '/v2/_catalog?n=1000');
        expect(res.status).toBe(200);
        return (res.body.repositories as string[]).includes(`${secret}/spectro-packs/archive/${hidden}`);
      },
    },
    { name: '/v2 tags', seen: async (w) => statusSeen(await get(w, `${repo(secret, hidden)}/tags/list`)) },
    { name: '/v2 manifest', seen: async (w) => statusSeen(await get(w, `${repo(secret, hidden)}/manifests/2.1.3`)) },
    { name: '/v2 blob', seen: async (w) => statusSeen(await get(w, `${repo(secret, hidden)}/blobs/${objects.archive}`)) },
    // The blob route does not trust the repository name: a readable repository is no way to a hidden digest.
    { name: '/v2 blob via a public repository', seen: async (w) => statusSeen(await get(w, `${repo(open, shared)}/blobs/${objects.archive}`)) },
    {
      name: '/helm index',
      seen: async (w) => {
        const res = await get(w, `/helm/${secret}/index.yaml`);
        if (res.status === 200) expect(Object.keys(parseYaml(res.text).entries)).toEqual(['crossplane']);
        return statusSeen(res);
      },
    },
    { name: '/helm chart', seen: async (w) => statusSeen(await get(w, `/helm/${secret}/charts/crossplane-2.1.3.tgz`)) },
    { name: '/artifacts pack', seen: async (w) => statusSeen(await get(w, `/artifacts/${objects.archive.replace(':', '/')}`)) },
    { name: '/artifacts logo', seen: async (w) => statusSeen(await get(w, objects.logo)) },
  ];

  it('shows a PRIVATE registry on every read path to ADMINs and tokens naming it, and to no one else', async () => {
    const table: string[] = [];
    for (const check of checks) {
      for (const who of WHO) table.push(`${check.name} ${who} ${(await check.seen(who)) ? 'seen' : 'hidden'}`);
    }
    expect(table).toEqual(checks.flatMap((c) => WHO.map((who) => `${c.name} ${who} ${EXPECTED[who]}`)));
  }, 60_000);

  it('keeps PUBLIC registries readable by every reader, anonymous included', async () => {
    for (const who of WHO) {
      const { pack } = await gqlAs(who, 'query($n: String!) { pack(name: $n) { sources { name } } }', { n: shared });
      expect(pack.sources.map((s: { name: string }) => s.name)).toContain(open);
      expect((await get(who, `${repo(open, shared)}/tags/list`)).status).toBe(200);
    }
  });

  it('answers a hidden registry exactly like a missing one: its existence does not leak', async () => {
    const { registries } = await gqlAs('viewerElsewhere', '{ registries { name visibility } }');
    expect(registries.every((r: { visibility: string }) => r.visibility === 'PUBLIC')).toBe(true);
    const index = await get('viewerElsewhere', `/helm/${secret}/index.yaml`);
    expect([index.status, index.body.errors[0].message]).toEqual([404, `Registry "${secret}" does not exist.`]);
    const tags = await get('viewerElsewhere', `${repo(secret, hidden)}/tags/list`);
    expect([tags.status, tags.body.errors[0].code]).toEqual([404, 'NAME_UNKNOWN']);
    const blob = await get('anonymous', `${repo(secret, hidden)}/blobs/${objects.archive}`);
    expect([blob.status, blob.body.errors[0].code]).toEqual([404, 'BLOB_UNKNOWN']);
  });

  it('lets publishers write only where they may read: a hidden registry and its digests are no way in', async () => {
    const publisher = async (registries: string[]) =>
      (await t.gql('mutation($n: String!, $g: [String!]) { createApiToken(name: $n, role: PUBLISHER, registries: $g) { token } }', { n: uniqueName('p'), g: registries }))
        .body.data!.createApiToken.token as string;
    const anywhere = await publisher([]);
    const named = await publisher([secret]);
    const name = uniqueName('w');
    const archive = buildTarGz(
      minimalPackEntries(`${name}-1.0.0`, {
        'pack.json': JSON.stringify({ name, displayName: name, version: '1.0.0', layer: 'addon', cloudTypes: ['all'], charts: [] }),
      }),
    );
    // Publishing "anywhere" means every registry the token can see.
    const refused = await pushArchive(t.app, anywhere, secret, archive);
    expect([refused.body.errors?.[0]?.extensions?.code, refused.body.errors?.[0]?.message]).toEqual(['NOT_FOUND', `Registry "${secret}" does not exist.`]);
    const upload = await request(t.app).post(`${repo(secret, name)}/blobs/uploads/`).set('authorization', `Bearer ${anywhere}`);
    expect([upload.status, upload.body.errors?.[0]?.code]).toEqual([404, 'NAME_UNKNOWN']);
    expect((await pushArchive(t.app, named, secret, archive)).body.errors).toBeUndefined();

    // A manifest naming the digest of a hidden pack as its layer copies nothing into a readable registry.
    const size = Number((await t.database.prisma.artifact.findUnique({ where: { digest: objects.archive } }))!.size);
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.unknown.config.v1+json', digest: EMPTY_CONFIG, size: 2 },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: objects.archive, size }],
    });
    const put = await request(t.app)
      .put(`${repo(open, hidden)}/manifests/2.1.3`)
      .set('authorization', `Bearer ${anywhere}`)
      .set('content-type', 'application/vnd.oci.image.manifest.v1+json')
      .send(manifest);
    expect([put.status, put.body.errors?.[0]?.code]).toEqual([400, 'MANIFEST_BLOB_UNKNOWN']);
    // Nor does a cross-repository mount of it: the spec's fallback, a fresh upload session, as for an unknown digest.
    const mount = await request(t.app)
      .post(`${repo(open, hidden)}/blobs/uploads/?mount=${objects.archive}&from=${secret}/spectro-packs/archive/${hidden}`)
      .set('authorization', `Bearer ${anywhere}`);
    expect(mount.status).toBe(202);
    const mine = await request(t.app)
      .post(`${repo(secret, hidden)}/blobs/uploads/?mount=${objects.archive}&from=${secret}/spectro-packs/archive/${hidden}`)
      .set('authorization', `Bearer ${named}`);
    expect(mine.status).toBe(201);
    expect((await gqlAs('anonymous', 'query($n: String!) { pack(name: $n) { name } }', { n: hidden })).pack).toBeNull();
  });

  it('lets only ADMINs change visibility, and keeps the DEFAULT registry PUBLIC', async () => {
    const refused = await t.gql('mutation { updateRegistry(name: "default", input: { visibility: PRIVATE }) { name } }');
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.body.errors?.[0]?.message).toContain('DEFAULT registry stays PUBLIC');
    const viewer = await t.gql('mutation($n: String!) { updateRegistry(name: $n, input: { visibility: PUBLIC }) { name } }', { n: secret }, tokens.named);
    expect(viewer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const toggled = uniqueName('toggle');
    await t.gql('mutation($n: String!) { createRegistry(input: { name: $n, kind: HOSTED }) { name } }', { n: toggled });
    const seen = async () => (await gqlAs('anonymous', 'query($n: String!) { registry(name: $n) { name } }', { n: toggled })).registry !== null;
    expect(await seen()).toBe(true);
    const updated = await t.gql('mutation($n: String!) { updateRegistry(name: $n, input: { visibility: PRIVATE }) { visibility } }', { n: toggled });
    expect(updated.body.data!.updateRegistry.visibility).toBe('PRIVATE');
    expect(await seen()).toBe(false);
  });
});

function statusSeen(res: { status: number }): boolean {
  if (res.status !== 200 && res.status !== 404) throw new Error(`expected 200 or 404, got ${res.status}`);
  return res.status === 200;
}
