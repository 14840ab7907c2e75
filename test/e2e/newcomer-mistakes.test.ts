/**
 * The first hour's mistakes, each with a helpful answer (issue 20): a taken port, a probe-flooded
 * log, an https:// URL for an http:// port, a tag without a group, a version that does not exist,
 * a pull into a full folder. The built service and packctl as processes, as a newcomer runs them.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DIST, startServiceProcess, type ServiceProcess } from '../helpers/service-process.js';
import { runProcess } from '../helpers/run-process.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const PACKCTL = process.env.PACK_CATALOG_DIST ? path.join(DIST, 'cli', 'main.js') : path.join(ROOT, 'bin', 'packctl.js');
const TRUST_MANAGER = path.join(ROOT, 'default-packs', 'trust-manager-0.12.0');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function packctl(home: string, args: string[]): Promise<Result> {
  return runProcess(process.execPath, [PACKCTL, ...args], { cwd: home, env: { PATH: process.env.PATH ?? '', HOME: home, PACKCTL_SKIP_BUILD: '1' } });
}

/** The access-log lines of the service's output, as objects. */
const requestLines = (service: ServiceProcess) =>
  service
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes('"msg":"request"'))
    .map((line) => JSON.parse(line) as { level: string; url: string });

describe('a taken port', () => {
  it('is reported at once, before migrations, saying to set PORT', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    const dataDir = await mkdtemp(path.join(tmpdir(), 'pack-catalog-port-'));
    try {
      const refusal = await startServiceProcess({ dataDir, env: { PORT: String(port) }, timeoutMs: 20_000 }).then(
        () => null,
        (error: Error) => error.message,
      );
      expect(refusal).toContain(
        `exited with 1 before listening:\nCannot listen on port ${port} on 127.0.0.1: another process is using it. Stop that process, or set PORT to a free port (for example PORT=${port + 1} npm start).\n`,
      );
      // Nothing started: no migration ran, no database was made.
      expect(refusal).not.toContain('database ready');
      expect(await readdir(dataDir)).toEqual([]);
    } finally {
      taken.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('packctl mistakes against the service', () => {
  let service: ServiceProcess;
  let work: string;
  let home: string;
  const registry = `hosted-${process.pid}`;

  beforeAll(async () => {
    if (!existsSync(path.join(DIST, 'app', 'main.js'))) throw new Error(`No build at ${DIST}: run \`npm run build\` (or set PACK_CATALOG_DIST) before the e2e tests.`);
    // A first start on a busy 2-core machine can take a minute: room for it (the default is 60 s).
    service = await startServiceProcess({ env: { RATE_LIMIT_PER_MINUTE: '0' }, timeoutMs: 180_000 });
    work = await mkdtemp(path.join(tmpdir(), 'newcomer-e2e-'));
    home = await mkdtemp(path.join(work, 'home-'));
    expect(await packctl(home, ['login', service.url, '--token', await service.adminToken()])).toMatchObject({ code: 0 });
    expect(await packctl(home, ['registry', 'add', registry])).toMatchObject({ code: 0 });
    expect(await packctl(home, ['pack', 'push', TRUST_MANAGER, '--registry', registry])).toMatchObject({ code: 0 });
  }, 300_000);

  afterAll(async () => {
    await service?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  }, 30_000);

  it('keeps health probes and metrics scrapes out of the info log', async () => {
    for (const route of ['/healthz', '/readyz', '/metrics']) expect((await fetch(`${service.url}${route}`)).status).toBe(200);
    await fetch(`${service.url}/no-such-route`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const urls = requestLines(service).map((line) => line.url);
    expect(urls).toContain('/no-such-route');
    expect(urls.filter((url) => ['/healthz', '/readyz', '/metrics'].includes(url))).toEqual([]);
  });

  it('says to use http:// when logging in with https:// to the plain-HTTP port', async () => {
    const url = service.url.replace('http://', 'https://');
    const result = await packctl(await mkdtemp(path.join(work, 'home-')), ['login', url, '--token', 'pkc_any']);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe(
      `error: Could not reach ${url}: the server answered plain HTTP; use http://. (PLAIN_HTTP_SERVER)\nLog in with: packctl login ${service.url}\n`,
    );
  });

  it('suggests a group__label tag for a tag without a group, and the suggestion works', async () => {
    const refused = await packctl(home, ['pack', 'tag', 'add', 'trust-manager:0.12.0', 'stable', '--registry', registry]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: .*group__label.* \(BAD_USER_INPUT\)$/m);
    const hint = `A publisher tag is group__label, for example: packctl pack tag add trust-manager:0.12.0 stable__0.12.0 --registry ${registry}`;
    expect(refused.stderr.trimEnd().split('\n').at(-1)).toBe(hint);
    const suggested = hint.slice(hint.indexOf('packctl ') + 'packctl '.length).split(' ');
    expect(await packctl(home, suggested)).toMatchObject({ code: 0 });
  });

  it('names the closest versions when a version does not exist (pack show and pack pull)', async () => {
    const shown = await packctl(home, ['pack', 'show', 'kubernetes:1.30.9']);
    expect(shown).toMatchObject({ code: 1, stdout: '' });
    expect(shown.stderr).toBe('error: kubernetes:1.30.9 was not found; closest versions: 1.30.6, 1.31.2, 1.29.10. (NOT_FOUND)\n');
    const dest = path.join(work, 'never-made');
    const pulled = await packctl(home, ['pack', 'pull', 'kubernetes:9.9', dest]);
    expect(pulled.stderr).toBe('error: kubernetes:9.9 was not found; closest versions: 1.31.2, 1.30.6, 1.29.10. (NOT_FOUND)\n');
    expect(existsSync(dest)).toBe(false);
    const noPack = await packctl(home, ['pack', 'show', 'no-such-pack:1.0.0']);
    expect(noPack.stderr).toBe('error: Pack no-such-pack was not found. (NOT_FOUND)\n');
  });

  it('refuses a pull into a folder that is not empty before downloading anything', async () => {
    const full = path.join(work, 'full');
    await mkdir(full);
    await writeFile(path.join(full, 'index.json'), '{}');
    const before = requestLines(service).length;
    const refused = await packctl(home, ['pack', 'pull', 'trust-manager:0.12.0', full]);
    expect(refused).toMatchObject({ code: 1 });
    expect(refused.stderr).toBe(`error: ${full} is not empty; pull into an empty (or new) folder, or pass --force to write into it. (DIR_NOT_EMPTY)\n`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Not a request reached the service: no lookup, no download.
    expect(requestLines(service).slice(before)).toEqual([]);
    expect(await readdir(full)).toEqual(['index.json']);
  });
});
