/**
 * Issue 16, section 5: a pack whose pack.json version is not a version (`not-a-version`) is refused
 * on push with VERSION_NOT_A_VERSION (it used to be stored and become `latest`); nothing is stored.
 */
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';
import { pushArchive } from '../helpers/packs.js';
import { addonPackTarball } from '../helpers/tar-builder.js';

describe('push of a version that is not a version', () => {
  let t: TestApp;
  let registry: string;
  beforeAll(async () => {
    t = await createTestApp({ s3: false });
    registry = uniqueName('strict');
    const made = await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name: registry, kind: 'HOSTED' } });
    expect(made.body.errors).toBeUndefined();
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  it('is refused with VERSION_NOT_A_VERSION at pack.json#/version, and nothing is stored', async () => {
    const name = uniqueName('nav');
    const refused = await pushArchive(t.app, t.adminToken, registry, addonPackTarball(name, 'not-a-version'));
    const error = refused.body.errors[0];
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
    expect(error.extensions.issues).toEqual([
      expect.objectContaining({ code: 'VERSION_NOT_A_VERSION', severity: 'ERROR', path: 'pack.json#/version' }),
    ]);
    expect(error.extensions.issues[0].message).toContain('"not-a-version" is not a version number');
    expect(await t.database.prisma.pack.count({ where: { name } })).toBe(0);
    // A real version of the same pack is taken, and is its latest.
    const taken = await pushArchive(t.app, t.adminToken, registry, addonPackTarball(name, '1.0.0'));
    expect(taken.body.errors).toBeUndefined();
    const latest = await t.gql('query($n: String!) { pack(name: $n) { latest { version } } }', { n: name });
    expect(latest.body.data!.pack.latest).toEqual({ version: '1.0.0' });
  });
});
