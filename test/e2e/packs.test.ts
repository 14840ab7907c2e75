/** Issue 3 as a new user tries it: `npm start`'s embedded default, curl -F pushes, filters, pulls. */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startServiceProcess, type ServiceProcess } from '../helpers/service-process.js';
import { FULL_PACKS, PACK_CENTRAL } from '../helpers/packs.js';
import { buildTarGz, minimalPackEntries } from '../helpers/tar-builder.js';
import { writeFile } from 'node:fs/promises';

const run = promisify(execFile);

describe('packs on the embedded default, with curl', () => {
  let service: ServiceProcess;
  let token: string;
  let work: string;

  const curlPush = async (registry: string, file: string) => {
    const operations = JSON.stringify({
      query: 'mutation($a: Upload!) { pushPack(registry: "' + registry + '", archive: $a) { version digest pack { name } } }',
      variables: { a: null },
    });
    const { stdout } = await run('curl', [
      '-sS', `${service.url}/graphql`,
      '-H', `authorization: Bearer ${token}`,
      '-H', 'apollo-require-preflight: true',
      '-F', `operations=${operations}`,
      '-F', 'map={"0":["variables.a"]}',
      '-F', `0=@${file}`,
    ]);
    return JSON.parse(stdout);
  };

  beforeAll(async () => {
    service = await startServiceProcess();
    token = await service.adminToken();
    work = await mkdtemp(path.join(tmpdir(), 'pack-catalog-e2e-packs-'));
  }, 90_000);

  afterAll(async () => {
    await service.stop();
    await rm(work, { recursive: true, force: true });
  }, 30_000);

  it('shows the seeded default registry', async () => {
    const body = await service.gql('{ packs(first: 100, filter: { registry: ["default"] }) { totalCount } registry(name: "default") { sync { state } } }');
    expect(body.data.packs.totalCount).toBeGreaterThanOrEqual(11); // 14 versions of 11 packs ship today
    expect(body.data.registry.sync.state).toBe('SUCCEEDED');
  });

  it('takes the ten full pack-central packs pushed with curl -F, lists, pages and serves them back identical', async () => {
    expect((await service.gql('mutation { createRegistry(input: { name: "team", kind: HOSTED }) { name } }')).data.createRegistry.name).toBe('team');
    for (const folder of FULL_PACKS) {
      const archive = path.join(work, `${folder}.tar.gz`);
      await run('tar', ['-czf', archive, '-C', path.join(PACK_CENTRAL, 'full'), folder]);
      const body = await curlPush('team', archive);
      expect(body.errors).toBeUndefined();
      const download = await fetch(`${service.url}/artifacts/${body.data.pushPack.digest.replace(':', '/')}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(Buffer.compare(Buffer.from(await download.arrayBuffer()), await readFile(archive))).toBe(0);
    }
    const q = 'query($f: PackFilter, $a: String) { packs(first: 4, filter: $f, after: $a) { totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } }';
    const names: string[] = [];
    let after: string | null = null;
    do {
      const page: any = (await service.gql(q, { f: { registry: ['team'] }, a: after })).data.packs;
      expect(page.totalCount).toBe(10);
      names.push(...page.edges.map((e: any) => e.node.name));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(names).toHaveLength(10);
    const csi = await service.gql(q, { f: { registry: ['team'], layer: ['CSI'] } });
    expect(csi.data.packs.edges.map((e: any) => e.node.name)).toEqual(['csi-nfs-subdir-external']);
  }, 120_000);

  it('refuses a hostile archive with BAD_USER_INPUT listing its problems and stores nothing', async () => {
    const hostile = path.join(work, 'hostile.tar.gz');
    await writeFile(hostile, buildTarGz([...minimalPackEntries('evil-1.0.0'), { path: '../../etc/cron.d/x', body: 'boom' }]));
    const before = await service.gql('{ packs(first: 100, filter: { search: "demo" }) { totalCount } }');
    const body = await curlPush('team', hostile);
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0].extensions.issues.map((i: { code: string }) => i.code)).toContain('ARCHIVE_PATH_TRAVERSAL');
    const after = await service.gql('{ packs(first: 100, filter: { search: "demo" }) { totalCount } }');
    expect(after.data.packs.totalCount).toBe(before.data.packs.totalCount);
  });
});
