/**
 * Issue 21: examples/pack-client.ts runs as a user runs it (a Node process, its operations typed by
 * the generated code) against the service listening on a port: it lists packs, resolves a version
 * and validates a profile.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestApp, uniqueName, type TestApp } from '../helpers/test-app.js';
import { pushArchive } from '../helpers/packs.js';
import { runProcess, type ProcessResult } from '../helpers/run-process.js';
import { buildTarGz, minimalPackEntries } from '../helpers/tar-builder.js';
import { allowListOf } from '../../scripts/persisted-queries.lib.js';
import * as cliOperations from '../../src/cli/generated/graphql.js';
import * as exampleOperations from '../../examples/generated/graphql.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const EXAMPLE = path.join(ROOT, 'examples', 'pack-client.ts');

function runExample(env: Record<string, string>, args: string[]): Promise<ProcessResult> {
  return runProcess(process.execPath, ['--import', '@swc-node/register/esm-register', EXAMPLE, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } });
}

describe('examples/pack-client.ts', () => {
  let t: TestApp;
  let server: Server;
  let url: string;
  let pack: string;
  let registry: string;

  beforeAll(async () => {
    t = await createTestApp();
    registry = uniqueName('example');
    await t.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { id } }', { i: { name: registry, kind: 'HOSTED' } });
    pack = uniqueName('expack');
    for (const version of ['1.0.0', '1.2.0']) {
      const packJson = JSON.stringify({ name: pack, displayName: pack, version, layer: 'addon', cloudTypes: ['all'], charts: ['charts/demo-1.0.0.tgz'] });
      expect((await pushArchive(t.app, t.adminToken, registry, buildTarGz(minimalPackEntries(`${pack}-${version}`, { 'pack.json': packJson })))).body.errors).toBeUndefined();
    }
    server = createServer(t.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  it('lists packs, resolves the latest version and validates a profile with it', async () => {
    const { code, stdout, stderr } = await runExample({ PACK_CATALOG_URL: url, PACK_CATALOG_TOKEN: t.adminToken }, [pack]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const digest = (await t.gql('query($n: String!) { packVersion(name: $n, version: "1.2.0") { digest } }', { n: pack })).body.data!.packVersion.digest;
    expect(stdout).toMatch(/^\d+ packs; the first \d+:\n/);
    expect(stdout).toContain(`${pack}@latest is 1.2.0 in ${registry}: ${digest}\n`);
    expect(stdout).toMatch(/profile valid: true \(0 errors, \d+ warnings\)/);
    expect(stdout).toContain(`  resolves ${pack} 1.2.0 ${digest}\n`);
  });

  it('reports the API error code and exits 1 (here: no token)', async () => {
    const { code, stderr } = await runExample({ PACK_CATALOG_URL: url }, [pack]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^UNAUTHENTICATED: /);
  });

  it('still runs with PERSISTED_QUERIES_ONLY and the allow-list `npm run persisted-queries` makes, where other documents are refused', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pack-catalog-allow-'));
    const file = path.join(dir, 'persisted-queries.json');
    await writeFile(file, JSON.stringify(allowListOf([cliOperations, exampleOperations])));
    const locked = await createTestApp({ env: { PERSISTED_QUERIES_ONLY: 'true', PERSISTED_QUERIES_FILE: file } });
    const lockedServer = createServer(locked.app);
    try {
      await new Promise<void>((resolve) => lockedServer.listen(0, '127.0.0.1', resolve));
      const lockedUrl = `http://127.0.0.1:${(lockedServer.address() as AddressInfo).port}`;
      const { code, stdout, stderr } = await runExample({ PACK_CATALOG_URL: lockedUrl, PACK_CATALOG_TOKEN: locked.adminToken }, [pack]);
      expect([code, stderr]).toEqual([0, '']);
      expect(stdout).toContain(`${pack}@latest is 1.2.0`);
      expect((await locked.gql('{ me { name } }')).body.errors![0].extensions!.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    } finally {
      await new Promise((resolve) => lockedServer.close(resolve));
      await locked.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
