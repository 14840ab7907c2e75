/** Every example operation of graphql/operations (the README shows them) runs without error. */
import { readdir, readFile } from 'node:fs/promises';
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';
import { pushArchive } from '../helpers/packs.js';
import { buildTarGz, minimalPackEntries } from '../helpers/tar-builder.js';

const dir = new URL('../../graphql/operations/', import.meta.url);

/** `# variables: {...}` lines hold the example's variables; what a `create-`/`clone-` example writes gets a unique name. */
function variablesOf(file: string, text: string): Record<string, unknown> {
  const line = text.split('\n').find((l) => l.startsWith('# variables:'));
  if (!line) return {};
  const json = line.slice('# variables:'.length);
  if (!file.startsWith('create-') && !file.startsWith('clone-')) return JSON.parse(json);
  const suffix = uniqueName('x').slice(2);
  return JSON.parse(json.replace(/"name": "([^"]+)"/g, `"name": "$1-${suffix}"`));
}

describe('graphql/operations examples', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ seed: true });
  });
  afterAll(async () => {
    await t.close();
  });

  it('has examples', async () => {
    const files = (await readdir(dir)).filter((f) => f.endsWith('.graphql'));
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  it.each([
    'registries.graphql',
    'me.graphql',
    'create-hosted-registry.graphql',
    'packs.graphql',
    'packFacets.graphql',
    'pack-version.graphql',
    'pack-name-suggestions.graphql',
    'validate-profile.graphql',
    'validate-profile-override.graphql',
    'create-profile.graphql',
    'create-profile-override.graphql',
    'clone-profile.graphql',
    'pack-impact.graphql',
    'set-pack-version-lifecycle.graphql',
    'proposeProfile.graphql',
    'profile-upgrade-steps.graphql',
  ])('%s runs against the service', async (file) => {
    const text = await readFile(new URL(file, dir), 'utf8');
    const variables = variablesOf(file, text);
    const createExample = async (name: string, version: string) => {
      const create = await readFile(new URL('create-profile.graphql', dir), 'utf8');
      const { input } = JSON.parse(create.split('\n').find((l) => l.startsWith('# variables:'))!.slice('# variables:'.length));
      const made = await t.gql(create, { input: { ...input, name, version } });
      expect(made.body.errors).toBeUndefined();
    };
    // The profile it clones: create-profile.graphql's example under the clone's name and version.
    if (file === 'clone-profile.graphql') await createExample(String(variables.name), String(variables.version));
    // A saved profile it must find: create-profile.graphql's example (kubernetes 1.31.2) under a name of its own.
    const impacted = uniqueName('impacted');
    if (file === 'pack-impact.graphql') await createExample(impacted, '1.0.0');
    if (file === 'set-pack-version-lifecycle.graphql') {
      // A HOSTED registry of its own holding the example's pack (the demo pack of test/helpers/tar-builder.ts).
      variables.registry = uniqueName('team-packs');
      const made = await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name: variables.registry, kind: 'HOSTED' } });
      expect(made.body.errors).toBeUndefined();
      expect((await pushArchive(t.app, t.adminToken, String(variables.registry), buildTarGz(minimalPackEntries()))).body.errors).toBeUndefined();
    }
    if (file === 'profile-upgrade-steps.graphql') {
      // A saved profile on Kubernetes 1.29 of its own to climb from.
      variables.name = uniqueName('upgrade-steps');
      const create = await readFile(new URL('create-profile.graphql', dir), 'utf8');
      const { input } = JSON.parse(create.split('\n').find((l) => l.startsWith('# variables:'))!.slice('# variables:'.length));
      const layers = (input.layers as Array<{ pack: string; version: string }>).map((l) => (l.pack === 'kubernetes' ? { ...l, version: '1.29.10' } : l));
      const made = await t.gql(create, { input: { ...input, name: variables.name, version: variables.version, layers } });
      expect(made.body.errors).toBeUndefined();
    }
    const { body } = await t.gql(text, variables);
    expect(body.errors).toBeUndefined();
    if (file === 'pack-name-suggestions.graphql') expect(body.data!.packNameSuggestions).toEqual(['cert-manager']);
    if (file === 'packFacets.graphql') {
      // ADDON chosen: its count is the total, and the other layers keep theirs (the default registry's CNI packs run on aws).
      const facets = body.data!.packFacets;
      expect(facets.layer.find((l: { layer: string }) => l.layer === 'ADDON').count).toBe(facets.totalCount);
      expect(facets.totalCount).toBeGreaterThan(0);
      expect(facets.layer.find((l: { layer: string }) => l.layer === 'CNI').count).toBeGreaterThan(0);
    }
    if (file === 'pack-impact.graphql') {
      expect(body.data!.packImpact).toEqual(expect.arrayContaining([expect.objectContaining({ name: impacted, version: '1.0.0' })]));
    }
    if (file === 'create-profile-override.graphql') {
      // Stored as written, and the pack's values kept beside it.
      const layer = body.data!.createProfile.layers[4];
      expect(layer).toMatchObject({ pack: 'prometheus-operator', valuesOverride: (variables.input as { layers: Array<{ valuesOverride?: string }> }).layers[4].valuesOverride });
      expect(layer.resolved).not.toBeNull();
    }
    if (file === 'validate-profile-override.graphql') {
      // The example shows an override that validates, with the pack's install priority kept.
      expect(body.data!.validateProfile.valid).toBe(true);
      expect(body.data!.validateProfile.installOrder.at(-1)).toEqual({ layerIndex: 4, pack: 'prometheus-operator', priority: 30 });
    }
    if (file === 'proposeProfile.graphql') {
      // The example's request fits: a profile validation accepts, the CSI slot filled as preferred.
      expect(body.data!.proposeProfile.validation.valid).toBe(true);
      expect(body.data!.proposeProfile.profile.layers).toEqual(expect.arrayContaining([expect.objectContaining({ pack: 'csi-aws-ebs', layer: 'CSI', origin: 'SLOT' })]));
    }
    if (file === 'profile-upgrade-steps.graphql') {
      expect(body.data!.profileUpgradeSteps).toMatchObject({ fromKubernetes: '1.29.10', toKubernetes: '1.31', complete: true });
      expect(body.data!.profileUpgradeSteps.steps.map((s: { kubernetes: string }) => s.kubernetes)).toEqual(['1.30', '1.31']);
    }
    const values = Object.values(body.data ?? {});
    expect(values.length).toBeGreaterThan(0);
    for (const value of values) expect(value).not.toBeNull();
  });

  it('covers every file in the folder', async () => {
    const files = (await readdir(dir)).filter((f) => f.endsWith('.graphql')).sort();
    const covered = (await readFile(new URL(import.meta.url), 'utf8')).match(/'[\w-]+\.graphql'/g)!.map((s) => s.slice(1, -1));
    expect(files.filter((f) => !covered.includes(f))).toEqual([]);
  });
});
