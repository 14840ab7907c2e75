/**
 * Issue 4 as a new user tries it: the built service on its embedded default (scheduler on, as
 * shipped), a docker-registry on loopback holding packs, createRegistry(kind: OCI), syncRegistry,
 * a second sync that fetches nothing, and the upstream stopped.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startServiceProcess, type ServiceProcess } from '../helpers/service-process.js';
import { PACK_CENTRAL, tarPack } from '../helpers/packs.js';
import { pushOciPack, startOciRegistry, type OciRegistryServer } from '../helpers/oci-registry.js';

const SYNC = 'mutation($n: String!) { syncRegistry(name: $n) { state added unchanged artifactsFetched message errors { item message } } }';

describe('federating an OCI registry on the embedded default', () => {
  let service: ServiceProcess;
  let oci: OciRegistryServer;
  let token: string;
  const digests: string[] = [];

  beforeAll(async () => {
    [service, oci] = await Promise.all([startServiceProcess(), startOciRegistry()]);
    token = await service.adminToken();
    for (const folder of ['crossplane-2.1.3', 'kubewatch-1.0.7']) {
      const dir = path.join(PACK_CENTRAL, 'full', folder);
      const json = JSON.parse(await readFile(path.join(dir, 'pack.json'), 'utf8'));
      const bytes = await readFile(await tarPack(dir));
      await pushOciPack(oci.url, { name: json.name, version: json.version, tarball: bytes });
      digests.push(`sha256:${createHash('sha256').update(bytes).digest('hex')}`);
    }
  }, 90_000);

  afterAll(async () => {
    await oci?.close();
    await service?.stop();
  }, 30_000);

  const listed = async () =>
    (await service.gql('{ packs(first: 20, filter: { registry: ["lab"] }) { edges { node { name versions { version digest } } } } }')).data.packs.edges
      .map((e: any) => `${e.node.name}@${e.node.versions.map((v: any) => v.version).join(',')}`)
      .sort();

  it('syncs the registry into packs, then fetches nothing the second time', async () => {
    const created = await service.gql('mutation($e: String!) { createRegistry(input: { name: "lab", kind: OCI, endpoint: $e }) { name } }', { e: oci.url });
    expect(created.errors).toBeUndefined();
    const first = await service.gql(SYNC, { n: 'lab' });
    expect(first.data.syncRegistry).toMatchObject({ state: 'SUCCEEDED', added: 2, artifactsFetched: 2, errors: [] });
    expect(await listed()).toEqual(['crossplane@2.1.3', 'kubewatch@1.0.7']);
    const second = await service.gql(SYNC, { n: 'lab' });
    expect(second.data.syncRegistry).toMatchObject({ state: 'SUCCEEDED', added: 0, unchanged: 2, artifactsFetched: 0 });
  }, 60_000);

  it('keeps the packs listed and pullable when the registry is stopped, FAILED with a message saying why', async () => {
    await oci.close();
    const run = await service.gql(SYNC, { n: 'lab' });
    expect(run.data.syncRegistry.state).toBe('FAILED');
    expect(run.data.syncRegistry.message).toMatch(/could not be listed.*ECONNREFUSED/);
    const status = await service.gql('{ registry(name: "lab") { packCount sync { state message } } }');
    expect(status.data.registry).toMatchObject({ packCount: 2, sync: { state: 'FAILED', message: expect.stringMatching(/ECONNREFUSED/) } });
    expect(await listed()).toEqual(['crossplane@2.1.3', 'kubewatch@1.0.7']);
    for (const digest of digests) {
      const response = await fetch(`${service.url}/artifacts/${digest.replace(':', '/')}`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      expect(`sha256:${createHash('sha256').update(Buffer.from(await response.arrayBuffer())).digest('hex')}`).toBe(digest);
    }
  }, 60_000);
});
