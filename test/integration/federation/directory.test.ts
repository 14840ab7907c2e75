/**
 * DIRECTORY federation of spectrocloud/pack-central's real packs: the 220 metadata-only packs of
 * `meta/`, the ten complete ones of `full/`, and a `packs/` tree laid out like the repository that
 * the test edits between runs.
 */
import { jest } from '@jest/globals';
import { cp, mkdtemp, rm, writeFile, appendFile, mkdir } from 'node:fs/promises';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTestApp, uniqueName, type TestApp } from '../../helpers/test-app.js';
import { PACK_CENTRAL } from '../../helpers/packs.js';
import { catalogSnapshot, createUpstreamRegistry, expectNoOrphans, syncViaApi } from '../../helpers/federation.js';

jest.setTimeout(300_000);

const META = path.join(PACK_CENTRAL, 'meta');
const FULL = path.join(PACK_CENTRAL, 'full');

describe('DIRECTORY federation of pack-central', () => {
  let t: TestApp;
  let work: string;

  beforeAll(async () => {
    t = await createTestApp({ s3: true });
    work = await mkdtemp(path.join(tmpdir(), 'pack-catalog-dir-'));
  });

  afterAll(async () => {
    await t?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('imports all 220 packs of meta/ (read leniently, without their charts), then fetches nothing on a resync', async () => {
    const folders = (await readdir(META)).length;
    expect(folders).toBe(220);
    const name = uniqueName('meta');
    await createUpstreamRegistry(t, { name, kind: 'DIRECTORY', endpoint: META });
    const run = await syncViaApi(t, name);
    expect(run.errors).toEqual([]);
    expect(run).toMatchObject({ state: 'SUCCEEDED', added: 220, artifactsFetched: 220 });
    const versions = await t.database.prisma.packVersion.count({ where: { registry: { name }, removedAt: null } });
    expect(versions).toBe(220);
    const layers = await t.database.prisma.pack.groupBy({ by: ['layer'], where: { registry: { name } }, _count: { _all: true } });
    process.stdout.write(`[federation] meta/: ${versions} versions in ${await t.database.prisma.pack.count({ where: { registry: { name } } })} packs, layers ${JSON.stringify(layers.map((l) => [l.layer, l._count._all]))}\n`);
    const total = await t.gql('query($r: [String!]) { packs(first: 1, filter: { registry: $r, includeDeprecated: true }) { totalCount } }', { r: [name] });
    expect(total.body.data!.packs.totalCount).toBe(await t.database.prisma.pack.count({ where: { registry: { name } } }));
    // Warts kept as written in mirror mode: a leading v.
    const weka = await t.database.prisma.packVersion.findFirst({ where: { registry: { name }, version: 'v1.8.7', pack: { name: 'weka-operator' } } });
    expect(weka).not.toBeNull();
    const again = await syncViaApi(t, name);
    expect(again).toMatchObject({ state: 'SUCCEEDED', added: 0, updated: 0, removed: 0, unchanged: 220, artifactsFetched: 0 });
    await expectNoOrphans(t, [name]);
  });

  it('imports the ten complete packs of full/ (charts and logos included), endpoint given as a file:// URL', async () => {
    const name = uniqueName('full');
    await createUpstreamRegistry(t, { name, kind: 'DIRECTORY', endpoint: pathToFileURL(FULL).toString() });
    const run = await syncViaApi(t, name);
    expect(run).toMatchObject({ state: 'SUCCEEDED', added: 10, artifactsFetched: 10, errors: [] });
    const crossplane = await t.gql('query($r: String) { pack(name: "crossplane", registry: $r) { logoUrl versions { version charts } } }', { r: name });
    expect(crossplane.body.data!.pack).toMatchObject({ logoUrl: expect.any(String), versions: [{ version: '2.1.3', charts: ['charts/crossplane-2.1.3.tgz'] }] });
  });

  it('follows a packs/ tree as it changes: edits update, deletions remove, a broken folder is an item error', async () => {
    const root = path.join(work, 'pack-central');
    await mkdir(path.join(root, 'packs'), { recursive: true });
    for (const folder of ['crossplane-2.1.3', 'kubewatch-1.0.7', 'spegel-0.0.18']) {
      await cp(path.join(FULL, folder), path.join(root, 'packs', folder), { recursive: true });
    }
    // Folders copied from a read-only fixture are read-only too.
    await import('node:child_process').then(({ execFileSync }) => execFileSync('chmod', ['-R', 'u+w', root]));
    const name = uniqueName('tree');
    await createUpstreamRegistry(t, { name, kind: 'DIRECTORY', endpoint: root });
    expect(await syncViaApi(t, name)).toMatchObject({ state: 'SUCCEEDED', added: 3 });

    await appendFile(path.join(root, 'packs', 'kubewatch-1.0.7', 'values.yaml'), '\n# edited\n');
    await rm(path.join(root, 'packs', 'spegel-0.0.18'), { recursive: true });
    await mkdir(path.join(root, 'packs', 'broken-1.0.0'));
    await writeFile(path.join(root, 'packs', 'broken-1.0.0', 'pack.json'), '{ "name": "broken", ');
    await mkdir(path.join(root, 'packs', 'bad-values-1.0.0'));
    await writeFile(
      path.join(root, 'packs', 'bad-values-1.0.0', 'pack.json'),
      JSON.stringify({ name: 'bad-values', displayName: 'Bad', version: '1.0.0', layer: 'addon', cloudTypes: ['all'] }),
    );
    await writeFile(path.join(root, 'packs', 'bad-values-1.0.0', 'values.yaml'), 'a: [unclosed\n');
    const before = await catalogSnapshot(t, name);
    const run = await syncViaApi(t, name);
    expect(run).toMatchObject({ state: 'PARTIAL', added: 0, updated: 1, removed: 1, unchanged: 1, artifactsFetched: 2 });
    expect(run.errors.map((e: { item: string }) => e.item).sort()).toEqual(['bad-values:1.0.0', 'broken-1.0.0']);
    expect(run.errors.find((e: { item: string }) => e.item === 'broken-1.0.0').message).toMatch(/pack.json is not valid JSON/);
    expect(run.errors.find((e: { item: string }) => e.item === 'bad-values:1.0.0').message).toMatch(/values.yaml is not valid YAML/);
    const after = await catalogSnapshot(t, name);
    expect(after).toHaveLength(before.length);
    expect(after.find((line) => line.startsWith('spegel@'))).toMatch(/ removed$/);
    await expectNoOrphans(t, [name]);
  });

  it('ends FAILED when the folder is gone, keeping what it had', async () => {
    const root = path.join(work, 'vanishing');
    await cp(path.join(FULL, 'multus-3.9.0'), path.join(root, 'multus-3.9.0'), { recursive: true });
    const name = uniqueName('gone');
    await createUpstreamRegistry(t, { name, kind: 'DIRECTORY', endpoint: root });
    expect(await syncViaApi(t, name)).toMatchObject({ state: 'SUCCEEDED', added: 1 });
    const before = await catalogSnapshot(t, name);
    await import('node:child_process').then(({ execFileSync }) => execFileSync('chmod', ['-R', 'u+w', root]));
    await rm(root, { recursive: true });
    const run = await syncViaApi(t, name);
    expect(run.state).toBe('FAILED');
    expect(run.message).toMatch(/could not be listed.*is not readable \(ENOENT\)/);
    expect(await catalogSnapshot(t, name)).toEqual(before);
  });
});
