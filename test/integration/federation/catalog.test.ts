/**
 * CATALOG federation: a second pack-catalog instance (its own database and store) listening on
 * loopback, read over its GraphQL API with a VIEWER token, artifacts pulled from its
 * /artifacts route and checked against the digests it states.
 */
import { jest } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createTestApp, uniqueName, type TestApp } from '../../helpers/test-app.js';
import { PACK_CENTRAL, pushArchive } from '../../helpers/packs.js';
import { buildTarGz, minimalPackEntries } from '../../helpers/tar-builder.js';
import { catalogSnapshot, createScratchDatabase, createUpstreamRegistry, download, expectNoOrphans, listedVersions, syncViaApi } from '../../helpers/federation.js';
import { sha256 } from '../../helpers/oci-registry.js';

jest.setTimeout(180_000);

const CREATE_TOKEN = 'mutation($n: String!, $r: Role!) { createApiToken(name: $n, role: $r) { token } }';

async function listen(app: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('CATALOG federation (a second instance on loopback)', () => {
  let local: TestApp;
  let remote: TestApp;
  let remoteServer: { url: string; close: () => Promise<void> };
  let localServer: { url: string; close: () => Promise<void> };
  let dropDatabases: Array<() => Promise<void>> = [];
  let viewerToken: string;
  let hosted: string;
  let name: string;

  beforeAll(async () => {
    // Each instance on a database of its own, as two deployments would be (and unseen by other test files).
    const [remoteDb, localDb] = await Promise.all([createScratchDatabase('remote'), createScratchDatabase('local')]);
    dropDatabases = [remoteDb.drop, localDb.drop];
    remote = await createTestApp({ env: remoteDb.env });
    local = await createTestApp({ s3: true, env: localDb.env });
    remoteServer = await listen(remote.app);
    localServer = await listen(local.app);
    // The remote holds the ten full pack-central packs (synced from a folder) and one pushed pack.
    const full = uniqueName('full');
    await createUpstreamRegistry(remote, { name: full, kind: 'DIRECTORY', endpoint: path.join(PACK_CENTRAL, 'full'), priority: 1 });
    expect((await remote.services.sync.run(full)).state).toBe('SUCCEEDED');
    hosted = uniqueName('team');
    await remote.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name: hosted, kind: 'HOSTED', priority: 10 } });
    const pushed = await pushArchive(remote.app, remote.adminToken, hosted, buildTarGz(minimalPackEntries('demo-1.0.0')));
    expect(pushed.body.errors).toBeUndefined();
    viewerToken = (await remote.gql(CREATE_TOKEN, { n: uniqueName('federation'), r: 'VIEWER' })).body.data!.createApiToken.token;
    name = uniqueName('remote');
  });

  afterAll(async () => {
    await localServer?.close();
    await remoteServer?.close();
    await local?.close();
    await remote?.close();
    for (const drop of dropDatabases) await drop();
  });

  it('brings in every version the remote owns, byte-identical, with a VIEWER token', async () => {
    await createUpstreamRegistry(local, { name, kind: 'CATALOG', endpoint: remoteServer.url, credentials: { token: viewerToken } });
    const run = await syncViaApi(local, name);
    expect(run).toMatchObject({ state: 'SUCCEEDED', added: 11, artifactsFetched: 11, errors: [] });
    const remoteVersions = await remote.database.prisma.packVersion.findMany({
      where: { registry: { kind: { in: ['DIRECTORY', 'HOSTED'] } } },
      select: { version: true, digest: true, pack: { select: { name: true } } },
    });
    const localVersions = await local.database.prisma.packVersion.findMany({
      where: { registry: { name } },
      select: { version: true, digest: true, upstreamMarker: true, pack: { select: { name: true } } },
    });
    const key = (v: { version: string; digest: string; pack: { name: string } }) => `${v.pack.name}@${v.version} ${v.digest}`;
    expect(localVersions.map(key).sort()).toEqual(remoteVersions.map(key).sort());
    expect(localVersions.every((v) => v.upstreamMarker === v.digest)).toBe(true);
    for (const v of localVersions) expect(sha256(await download(local, v.digest))).toBe(v.digest);
    await expectNoOrphans(local, [name]);
  });

  it('fetches nothing on a second sync, and marks a version deleted on the remote as removed', async () => {
    expect(await syncViaApi(local, name)).toMatchObject({ state: 'SUCCEEDED', added: 0, unchanged: 11, artifactsFetched: 0 });
    const deleted = await remote.gql('mutation($r: String!) { deletePackVersion(registry: $r, name: "demo", version: "1.0.0") }', { r: hosted });
    expect(deleted.body.errors).toBeUndefined();
    const run = await syncViaApi(local, name);
    expect(run).toMatchObject({ state: 'SUCCEEDED', removed: 1, unchanged: 10, artifactsFetched: 0 });
    expect(await listedVersions(local, name)).not.toContain('demo@1.0.0');
  });

  it('does not federate back what it federated (no loops) nor the instance itself', async () => {
    // The remote federating us back finds only our CATALOG registry's versions: it takes none of them.
    const back = uniqueName('back');
    const localViewer = (await local.gql(CREATE_TOKEN, { n: uniqueName('back'), r: 'VIEWER' })).body.data!.createApiToken.token;
    await createUpstreamRegistry(remote, { name: back, kind: 'CATALOG', endpoint: localServer.url, credentials: { token: localViewer } });
    const echoed = await remote.services.sync.run(back);
    expect(echoed).toMatchObject({ state: 'SUCCEEDED', added: 0, artifactsFetched: 0 });
    // And ours, syncing again, ignores the remote's new CATALOG registry.
    expect(await syncViaApi(local, name)).toMatchObject({ state: 'SUCCEEDED', added: 0, unchanged: 10, artifactsFetched: 0 });
    const self = uniqueName('self');
    await createUpstreamRegistry(local, { name: self, kind: 'CATALOG', endpoint: localServer.url, credentials: { token: localViewer } });
    const refused = await syncViaApi(local, self);
    expect(refused.state).toBe('FAILED');
    expect(refused.message).toMatch(/this very pack-catalog instance/);
  });

  it('ends FAILED on a refused token and when the remote is down, keeping the catalog', async () => {
    const before = await catalogSnapshot(local, name);
    const bad = uniqueName('badtoken');
    await createUpstreamRegistry(local, { name: bad, kind: 'CATALOG', endpoint: remoteServer.url, credentials: { token: 'pkc_not-a-token' } });
    const refused = await syncViaApi(local, bad);
    expect(refused.state).toBe('FAILED');
    expect(refused.message).toMatch(/UNAUTHENTICATED/);
    await remoteServer.close();
    const { engine } = await import('../../helpers/federation.js').then((m) => m.createTestEngine(local));
    const down = await engine.run(name);
    expect(down.state).toBe('FAILED');
    expect(down.message).toMatch(/could not be listed.*ECONNREFUSED/);
    expect(await catalogSnapshot(local, name)).toEqual(before);
  });
});
