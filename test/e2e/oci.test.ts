/**
 * The built service as an OCI registry, driven by a real client: Debian's skopeo pulls packs into
 * OCI layouts and pushes them back into HOSTED registries, with pack-catalog tokens as credentials.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { DIST, startServiceProcess, type ServiceProcess } from '../helpers/service-process.js';
import { PACK_CENTRAL, tarPack } from '../helpers/packs.js';
import { readLayout, writePackLayout } from '../helpers/oci-layout.js';
import { sha256File } from '../../src/platform/hashing.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let authFile: string;
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/** skopeo with a private auth file, so no credentials from the machine leak in. */
function skopeo(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile('skopeo', args, { env: { ...process.env, REGISTRY_AUTH_FILE: authFile }, timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

async function pushPackMultipart(service: ServiceProcess, token: string, registry: string, archive: string): Promise<any> {
  const form = new FormData();
  form.set(
    'operations',
    JSON.stringify({
      query: 'mutation($registry: String!, $archive: Upload!) { pushPack(registry: $registry, archive: $archive) { digest version } }',
      variables: { registry, archive: null },
    }),
  );
  form.set('map', JSON.stringify({ 0: ['variables.archive'] }));
  form.set('0', new Blob([await readFile(archive)], { type: 'application/gzip' }), 'pack.tar.gz');
  const response = await fetch(`${service.url}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' },
    body: form,
  });
  return response.json();
}

const PACK_VERSION = `query($name: String!, $version: String!, $registry: String) {
  packVersion(name: $name, version: $version, registry: $registry) { digest version registry { name } }
}`;

describe('pack-catalog as an OCI registry, with skopeo', () => {
  let service: ServiceProcess;
  let dataDir: string;
  let work: string;
  let admin: string;
  let viewer: string;
  let publisher: string;
  let host: string;
  const source = uniqueName('oci-src');
  const copies = uniqueName('oci-copy');
  const other = uniqueName('oci-other');
  let crossplane: { path: string; digest: string; size: number };

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'pack-catalog-oci-e2e-'));
    authFile = path.join(work, 'auth.json');
    dataDir = await mkdtemp(path.join(tmpdir(), 'pack-catalog-oci-data-'));
    service = await startServiceProcess({ dataDir, timeoutMs: 120_000 });
    host = new URL(service.url).host;
    admin = await service.adminToken();
    for (const name of [source, copies, other]) {
      const created = await service.gql('mutation($i: CreateRegistryInput!) { createRegistry(input: $i) { name } }', {
        i: { name, kind: 'HOSTED' },
      });
      expect(created.errors).toBeUndefined();
    }
    const token = async (name: string, role: string, registries: string[]) => {
      const body = await service.gql(
        'mutation($n: String!, $r: Role!, $g: [String!]) { createApiToken(name: $n, role: $r, registries: $g) { token } }',
        { n: name, r: role, g: registries },
      );
      expect(body.errors).toBeUndefined();
      return body.data.createApiToken.token as string;
    };
    viewer = await token(uniqueName('viewer'), 'VIEWER', []);
    publisher = await token(uniqueName('publisher'), 'PUBLISHER', [copies]);
    const archive = await tarPack(path.join(PACK_CENTRAL, 'full', 'crossplane-2.1.3'));
    crossplane = { path: archive, ...(await sha256File(archive)) };
    const pushed = await pushPackMultipart(service, admin, source, archive);
    expect(pushed.errors).toBeUndefined();
    expect(pushed.data.pushPack.digest).toBe(crossplane.digest);
  }, 180_000);

  afterAll(async () => {
    if (service && service.child.exitCode === null) await service.stop();
    await rm(dataDir, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  }, 30_000);

  const ref = (registry: string, pack: string, tag: string) => `docker://${host}/${registry}/spectro-packs/archive/${pack}:${tag}`;

  it('answers /v2/ with a Basic challenge, and 200 to a token as the Basic password', async () => {
    const anonymous = await fetch(`${service.url}/v2/`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Basic realm="pack-catalog"');
    expect(((await anonymous.json()) as any).errors[0].code).toBe('UNAUTHORIZED');
    const basic = await fetch(`${service.url}/v2/`, { headers: { authorization: `Basic ${Buffer.from(`x:${viewer}`).toString('base64')}` } });
    expect(basic.status).toBe(200);
    expect(basic.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
    expect(await basic.json()).toEqual({});
  });

  it('skopeo inspects the pack manifest: empty config, one layer titled NAME-VERSION.tar.gz', async () => {
    const run = await skopeo('inspect', '--raw', '--tls-verify=false', '--creds', `x:${viewer}`, ref(source, 'crossplane', '2.1.3'));
    expect(run.stderr).toBe('');
    const manifest = JSON.parse(run.stdout);
    expect(manifest).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.unknown.config.v1+json',
        digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
        size: 2,
      },
      layers: [
        {
          mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
          digest: crossplane.digest,
          size: crossplane.size,
          annotations: { 'org.opencontainers.image.title': 'crossplane-2.1.3.tar.gz' },
        },
      ],
    });
    const tags = await skopeo('list-tags', '--tls-verify=false', '--creds', `x:${viewer}`, `docker://${host}/${source}/spectro-packs/archive/crossplane`);
    expect(JSON.parse(tags.stdout).Tags).toEqual(['2.1.3']);
  });

  it('refuses anonymous pulls', async () => {
    const run = await skopeo('inspect', '--raw', '--tls-verify=false', ref(source, 'crossplane', '2.1.3'));
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/unauthorized|authentication required/i);
    const wrong = await skopeo('inspect', '--raw', '--tls-verify=false', '--creds', 'x:pkc_not-a-real-token', ref(source, 'crossplane', '2.1.3'));
    expect(wrong.code).not.toBe(0);
  });

  it('skopeo copies a pack into an OCI layout with a byte-identical layer, and back into another hosted registry', async () => {
    const layout = path.join(work, 'crossplane-layout');
    const pull = await skopeo('copy', '--src-tls-verify=false', '--src-creds', `x:${viewer}`, ref(source, 'crossplane', '2.1.3'), `oci:${layout}:crossplane`);
    expect(pull.code).toBe(0);
    const { manifest, blob } = await readLayout(layout, 'crossplane');
    expect(manifest.layers).toHaveLength(1);
    expect(manifest.layers[0]!.digest).toBe(crossplane.digest);
    expect((await blob(crossplane.digest)).equals(await readFile(crossplane.path))).toBe(true);

    // The same bytes `packctl pack pull` gets.
    const packctl = (...args: string[]) =>
      new Promise<Run>((resolve) =>
        execFile(process.execPath, [path.join(DIST, 'cli/main.js'), ...args], { env: { ...process.env, PACKCTL_CONFIG: path.join(work, 'packctl.json') } }, (error, stdout, stderr) =>
          resolve({ code: error ? 1 : 0, stdout, stderr }),
        ),
      );
    expect((await packctl('login', service.url, '--token', viewer)).code).toBe(0);
    const pulled = await packctl('pack', 'pull', 'crossplane:2.1.3', path.join(work, 'packctl-pull'), '--registry', source, '--archive-only');
    expect(pulled.code).toBe(0);
    expect((await readFile(path.join(work, 'packctl-pull', 'crossplane-2.1.3.tar.gz'))).equals(await blob(crossplane.digest))).toBe(true);

    const push = await skopeo('copy', '--dest-tls-verify=false', '--dest-creds', `x:${publisher}`, `oci:${layout}:crossplane`, ref(copies, 'crossplane', '2.1.3'));
    expect(push.stderr).not.toMatch(/fatal/);
    expect(push.code).toBe(0);
    const body = await service.gql(PACK_VERSION, { name: 'crossplane', version: '2.1.3', registry: copies }, viewer);
    expect(body.errors).toBeUndefined();
    expect(body.data.packVersion).toEqual({ digest: crossplane.digest, version: '2.1.3', registry: { name: copies } });
  }, 120_000);

  it('takes a pack the service has never seen through a real blob upload, ORAS layout, from a publisher', async () => {
    const archive = await tarPack(path.join(PACK_CENTRAL, 'full', 'kubewatch-1.0.7'));
    const layout = path.join(work, 'kubewatch-layout');
    const { layerDigest } = await writePackLayout(layout, 'kubewatch', await readFile(archive), 'kubewatch-1.0.7.tar.gz', {
      annotations: { 'org.opencontainers.image.created': '2026-01-01T00:00:00Z' },
    });
    const push = await skopeo('copy', '--dest-tls-verify=false', '--dest-creds', `x:${publisher}`, `oci:${layout}:kubewatch`, ref(copies, 'kubewatch', '1.0.7'));
    expect(push.stderr).not.toMatch(/fatal/);
    const body = await service.gql(PACK_VERSION, { name: 'kubewatch', version: '1.0.7', registry: copies }, viewer);
    expect(body.data.packVersion.digest).toBe(layerDigest);

    // The tag must be the pack's version, and the repository its name.
    const wrongTag = await skopeo('copy', '--dest-tls-verify=false', '--dest-creds', `x:${publisher}`, `oci:${layout}:kubewatch`, ref(copies, 'kubewatch', '9.9.9'));
    expect(wrongTag.code).not.toBe(0);
    expect(wrongTag.stderr).toMatch(/manifest invalid[\s\S]*1\.0\.7/);
    const wrongName = await skopeo('copy', '--dest-tls-verify=false', '--dest-creds', `x:${publisher}`, `oci:${layout}:kubewatch`, ref(copies, 'not-kubewatch', '1.0.7'));
    expect(wrongName.code).not.toBe(0);
    expect(wrongName.stderr).toMatch(/manifest invalid/);
  }, 120_000);

  it('lets a viewer pull but not push, and a publisher push only into its registries', async () => {
    const layout = path.join(work, 'viewer-layout');
    const pull = await skopeo('copy', '--src-tls-verify=false', '--src-creds', `x:${viewer}`, ref(source, 'crossplane', '2.1.3'), `oci:${layout}:crossplane`);
    expect(pull.code).toBe(0);
    const viewerPush = await skopeo('copy', '--dest-tls-verify=false', '--dest-creds', `x:${viewer}`, `oci:${layout}:crossplane`, ref(other, 'crossplane', '2.1.3'));
    expect(viewerPush.code).not.toBe(0);
    expect(viewerPush.stderr).toMatch(/denied|PUBLISHER/i);
    const outside = await skopeo('copy', '--dest-tls-verify=false', '--dest-creds', `x:${publisher}`, `oci:${layout}:crossplane`, ref(other, 'crossplane', '2.1.3'));
    expect(outside.code).not.toBe(0);
    expect(outside.stderr).toMatch(/denied|may not publish/i);
    const body = await service.gql(PACK_VERSION, { name: 'crossplane', version: '2.1.3', registry: other });
    expect(body.data?.packVersion ?? null).toBeNull();
    // Nor does anyone push into the DEFAULT registry.
    const intoDefault = await skopeo('copy', '--dest-tls-verify=false', '--dest-creds', `x:${admin}`, `oci:${layout}:crossplane`, ref('default', 'crossplane', '2.1.3'));
    expect(intoDefault.code).not.toBe(0);
  }, 120_000);

  it('serves the same manifest digest on every GET and after a restart', async () => {
    const url = `${service.url}/v2/${source}/spectro-packs/archive/crossplane/manifests/2.1.3`;
    const get = async () => {
      const response = await fetch(url, { headers: { authorization: `Bearer ${viewer}` } });
      expect(response.status).toBe(200);
      return { digest: response.headers.get('docker-content-digest'), body: Buffer.from(await response.arrayBuffer()) };
    };
    const first = await get();
    const second = await get();
    expect(second).toEqual(first);
    expect(first.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    const byDigest = await fetch(`${service.url}/v2/${source}/spectro-packs/archive/crossplane/manifests/${first.digest}`, {
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(Buffer.from(await byDigest.arrayBuffer()).equals(first.body)).toBe(true);

    expect(await service.stop()).toBe(0);
    service = await startServiceProcess({ dataDir, timeoutMs: 120_000 });
    const after = await fetch(`${service.url}/v2/${source}/spectro-packs/archive/crossplane/manifests/2.1.3`, {
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(after.headers.get('docker-content-digest')).toBe(first.digest);
    expect(Buffer.from(await after.arrayBuffer()).equals(first.body)).toBe(true);
  }, 180_000);
});
