/**
 * proposeProfile and profileUpgradeSteps through /graphql on the DEFAULT registry (issue 16,
 * section 2): a request with fixed layers and slots yields a profile validateProfile accepts; an
 * impossible one yields the chain of facts; bad input is BAD_USER_INPUT naming the field; the
 * upgrade steps of a saved 1.29 profile climb one minor at a time; a chart's Chart.yaml kubeVersion
 * inside a pushed pack keeps it off a Kubernetes it refuses.
 */
import { pushArchive } from '../helpers/packs.js';
import { buildTarGz, minimalPackEntries } from '../helpers/tar-builder.js';
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';

const PROPOSE = `query($input: ProposeProfileInput!) {
  proposeProfile(input: $input) {
    profile { name type cloudType layers { pack version registry layer origin } }
    validation { valid issues { code severity message } }
    explanation { facts { pack versionRange relation otherPack otherRange text } layers text }
  }
}`;
const VALIDATE = `query($input: ProfileInput!) { validateProfile(input: $input) { valid issues { code severity } } }`;
const STEPS = `query($name: String!, $version: String!, $to: String!) {
  profileUpgradeSteps(name: $name, version: $version, toKubernetes: $to) {
    fromKubernetes toKubernetes complete
    steps { kubernetes moves { pack fromVersion toVersion } proposal { profile { layers { pack version } } explanation { text } } }
  }
}`;

describe('proposeProfile through /graphql (DEFAULT registry)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ s3: false, seed: true });
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  it('AWS + Ubuntu + Kubernetes 1.31.x + a CNI slot + CSI preferring csi-aws-ebs + cert-manager: a valid profile', async () => {
    const input = {
      name: uniqueName('proposed'),
      cloudType: 'aws',
      kubernetes: '1.31.x',
      layers: [{ pack: 'ubuntu' }, { pack: 'cert-manager' }],
      slots: [{ layer: 'CNI' }, { layer: 'CSI', prefer: ['csi-aws-ebs'] }],
    };
    const { body } = await t.gql(PROPOSE, { input });
    expect(body.errors).toBeUndefined();
    const { profile, validation, explanation } = body.data!.proposeProfile;
    expect(explanation).toBeNull();
    expect(validation.valid).toBe(true);
    expect(validation.issues.filter((i: { severity: string }) => i.severity === 'ERROR')).toEqual([]);
    const layers = profile.layers as Array<{ pack: string; version: string; layer: string; origin: string; registry: string }>;
    expect(layers.map((l) => l.layer)).toEqual(['OS', 'K8S', 'CNI', 'CSI', 'ADDON']);
    expect(layers.find((l) => l.layer === 'K8S')).toMatchObject({ pack: 'kubernetes', version: '1.31.2', origin: 'SLOT' });
    expect(layers.find((l) => l.layer === 'CSI')).toMatchObject({ pack: 'csi-aws-ebs', origin: 'SLOT' });
    expect(layers.find((l) => l.pack === 'cert-manager')).toMatchObject({ origin: 'FIXED' });
    // The draft is ProfileInput-shaped: validateProfile takes it as it is.
    const again = await t.gql(VALIDATE, {
      input: { name: profile.name, type: profile.type, cloudType: profile.cloudType, layers: layers.map(({ pack, version, registry }) => ({ pack, version, registry })) },
    });
    expect(again.body.data!.validateProfile.valid).toBe(true);
  });

  it('adds the pack a fixed one requires: trust-manager brings cert-manager', async () => {
    const { body } = await t.gql(PROPOSE, { input: { cloudType: 'vsphere', kubernetes: '1.30.x', layers: [{ pack: 'trust-manager' }] } });
    const layers = body.data!.proposeProfile.profile.layers as Array<{ pack: string; origin: string }>;
    expect(layers.find((l) => l.pack === 'cert-manager')).toMatchObject({ origin: 'REQUIRED' });
    expect(body.data!.proposeProfile.validation.valid).toBe(true);
  });

  it('an impossible request: the explanation names the facts and the layers', async () => {
    // kubernetes 1.29.10 does not support ubuntu >= 24.04.
    const { body } = await t.gql(PROPOSE, { input: { cloudType: 'aws', kubernetes: '1.29.x', layers: [{ pack: 'ubuntu', version: '24.04' }] } });
    expect(body.errors).toBeUndefined();
    const { profile, explanation } = body.data!.proposeProfile;
    expect(profile).toBeNull();
    expect(explanation.text).toContain('kubernetes 1.29.10 does not support ubuntu >= 24.04');
    expect(explanation.facts[0]).toMatchObject({ relation: expect.any(String), text: expect.any(String) });
    expect(explanation.facts.some((f: { relation: string; pack: string }) => f.relation === 'NOT_SUPPORTED_WITH' && f.pack === 'kubernetes')).toBe(true);
    expect(explanation.layers).toEqual(expect.arrayContaining(['ubuntu']));
  });

  it('bad input is BAD_USER_INPUT naming the field', async () => {
    const tooMany = await t.gql(PROPOSE, { input: { cloudType: 'aws', slots: Array.from({ length: 21 }, () => ({ layer: 'ADDON' })) } });
    expect(tooMany.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.slots' });
    const range = await t.gql(PROPOSE, { input: { cloudType: 'aws', kubernetes: 'newest please' } });
    expect(range.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.kubernetes' });
    const closest = await t.gql(PROPOSE, { input: { cloudType: 'aws', policy: 'CLOSEST' } });
    expect(closest.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.from' });
  });

  it('upgrade steps: a saved 1.29 profile to 1.31, one minor at a time, each step valid', async () => {
    const name = uniqueName('upgrade');
    const created = await t.gql(
      'mutation($input: ProfileInput!) { createProfile(input: $input) { name } }',
      {
        input: {
          name,
          version: '1.0.0',
          type: 'CLUSTER',
          cloudType: 'aws',
          layers: [
            { pack: 'ubuntu', version: '22.04' },
            { pack: 'kubernetes', version: '1.29.10' },
            { pack: 'cni-calico', version: '3.28.2' },
            { pack: 'csi-aws-ebs', version: '1.36.0' },
          ],
        },
      },
    );
    expect(created.body.errors).toBeUndefined();
    const { body } = await t.gql(STEPS, { name, version: '1.0.0', to: '1.31' });
    expect(body.errors).toBeUndefined();
    const plan = body.data!.profileUpgradeSteps;
    expect(plan).toMatchObject({ fromKubernetes: '1.29.10', toKubernetes: '1.31', complete: true });
    expect(plan.steps.map((s: { kubernetes: string; moves: unknown }) => [s.kubernetes, s.moves])).toEqual([
      ['1.30', [{ pack: 'kubernetes', fromVersion: '1.29.10', toVersion: '1.30.6' }]],
      ['1.31', [{ pack: 'kubernetes', fromVersion: '1.30.6', toVersion: '1.31.2' }]],
    ]);
    const skip = await t.gql(STEPS, { name, version: '1.0.0', to: '1.28' });
    expect(skip.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'toKubernetes' });
  });
  it("reads a chart's kubeVersion from the Chart.yaml inside the pack: kept off the Kubernetes it refuses", async () => {
    const registry = uniqueName('kv-team');
    const pack = uniqueName('kv-gate');
    const made = await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name: registry, kind: 'HOSTED' } });
    expect(made.body.errors).toBeUndefined();
    const chart = buildTarGz([
      { path: 'gate/Chart.yaml', body: 'apiVersion: v2\nname: gate\nversion: 1.0.0\nkubeVersion: ">= 1.31.0-0"\n' },
      { path: 'gate/values.yaml', body: '{}\n' },
    ]);
    const root = `${pack}-1.0.0`;
    const entries = minimalPackEntries(root, {
      'pack.json': JSON.stringify({ name: pack, displayName: pack, version: '1.0.0', layer: 'addon', cloudTypes: ['all'], charts: ['charts/gate-1.0.0.tgz'] }),
      'values.yaml': `pack:\n  namespace: ${pack}\n`,
      'charts/demo-1.0.0.tgz': undefined,
    });
    entries.push({ path: `${root}/charts/gate-1.0.0.tgz`, body: chart });
    expect((await pushArchive(t.app, t.adminToken, registry, buildTarGz(entries))).body.errors).toBeUndefined();

    const refused = await t.gql(PROPOSE, { input: { cloudType: 'aws', kubernetes: '1.30.x', layers: [{ pack }] } });
    expect(refused.body.errors).toBeUndefined();
    const { explanation } = refused.body.data!.proposeProfile;
    expect(explanation.text).toContain(`${pack} 1.0.0 needs Kubernetes >= 1.31.0-0 (its chart's kubeVersion)`);
    expect(explanation.facts).toEqual(expect.arrayContaining([expect.objectContaining({ pack, relation: 'NEEDS_KUBERNETES', otherRange: '>= 1.31.0-0' })]));

    const fits = await t.gql(PROPOSE, { input: { cloudType: 'aws', kubernetes: '1.31.x', layers: [{ pack }] } });
    expect(fits.body.data!.proposeProfile.validation.valid).toBe(true);
  });
  it('reads the catalog in bulk: the statements of a proposal do not grow with its packs and candidates', async () => {
    const P = 'query($input: ProposeProfileInput!) { proposeProfile(input: $input) { validation { valid } explanation { text } } }';
    t.takeQueryCount();
    const one = await t.gql(P, { input: { cloudType: 'aws', layers: [{ pack: 'cert-manager' }] } });
    const oneCount = t.takeQueryCount();
    const many = await t.gql(P, {
      input: {
        cloudType: 'vsphere',
        layers: [{ pack: 'trust-manager' }, { pack: 'ingress-nginx' }, { pack: 'prometheus-operator' }, { pack: 'metallb' }],
        slots: [{ layer: 'ADDON', prefer: ['cert-manager'] }],
      },
    });
    const manyCount = t.takeQueryCount();
    expect(one.body.data!.proposeProfile.validation.valid).toBe(true);
    expect(many.body.data!.proposeProfile.validation.valid).toBe(true);
    // A few statements per round of required packs (rows, versions, tags, details, listing pages), none per candidate.
    expect(oneCount).toBeLessThanOrEqual(20);
    expect(manyCount).toBeLessThanOrEqual(oneCount + 8);
  });
});
