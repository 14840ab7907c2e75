/**
 * The listing's `search`: a text of three characters or more starts from the trigram indexes'
 * matches, a shorter one filters the walk in name order; both answer the same way (case-insensitive
 * text in the name or display name, `%` and `_` taken literally), page by page, with a matching count.
 */
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';
import { pushArchive } from '../helpers/packs.js';
import { buildTarGz, minimalPackEntries } from '../helpers/tar-builder.js';

const LIST = `query($f: PackFilter, $after: String) { packs(first: 2, filter: $f, after: $after) {
  totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } }`;

describe('catalog search', () => {
  let t: TestApp;
  let registry: string;
  let prefix: string;

  beforeAll(async () => {
    t = await createTestApp();
    registry = uniqueName('search');
    // Digits only: a base-36 stamp can hold the letters searched for below ('lt', 'ga'), and the
    // search would then rightly match every pack by its prefix.
    prefix = `s${Date.now()}`;
    await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name: registry, kind: 'HOSTED' } });
    const packs: Array<[string, string]> = [
      [`${prefix}-alpha`, 'Alpha Monitoring'],
      [`${prefix}-beta`, 'Beta 100% Done_Fast'],
      [`${prefix}-gamma`, 'Gamma Monitoring'],
      [`${prefix}-delta`, 'Delta'],
    ];
    for (const [name, displayName] of packs) {
      const archive = buildTarGz(
        minimalPackEntries(`${name}-1.0.0`, {
          'pack.json': JSON.stringify({ name, displayName, version: '1.0.0', layer: 'addon', cloudTypes: ['all'], charts: [] }),
        }),
      );
      expect((await pushArchive(t.app, t.adminToken, registry, archive)).body.errors).toBeUndefined();
    }
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  /** Every page of a search, in order, and the count each page reported. */
  async function search(text: string): Promise<{ names: string[]; counts: number[] }> {
    const names: string[] = [];
    const counts: number[] = [];
    let after: string | null = null;
    for (;;) {
      const { body } = await t.gql(LIST, { f: { search: text, registry: [registry] }, after });
      expect(body.errors).toBeUndefined();
      const page = body.data!.packs;
      names.push(...page.edges.map((e: { node: { name: string } }) => e.node.name));
      counts.push(page.totalCount);
      if (!page.pageInfo.hasNextPage) return { names, counts };
      after = page.pageInfo.endCursor;
    }
  }

  it('finds text in the name or the display name, case-insensitively, across pages (trigram path)', async () => {
    const byName = await search(`${prefix.toUpperCase()}-`);
    expect(byName.names).toEqual([`${prefix}-alpha`, `${prefix}-beta`, `${prefix}-delta`, `${prefix}-gamma`]);
    expect(new Set(byName.counts)).toEqual(new Set([4]));
    const byDisplayName = await search('monitoring');
    expect(byDisplayName.names).toEqual([`${prefix}-alpha`, `${prefix}-gamma`]);
    expect(byDisplayName.counts).toEqual([2]);
  });

  it('takes % and _ literally, in short and long searches alike', async () => {
    expect((await search('%')).names).toEqual([`${prefix}-beta`]);
    expect((await search('0% d')).names).toEqual([`${prefix}-beta`]);
    expect((await search('e_f')).names).toEqual([`${prefix}-beta`]);
    expect((await search('a%a')).names).toEqual([]);
  });

  it('answers a search shorter than a trigram the same way (walk in name order)', async () => {
    expect((await search('ga')).names).toEqual([`${prefix}-gamma`]);
    expect((await search('LT')).names).toEqual([`${prefix}-delta`]);
    expect((await search('zq')).names).toEqual([]);
  });
});
