/**
 * Issue 16, section 5, on the DEFAULT registry: an unknown pack name gets "did you mean" in profile
 * validation (PACK_NOT_FOUND), packNameSuggestions and packctl; `packctl pack ls --registry nope`
 * says the registry does not exist instead of "No packs match".
 */
import { packctl } from '../helpers/packctl-in-process.js';
import { startPackctlSession, type PackctlSession } from '../helpers/packctl-session.js';
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';

const VALIDATE = `query($input: ProfileInput!) {
  validateProfile(input: $input) { valid issues { code severity layerIndex pack path message } }
}`;

describe('did you mean: unknown pack names (DEFAULT registry)', () => {
  let t: TestApp;
  let cli: PackctlSession;
  beforeAll(async () => {
    t = await createTestApp({ s3: false, seed: true });
    cli = await startPackctlSession(t, { prefix: 'packctl-suggest-' });
  }, 120_000);
  afterAll(async () => {
    await cli?.close();
    await t.close();
  });

  it('packNameSuggestions answers the close names, nearest first', async () => {
    const { body } = await t.gql('{ a: packNameSuggestions(name: "cert-manger") b: packNameSuggestions(name: "zzz-nothing-like-it") }');
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ a: ['cert-manager'], b: [] });
  });

  it('packctl pack show of an unknown name (with or without a version) says what was meant', async () => {
    const bare = await packctl('pack', 'show', 'cert-manger');
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain('Pack cert-manger was not found (did you mean "cert-manager"?). (NOT_FOUND)');
    const versioned = await packctl('pack', 'show', 'kubernets:1.31.2');
    expect(versioned.code).toBe(1);
    expect(versioned.stderr).toContain('Pack kubernets was not found (did you mean "kubernetes"?)');
  });

  it('packctl pack ls --registry nope says the registry does not exist; a real one still lists', async () => {
    const nope = await packctl('pack', 'ls', '--registry', 'nope');
    expect(nope.code).toBe(1);
    expect(nope.stderr).toContain('Registry nope does not exist');
    expect(nope.stdout).not.toContain('No packs match');
    const typo = await packctl('pack', 'ls', '--registry', 'defualt');
    expect(typo.stderr).toContain('Registry defualt does not exist (or you may not read it) (did you mean "default"?)');
    const real = await packctl('pack', 'ls', '--registry', 'default', '--name', 'cert-manager');
    expect(real.code).toBe(0);
    expect(real.stdout).toContain('cert-manager');
  });

  it('PACK_NOT_FOUND in validation names the close pack', async () => {
    const input = {
      name: uniqueName('typo'),
      type: 'ADDON',
      cloudType: 'all',
      layers: [
        { pack: 'cert-manger', version: '1.16.1' },
        { pack: 'prometheus', version: 'latest' },
        { pack: 'zzz-nothing-like-it', version: '1.0.0' },
      ],
    };
    const { body } = await t.gql(VALIDATE, { input });
    expect(body.errors).toBeUndefined();
    const notFound = body.data!.validateProfile.issues.filter((i: { code: string }) => i.code === 'PACK_NOT_FOUND');
    expect(notFound.map((i: { layerIndex: number; message: string }) => [i.layerIndex, i.message])).toEqual([
      [0, 'pack "cert-manger" was not found in any registry (did you mean "cert-manager"?)'],
      [1, 'pack "prometheus" was not found in any registry (did you mean "prometheus-operator"?)'],
      [2, 'pack "zzz-nothing-like-it" was not found in any registry'],
    ]);
  });
});
