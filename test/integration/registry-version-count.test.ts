/**
 * Registry.versionCount (the web console's registries list): the live versions a registry holds,
 * beside packCount; a deleted version no longer counts, and a caller who may not read a PRIVATE
 * registry gets no counts of it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { pushArchive } from '../helpers/packs.js';
import { addonPackTarball } from '../helpers/tar-builder.js';

const suffix = randomBytes(3).toString('hex');
const REGISTRY = `vcount-${suffix}`;
const COUNTS = `query($name: String!) { registry(name: $name) { packCount versionCount } }`;

describe('Registry.versionCount', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    const created = await t.gql(`mutation { createRegistry(input: { name: "${REGISTRY}", kind: HOSTED, priority: -1000, visibility: PRIVATE }) { name } }`);
    expect(created.body.errors).toBeUndefined();
    for (const [name, version] of [
      [`vc-a-${suffix}`, '1.0.0'],
      [`vc-a-${suffix}`, '1.1.0'],
      [`vc-b-${suffix}`, '2.0.0'],
    ]) {
      const pushed = await pushArchive(t.app, t.adminToken, REGISTRY, addonPackTarball(name, version));
      expect(pushed.body.errors).toBeUndefined();
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts live versions beside live packs, and stops counting a deleted version', async () => {
    expect((await t.gql(COUNTS, { name: REGISTRY })).body.data?.registry).toEqual({ packCount: 2, versionCount: 3 });
    const deleted = await t.gql(`mutation { deletePackVersion(registry: "${REGISTRY}", name: "vc-b-${suffix}", version: "2.0.0") }`);
    expect(deleted.body.errors).toBeUndefined();
    expect((await t.gql(COUNTS, { name: REGISTRY })).body.data?.registry).toEqual({ packCount: 1, versionCount: 2 });
  });

  it('gives no counts of a PRIVATE registry to a token that may not read it', async () => {
    const token = await t.gql(`mutation { createApiToken(name: "vc-viewer-${suffix}", role: VIEWER) { token } }`);
    const viewer = token.body.data?.createApiToken.token as string;
    const listed = await t.gql(`{ registriesConnection(first: 100) { edges { node { name versionCount } } } }`, {}, viewer);
    expect(listed.body.errors).toBeUndefined();
    expect(listed.body.data?.registriesConnection.edges.map((e: { node: { name: string } }) => e.node.name)).not.toContain(REGISTRY);
    expect((await t.gql(COUNTS, { name: REGISTRY }, viewer)).body.data?.registry).toBeNull();
  });
});
