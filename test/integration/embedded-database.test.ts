/**
 * The embedded database (no DATABASE_URL) is reachable by the service alone: no TCP listener, a Unix
 * socket in a 0700 folder that another local user can't enter, and DATA_DIR 0700 with every file in
 * it 0600, after a start that wrote rows, artifacts, the secret key and the bootstrap admin token.
 */
import { execFile } from 'node:child_process';
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/platform/database.js';
import { prepareDataDir } from '../../src/platform/data-dir.js';
import { createLogger } from '../../src/platform/logger.js';
import { startServer, type RunningServer } from '../../src/app/server.js';

const run = promisify(execFile);

/** TCP ports this process listens on, from /proc (the sockets its descriptors point at). */
async function listeningTcpPorts(): Promise<Set<number>> {
  const inodes = new Set<string>();
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    const match = /^socket:\[(\d+)\]$/.exec(target);
    if (match) inodes.add(match[1]!);
  }
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // cols[1] local address:port (hex), cols[3] state (0A = LISTEN), cols[9] inode
      if (cols.length > 9 && cols[3] === '0A' && inodes.has(cols[9]!)) ports.add(parseInt(cols[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

/** Every entry under `root` (not following links) with its type and permission bits. */
async function modesUnder(root: string): Promise<Array<{ path: string; type: 'dir' | 'file' | 'socket' | 'other'; mode: number }>> {
  const found = [];
  for (const name of await readdir(root)) {
    const full = path.join(root, name);
    const info = await lstat(full);
    const type = info.isDirectory() ? 'dir' : info.isFile() ? 'file' : info.isSocket() ? 'socket' : 'other';
    found.push({ path: path.relative(root, full), type, mode: info.mode & 0o7777 } as const);
    if (info.isDirectory()) found.push(...(await modesUnder(full)).map((e) => ({ ...e, path: path.join(name, e.path) })));
  }
  return found;
}

function notPrivate(entries: Awaited<ReturnType<typeof modesUnder>>) {
  return entries.filter((e) => e.mode !== (e.type === 'dir' ? 0o700 : 0o600)).map((e) => `${e.path} ${e.type} 0${e.mode.toString(8)}`);
}

/** Tries the socket as the unprivileged `nobody` user: prints the connect error code, or CONNECTED. */
async function connectAsNobody(socketPath: string): Promise<string> {
  const script = `require('net').connect(${JSON.stringify(socketPath)}).on('connect', () => { console.log('CONNECTED'); process.exit(0); }).on('error', (e) => { console.log(e.code); process.exit(0); });`;
  const { stdout } = await run('runuser', ['-u', 'nobody', '--', process.execPath, '-e', script], { cwd: '/' });
  return stdout.trim();
}

describe('the embedded database and DATA_DIR are private to the service', () => {
  let root: string;
  let dataDir: string;
  let running: RunningServer | undefined;
  let portsBefore: Set<number>;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'pack-catalog-embedded-'));
    // An existing DATA_DIR left open by an older version: the start must tighten it and its contents.
    dataDir = path.join(root, 'data');
    await mkdir(path.join(dataDir, 'old'), { recursive: true });
    await chmod(dataDir, 0o755);
    await chmod(path.join(dataDir, 'old'), 0o755);
    await writeFile(path.join(dataDir, 'old', 'left-over'), 'x', { mode: 0o666 });
    await chmod(path.join(dataDir, 'old', 'left-over'), 0o666);
    // Open enough for `nobody` to walk to DATA_DIR: only DATA_DIR's own mode may keep it out.
    await chmod(root, 0o755);

    portsBefore = await listeningTcpPorts();
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'silent',
      SYNC_ENABLED: 'false',
      // The shipped packs go into the local artifact store: the start writes objects, rows and files.
      SEED_DEFAULT_REGISTRY: 'true',
    });
    running = await startServer(config, { logger: createLogger({ level: 'silent' }) });
  }, 120_000);

  afterAll(async () => {
    await running?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('serves the database on no TCP port: the only new listener is the HTTP server', async () => {
    expect(running!.database.kind).toBe('embedded');
    const added = [...(await listeningTcpPorts())].filter((port) => !portsBefore.has(port));
    expect(added).toEqual([running!.port]);
    expect(running!.database.connectionString).not.toMatch(/127\.0\.0\.1|localhost:\d/);
  });

  it('listens on a Unix socket in a 0700 folder that the service itself can use', async () => {
    const socketDir = new URL(running!.database.connectionString).searchParams.get('host')!;
    expect(socketDir.startsWith(dataDir)).toBe(true);
    expect((await lstat(socketDir)).mode & 0o777).toBe(0o700);
    const socket = await lstat(path.join(socketDir, '.s.PGSQL.5432'));
    expect(socket.isSocket()).toBe(true);
    expect(socket.mode & 0o777).toBe(0o600);
    // The owner's own client gets in (so the refusal below is about who asks, not a dead socket).
    const client = new pg.Client({ connectionString: running!.database.connectionString });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM "ApiToken" WHERE role = $1', ['ADMIN']);
      expect(rows[0]!.n).toBeGreaterThanOrEqual(1);
    } finally {
      await client.end();
    }
  });

  it('refuses another local user at the folder (EACCES)', async () => {
    const socketDir = new URL(running!.database.connectionString).searchParams.get('host')!;
    // Control: `nobody` can run node and reach the parent folder, so only the modes can stop it.
    const { stdout } = await run('runuser', ['-u', 'nobody', '--', process.execPath, '-e', `require('fs').readdirSync(${JSON.stringify(root)}); console.log('ok')`], { cwd: '/' });
    expect(stdout.trim()).toBe('ok');
    expect(await connectAsNobody(path.join(socketDir, '.s.PGSQL.5432'))).toBe('EACCES');
  });

  it('keeps DATA_DIR 0700 and every file in it 0600, folders 0700, while running and after close', async () => {
    expect((await lstat(dataDir)).mode & 0o7777).toBe(0o700);
    const entries = await modesUnder(dataDir);
    const names = entries.map((e) => e.path);
    // What a first embedded start writes: the database, artifacts, the secret key and the admin token.
    expect(names).toEqual(expect.arrayContaining(['admin-token', 'secret-key', path.join('pglite', 'PG_VERSION'), path.join('old', 'left-over')]));
    expect(entries.some((e) => e.path.startsWith(path.join('artifacts', 'blobs', 'sha256') + path.sep) && e.type === 'file')).toBe(true);
    expect(notPrivate(entries)).toEqual([]);

    await running!.close();
    running = undefined;
    expect((await lstat(dataDir)).mode & 0o7777).toBe(0o700);
    expect(notPrivate(await modesUnder(dataDir))).toEqual([]);
  });
});

describe('DATA_DIR safety checks', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'pack-catalog-datadir-'));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('refuses a shared, world-writable folder such as /tmp instead of chmodding it', async () => {
    const shared = path.join(root, 'shared');
    await mkdir(shared);
    await chmod(shared, 0o1777);
    await expect(prepareDataDir(shared)).rejects.toMatchObject({ code: 'DATA_DIR_UNSAFE', message: expect.stringContaining(shared) });
    expect((await lstat(shared)).mode & 0o7777).toBe(0o1777);
  });

  it('refuses to open an embedded database that another process is serving', async () => {
    const dataDir = path.join(root, 'busy');
    const first = await openDatabase({ dataDir });
    try {
      await expect(openDatabase({ dataDir })).rejects.toMatchObject({ code: 'DATA_DIR_UNSAFE', message: expect.stringContaining('Another process') });
      // The first is unharmed.
      expect(await first.prisma.apiToken.count()).toBeGreaterThanOrEqual(0);
    } finally {
      await first.close();
    }
    // After a clean close (or a crash, which leaves a dead socket) the folder opens again.
    const again = await openDatabase({ dataDir });
    await again.close();
  });
});
