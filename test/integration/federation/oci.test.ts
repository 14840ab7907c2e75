/**
 * OCI federation against Debian's docker-registry (CNCF distribution 2.8) on loopback: packs pushed
 * the way `oras push` lays them out, a Helm chart pushed the way `helm push` does, Basic auth with
 * htpasswd, Bearer token auth with a token issuer the registry trusts.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createTestApp, uniqueName, type TestApp } from '../../helpers/test-app.js';
import { PACK_CENTRAL, tarPack } from '../../helpers/packs.js';
import { buildChart } from '../../helpers/helm-charts.js';
import {
  deleteOciManifest,
  pushHelmOciChart,
  pushOciPack,
  sha256,
  startOciRegistry,
  type OciRegistryServer,
} from '../../helpers/oci-registry.js';
import { startTokenIssuer } from '../../helpers/registry-token-issuer.js';
import {
  catalogSnapshot,
  createTestEngine,
  createUpstreamRegistry,
  download,
  expectNoOrphans,
  listedVersions,
  syncViaApi,
} from '../../helpers/federation.js';

import { jest } from '@jest/globals';

jest.setTimeout(120_000);

const FULL = ['crossplane-2.1.3', 'kubewatch-1.0.7', 'spegel-0.0.18'];

async function packTarball(folder: string): Promise<{ name: string; version: string; bytes: Buffer }> {
  const dir = path.join(PACK_CENTRAL, 'full', folder);
  const json = JSON.parse(await readFile(path.join(dir, 'pack.json'), 'utf8'));
  return { name: json.name, version: json.version, bytes: await readFile(await tarPack(dir)) };
}

describe('OCI registry federation (docker-registry on loopback)', () => {
  let t: TestApp;
  let oci: OciRegistryServer;
  let name: string;
  const pushed = new Map<string, string>();

  beforeAll(async () => {
    t = await createTestApp({ s3: true });
    oci = await startOciRegistry();
    for (const folder of FULL) {
      const pack = await packTarball(folder);
      await pushOciPack(oci.url, { ...pack, tarball: pack.bytes });
      pushed.set(`${pack.name}@${pack.version}`, sha256(pack.bytes));
    }
    const chart = await buildChart({ name: 'podinfo', version: '6.5.0', annotations: { category: 'monitoring' } });
    await pushHelmOciChart(oci.url, { path: 'charts', name: 'podinfo', version: '6.5.0', chartTgz: chart.bytes, chartJson: chart.chartYaml });
    name = uniqueName('oci');
  });

  afterAll(async () => {
    await oci?.close();
    await t?.close();
  });

  it('brings the pushed packs and the Helm OCI chart into the catalog', async () => {
    await createUpstreamRegistry(t, { name, kind: 'OCI', endpoint: oci.url, priority: 5 });
    const run = await syncViaApi(t, name);
    expect(run).toMatchObject({ state: 'SUCCEEDED', added: 4, updated: 0, removed: 0, unchanged: 0, artifactsFetched: 4, errors: [] });
    expect(await listedVersions(t, name)).toEqual(['crossplane@2.1.3', 'kubewatch@1.0.7', 'podinfo@6.5.0', 'spegel@0.0.18']);
    // Pack artifacts are stored byte for byte as the registry holds them.
    for (const [key, digest] of pushed) {
      const [pack, version] = key.split('@');
      const { body } = await t.gql('query($n: String!, $v: String!, $r: String) { packVersion(name: $n, version: $v, registry: $r) { digest } }', {
        n: pack,
        v: version,
        r: name,
      });
      expect(body.data!.packVersion.digest).toBe(digest);
      expect(sha256(await download(t, digest))).toBe(digest);
    }
    const chart = await t.gql('query($r: String) { pack(name: "podinfo", registry: $r) { layer addonType versions { version charts values } } }', { r: name });
    expect(chart.body.data!.pack).toMatchObject({ layer: 'ADDON', addonType: 'monitoring', versions: [{ version: '6.5.0', charts: ['charts/podinfo-6.5.0.tgz'] }] });
    expect(chart.body.data!.pack.versions[0].values).toContain('charts:\n  podinfo:');
    const status = await t.gql('query($n: String!) { registry(name: $n) { packCount sync { state lastRunAt lastSuccessAt message runs(last: 5) { state artifactsFetched } } } }', { n: name });
    expect(status.body.data!.registry).toMatchObject({ packCount: 4, sync: { state: 'SUCCEEDED', message: null, runs: [{ state: 'SUCCEEDED', artifactsFetched: 4 }] } });
    await expectNoOrphans(t, [name]);
  });

  it('fetches no artifact on a second sync with no upstream change, and everything again when forced', async () => {
    const before = await catalogSnapshot(t, name);
    const again = await syncViaApi(t, name);
    expect(again).toMatchObject({ state: 'SUCCEEDED', added: 0, updated: 0, removed: 0, unchanged: 4, artifactsFetched: 0 });
    expect(await catalogSnapshot(t, name)).toEqual(before);
    const forced = await syncViaApi(t, name, true);
    expect(forced).toMatchObject({ state: 'SUCCEEDED', force: true, added: 0, updated: 0, unchanged: 4, artifactsFetched: 4 });
    expect(await catalogSnapshot(t, name)).toEqual(before);
  });

  it('adds a new version and marks one deleted upstream as removed, fetching only the new one', async () => {
    const pack = await packTarball('multus-3.9.0');
    await pushOciPack(oci.url, { ...pack, tarball: pack.bytes });
    const kubewatch = await fetch(`${oci.url}/v2/spectro-packs/archive/kubewatch/manifests/1.0.7`, {
      method: 'HEAD',
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    await deleteOciManifest(oci.url, 'spectro-packs/archive/kubewatch', kubewatch.headers.get('docker-content-digest')!);
    const run = await syncViaApi(t, name);
    expect(run).toMatchObject({ state: 'SUCCEEDED', added: 1, removed: 1, unchanged: 3, artifactsFetched: 1 });
    expect(await listedVersions(t, name)).toEqual(['cni-multus@3.9.0', 'crossplane@2.1.3', 'podinfo@6.5.0', 'spegel@0.0.18']);
    // Removed upstream, still pullable here.
    expect(sha256(await download(t, pushed.get('kubewatch@1.0.7')!))).toBe(pushed.get('kubewatch@1.0.7'));
  });

  it('ends FAILED with a message when the registry is down, keeping the catalog listed and pullable', async () => {
    const before = await catalogSnapshot(t, name);
    await oci.close({ keepStorage: true });
    const { engine } = await createTestEngine(t);
    const started = Date.now();
    const run = await engine.run(name);
    process.stdout.write(`[federation] ${name} with the registry stopped: ${run.state} in ${Date.now() - started} ms: ${run.message}\n`);
    expect(run.state).toBe('FAILED');
    expect(run.message).toMatch(/could not be listed.*last good state.*Could not reach http:\/\/127\.0\.0\.1:\d+\/v2\/_catalog \(ECONNREFUSED\)/);
    expect(run.artifactsFetched).toBe(0);
    const status = await t.gql('query($n: String!) { registry(name: $n) { packCount sync { state message lastSuccessAt } } }', { n: name });
    expect(status.body.data!.registry.sync.state).toBe('FAILED');
    expect(status.body.data!.registry.sync.message).toMatch(/ECONNREFUSED/);
    expect(status.body.data!.registry.sync.lastSuccessAt).not.toBeNull();
    expect(await catalogSnapshot(t, name)).toEqual(before);
    expect(await listedVersions(t, name)).toEqual(['cni-multus@3.9.0', 'crossplane@2.1.3', 'podinfo@6.5.0', 'spegel@0.0.18']);
    for (const digest of pushed.values()) expect(sha256(await download(t, digest))).toBe(digest);
    await expectNoOrphans(t, [name]);
  });

  it('reads an explicit repository list when the registry is set up with one, under a base path', async () => {
    const other = await startOciRegistry();
    try {
      const pack = await packTarball('vast-csi-2.6.5');
      await pushOciPack(other.url, { ...pack, tarball: pack.bytes, basePath: 'team/prod' });
      const kube = await packTarball('kubearmor-1.4.6');
      await pushOciPack(other.url, { ...kube, tarball: kube.bytes, basePath: 'team/prod' });
      const listedName = uniqueName('oci-list');
      await createUpstreamRegistry(t, { name: listedName, kind: 'OCI', endpoint: other.url, basePath: 'team/prod', repositories: [pack.name, 'nope'] });
      const run = await syncViaApi(t, listedName);
      expect(run).toMatchObject({ state: 'SUCCEEDED', added: 1, artifactsFetched: 1 });
      expect(await listedVersions(t, listedName)).toEqual([`${pack.name}@${pack.version}`]);
      const catalogName = uniqueName('oci-cat');
      await createUpstreamRegistry(t, { name: catalogName, kind: 'OCI', endpoint: `${other.url}/team`, basePath: 'prod' });
      expect(await syncViaApi(t, catalogName)).toMatchObject({ state: 'SUCCEEDED', added: 2 });
    } finally {
      await other.close();
    }
  });
});

describe('OCI registry authentication', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ s3: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('syncs from a registry behind htpasswd Basic auth with stored credentials, and fails clearly without them', async () => {
    const auth = { username: 'sync-bot', password: `pw-${uniqueName('x')}` };
    const oci = await startOciRegistry({ auth: { kind: 'htpasswd', ...auth } });
    try {
      const pack = await packTarball('kubewatch-1.0.7');
      await pushOciPack(oci.url, { ...pack, tarball: pack.bytes }, auth);
      const good = uniqueName('oci-basic');
      await createUpstreamRegistry(t, { name: good, kind: 'OCI', endpoint: oci.url, credentials: auth });
      expect(await syncViaApi(t, good)).toMatchObject({ state: 'SUCCEEDED', added: 1, artifactsFetched: 1 });
      const bad = uniqueName('oci-nocreds');
      await createUpstreamRegistry(t, { name: bad, kind: 'OCI', endpoint: oci.url, credentials: { username: 'sync-bot', password: 'wrong' } });
      const refused = await syncViaApi(t, bad);
      expect(refused.state).toBe('FAILED');
      expect(refused.message).toMatch(/HTTP 401 \(authentication failed/);
      expect(t.logs()).not.toContain(auth.password);
    } finally {
      await oci.close();
    }
  });

  it('follows the Bearer token challenge of a registry in token auth mode, one token per scope', async () => {
    const users = { robot: `tok-${uniqueName('pw')}` };
    const issuer = await startTokenIssuer(users);
    // Filled without auth, then restarted on the same storage with token auth switched on.
    const plain = await startOciRegistry();
    const pack = await packTarball('spegel-0.0.18');
    await pushOciPack(plain.url, { ...pack, tarball: pack.bytes });
    await plain.close({ keepStorage: true });
    const secured = await startOciRegistry({
      storageDir: plain.storageDir,
      auth: { kind: 'token', realm: issuer.realm, service: issuer.service, issuer: issuer.issuer, rootCertBundle: issuer.rootCertBundle },
    });
    try {
      const anonymous = await fetch(`${secured.url}/v2/_catalog`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
      const name = uniqueName('oci-bearer');
      await createUpstreamRegistry(t, { name, kind: 'OCI', endpoint: secured.url, credentials: { username: 'robot', password: users.robot } });
      expect(await syncViaApi(t, name)).toMatchObject({ state: 'SUCCEEDED', added: 1, artifactsFetched: 1 });
      expect(issuer.requests.map((r) => `${r.user} ${r.scope}`)).toEqual([
        'robot registry:catalog:*',
        'robot repository:spectro-packs/archive/spegel:pull',
      ]);
      const wrong = uniqueName('oci-bearer-bad');
      await createUpstreamRegistry(t, { name: wrong, kind: 'OCI', endpoint: secured.url, credentials: { username: 'robot', password: 'nope' } });
      const refused = await syncViaApi(t, wrong);
      expect(refused.state).toBe('FAILED');
      expect(refused.message).toMatch(/token service .* refused the credentials \(HTTP 401\)/);
    } finally {
      await secured.close();
      await issuer.close();
    }
  });
});
