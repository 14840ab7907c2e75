/**
 * Issue 16, section 5, through /graphql on the DEFAULT registry: an unknown pack name in a profile
 * gets "did you mean" (PACK_NOT_FOUND), from the names the caller may read.
 */
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';

const VALIDATE = `query($input: ProfileInput!) {
  validateProfile(input: $input) { valid issues { code severity layerIndex pack path message } }
}`;

describe('did you mean: unknown pack names (DEFAULT registry)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ s3: false, seed: true });
  }, 120_000);
  afterAll(async () => {
    await t.close();
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
