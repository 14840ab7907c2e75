/** Cluster profiles through /graphql: validation, CRUD, refusal, references, upgrade plans, statement counts, permissions. */
import path from 'node:path';
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';
import { PACK_CENTRAL, pushArchive, tarPack } from '../helpers/packs.js';
import { buildTarGz, minimalPackEntries } from '../helpers/tar-builder.js';

interface LayerInput {
  pack: string;
  version: string;
  registry?: string;
  values?: string;
  presets?: string[];
}

interface Issue {
  code: string;
  severity: string;
  layerIndex: number | null;
  pack: string | null;
  path: string | null;
  message: string;
}

const ISSUE = 'code severity layerIndex pack path message';
const PROFILE_FIELDS = `id name version type cloudType description createdBy createdAt updatedAt
  layers { index pack version registry values presets resolved { registry version digest layer } }
  variables { name format default required }
  warnings { ${ISSUE} }`;

const VALIDATE = `query($input: ProfileInput!) {
  validateProfile(input: $input) {
    valid errorCount warningCount issues { ${ISSUE} }
    resolvedLayers { layerIndex pack registry version digest layer }
    installOrder { layerIndex pack priority }
    resources { cpuMillicores memoryMi diskGi }
  }
}`;
const CREATE = `mutation($input: ProfileInput!) { createProfile(input: $input) { ${PROFILE_FIELDS} } }`;
const UPDATE = `mutation($name: String!, $version: String!, $input: ProfileInput!) {
  updateProfile(name: $name, version: $version, input: $input) { ${PROFILE_FIELDS} }
}`;
const DELETE = 'mutation($name: String!, $version: String!) { deleteProfile(name: $name, version: $version) }';
const PROFILE = `query($name: String!, $version: String) { profile(name: $name, version: $version) { ${PROFILE_FIELDS} } }`;
const PROFILES = 'query($name: String) { profiles(name: $name) { name version } }';
const UPGRADE_PLAN = `query($name: String!, $from: String!, $to: String!) {
  profileUpgradePlan(name: $name, fromVersion: $from, toVersion: $to) {
    allowed
    from { version } to { version }
    changes { kind pack fromIndex toIndex fromVersion toVersion direction valuesChanged }
    issues { ${ISSUE} }
  }
}`;
const CREATE_HOSTED = 'mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }';
const CREATE_TOKEN = 'mutation($n: String!, $r: Role!) { createApiToken(name: $n, role: $r) { token } }';
const ADD_TAG = `mutation($r: String!, $n: String!, $v: String!, $t: String!) {
  addPackTag(registry: $r, name: $n, version: $v, tag: $t) { version tags }
}`;

/** The issue's brief: a valid CLUSTER profile of the DEFAULT registry's packs on aws. */
const VALID_LAYERS: LayerInput[] = [
  { pack: 'ubuntu', version: '22.04' },
  { pack: 'kubernetes', version: '1.31.2' },
  { pack: 'cni-calico', version: '3.28.2' },
  { pack: 'csi-longhorn', version: '1.7.2' },
  { pack: 'cert-manager', version: '1.16.1' },
  { pack: 'trust-manager', version: '0.12.0' },
];

function clusterProfile(name: string, layers: LayerInput[] = VALID_LAYERS, extra: Record<string, unknown> = {}) {
  return { name, type: 'CLUSTER', cloudType: 'aws', layers, ...extra };
}

function codes(issues: Issue[]): string[] {
  return issues.map((i) => i.code);
}

describe('cluster profiles through /graphql (PostgreSQL, DEFAULT registry seeded)', () => {
  let t: TestApp;
  let hosted: string;
  let viewer: string;
  let publisher: string;
  let kubernetesValues: string;

  beforeAll(async () => {
    // A body limit above 1 MiB, so the service's own bound on values is what answers.
    t = await createTestApp({ s3: false, seed: true, env: { MAX_BODY_BYTES: String(4 * 1024 * 1024) } });
    hosted = uniqueName('team');
    expect((await t.gql(CREATE_HOSTED, { i: { name: hosted, kind: 'HOSTED', priority: 50 } })).body.errors).toBeUndefined();
    viewer = (await t.gql(CREATE_TOKEN, { n: uniqueName('viewer'), r: 'VIEWER' })).body.data!.createApiToken.token;
    publisher = (await t.gql(CREATE_TOKEN, { n: uniqueName('publisher'), r: 'PUBLISHER' })).body.data!.createApiToken.token;
    const k8s = await t.gql('{ packVersion(name: "kubernetes", version: "1.31.2") { values } }');
    kubernetesValues = k8s.body.data!.packVersion.values;
  }, 120_000);

  afterAll(async () => {
    await t.close();
  });

  it('validates a CLUSTER profile of default packs: resolved layers, install order, summed resources', async () => {
    const name = uniqueName('web');
    const { body } = await t.gql(VALIDATE, { input: clusterProfile(name) });
    expect(body.errors).toBeUndefined();
    const v = body.data!.validateProfile;
    expect(v.valid).toBe(true);
    expect(v.errorCount).toBe(0);
    expect(v.resolvedLayers).toHaveLength(6);
    expect(v.resolvedLayers[1]).toMatchObject({ layerIndex: 1, pack: 'kubernetes', registry: 'default', version: '1.31.2', layer: 'K8S' });
    for (const r of v.resolvedLayers) expect(r.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(v.installOrder.map((s: { pack: string }) => s.pack)).toEqual(VALID_LAYERS.map((l) => l.pack));
    // kubernetes 2000 + calico 250 + longhorn 500 + cert-manager 30 + trust-manager 25; memory and disk likewise.
    expect(v.resources).toEqual({ cpuMillicores: 2805, memoryMi: 3488, diskGi: 90 });
    // Validation saves nothing.
    expect(await t.database.prisma.clusterProfile.count({ where: { name } })).toBe(0);
  });

  it('creates a profile, returns its warnings, and reads it back through profile and profiles', async () => {
    const name = uniqueName('web');
    const input = clusterProfile(name, VALID_LAYERS, {
      description: 'web clusters',
      variables: [{ name: 'unused-var', format: 'string', default: 'x' }],
    });
    const created = await t.gql(CREATE, { input }, publisher);
    expect(created.body.errors).toBeUndefined();
    const profile = created.body.data!.createProfile;
    expect(profile).toMatchObject({ name, version: '1.0.0', type: 'CLUSTER', cloudType: 'aws', description: 'web clusters' });
    expect(profile.createdBy).toBeTruthy();
    expect(profile.layers.map((l: { pack: string }) => l.pack)).toEqual(VALID_LAYERS.map((l) => l.pack));
    expect(profile.layers[0]).toMatchObject({ index: 0, version: '22.04', registry: null, values: null, resolved: { registry: 'default', version: '22.04', layer: 'OS' } });
    // Saved with a warning: the variable no layer uses.
    expect(profile.warnings).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'VARIABLE_UNUSED', severity: 'WARNING', path: 'unused-var' })]),
    );
    expect(profile.warnings.every((w: Issue) => w.severity === 'WARNING')).toBe(true);

    const read = await t.gql(PROFILE, { name, version: '1.0.0' }, viewer);
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data!.profile).toMatchObject({ id: profile.id, name, version: '1.0.0', variables: [{ name: 'unused-var', format: 'string', default: 'x', required: false }] });
    expect(read.body.data!.profile.layers).toEqual(profile.layers);
    const listed = await t.gql(PROFILES, { name }, viewer);
    expect(listed.body.data!.profiles).toEqual([{ name, version: '1.0.0' }]);
    const all = await t.gql(PROFILES, {}, viewer);
    expect(all.body.data!.profiles).toEqual(expect.arrayContaining([{ name, version: '1.0.0' }]));
    const rows = await t.database.prisma.profileLayer.count({ where: { profile: { name } } });
    expect(rows).toBe(6);
  });

  it('answers the newest version (semver order) when the version is omitted', async () => {
    const name = uniqueName('versions');
    for (const version of ['1.2.0', '1.10.0', '1.9.3']) {
      expect((await t.gql(CREATE, { input: clusterProfile(name, VALID_LAYERS, { version }) })).body.errors).toBeUndefined();
    }
    const newest = await t.gql(PROFILE, { name });
    expect(newest.body.data!.profile.version).toBe('1.10.0');
    const listed = await t.gql(PROFILES, { name });
    expect(listed.body.data!.profiles.map((p: { version: string }) => p.version)).toEqual(['1.10.0', '1.9.3', '1.2.0']);
    expect((await t.gql(PROFILE, { name: uniqueName('none') })).body.data!.profile).toBeNull();
    expect((await t.gql(PROFILE, { name, version: '9.9.9' })).body.data!.profile).toBeNull();
  });

  it('keeps a stored version immutable: the same content is a no-op, any change is refused with PROFILE_VERSION_IMMUTABLE', async () => {
    const name = uniqueName('upd');
    const created = (await t.gql(CREATE, { input: clusterProfile(name) })).body.data!.createProfile;
    // The same content, the version omitted (the current one) or given: the stored version as it is.
    for (const input of [clusterProfile(name), clusterProfile(name, VALID_LAYERS, { version: '1.0.0' })]) {
      const same = await t.gql(UPDATE, { name, version: '1.0.0', input });
      expect(same.body.errors).toBeUndefined();
      expect(same.body.data!.updateProfile).toMatchObject({ id: created.id, version: '1.0.0', updatedAt: created.updatedAt });
    }
    const changed = [
      ...VALID_LAYERS.slice(0, 4),
      { pack: 'cert-manager', version: '1.16.1', values: 'pack:\n  namespace: certs\n' },
    ];
    // A change, a description change, a move to another version: each names the first field that differs.
    for (const [input, field] of [
      [clusterProfile(name, changed), 'input.layers[4].values'],
      [clusterProfile(name, VALID_LAYERS, { description: 'no trust-manager' }), 'input.description'],
      [clusterProfile(name, VALID_LAYERS, { version: '1.1.0' }), 'input.version'],
    ] as const) {
      const refused = await t.gql(UPDATE, { name, version: '1.0.0', input });
      expect(refused.body.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'PROFILE_VERSION_IMMUTABLE', field });
      expect(refused.body.errors![0].extensions!.issues).toEqual([expect.objectContaining({ code: 'PROFILE_VERSION_IMMUTABLE', path: field })]);
      expect(refused.body.errors![0].message).toContain('Create a new version');
      expect(refused.body.errors![0].message).toContain('cloneProfile');
    }
    const read = (await t.gql(PROFILE, { name, version: '1.0.0' })).body.data!.profile;
    expect(read.layers.map((l: { pack: string }) => l.pack)).toEqual(VALID_LAYERS.map((l) => l.pack));
    expect(read.description).toBeNull();
    expect(await t.database.prisma.clusterProfile.count({ where: { name } })).toBe(1);
    expect(await t.database.prisma.profileLayer.count({ where: { profile: { name } } })).toBe(6);
    const missing = await t.gql(UPDATE, { name, version: '7.0.0', input: clusterProfile(name) });
    expect(missing.body.errors![0].extensions!.code).toBe('NOT_FOUND');
  });

  it('deletes one version, and answers NOT_FOUND for a version that is not there', async () => {
    const name = uniqueName('del');
    await t.gql(CREATE, { input: clusterProfile(name) });
    await t.gql(CREATE, { input: clusterProfile(name, VALID_LAYERS, { version: '1.0.1' }) });
    const deleted = await t.gql(DELETE, { name, version: '1.0.0' });
    expect(deleted.body.data!.deleteProfile).toBe(true);
    expect((await t.gql(PROFILE, { name, version: '1.0.0' })).body.data!.profile).toBeNull();
    expect((await t.gql(PROFILE, { name })).body.data!.profile.version).toBe('1.0.1');
    expect(await t.database.prisma.profileLayer.count({ where: { profile: { name, version: '1.0.0' } } })).toBe(0);
    const again = await t.gql(DELETE, { name, version: '1.0.0' });
    expect(again.body.errors![0].extensions!.code).toBe('NOT_FOUND');
  });

  it('answers the same name, version and content again with the stored version, and refuses other content with CONFLICT', async () => {
    const name = uniqueName('dup');
    const first = await t.gql(CREATE, { input: clusterProfile(name) });
    expect(first.body.errors).toBeUndefined();
    const again = await t.gql(CREATE, { input: clusterProfile(name, VALID_LAYERS, { version: '1.0.0' }) }, publisher);
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data!.createProfile).toMatchObject({ id: first.body.data!.createProfile.id, createdBy: first.body.data!.createProfile.createdBy });
    const duplicate = await t.gql(CREATE, { input: clusterProfile(name, VALID_LAYERS.slice(0, 5), { version: '1.0.0' }) });
    expect(duplicate.body.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'PROFILE_VERSION_IMMUTABLE', field: 'input.layers[5]' });
    expect(await t.database.prisma.clusterProfile.count({ where: { name } })).toBe(1);
  });

  describe('a broken draft', () => {
    // Wrong order (K8S before OS), a missing dependency (trust-manager without cert-manager),
    // a cloud type mismatch (csi-aws-ebs on vsphere), values that break kubernetes' schema.yaml.
    const brokenLayers = (): LayerInput[] => [
      { pack: 'kubernetes', version: '1.31.2', values: kubernetesValues.replace('podCIDR: "192.168.0.0/16"', 'podCIDR: "not-a-cidr"') },
      { pack: 'ubuntu', version: '22.04' },
      { pack: 'cni-calico', version: '3.28.2' },
      { pack: 'csi-aws-ebs', version: '1.36.0' },
      { pack: 'trust-manager', version: '0.12.0' },
    ];

    function expectEveryProblem(issues: Issue[], severityOf: (i: Issue) => string): void {
      const find = (code: string) => issues.find((i) => i.code === code);
      expect(find('LAYER_ORDER')).toMatchObject({ layerIndex: 1, pack: 'ubuntu' });
      expect(find('CLOUD_TYPE_MISMATCH')).toMatchObject({ layerIndex: 3, pack: 'csi-aws-ebs' });
      expect(find('DEPENDENCY_MISSING')).toMatchObject({ layerIndex: 4, pack: 'trust-manager' });
      expect(find('DEPENDENCY_MISSING')!.message).toContain('cert-manager');
      expect(find('VALUES_SCHEMA')).toMatchObject({ layerIndex: 0, pack: 'kubernetes', path: 'pack.podCIDR' });
      for (const code of ['LAYER_ORDER', 'CLOUD_TYPE_MISMATCH', 'DEPENDENCY_MISSING', 'VALUES_SCHEMA']) {
        expect(severityOf(find(code)!)).toBe('ERROR');
      }
    }

    it('gets every issue in one validateProfile answer, with codes and locations', async () => {
      expect(kubernetesValues).toContain('podCIDR: "192.168.0.0/16"');
      const { body } = await t.gql(VALIDATE, { input: { name: uniqueName('broken'), type: 'CLUSTER', cloudType: 'vsphere', layers: brokenLayers() } });
      expect(body.errors).toBeUndefined();
      const v = body.data!.validateProfile;
      expect(v.valid).toBe(false);
      expectEveryProblem(v.issues, (i) => i.severity);
      expect(v.errorCount).toBe(v.issues.filter((i: Issue) => i.severity === 'ERROR').length);
      // Layer issues come in layer order, after profile-level ones.
      const indexes = v.issues.map((i: Issue) => i.layerIndex ?? -1);
      expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
    });

    it('is refused by createProfile with BAD_USER_INPUT, the full issue list, and nothing saved', async () => {
      const name = uniqueName('broken');
      const input = { name, type: 'CLUSTER', cloudType: 'vsphere', layers: brokenLayers() };
      const validation = (await t.gql(VALIDATE, { input })).body.data!.validateProfile;
      const { body } = await t.gql(CREATE, { input });
      expect(body.data).toBeNull();
      const error = body.errors![0];
      expect(error.extensions!.code).toBe('BAD_USER_INPUT');
      const issues = error.extensions!.issues as Issue[];
      // One spelling of severity in the API: the Severity enum's, as validateProfile answers.
      expectEveryProblem(issues, (i) => i.severity);
      expect(issues.map((i) => `${i.code}@${i.layerIndex ?? '-'}:${i.severity}`)).toEqual(
        validation.issues.map((i: Issue) => `${i.code}@${i.layerIndex ?? '-'}:${i.severity}`),
      );
      expect(error.message).toContain('not saved');
      expect(error.message).not.toContain('extensions');
      expect(await t.database.prisma.clusterProfile.count({ where: { name } })).toBe(0);
      expect(await t.database.prisma.profileLayer.count({ where: { profile: { name } } })).toBe(0);
    });

    it('reports a version that is not semver, a missing pack and a missing version', async () => {
      const input = clusterProfile(uniqueName('bad'), [
        ...VALID_LAYERS.slice(0, 4),
        { pack: 'no-such-pack', version: '1.0.0' },
        { pack: 'cert-manager', version: '0.1.x' },
      ], { version: 'one' });
      const { body } = await t.gql(CREATE, { input });
      const issues = body.errors![0].extensions!.issues as Issue[];
      expect(codes(issues)).toEqual(expect.arrayContaining(['PROFILE_VERSION_INVALID', 'PACK_NOT_FOUND', 'VERSION_NOT_FOUND']));
      expect(issues.find((i) => i.code === 'PACK_NOT_FOUND')).toMatchObject({ layerIndex: 4, pack: 'no-such-pack' });
      const notFound = issues.find((i) => i.code === 'VERSION_NOT_FOUND')!;
      expect(notFound).toMatchObject({ layerIndex: 5, pack: 'cert-manager' });
      expect(notFound.message).toContain('1.16.1');
    });
  });

  it('resolves parent tags, latest, and publisher tags', async () => {
    const name = uniqueName('refs');
    const crossplane = await pushArchive(t.app, t.adminToken, hosted, await tarPack(path.join(PACK_CENTRAL, 'full', 'crossplane-2.1.3')));
    expect(crossplane.body.errors).toBeUndefined();
    const tagged = await t.gql(ADD_TAG, { r: hosted, n: 'crossplane', v: '2.1.3', t: 'stable__2.1' });
    expect(tagged.body.errors).toBeUndefined();
    const layers: LayerInput[] = [
      { pack: 'ubuntu', version: 'latest' },
      { pack: 'kubernetes', version: '1.31.x' },
      { pack: 'cni-calico', version: '3.x' },
      { pack: 'csi-longhorn', version: '1.7.2' },
      { pack: 'crossplane', version: 'stable__2.1', registry: hosted },
    ];
    const { body } = await t.gql(VALIDATE, { input: clusterProfile(name, layers) });
    expect(body.errors).toBeUndefined();
    const v = body.data!.validateProfile;
    expect(v.valid).toBe(true);
    expect(v.resolvedLayers.map((r: { version: string; registry: string }) => `${r.registry}:${r.version}`)).toEqual([
      'default:24.04',
      'default:1.31.2',
      'default:3.28.2',
      'default:1.7.2',
      `${hosted}:2.1.3`,
    ]);
    // Stored as written: a tag stays a tag, and resolves again on read.
    const created = await t.gql(CREATE, { input: clusterProfile(name, layers) });
    expect(created.body.errors).toBeUndefined();
    const read = (await t.gql(PROFILE, { name })).body.data!.profile;
    expect(read.layers[1]).toMatchObject({ version: '1.31.x', resolved: { version: '1.31.2', registry: 'default' } });
    expect(read.layers[4]).toMatchObject({ version: 'stable__2.1', registry: hosted, resolved: { version: '2.1.3', registry: hosted } });
  });

  it('takes a HOSTED pack by registry, falls back by registry priority, and checks its constraints', async () => {
    // A kubernetes 1.26.0 in the hosted registry (priority 50, above DEFAULT's -100).
    const k8s = JSON.stringify({ name: 'kubernetes', displayName: 'Old Kubernetes', version: '1.26.0', layer: 'k8s', cloudTypes: ['all'] });
    const old = await pushArchive(
      t.app,
      t.adminToken,
      hosted,
      buildTarGz(minimalPackEntries('kubernetes-1.26.0', { 'pack.json': k8s, 'charts/demo-1.0.0.tgz': undefined })),
    );
    expect(old.body.errors).toBeUndefined();
    if (!(await t.gql('query($r: String!) { pack(name: "crossplane", registry: $r) { name } }', { r: hosted })).body.data!.pack) {
      await pushArchive(t.app, t.adminToken, hosted, await tarPack(path.join(PACK_CENTRAL, 'full', 'crossplane-2.1.3')));
    }
    const withCrossplane = (k8sLayer: LayerInput): LayerInput[] => [
      { pack: 'ubuntu', version: '22.04' },
      k8sLayer,
      { pack: 'cni-calico', version: '3.28.2' },
      { pack: 'csi-longhorn', version: '1.7.2' },
      { pack: 'crossplane', version: '2.1.3', registry: hosted },
    ];
    // 1.31.2 is not in the hosted registry: the DEFAULT one, next by priority, answers.
    const fallback = (await t.gql(VALIDATE, { input: clusterProfile(uniqueName('x'), withCrossplane({ pack: 'kubernetes', version: '1.31.2' })) })).body
      .data!.validateProfile;
    expect(fallback.valid).toBe(true);
    expect(fallback.resolvedLayers[1]).toMatchObject({ registry: 'default', version: '1.31.2' });
    expect(fallback.resolvedLayers[4]).toMatchObject({ pack: 'crossplane', registry: hosted, version: '2.1.3', layer: 'ADDON' });

    // `latest` in the highest-priority source holding the pack: the hosted 1.26.0, below crossplane's optional >= 1.27.
    const old126 = (await t.gql(VALIDATE, { input: clusterProfile(uniqueName('x'), withCrossplane({ pack: 'kubernetes', version: 'latest' })) })).body
      .data!.validateProfile;
    expect(old126.resolvedLayers[1]).toMatchObject({ registry: hosted, version: '1.26.0' });
    expect(old126.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'DEPENDENCY_VERSION', layerIndex: 4, pack: 'crossplane', severity: 'ERROR' })]),
    );
    // A registry that doesn't hold the pack.
    const elsewhere = (await t.gql(VALIDATE, {
      input: clusterProfile(uniqueName('x'), withCrossplane({ pack: 'kubernetes', version: '1.31.2', registry: hosted })),
    })).body.data!.validateProfile;
    expect(elsewhere.issues.find((i: Issue) => i.code === 'VERSION_NOT_FOUND')).toMatchObject({ layerIndex: 1, pack: 'kubernetes' });
    const nowhere = (await t.gql(VALIDATE, {
      input: clusterProfile(uniqueName('x'), withCrossplane({ pack: 'kubernetes', version: '1.31.2' }).map((l, i) => (i === 0 ? { ...l, registry: hosted } : l))),
    })).body.data!.validateProfile;
    const missing = nowhere.issues.find((i: Issue) => i.code === 'PACK_NOT_FOUND');
    expect(missing).toMatchObject({ layerIndex: 0, pack: 'ubuntu' });
    expect(missing.message).toContain(hosted);
  });

  it('plans upgrades between profile versions and flags what an `upgrade` constraint forbids', async () => {
    const name = uniqueName('upgrade');
    const withK8s = (version: string, extra: LayerInput[] = []): LayerInput[] => [
      VALID_LAYERS[0],
      { pack: 'kubernetes', version },
      ...VALID_LAYERS.slice(2, 5),
      ...extra,
    ];
    const create = async (version: string, layers: LayerInput[]) => {
      const { body } = await t.gql(CREATE, { input: clusterProfile(name, layers, { version }) });
      expect(body.errors).toBeUndefined();
    };
    await create('0.9.0', withK8s('1.29.10'));
    await create('1.0.0', withK8s('1.30.6'));
    await create('2.0.0', [
      ...withK8s('1.31.2').slice(0, 4),
      { pack: 'cert-manager', version: '1.16.1', values: 'pack:\n  namespace: certs\n' },
      { pack: 'ingress-nginx', version: '4.11.3' },
    ]);

    const allowed = (await t.gql(UPGRADE_PLAN, { name, from: '1.0.0', to: '2.0.0' })).body.data!.profileUpgradePlan;
    expect(allowed).toMatchObject({ allowed: true, issues: [], from: { version: '1.0.0' }, to: { version: '2.0.0' } });
    expect(allowed.changes).toEqual([
      { kind: 'VERSION_CHANGED', pack: 'kubernetes', fromIndex: 1, toIndex: 1, fromVersion: '1.30.6', toVersion: '1.31.2', direction: 'UPGRADE', valuesChanged: false },
      { kind: 'VALUES_CHANGED', pack: 'cert-manager', fromIndex: 4, toIndex: 4, fromVersion: '1.16.1', toVersion: '1.16.1', direction: null, valuesChanged: true },
      { kind: 'ADDED', pack: 'ingress-nginx', fromIndex: null, toIndex: 5, fromVersion: null, toVersion: '4.11.3', direction: null, valuesChanged: false },
    ]);

    // kubernetes 1.31.2 may only be reached from 1.30.0..1.30.6 (its pack.json `upgrade` constraint).
    const forbidden = (await t.gql(UPGRADE_PLAN, { name, from: '0.9.0', to: '2.0.0' })).body.data!.profileUpgradePlan;
    expect(forbidden.allowed).toBe(false);
    expect(forbidden.issues).toEqual([
      expect.objectContaining({ code: 'UPGRADE_NOT_SUPPORTED', severity: 'ERROR', layerIndex: 1, pack: 'kubernetes' }),
    ]);
    expect(forbidden.issues[0].message).toContain('1.29.10');
    // And back down: 1.30.6's constraint names 1.29.0..1.29.10, which 1.31.2 is not.
    const down = (await t.gql(UPGRADE_PLAN, { name, from: '2.0.0', to: '1.0.0' })).body.data!.profileUpgradePlan;
    expect(down.changes[0]).toMatchObject({ kind: 'VERSION_CHANGED', direction: 'DOWNGRADE' });
    expect(down.changes).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'REMOVED', pack: 'ingress-nginx', fromIndex: 5 })]));
    expect(down.allowed).toBe(false);
    expect((await t.gql(UPGRADE_PLAN, { name, from: '1.0.0', to: '3.0.0' })).body.data!.profileUpgradePlan).toBeNull();
  });

  it('validates with the same number of SQL statements for 3 layers and for 12', async () => {
    const three: LayerInput[] = [
      { pack: 'ubuntu', version: 'latest' },
      { pack: 'kubernetes', version: '1.31.x' },
      { pack: 'cni-calico', version: '3.28.2' },
    ];
    const display = (n: string) => `pack:\n  spectrocloud.com/display-name: ${n}\n`;
    const twelve: LayerInput[] = [
      { pack: 'ubuntu', version: 'latest' },
      { pack: 'kubernetes', version: '1.31.x' },
      { pack: 'cni-calico', version: '3.28.2' },
      { pack: 'csi-longhorn', version: '1.x' },
      { pack: 'cert-manager', version: '1.16.1' },
      { pack: 'trust-manager', version: 'latest' },
      { pack: 'ingress-nginx', version: '4.11.3', values: display('public') },
      { pack: 'ingress-nginx', version: '4.11.3', values: display('internal') },
      { pack: 'prometheus-operator', version: '65.1.1' },
      { pack: 'metallb', version: '0.14.8' },
      { pack: 'cni-cilium-oss', version: '1.16.3' },
      { pack: 'csi-aws-ebs', version: 'latest' },
    ];
    const count = async (layers: LayerInput[]) => {
      t.takeQueryCount();
      const { body } = await t.gql(VALIDATE, { input: clusterProfile(uniqueName('count'), layers) }, viewer);
      expect(body.errors).toBeUndefined();
      expect(body.data!.validateProfile.resolvedLayers).toHaveLength(layers.length);
      return t.takeQueryCount();
    };
    await count(three); // warm-up: first statements of a connection
    // Versions' details are kept once read (immutable per digest: profile.resolution-cache.ts), so both
    // shapes are validated once first; the cold path's single details batch is pinned in
    // profiles-resolution-cache.test.ts.
    await count(twelve);
    const small = await count(three);
    const large = await count(twelve);
    expect(large).toBe(small);
    expect(small).toBeLessThanOrEqual(10);
  });

  it('lists profiles with their resolved layers and validation in a constant number of statements', async () => {
    const one = uniqueName('list');
    const three = uniqueName('list');
    await t.gql(CREATE, { input: clusterProfile(one) });
    for (const version of ['1.0.0', '1.1.0', '1.2.0']) await t.gql(CREATE, { input: clusterProfile(three, VALID_LAYERS, { version }) });
    const LIST = `query($name: String) { profiles(name: $name) {
      version layers { pack resolved { version } } warnings { code } validation { valid errorCount }
    } }`;
    const count = async (name: string) => {
      t.takeQueryCount();
      const { body } = await t.gql(LIST, { name }, viewer);
      expect(body.errors).toBeUndefined();
      for (const p of body.data!.profiles) {
        expect(p.validation).toEqual({ valid: true, errorCount: 0 });
        expect(p.layers[1].resolved.version).toBe('1.31.2');
      }
      return { statements: t.takeQueryCount(), profiles: body.data!.profiles.length };
    };
    await count(one);
    const small = await count(one);
    const large = await count(three);
    expect(large.profiles).toBe(3);
    expect(large.statements).toBe(small.statements);
  });

  it('bounds the input: layers, variables, values size and names, each with its field path', async () => {
    const tooMany = await t.gql(VALIDATE, {
      input: clusterProfile(uniqueName('big'), Array.from({ length: 51 }, () => ({ pack: 'cert-manager', version: '1.16.1' }))),
    });
    expect(tooMany.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.layers' });
    const variables = Array.from({ length: 101 }, (_, i) => ({ name: `v${i}` }));
    const tooManyVars = await t.gql(CREATE, { input: clusterProfile(uniqueName('big'), VALID_LAYERS, { variables }) });
    expect(tooManyVars.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.variables' });
    const huge = 'a: "' + 'x'.repeat(1024 * 1024) + '"\n';
    const bigValues = await t.gql(CREATE, {
      input: clusterProfile(uniqueName('big'), VALID_LAYERS.map((l, i) => (i === 4 ? { ...l, values: huge } : l))),
    });
    expect(bigValues.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.layers[4].values' });
    const longName = await t.gql(CREATE, { input: clusterProfile('n'.repeat(101)) });
    expect(longName.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    const emptyPack = await t.gql(VALIDATE, { input: clusterProfile(uniqueName('x'), [{ pack: '', version: '1.0.0' }]) });
    expect(emptyPack.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.layers[0].pack' });
  });

  it('needs a token to read and PUBLISHER to write', async () => {
    const name = uniqueName('perm');
    const anonymous = await t.gql(VALIDATE, { input: clusterProfile(name) }, null);
    expect(anonymous.body.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    expect((await t.gql(PROFILES, {}, null)).body.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    expect((await t.gql(CREATE, { input: clusterProfile(name) }, null)).body.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    expect((await t.gql(VALIDATE, { input: clusterProfile(name) }, viewer)).body.data!.validateProfile.valid).toBe(true);
    const refused = await t.gql(CREATE, { input: clusterProfile(name) }, viewer);
    expect(refused.body.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(await t.database.prisma.clusterProfile.count({ where: { name } })).toBe(0);
    expect((await t.gql(CREATE, { input: clusterProfile(name) }, publisher)).body.errors).toBeUndefined();
    expect((await t.gql(PROFILE, { name }, viewer)).body.data!.profile.name).toBe(name);
    expect((await t.gql(UPDATE, { name, version: '1.0.0', input: clusterProfile(name) }, viewer)).body.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect((await t.gql(DELETE, { name, version: '1.0.0' }, viewer)).body.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect((await t.gql(DELETE, { name, version: '1.0.0' }, publisher)).body.data!.deleteProfile).toBe(true);
  });
});
