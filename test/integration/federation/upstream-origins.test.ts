/**
 * Upstream-chosen URLs against real loopback servers: an OCI registry (docker-registry behind a
 * proxy that adds a `Link: rel="next"` to its catalog), a second pack-catalog instance whose
 * downloadUrls name another origin (its PUBLIC_URL), and a Helm repository whose index points a
 * chart at another origin. That other origin (another port) is a recorder noting every request and
 * its Authorization header. Policy: refused unless the registry lists the origin in
 * allowedOrigins, and even then never sent the registry's credentials.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestApp, uniqueName, type TestApp } from '../../helpers/test-app.js';
import { PACK_CENTRAL, pushArchive, tarPack } from '../../helpers/packs.js';
import { buildTarGz, minimalPackEntries } from '../../helpers/tar-builder.js';
import { buildChart, writeHelmIndex } from '../../helpers/helm-charts.js';
import { startStaticServer, type StaticServer } from '../../helpers/static-server.js';
import { pushOciPack, startOciRegistry, type OciRegistryServer } from '../../helpers/oci-registry.js';
import { startTokenIssuer, type TokenIssuer } from '../../helpers/registry-token-issuer.js';
import { createScratchDatabase, createUpstreamRegistry, listedVersions, syncViaApi } from '../../helpers/federation.js';
import { readFile } from 'node:fs/promises';

interface Recorder {
  url: string;
  requests: Array<{ path: string; authorization?: string }>;
  close(): Promise<void>;
}

/** A server on its own port (another origin) that records what reaches it and answers with `answer`. */
async function startRecorder(answer: (path: string) => { status: number; body: Buffer | string; type?: string }): Promise<Recorder> {
  const requests: Recorder['requests'] = [];
  const server = http.createServer((req, res) => {
    const urlPath = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ path: urlPath, authorization: req.headers.authorization });
    const { status, body, type } = answer(urlPath);
    res.writeHead(status, { 'content-type': type ?? 'application/octet-stream', 'content-length': String(Buffer.byteLength(body)) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Forwards everything to `target` as it is, adding `Link: <next>; rel="next"` to the first catalog page. */
async function startLinkingProxy(target: string, next: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const upstream = http.request(`${target}${req.url}`, { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, (answer) => {
      const headers = { ...answer.headers };
      if (req.url?.startsWith('/v2/_catalog') && !req.url.includes('last=') && answer.statusCode === 200) headers.link = `<${next}>; rel="next"`;
      res.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const EMPTY_CATALOG = () => ({ status: 200, body: JSON.stringify({ repositories: [] }), type: 'application/json' });

describe('upstream-chosen URLs stay on allowed origins and never get credentials', () => {
  let t: TestApp;
  const closers: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await t?.close();
  });

  it('OCI: a catalog Link to another origin is refused with Basic credentials unsent, and followed without them once allowed', async () => {
    const auth = { username: 'sync-bot', password: 'basic-secret-9d1' };
    const oci: OciRegistryServer = await startOciRegistry({ auth: { kind: 'htpasswd', ...auth } });
    closers.push(() => oci.close());
    const dir = path.join(PACK_CENTRAL, 'full', 'kubewatch-1.0.7');
    const json = JSON.parse(await readFile(path.join(dir, 'pack.json'), 'utf8'));
    await pushOciPack(oci.url, { name: json.name, version: json.version, tarball: await readFile(await tarPack(dir)) }, auth);
    const recorder = await startRecorder(EMPTY_CATALOG);
    closers.push(() => recorder.close());
    const proxy = await startLinkingProxy(oci.url, `${recorder.url}/v2/_catalog?last=zzz&n=1000`);
    closers.push(() => proxy.close());

    const refused = uniqueName('oci-link');
    await createUpstreamRegistry(t, { name: refused, kind: 'OCI', endpoint: proxy.url, credentials: auth });
    const run = await syncViaApi(t, refused);
    expect(run.state).toBe('FAILED');
    expect(run.message).toContain(`Refused to contact ${recorder.url}`);
    expect(run.message).toContain('allowedOrigins');
    expect(recorder.requests).toEqual([]);

    const allowed = uniqueName('oci-link-ok');
    await createUpstreamRegistry(t, { name: allowed, kind: 'OCI', endpoint: proxy.url, credentials: auth, allowedOrigins: [recorder.url] });
    expect(await syncViaApi(t, allowed)).toMatchObject({ state: 'SUCCEEDED', added: 1, errors: [] });
    expect(await listedVersions(t, allowed)).toEqual(['kubewatch@1.0.7']);
    expect(recorder.requests).toEqual([{ path: '/v2/_catalog', authorization: undefined }]);
  });

  it('OCI token flow: the realm the registry names gets the Basic credentials, the token goes to the registry only', async () => {
    const issuer: TokenIssuer = await startTokenIssuer({ robot: 'token-flow-secret' });
    closers.push(() => issuer.close());
    const oci = await startOciRegistry({
      auth: { kind: 'token', realm: issuer.realm, service: issuer.service, issuer: issuer.issuer, rootCertBundle: issuer.rootCertBundle },
    });
    closers.push(() => oci.close());
    const recorder = await startRecorder(EMPTY_CATALOG);
    closers.push(() => recorder.close());
    const proxy = await startLinkingProxy(oci.url, `${recorder.url}/v2/_catalog?last=zzz&n=1000`);
    closers.push(() => proxy.close());
    const name = uniqueName('oci-token');
    await createUpstreamRegistry(t, {
      name,
      kind: 'OCI',
      endpoint: proxy.url,
      credentials: { username: 'robot', password: 'token-flow-secret' },
      allowedOrigins: [recorder.url],
    });
    expect(await syncViaApi(t, name)).toMatchObject({ state: 'SUCCEEDED', errors: [] });
    expect(issuer.requests).toEqual([{ scope: 'registry:catalog:*', user: 'robot' }]);
    expect(recorder.requests).toEqual([{ path: '/v2/_catalog', authorization: undefined }]);
  });

  it('CATALOG: a downloadUrl on another origin is refused without fetching, and fetched without the token once allowed', async () => {
    const recorder = await startRecorder(() => ({ status: 404, body: 'not here' }));
    closers.push(() => recorder.close());
    const remoteDb = await createScratchDatabase('origins');
    closers.push(() => remoteDb.drop());
    // The remote states its downloads at its PUBLIC_URL: here, another origin than the one we talk to.
    const remote = await createTestApp({ env: { ...remoteDb.env, PUBLIC_URL: recorder.url } });
    closers.push(() => remote.close());
    const remoteServer = http.createServer(remote.app);
    await new Promise<void>((resolve) => remoteServer.listen(0, '127.0.0.1', resolve));
    closers.push(async () => {
      remoteServer.closeAllConnections();
      await new Promise((resolve) => remoteServer.close(resolve));
    });
    const remoteUrl = `http://127.0.0.1:${(remoteServer.address() as AddressInfo).port}`;
    const hosted = uniqueName('team');
    await remote.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', { i: { name: hosted, kind: 'HOSTED' } });
    expect((await pushArchive(remote.app, remote.adminToken, hosted, buildTarGz(minimalPackEntries('demo-1.0.0')))).body.errors).toBeUndefined();
    const token = (await remote.gql('mutation { createApiToken(name: "origins", role: VIEWER) { token } }')).body.data!.createApiToken.token;

    const refused = uniqueName('cat-refused');
    await createUpstreamRegistry(t, { name: refused, kind: 'CATALOG', endpoint: remoteUrl, credentials: { token } });
    const run = await syncViaApi(t, refused);
    expect(run.state).toBe('FAILED');
    expect(run.errors).toEqual([{ item: 'demo:1.0.0', message: expect.stringContaining(`Refused to contact ${recorder.url}`) }]);
    expect(recorder.requests).toEqual([]);

    const allowed = uniqueName('cat-allowed');
    await createUpstreamRegistry(t, { name: allowed, kind: 'CATALOG', endpoint: remoteUrl, credentials: { token }, allowedOrigins: [recorder.url] });
    const second = await syncViaApi(t, allowed);
    expect(second.errors[0].message).toMatch(/answered HTTP 404/);
    expect(recorder.requests).toEqual([{ path: expect.stringMatching(/^\/artifacts\/sha256\/[a-f0-9]{64}$/), authorization: undefined }]);
  });

  it('HELM: a chart URL on another origin is refused unless allowed, and never gets the repository credentials', async () => {
    const repoDir = await mkdtemp(path.join(tmpdir(), 'pack-catalog-helm-origins-'));
    closers.push(() => rm(repoDir, { recursive: true, force: true }));
    const local = await buildChart({ name: 'local', version: '1.0.0' }, repoDir);
    const far = await buildChart({ name: 'far', version: '2.0.0' }, repoDir);
    const recorder = await startRecorder((urlPath) => (urlPath === '/far-2.0.0.tgz' ? { status: 200, body: far.bytes } : { status: 404, body: '' }));
    closers.push(() => recorder.close());
    await writeHelmIndex(repoDir, [
      { chart: { name: 'local', version: '1.0.0' }, file: local.path, bytes: local.bytes },
      { chart: { name: 'far', version: '2.0.0' }, file: far.path, bytes: far.bytes, url: `${recorder.url}/far-2.0.0.tgz` },
    ]);
    const server: StaticServer = await startStaticServer(repoDir);
    closers.push(() => server.close());
    const credentials = { username: 'helm-user', password: 'helm-secret-4c2' };

    const refused = uniqueName('helm-refused');
    await createUpstreamRegistry(t, { name: refused, kind: 'HELM', endpoint: server.url, credentials });
    const run = await syncViaApi(t, refused);
    expect(run).toMatchObject({ state: 'PARTIAL', added: 1 });
    expect(run.errors).toEqual([{ item: 'far:2.0.0', message: expect.stringContaining(`Refused to contact ${recorder.url}`) }]);
    expect(recorder.requests).toEqual([]);

    const allowed = uniqueName('helm-allowed');
    await createUpstreamRegistry(t, { name: allowed, kind: 'HELM', endpoint: server.url, credentials, allowedOrigins: [recorder.url] });
    expect(await syncViaApi(t, allowed)).toMatchObject({ state: 'SUCCEEDED', added: 2, errors: [] });
    expect(await listedVersions(t, allowed)).toEqual(['far@2.0.0', 'local@1.0.0']);
    expect(recorder.requests).toEqual([{ path: '/far-2.0.0.tgz', authorization: undefined }]);
  });
});
