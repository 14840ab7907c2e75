/**
 * packctl as users run it (`node bin/packctl.js`, a temporary HOME) against the built service as a
 * process on its embedded default. Run `npm run build` first: packctl runs dist/cli.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DIST, startServiceProcess, type ServiceProcess } from '../helpers/service-process.js';
import { runProcess } from '../helpers/run-process.js';
import { PACK_CENTRAL } from '../helpers/packs.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
/** What `npx packctl` runs: the clone's bin (dist/ built), or the CLI of the build PACK_CATALOG_DIST names. */
const BIN = process.env.PACK_CATALOG_DIST ? path.join(DIST, 'cli', 'main.js') : path.join(ROOT, 'bin', 'packctl.js');
const CROSSPLANE = path.join(PACK_CENTRAL, 'full', 'crossplane-2.1.3');
const NOT_LOGGED_IN = 'Not logged in. Run: packctl login <url> --token <token>';

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run packctl with HOME set to `home`; `input` is written to its stdin. */
function packctl(home: string, args: string[], options: { input?: string } = {}): Promise<Result> {
  // dist/ is built before the tests; others may be editing src/ meanwhile.
  const env = { PATH: process.env.PATH ?? '', HOME: home, PACKCTL_SKIP_BUILD: '1' };
  return runProcess(process.execPath, [BIN, ...args], { cwd: home, env, input: options.input ?? '' });
}

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

/** Every file under `dir`, relative, with its bytes. */
async function filesOf(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const walk = async (absolute: string, relative: string) => {
    for (const entry of await readdir(absolute, { withFileTypes: true })) {
      const childRelative = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(path.join(absolute, entry.name), childRelative);
      else files.set(childRelative, await readFile(path.join(absolute, entry.name)));
    }
  };
  await walk(dir, '');
  return files;
}

describe('packctl against the service', () => {
  let service: ServiceProcess;
  let adminToken: string;
  let work: string;
  /** A HOME logged in as the bootstrap admin. */
  let admin: string;

  const newHome = async () => mkdtemp(path.join(work, 'home-'));
  const loggedInHome = async (token = adminToken) => {
    const home = await newHome();
    const login = await packctl(home, ['login', service.url, '--token', token]);
    expect(login).toMatchObject({ code: 0 });
    return home;
  };
  const addHosted = async (home: string, name = unique('hosted')) => {
    expect(await packctl(home, ['registry', 'add', name])).toMatchObject({ code: 0 });
    return name;
  };
  const json = (result: Result) => {
    expect(result).toMatchObject({ code: 0 });
    return JSON.parse(result.stdout);
  };

  beforeAll(async () => {
    if (!existsSync(path.join(DIST, 'cli', 'main.js'))) throw new Error(`No build at ${DIST}: run \`npm run build\` (or set PACK_CATALOG_DIST) before the e2e tests.`);
    work = await mkdtemp(path.join(tmpdir(), 'packctl-e2e-'));
    service = await startServiceProcess({ env: { RATE_LIMIT_PER_MINUTE: '0' } });
    adminToken = await service.adminToken();
    admin = await loggedInHome();
  }, 120_000);

  afterAll(async () => {
    await service?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  }, 30_000);

  it('refuses to run without a login, saying how to log in', async () => {
    const home = await newHome();
    for (const args of [['pack', 'ls'], ['pack', 'push', CROSSPLANE], ['registry', 'ls'], ['whoami'], ['profile', 'ls'], ['token', 'ls']]) {
      const result = await packctl(home, args);
      expect({ args, code: result.code, stderr: result.stderr.trim() }).toEqual({ args, code: 1, stderr: `error: ${NOT_LOGGED_IN}` });
    }
  }, 60_000);

  it('logs in with the admin token (stored 0600 in a 0700 folder), tells who it is, and logs out', async () => {
    const home = await newHome();
    const login = await packctl(home, ['login', service.url], { input: `${adminToken}\n` });
    expect(login).toMatchObject({ code: 0, stdout: `Logged in to ${service.url} as bootstrap-admin (ADMIN), the default server.\n` });
    const file = path.join(home, '.packctl', 'config.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ defaultServer: service.url, servers: { [service.url]: { token: adminToken } } });

    const whoami = await packctl(home, ['whoami']);
    expect(whoami.code).toBe(0);
    expect(whoami.stdout).toMatch(/name:\s+bootstrap-admin/);
    expect(whoami.stdout).toMatch(/role:\s+ADMIN/);
    expect(json(await packctl(home, ['whoami', '-o', 'json']))).toEqual({ server: service.url, name: 'bootstrap-admin', role: 'ADMIN', registries: [] });

    expect(await packctl(home, ['logout'])).toMatchObject({ code: 0, stdout: `Logged out of ${service.url}.\n` });
    expect(await packctl(home, ['whoami'])).toMatchObject({ code: 1, stderr: `error: ${NOT_LOGGED_IN}\n` });
  }, 60_000);

  it('refuses a bad token at login and stores nothing', async () => {
    const home = await newHome();
    const result = await packctl(home, ['login', service.url, '--token', 'pkc_not-a-real-token']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: .*did not accept the token.*\(UNAUTHENTICATED\)$/m);
    expect(result.stderr).not.toMatch(/\s+at \S+ \(/); // no stack
    expect(existsSync(path.join(home, '.packctl', 'config.json'))).toBe(false);
  }, 30_000);

  it('exits 2 on usage errors and 0 on --help, which shows examples', async () => {
    for (const args of [['bogus'], ['pack', 'push'], ['pack', 'ls', '-o', 'yaml'], ['pack', 'pull', 'x@sha256:123', 'dir'], ['pack', 'push', CROSSPLANE, '--force']]) {
      const result = await packctl(admin, args);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).toMatch(/^error: /m);
    }
    const help = await packctl(admin, ['pack', 'pull', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Examples:\n  $ packctl pack pull crossplane:2.1.3 ./crossplane');
  }, 60_000);

  it('pushes a pack-central folder, skips the same digest, pulls the same files back', async () => {
    const registry = await addHosted(admin);
    const push = await packctl(admin, ['pack', 'push', CROSSPLANE, '--registry', registry]);
    expect(push.code).toBe(0);
    expect(push.stdout).toMatch(new RegExp(`^pushed crossplane:2\\.1\\.3 to registry ${registry} \\(sha256:[0-9a-f]{12}, [\\d.]+ KiB\\)\\n$`));
    // Not a terminal: plain progress lines, ending at 100%.
    expect(push.stderr).toMatch(/pushing crossplane-2\.1\.3\.tar\.gz: 100% \([\d.]+ KiB of [\d.]+ KiB, .*\/s\)/);

    const again = json(await packctl(admin, ['pack', 'push', CROSSPLANE, '--registry', registry, '-o', 'json']));
    expect(again).toMatchObject({ status: 'unchanged', registry, name: 'crossplane', version: '2.1.3', digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    const againText = await packctl(admin, ['pack', 'push', CROSSPLANE, '--registry', registry]);
    expect(againText.stdout).toContain('crossplane:2.1.3 unchanged (same digest');
    expect(againText.stderr).not.toContain('pushing');

    const into = path.join(work, unique('pull'));
    const pull = await packctl(admin, ['pack', 'pull', 'crossplane:2.1.3', into, '--registry', registry]);
    expect(pull.code).toBe(0);
    expect(pull.stdout).toContain(`pulled crossplane:2.1.3 from registry ${registry}`);
    expect(pull.stderr).toContain('pulling crossplane-2.1.3.tar.gz: 100%');
    const [source, pulled] = await Promise.all([filesOf(CROSSPLANE), filesOf(into)]);
    expect([...pulled.keys()].sort()).toEqual([...source.keys()].sort());
    for (const [file, bytes] of source) expect({ file, same: pulled.get(file)!.equals(bytes) }).toEqual({ file, same: true });

    // The folder is no longer empty: refused without --force.
    const refused = await packctl(admin, ['pack', 'pull', 'crossplane:2.1.3', into, '--registry', registry]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is not empty');

    // By digest, archive only: the verified tarball, byte for byte what was pushed.
    const byDigest = path.join(work, unique('digest'));
    const archive = json(await packctl(admin, ['pack', 'pull', `crossplane@${again.digest}`, byDigest, '--archive-only', '--registry', registry, '-o', 'json']));
    expect(archive).toMatchObject({ name: 'crossplane', version: '2.1.3', digest: again.digest, files: ['crossplane-2.1.3.tar.gz'] });
    expect(await readdir(byDigest)).toEqual(['crossplane-2.1.3.tar.gz']);

    const missing = await packctl(admin, ['pack', 'pull', 'crossplane:9.9.9', path.join(work, unique('none')), '--registry', registry]);
    expect(missing).toMatchObject({ code: 1 });
    expect(missing.stderr).toContain('(NOT_FOUND)');
  }, 120_000);

  it('lists packs with filters, as a table and as JSON', async () => {
    const registry = await addHosted(admin);
    expect(await packctl(admin, ['pack', 'push', CROSSPLANE, '--registry', registry])).toMatchObject({ code: 0 });

    const addons = await packctl(admin, ['pack', 'ls', '--layer', 'ADDON']);
    expect(addons.code).toBe(0);
    const lines = addons.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+DISPLAY NAME\s+LAYER\s+LATEST\s+REGISTRIES\s+CLOUD TYPES\s+ADDON TYPE$/);
    expect(lines.some((line) => /^crossplane\s+Crossplane\s+ADDON\s+2\.1\.3\s+/.test(line))).toBe(true);
    expect(lines.slice(1).every((line) => /\sADDON\s/.test(line))).toBe(true);
    expect(lines.some((line) => line.startsWith('ubuntu '))).toBe(false);

    const search = await packctl(admin, ['pack', 'ls', '--name', 'cross']);
    expect(search.stdout.trim().split('\n').slice(1).map((line) => line.split(/\s+/)[0])).toEqual(['crossplane']);

    const listed = json(await packctl(admin, ['pack', 'ls', '--name', 'cross', '--layer', 'addon', '--registry', registry, '-o', 'json']));
    expect(listed).toEqual([
      expect.objectContaining({ name: 'crossplane', layer: 'ADDON', cloudTypes: ['all'], sources: [{ name: registry }], latest: { version: '2.1.3' } }),
    ]);
    const os = json(await packctl(admin, ['pack', 'ls', '--layer', 'os', '--cloud', 'aws', '-o', 'json']));
    expect(os.map((p: { name: string }) => p.name)).toEqual(['ubuntu']);
    expect(await packctl(admin, ['pack', 'ls', '--name', 'no-such-pack-anywhere'])).toMatchObject({ code: 0, stdout: 'No packs match.\n' });
  }, 90_000);

  it('adds and deletes tags, removes a version, and asks which registry when several are HOSTED', async () => {
    const registry = await addHosted(admin);
    await addHosted(admin);
    const ambiguous = await packctl(admin, ['pack', 'push', CROSSPLANE]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('choose one with --registry');

    expect(await packctl(admin, ['pack', 'push', CROSSPLANE, '--registry', registry])).toMatchObject({ code: 0 });
    const tagged = await packctl(admin, ['pack', 'tag', 'add', 'crossplane:2.1.3', 'stable__2.1', '--registry', registry]);
    expect(tagged).toMatchObject({ code: 0 });
    expect(tagged.stdout).toContain('tagged crossplane:2.1.3 as stable__2.1');
    const byTag = json(await packctl(admin, ['pack', 'show', 'crossplane:stable__2.1', '--registry', registry, '-o', 'json']));
    expect(byTag).toMatchObject({ version: '2.1.3', tags: expect.arrayContaining(['stable__2.1', '2.x', '2.1.x']) });

    expect(await packctl(admin, ['pack', 'tag', 'delete', 'crossplane:stable__2.1', '--registry', registry])).toMatchObject({ code: 0 });
    expect(json(await packctl(admin, ['pack', 'show', 'crossplane:2.1.3', '--registry', registry, '-o', 'json'])).tags).not.toContain('stable__2.1');
    const parent = await packctl(admin, ['pack', 'tag', 'delete', 'crossplane:2.x', '--registry', registry]);
    expect(parent.code).toBe(1);
    expect(parent.stderr).toMatch(/^error: .*\(BAD_USER_INPUT\)$/m);

    expect(await packctl(admin, ['pack', 'rm', 'crossplane:2.1.3', '--registry', registry])).toMatchObject({ code: 0 });
    const gone = await packctl(admin, ['pack', 'show', 'crossplane:2.1.3', '--registry', registry]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('(NOT_FOUND)');
  }, 120_000);

  it('refuses a bad pack folder locally, with every issue, and uploads nothing', async () => {
    const registry = await addHosted(admin);
    const folder = path.join(work, unique('bad'), 'broken-1.0.0');
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'pack.json'), JSON.stringify({ name: 'broken', version: 'v1.0.0', layer: 'storage' }));
    const result = await packctl(admin, ['pack', 'push', folder, '--registry', registry]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is not a valid pack');
    expect(result.stderr).toContain('nothing was uploaded');
    expect(result.stderr).toMatch(/SEVERITY\s+CODE\s+PATH\s+MESSAGE/);
    for (const code of ['PACK_JSON_SCHEMA', 'VERSION_LEADING_V', 'VALUES_MISSING']) expect(result.stderr).toContain(code);
    expect(result.stderr).not.toContain('pushing');

    const asJson = await packctl(admin, ['pack', 'push', folder, '--registry', registry, '-o', 'json']);
    expect(asJson.code).toBe(1);
    expect(JSON.parse(asJson.stdout).error.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'VALUES_MISSING', severity: 'ERROR', path: 'values.yaml' })]),
    );
    expect(json(await packctl(admin, ['pack', 'ls', '--registry', registry, '-o', 'json']))).toEqual([]);
  }, 60_000);

  it('creates a publisher token, logs in with it, publishes where allowed, and stops working once revoked', async () => {
    const registry = await addHosted(admin);
    const created = json(await packctl(admin, ['token', 'create', unique('ci'), '--role', 'PUBLISHER', '--registry', registry, '--expires', '30d', '-o', 'json']));
    expect(created).toMatchObject({ token: expect.stringMatching(/^pkc_/), role: 'PUBLISHER', registries: [registry], expiresAt: expect.any(String) });
    const text = await packctl(admin, ['token', 'create', unique('ci'), '--role', 'viewer']);
    expect(text.stdout).toMatch(/The secret, shown this once \(store it now\):\npkc_\S+\n/);

    const publisher = await loggedInHome(created.token);
    expect(json(await packctl(publisher, ['whoami', '-o', 'json']))).toMatchObject({ role: 'PUBLISHER', registries: [registry] });
    expect(await packctl(publisher, ['pack', 'push', CROSSPLANE, '--registry', registry])).toMatchObject({ code: 0 });
    const forbidden = await packctl(publisher, ['registry', 'add', unique('nope')]);
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toMatch(/\(FORBIDDEN\)$/m);

    const tokens = json(await packctl(admin, ['token', 'ls', '-o', 'json']));
    expect(tokens.map((t: { id: string }) => t.id)).toContain(created.id);
    expect(await packctl(admin, ['token', 'revoke', created.id])).toMatchObject({ code: 0 });
    const revoked = await packctl(publisher, ['whoami']);
    expect(revoked.code).toBe(1);
    expect(revoked.stderr).toContain('(UNAUTHENTICATED)');
    expect(revoked.stderr).toContain(`packctl login ${service.url} --token <token>`);
  }, 90_000);

  it('manages registries and follows a sync to its end with --wait', async () => {
    const name = unique('central');
    const upstream = path.join(work, unique('upstream'));
    await mkdir(upstream);
    await cp(CROSSPLANE, path.join(upstream, 'crossplane-2.1.3'), { recursive: true });
    await cp(path.join(PACK_CENTRAL, 'full', 'kubewatch-1.0.7'), path.join(upstream, 'kubewatch-1.0.7'), { recursive: true });
    expect(await packctl(admin, ['registry', 'add', name, '--kind', 'directory', '--endpoint', upstream, '--priority', '5'])).toMatchObject({ code: 0 });

    const sync = await packctl(admin, ['registry', 'sync', name, '--wait', '--force']);
    expect(sync.code).toBe(0);
    expect(sync.stdout).toMatch(new RegExp(`^Sync of ${name} (SUCCEEDED|PARTIAL) in [\\d.]+s: added \\d+, updated \\d+, removed \\d+, unchanged \\d+, errors 0\\.`));
    expect(sync.stderr).toMatch(new RegExp(`syncing ${name}: (SUCCEEDED|PARTIAL)`));
    const run = json(await packctl(admin, ['registry', 'sync', name, '--wait', '-o', 'json']));
    expect(run).toMatchObject({ state: 'SUCCEEDED', errors: [] });
    expect(run.added + run.updated + run.unchanged).toBe(2);

    const listed = json(await packctl(admin, ['registry', 'ls', '-o', 'json']));
    expect(listed).toContainEqual(expect.objectContaining({ name, kind: 'DIRECTORY', priority: 5, packCount: 2 }));
    const table = await packctl(admin, ['registry', 'ls']);
    expect(table.stdout).toMatch(new RegExp(`^${name}\\s+DIRECTORY\\s+5\\s+2\\s+SUCCEEDED`, 'm'));
    expect(json(await packctl(admin, ['registry', 'update', name, '--priority', '7', '-o', 'json']))).toMatchObject({ name, priority: 7 });
    expect(await packctl(admin, ['registry', 'update', name])).toMatchObject({ code: 2 });
    expect(await packctl(admin, ['registry', 'rm', name])).toMatchObject({ code: 0, stdout: `Deleted registry ${name}.\n` });
    expect(await packctl(admin, ['registry', 'sync', name])).toMatchObject({ code: 1 });
  }, 120_000);

  describe('profiles (default registry packs)', () => {
    const goodProfile = (name: string) => `# Ubuntu, Kubernetes, Calico and Longhorn on AWS
name: ${name}
version: 1.0.0
type: cluster
cloudType: aws
layers:
  - { pack: ubuntu, version: "22.04", registry: default }
  - { pack: kubernetes, version: 1.31.2 }
  - { pack: cni-calico, version: 3.28.2 }
  - pack: csi-longhorn
    version: 1.7.2
    values: |
      pack:
        namespace: longhorn-system
`;
    const badProfile = (name: string) => `{
  "name": "${name}",
  "type": "CLUSTER",
  "cloudType": "aws",
  "layers": [
    { "pack": "kubernetes", "version": "1.31.2" },
    { "pack": "ubuntu", "version": "22.04" },
    { "pack": "cni-calico", "version": "3.28.2" },
    { "pack": "csi-longhorn", "version": "9.9.9" }
  ]
}`;

    it('validates a good file (exit 0) and a bad one (exit 1, the issues as a table)', async () => {
      const dir = await mkdtemp(path.join(work, 'profiles-'));
      await writeFile(path.join(dir, 'good.yaml'), goodProfile(unique('web')));
      await writeFile(path.join(dir, 'bad.json'), badProfile('bad-cluster'));

      const good = await packctl(admin, ['profile', 'validate', path.join(dir, 'good.yaml')]);
      expect(good).toMatchObject({ code: 0 });
      expect(good.stdout).toMatch(/is valid/);
      // What each reference resolved to, one line per layer, and the install order.
      expect(good.stdout).toMatch(/^LAYER\s+PACK\s+REFERENCE\s+RESOLVED\s+REGISTRY\s+DIGEST$/m);
      expect(good.stdout).toMatch(/^0\s+ubuntu\s+22\.04\s+22\.04\s+default\s+sha256:[0-9a-f]{12}$/m);
      expect(good.stdout).toMatch(/^1\s+kubernetes\s+1\.31\.2\s+1\.31\.2\s+default\s+sha256:[0-9a-f]{12}$/m);
      expect(good.stdout).toContain('install order: ubuntu -> kubernetes -> cni-calico -> csi-longhorn');

      const bad = await packctl(admin, ['profile', 'validate', path.join(dir, 'bad.json')]);
      expect(bad.code).toBe(1);
      const lines = bad.stdout.split('\n');
      expect(lines[0]).toMatch(/^SEVERITY\s+CODE\s+LAYER\s+PACK\s+PATH\s+MESSAGE$/);
      expect(bad.stdout).toMatch(/^ERROR\s+LAYER_ORDER\s+1\s+ubuntu\s/m);
      expect(bad.stdout).toMatch(/^ERROR\s+VERSION_NOT_FOUND\s+3\s+csi-longhorn\s/m);
      expect(bad.stdout).toContain('bad-cluster is not valid:');
      // The verdict is the output's last line; no "error: ... has N error(s)" repeats it.
      expect(bad.stdout.trimEnd().split('\n').at(-1)).toMatch(/^bad-cluster is not valid: \d+ error\(s\), \d+ warning\(s\)\.$/);
      expect(bad.stderr).toBe('');

      const asJson = await packctl(admin, ['profile', 'validate', path.join(dir, 'bad.json'), '-o', 'json']);
      expect(asJson.code).toBe(1);
      const validation = JSON.parse(asJson.stdout);
      expect(validation.valid).toBe(false);
      expect(validation.issues).toEqual(
        expect.arrayContaining([expect.objectContaining({ code: 'LAYER_ORDER', severity: 'ERROR', layerIndex: 1, pack: 'ubuntu' })]),
      );

      await writeFile(path.join(dir, 'broken.yaml'), 'name: x\nlayers: 3\n');
      const broken = await packctl(admin, ['profile', 'validate', path.join(dir, 'broken.yaml')]);
      expect(broken.code).toBe(1);
      expect(broken.stderr).toContain('PROFILE_FILE_INVALID');
    }, 60_000);

    it('applies a file (create, then unchanged), refuses a changed file of the same version, lists it and exports a file that applies again', async () => {
      const dir = await mkdtemp(path.join(work, 'profiles-'));
      const name = unique('web');
      await writeFile(path.join(dir, 'p.yaml'), goodProfile(name));
      const created = await packctl(admin, ['profile', 'apply', path.join(dir, 'p.yaml')]);
      expect(created).toMatchObject({ code: 0 });
      expect(created.stdout).toContain(`created profile ${name}:1.0.0 (CLUSTER, aws, 4 layers)`);
      expect((await packctl(admin, ['profile', 'apply', path.join(dir, 'p.yaml')])).stdout).toContain(`unchanged profile ${name}:1.0.0`);
      // A stored version is immutable: a changed file with the same version is refused with the way out.
      await writeFile(path.join(dir, 'changed.yaml'), goodProfile(name).replace(`name: ${name}`, `name: ${name}\ndescription: changed`));
      const immutable = await packctl(admin, ['profile', 'apply', path.join(dir, 'changed.yaml')]);
      expect(immutable.code).toBe(1);
      expect(immutable.stderr).toContain('(CONFLICT)');
      expect(immutable.stderr).toContain('input.description differs');
      expect(immutable.stderr).toContain('cloneProfile');

      const listed = json(await packctl(admin, ['profile', 'ls', '--name', name, '-o', 'json']));
      expect(listed).toEqual([expect.objectContaining({ name, version: '1.0.0', type: 'CLUSTER', cloudType: 'aws' })]);
      expect((await packctl(admin, ['profile', 'ls'])).stdout).toMatch(new RegExp(`^${name}\\s+1\\.0\\.0\\s+CLUSTER\\s+aws\\s+ubuntu:22\\.04,`, 'm'));

      const exported = await packctl(admin, ['profile', 'export', name]);
      expect(exported.code).toBe(0);
      expect(exported.stdout).toContain(`name: ${name}`);
      expect(exported.stdout).toContain('namespace: longhorn-system');
      await writeFile(path.join(dir, 'exported.yaml'), exported.stdout);
      expect((await packctl(admin, ['profile', 'apply', path.join(dir, 'exported.yaml')])).stdout).toContain(`unchanged profile ${name}:1.0.0`);
      expect((await packctl(admin, ['profile', 'export', `${name}:1.0.0`])).stdout).toBe(exported.stdout);

      await writeFile(path.join(dir, 'bad.json'), badProfile(unique('bad')));
      const refused = await packctl(admin, ['profile', 'apply', path.join(dir, 'bad.json')]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('(BAD_USER_INPUT)');
      expect(refused.stderr).toContain('LAYER_ORDER');
      // The server's message is shown as it is: it names no GraphQL field.
      expect(refused.stderr).not.toContain('extensions');
    }, 60_000);
  });

  it('uses an https server with a self-signed certificate only with --insecure', async () => {
    const dir = await mkdtemp(path.join(work, 'tls-'));
    // openssl is installed by .ci/run (Debian package `openssl`).
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '1', '-subj', '/CN=localhost'], {
      cwd: dir,
      stdio: 'ignore',
    });
    const upstream = new URL(service.url);
    const proxy = https.createServer({ key: await readFile(path.join(dir, 'key.pem')), cert: await readFile(path.join(dir, 'cert.pem')) }, (req, res) => {
      const forward = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', () => res.destroy());
      req.pipe(forward);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    try {
      const home = await newHome();
      const strict = await packctl(home, ['login', url, '--token', adminToken]);
      expect(strict.code).toBe(1);
      expect(strict.stderr).toContain('--insecure');
      expect(await packctl(home, ['login', url, '--token', adminToken, '--insecure'])).toMatchObject({ code: 0 });
      expect(JSON.parse(await readFile(path.join(home, '.packctl', 'config.json'), 'utf8')).servers[url]).toMatchObject({ insecure: true });
      expect(json(await packctl(home, ['pack', 'ls', '--layer', 'os', '-o', 'json'])).length).toBeGreaterThan(0);
      // Downloads too (the server, unaware of the proxy, links to http://: packctl keeps https).
      const into = path.join(dir, 'ubuntu');
      expect(await packctl(home, ['pack', 'pull', 'ubuntu:22.04', into])).toMatchObject({ code: 0 });
      expect(existsSync(path.join(into, 'pack.json'))).toBe(true);
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  }, 90_000);
});
