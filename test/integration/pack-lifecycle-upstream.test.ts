/**
 * Issue 16 (3), who sets a lifecycle in a registry fed by an upstream (pack-lifecycle.access.ts):
 * a DIRECTORY registry's pack carries `system_state: deprecated` in its pack.json; a PUBLISHER
 * (even one whose token names the registry) may not change it, an ADMIN may override it, and the
 * override outlives a sync that brings new bytes for the version. Real PostgreSQL, a real folder.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestApp, createToken, uniqueName, type TestApp } from '../helpers/test-app.js';
import { createUpstreamRegistry, syncViaApi } from '../helpers/federation.js';

const SET = `mutation($r: String!, $n: String!, $s: PackLifecycleState!) {
  setPackVersionLifecycle(registry: $r, name: $n, version: "1.0.0", state: $s) { deprecated lifecycle { state } }
}`;
const STATE = `query($n: String!, $r: String!) {
  pack(name: $n, registry: $r) { deprecated }
  packVersion(name: $n, version: "1.0.0", registry: $r) { deprecated lifecycle { state } }
}`;

describe('setPackVersionLifecycle on a registry fed by an upstream', () => {
  let t: TestApp;
  let folder: string;
  beforeAll(async () => {
    t = await createTestApp({ s3: false });
    folder = await mkdtemp(path.join(tmpdir(), 'pack-catalog-lifecycle-'));
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await rm(folder, { recursive: true, force: true });
  });

  const writePack = async (name: string, values: string) => {
    const dir = path.join(folder, `${name}-1.0.0`);
    await mkdir(dir, { recursive: true });
    const packJson = { name, displayName: name, version: '1.0.0', layer: 'addon', cloudTypes: ['all'], annotations: { system_state: 'deprecated' } };
    await writeFile(path.join(dir, 'pack.json'), JSON.stringify(packJson));
    await writeFile(path.join(dir, 'values.yaml'), values);
  };

  it('takes the lifecycle from pack.json, refuses publishers, and keeps an ADMIN override across syncs', async () => {
    const registry = uniqueName('dir-life');
    const name = uniqueName('upstream-pack');
    await writePack(name, `pack:\n  namespace: ${name}\n`);
    await createUpstreamRegistry(t, { name: registry, kind: 'DIRECTORY', endpoint: folder });
    expect((await syncViaApi(t, registry)).added).toBe(1);
    const stateOf = async () => (await t.gql(STATE, { n: name, r: registry })).body.data!;
    expect(await stateOf()).toEqual({ pack: { deprecated: true }, packVersion: { deprecated: true, lifecycle: { state: 'DEPRECATED' } } });

    // A publisher, even one whose token names this registry, does not own what the upstream publishes.
    const publisher = await createToken(t, 'PUBLISHER', [registry]);
    const refused = await t.gql(SET, { r: registry, n: name, s: 'ACTIVE' }, publisher);
    expect(refused.body.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(refused.body.errors![0].message).toContain('only an ADMIN may override it');
    expect(await stateOf()).toEqual({ pack: { deprecated: true }, packVersion: { deprecated: true, lifecycle: { state: 'DEPRECATED' } } });

    // An ADMIN overrides it for this installation.
    const overridden = await t.gql(SET, { r: registry, n: name, s: 'ACTIVE' });
    expect(overridden.body.errors).toBeUndefined();
    expect(await stateOf()).toEqual({ pack: { deprecated: false }, packVersion: { deprecated: false, lifecycle: { state: 'ACTIVE' } } });

    // New bytes upstream for the same version (still deprecated there): the override stays, flags and all.
    await writePack(name, `pack:\n  namespace: ${name}-moved\n`);
    expect((await syncViaApi(t, registry)).updated).toBe(1);
    expect(await stateOf()).toEqual({ pack: { deprecated: false }, packVersion: { deprecated: false, lifecycle: { state: 'ACTIVE' } } });
  });
});
