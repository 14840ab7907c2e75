/**
 * Issue 21: every list that can grow is a connection. Each pages forward and backward without gaps
 * or repeats while rows are written and deleted between pages; `first` is capped and defaulted;
 * `totalCount` costs a statement only when asked for.
 */
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';
import { pushArchive } from '../helpers/packs.js';
import { buildTarGz, minimalPackEntries } from '../helpers/tar-builder.js';

interface Page {
  edges: Array<{ cursor: string; node: Record<string, any> }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

function packJson(name: string, version: string): string {
  return JSON.stringify({ name, displayName: name, version, layer: 'addon', cloudTypes: ['all'], charts: ['charts/demo-1.0.0.tgz'] });
}

describe('connections', () => {
  let t: TestApp;
  let hosted: string;

  const push = async (name: string, version: string) => {
    const r = await pushArchive(t.app, t.adminToken, hosted, buildTarGz(minimalPackEntries(`${name}-${version}`, { 'pack.json': packJson(name, version) })));
    expect(r.body.errors).toBeUndefined();
  };

  /**
   * Reads a whole connection a page at a time, calling `between` after each page (to write or
   * delete rows), forward with `first`/`after` or backward with `last`/`before`.
   */
  async function walk(
    read: (args: Record<string, unknown>) => Promise<Page>,
    size: number,
    backward: boolean,
    between: (page: number, seen: string[]) => Promise<void>,
  ) {
    const seen: string[] = [];
    let cursor: string | null = null;
    // Other test files share the database and add registries meanwhile: in a full run a page of one
    // registry needs hundreds of pages to reach the end, so the bound only catches a cycle.
    for (let page = 0; page < 5000; page++) {
      const args: Record<string, unknown> = backward ? { last: size, before: cursor } : { first: size, after: cursor };
      const result = await read(args);
      const keys = result.edges.map((e) => e.node.key as string);
      seen.push(...(backward ? keys.reverse() : keys));
      const more = backward ? result.pageInfo.hasPreviousPage : result.pageInfo.hasNextPage;
      if (!more) return seen;
      cursor = backward ? result.pageInfo.startCursor : result.pageInfo.endCursor;
      await between(page, seen);
    }
    throw new Error('the connection never ended');
  }

  beforeAll(async () => {
    t = await createTestApp();
    hosted = uniqueName('conn');
    await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { id } }', { i: { name: hosted, kind: 'HOSTED' } });
  }, 60_000);

  afterAll(() => t.close());

  it('pages a pack\'s versions newest first, both ways, with versions pushed and deleted in between', async () => {
    const pack = uniqueName('cpack');
    for (const v of ['1.0.0', '1.1.0', '1.2.0', '2.0.0', '2.1.0', '3.0.0', '3.1.0']) await push(pack, v);
    const read = async (args: Record<string, unknown>) => {
      const { body } = await t.gql(
        `query($p: String!, $first: Int, $after: String, $last: Int, $before: String) { pack(name: $p) {
          versionsConnection(first: $first, after: $after, last: $last, before: $before) {
            edges { cursor node { key: version } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`,
        { p: pack, ...args },
      );
      expect(body.errors).toBeUndefined();
      return body.data!.pack.versionsConnection as Page;
    };
    // Forward: 3.1.0 is deleted after the first page (already seen), 2.5.0 pushed into the unread part.
    const forward = await walk(read, 2, false, async (page) => {
      if (page !== 0) return;
      await t.gql('mutation($r: String!, $n: String!) { deletePackVersion(registry: $r, name: $n, version: "3.1.0") }', { r: hosted, n: pack });
      await push(pack, '2.5.0');
    });
    expect(forward).toEqual(['3.1.0', '3.0.0', '2.5.0', '2.1.0', '2.0.0', '1.2.0', '1.1.0', '1.0.0']);
    // Backward from the oldest, with a version pushed behind the reader (already passed) and one ahead.
    const backward = await walk(read, 3, true, async (page) => {
      if (page === 0) await push(pack, '1.0.1'); // between 1.0.0 and 1.1.0: already read
      if (page === 0) await push(pack, '4.0.0'); // ahead of the reader
    });
    expect(backward).toEqual(['1.0.0', '1.1.0', '1.2.0', '2.0.0', '2.1.0', '2.5.0', '3.0.0', '4.0.0']);
    // The deprecated list still answers, the same order.
    const list = await t.gql('query($p: String!) { pack(name: $p) { versions { version } } }', { p: pack });
    expect(list.body.data!.pack.versions.map((v: { version: string }) => v.version)).toEqual(['4.0.0', '3.0.0', '2.5.0', '2.1.0', '2.0.0', '1.2.0', '1.1.0', '1.0.1', '1.0.0']);
  });

  it('pages a registry\'s sync runs newest first, both ways, while runs are recorded', async () => {
    const registry = await t.database.prisma.registry.findUniqueOrThrow({ where: { name: hosted } });
    const at = (i: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, i));
    const made: string[] = [];
    for (let i = 0; i < 7; i++) {
      const run = await t.database.prisma.syncRun.create({ data: { registryId: registry.id, state: 'SUCCEEDED', trigger: `t${i}`, createdAt: at(i) } });
      made.push(run.trigger);
    }
    const read = async (args: Record<string, unknown>) => {
      const { body } = await t.gql(
        `query($n: String!, $first: Int, $after: String, $last: Int, $before: String) { registry(name: $n) {
          runs(first: $first, after: $after, last: $last, before: $before) {
            edges { cursor node { key: trigger } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`,
        { n: hosted, ...args },
      );
      expect(body.errors).toBeUndefined();
      return body.data!.registry.runs as Page;
    };
    // A new run (newest) arrives while an older one is read: pages keep their places.
    const forward = await walk(read, 3, false, async (page) => {
      if (page === 0) await t.database.prisma.syncRun.create({ data: { registryId: registry.id, state: 'RUNNING', trigger: 'new', createdAt: at(30) } });
    });
    expect(forward).toEqual([...made].reverse());
    const backward = await walk(read, 2, true, async () => undefined);
    expect(backward).toEqual([...made, 'new']);

    // Runs recorded while the reader pages, truly at the same time: each run is read at most once,
    // and every run that existed before the walk is read, in order.
    const before = ['new', ...[...made].reverse()];
    const writer = (async () => {
      for (let i = 0; i < 15; i++) {
        await t.database.prisma.syncRun.create({ data: { registryId: registry.id, state: 'SUCCEEDED', trigger: `c${i}`, createdAt: at(40 + i) } });
      }
    })();
    const [concurrent] = await Promise.all([walk(read, 2, false, async () => undefined), writer]);
    expect(new Set(concurrent).size).toBe(concurrent.length);
    expect(concurrent.filter((k) => before.includes(k))).toEqual(before);
  });

  it('pages registries and tokens, and profile versions of one name', async () => {
    const names: string[] = [];
    for (let i = 0; i < 4; i++) {
      const name = uniqueName('creg');
      names.push(name);
      await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { id } }', { i: { name, kind: 'HOSTED', priority: 900 + i } });
    }
    const readRegistries = async (args: Record<string, unknown>) => {
      const { body } = await t.gql(
        `query($first: Int, $after: String, $last: Int, $before: String) { registriesConnection(first: $first, after: $after, last: $last, before: $before) {
          edges { cursor node { key: name } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`,
        args,
      );
      expect(body.errors).toBeUndefined();
      return body.data!.registriesConnection as Page;
    };
    // Other test files add registries to the same database meanwhile: assertions look at this test's own.
    const late = uniqueName('late');
    const own = (seen: string[]) => seen.filter((n) => names.includes(n) || n === late);
    // One registry deleted after it was read, one created with a priority the reader has passed.
    let changed = false;
    const forward = await walk(readRegistries, 1, false, async (_page, seen) => {
      if (changed || !seen.includes(names[2])) return;
      changed = true;
      await t.gql('mutation($n: String!) { deleteRegistry(name: $n) }', { n: names[3] });
      await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { id } }', { i: { name: late, kind: 'HOSTED', priority: 1000 } });
    });
    expect(changed).toBe(true);
    expect(new Set(forward).size).toBe(forward.length);
    expect(own(forward)).toEqual([names[3], names[2], names[1], names[0]]);
    const backward = await walk(readRegistries, 2, true, async () => undefined);
    // Backward reads the end first: the walk lists it last to first.
    expect(own(backward)).toEqual([names[0], names[1], names[2], late]);

    const tokens: string[] = [];
    for (let i = 0; i < 3; i++) {
      tokens.push(uniqueName('ctok'));
      await t.gql('mutation($n: String!) { createApiToken(name: $n, role: VIEWER) { token } }', { n: tokens[i] });
    }
    const ownTokens = (seen: string[]) => seen.filter((n) => tokens.includes(n));
    const readTokens = async (args: Record<string, unknown>) =>
      (
        await t.gql(
          `query($first: Int, $after: String, $last: Int, $before: String) { apiTokensConnection(first: $first, after: $after, last: $last, before: $before) {
            edges { cursor node { key: name } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`,
          args,
        )
      ).body.data!.apiTokensConnection as Page;
    expect(ownTokens(await walk(readTokens, 2, false, async () => undefined))).toEqual(tokens);
    expect(ownTokens(await walk(readTokens, 2, true, async () => undefined))).toEqual([...tokens].reverse());

    const pack = uniqueName('ppack');
    await push(pack, '1.0.0');
    const profile = uniqueName('cprof');
    const create = (version: string) =>
      t.gql('mutation($i: ProfileInput!) { createProfile(input: $i) { id } }', {
        i: { name: profile, version, type: 'ADDON', cloudType: 'all', layers: [{ pack, version: '1.0.0' }] },
      });
    for (const v of ['1.0.0', '1.10.0', '1.2.0', '2.0.0']) expect((await create(v)).body.errors).toBeUndefined();
    const readProfiles = async (args: Record<string, unknown>) =>
      (
        await t.gql(
          `query($n: String, $first: Int, $after: String, $last: Int, $before: String) { profilesConnection(name: $n, first: $first, after: $after, last: $last, before: $before) {
            edges { cursor node { key: version layers { pack } } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`,
          { n: profile, ...args },
        )
      ).body.data!.profilesConnection as Page;
    const versions = await walk(readProfiles, 3, false, async (page) => {
      if (page !== 0) return;
      await t.gql('mutation($n: String!) { deleteProfile(name: $n, version: "2.0.0") }', { n: profile });
      await create('1.5.0'); // behind the reader: not seen, and nothing repeats
    });
    expect(versions).toEqual(['2.0.0', '1.10.0', '1.2.0', '1.0.0']);
  });

  it('defaults first to 20, caps it at 100, and refuses first with last or a foreign cursor', async () => {
    const pack = uniqueName('many');
    for (let i = 0; i < 22; i++) await push(pack, `1.0.${i}`);
    const q = `query($p: String!, $first: Int, $last: Int, $after: String) { pack(name: $p) { versionsConnection(first: $first, last: $last, after: $after) { edges { cursor } } } }`;
    expect((await t.gql(q, { p: pack })).body.data!.pack.versionsConnection.edges).toHaveLength(20);
    const over = await t.gql(q, { p: pack, first: 101 });
    expect(over.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const both = await t.gql(q, { p: pack, first: 1, last: 1 });
    expect(both.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'last' });
    const runsCursor = (await t.gql('{ registriesConnection(first: 1) { edges { cursor } } }')).body.data!.registriesConnection.edges[0].cursor;
    const foreign = await t.gql(q, { p: pack, after: runsCursor });
    expect(foreign.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('counts only when totalCount is selected', async () => {
    const q = (count: boolean) => `query($n: String!) { registry(name: $n) { runs(first: 2) { edges { cursor } ${count ? 'totalCount' : ''} } } }`;
    await t.gql(q(false), { n: hosted });
    t.takeQueryCount();
    await t.gql(q(false), { n: hosted });
    const without = t.takeQueryCount();
    const { body } = await t.gql(q(true), { n: hosted });
    const withCount = t.takeQueryCount();
    expect(body.data!.registry.runs.totalCount).toBe(await t.database.prisma.syncRun.count({ where: { registry: { name: hosted } } }));
    expect(withCount).toBe(without + 1);
  });
});
