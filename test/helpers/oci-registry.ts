/**
 * A real OCI registry for tests: Debian's `docker-registry` (the CNCF distribution registry 2.8)
 * on a free loopback port, storing into a temp folder; optionally behind htpasswd Basic auth or
 * token (Bearer) auth. Plus pushes over its HTTP API the way `oras push` and `helm push` lay
 * artifacts out.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitUntil } from './wait-until.js';

export const REGISTRY_BINARY = '/usr/bin/docker-registry';

export type OciAuth =
  | { kind: 'htpasswd'; username: string; password: string }
  | { kind: 'token'; realm: string; service: string; issuer: string; rootCertBundle: string };

export interface OciRegistryServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  storageDir: string;
  /** Stops the registry; `keepStorage` leaves the data for a restart. */
  close(options?: { keepStorage?: boolean }): Promise<void>;
  output(): string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts a registry; `storageDir` reuses the data of an earlier one (to restart it with other auth). */
export async function startOciRegistry(options: { auth?: OciAuth; storageDir?: string; port?: number } = {}): Promise<OciRegistryServer> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'pack-catalog-oci-'));
  const storageDir = options.storageDir ?? (await mkdtemp(path.join(tmpdir(), 'pack-catalog-oci-storage-')));
  const port = options.port ?? (await freePort());
  let auth = '';
  if (options.auth?.kind === 'htpasswd') {
    const line = execFileSync('htpasswd', ['-Bbn', options.auth.username, options.auth.password], { encoding: 'utf8' });
    await writeFile(path.join(workDir, 'htpasswd'), line);
    auth = `auth:\n  htpasswd:\n    realm: test-registry\n    path: ${path.join(workDir, 'htpasswd')}\n`;
  } else if (options.auth?.kind === 'token') {
    const a = options.auth;
    auth = `auth:\n  token:\n    realm: ${a.realm}\n    service: ${a.service}\n    issuer: ${a.issuer}\n    rootcertbundle: ${a.rootCertBundle}\n`;
  }
  const config = [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${storageDir}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    auth,
  ].join('\n');
  const configPath = path.join(workDir, 'config.yml');
  await writeFile(configPath, config);
  const child: ChildProcess = spawn(REGISTRY_BINARY, ['serve', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const answers = async () => {
    if (child.exitCode !== null) throw new Error(`docker-registry exited early:\n${output}`);
    return fetch(`${url}/v2/`).then(
      (r) => r.status === 200 || r.status === 401,
      () => false,
    );
  };
  try {
    await waitUntil(answers, `docker-registry answers on ${url}`, 15_000, 100);
  } catch (error) {
    // Exited early: its output is in the message already. Still starting: it would outlive the test.
    if (child.exitCode !== null) throw error;
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}:\n${output}`, { cause: error });
  }
  let closed = false;
  return {
    url,
    port,
    storageDir,
    output: () => output,
    async close({ keepStorage = false } = {}) {
      if (!closed) {
        closed = true;
        if (child.exitCode === null) child.kill('SIGTERM');
        await exited;
      }
      await rm(workDir, { recursive: true, force: true }).catch(() => undefined);
      if (!keepStorage && !options.storageDir) await rm(storageDir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

export function sha256(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export interface PushAuth {
  username: string;
  password: string;
}

function authHeader(auth?: PushAuth): Record<string, string> {
  return auth ? { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` } : {};
}

/** Monolithic blob upload: POST to open a session, PUT with `?digest=`. */
export async function pushBlob(base: string, repository: string, bytes: Buffer, auth?: PushAuth): Promise<string> {
  const digest = sha256(bytes);
  const start = await fetch(`${base}/v2/${repository}/blobs/uploads/`, { method: 'POST', headers: authHeader(auth) });
  if (start.status !== 202) throw new Error(`blob upload start: HTTP ${start.status} ${await start.text()}`);
  const location = new URL(start.headers.get('location')!, base);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, {
    method: 'PUT',
    headers: { ...authHeader(auth), 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) },
    body: bytes,
  });
  if (put.status !== 201) throw new Error(`blob upload: HTTP ${put.status} ${await put.text()}`);
  return digest;
}

/** PUTs a manifest under a tag; returns its digest. */
export async function pushManifest(base: string, repository: string, tag: string, manifest: object, auth?: PushAuth): Promise<string> {
  const body = Buffer.from(JSON.stringify(manifest));
  const response = await fetch(`${base}/v2/${repository}/manifests/${tag}`, {
    method: 'PUT',
    headers: { ...authHeader(auth), 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    body,
  });
  if (response.status !== 201) throw new Error(`manifest put: HTTP ${response.status} ${await response.text()}`);
  return response.headers.get('docker-content-digest') ?? sha256(body);
}

/**
 * Pushes a pack tarball as `oras push <base>/<basePath>/spectro-packs/archive/<name>:<version>
 * <name>-<version>.tar.gz` would: an empty config of the "unknown" artifact type and one layer
 * titled after the file. Returns the manifest digest.
 */
export async function pushOciPack(
  base: string,
  pack: { name: string; version: string; tarball: Buffer; basePath?: string },
  auth?: PushAuth,
): Promise<{ repository: string; manifestDigest: string; layerDigest: string }> {
  const repository = [pack.basePath, 'spectro-packs/archive', pack.name].filter(Boolean).join('/');
  const config = Buffer.from('{}');
  const configDigest = await pushBlob(base, repository, config, auth);
  const layerDigest = await pushBlob(base, repository, pack.tarball, auth);
  const manifestDigest = await pushManifest(
    base,
    repository,
    pack.version,
    {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.unknown.config.v1+json', digest: configDigest, size: config.length },
      layers: [
        {
          mediaType: 'application/vnd.oci.image.layer.v1.tar',
          digest: layerDigest,
          size: pack.tarball.length,
          annotations: { 'org.opencontainers.image.title': `${pack.name}-${pack.version}.tar.gz` },
        },
      ],
      annotations: { 'org.opencontainers.image.created': '2026-01-01T00:00:00Z' },
    },
    auth,
  );
  return { repository, manifestDigest, layerDigest };
}

/**
 * Pushes a chart the way `helm push chart.tgz oci://<base>/<path>` does: config = Chart.yaml as
 * JSON (`application/vnd.cncf.helm.config.v1+json`), one chart content layer; repository
 * `<path>/<chart name>`, tag = version with `+` as `_`.
 */
export async function pushHelmOciChart(
  base: string,
  chart: { path: string; name: string; version: string; chartTgz: Buffer; chartJson?: object },
  auth?: PushAuth,
): Promise<{ repository: string; manifestDigest: string }> {
  const repository = [chart.path, chart.name].filter(Boolean).join('/');
  const config = Buffer.from(JSON.stringify(chart.chartJson ?? { name: chart.name, version: chart.version, apiVersion: 'v2' }));
  const configDigest = await pushBlob(base, repository, config, auth);
  const layerDigest = await pushBlob(base, repository, chart.chartTgz, auth);
  const manifestDigest = await pushManifest(
    base,
    repository,
    chart.version.replace(/\+/g, '_'),
    {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.cncf.helm.config.v1+json', digest: configDigest, size: config.length },
      layers: [{ mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', digest: layerDigest, size: chart.chartTgz.length }],
    },
    auth,
  );
  return { repository, manifestDigest };
}

/** Deletes a manifest by digest (the registry runs with delete enabled). */
export async function deleteOciManifest(base: string, repository: string, digest: string, auth?: PushAuth): Promise<void> {
  const response = await fetch(`${base}/v2/${repository}/manifests/${digest}`, { method: 'DELETE', headers: authHeader(auth) });
  if (response.status !== 202) throw new Error(`manifest delete: HTTP ${response.status} ${await response.text()}`);
}
