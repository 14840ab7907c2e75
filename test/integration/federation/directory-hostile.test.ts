/**
 * A DIRECTORY registry whose folder someone else can write to: FIFOs named pack.json (opening one
 * used to block a libuv thread for good; enough of them stalled /readyz, downloads and pushes), a
 * pack.json linked to /etc/passwd (whose first bytes used to show in the sync error), a pack folder
 * linked to a folder outside the registry, a file linked out of a pack, a socket, and a pack.json
 * that is not JSON. The sync must finish PARTIAL with the good pack in, an item error per hostile
 * entry naming it, and no byte of any file in any message.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createTestApp, uniqueName, type TestApp } from '../../helpers/test-app.js';
import { PACK_CENTRAL } from '../../helpers/packs.js';
import { createUpstreamRegistry, listedVersions, syncViaApi } from '../../helpers/federation.js';

// More FIFOs than libuv has threads (4), listed in parallel: the old code stalled every file operation.
const FIFO_FOLDERS = ['fifo-a-1.0.0', 'fifo-b-1.0.0', 'fifo-c-1.0.0', 'fifo-d-1.0.0', 'fifo-e-1.0.0', 'fifo-f-1.0.0'];
const SECRET = 'TOP-SECRET-CONTENT-7f3a';

describe('DIRECTORY registry with hostile entries', () => {
  let t: TestApp;
  let work: string;
  let socketServer: net.Server;

  beforeAll(async () => {
    // The file-system artifact store: /readyz then needs a libuv file-I/O thread, as downloads do.
    t = await createTestApp();
    work = await mkdtemp(path.join(tmpdir(), 'pack-catalog-hostile-'));
  });

  afterAll(async () => {
    await new Promise((resolve) => (socketServer ? socketServer.close(resolve) : resolve(undefined)));
    await t?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('finishes PARTIAL with content-free item errors, takes the good pack only, and /readyz answers meanwhile', async () => {
    const root = path.join(work, 'registry');
    const outside = path.join(work, 'outside');
    await mkdir(root, { recursive: true });
    await cp(path.join(PACK_CENTRAL, 'full', 'kubewatch-1.0.7'), path.join(root, 'kubewatch-1.0.7'), { recursive: true });
    await cp(path.join(PACK_CENTRAL, 'full', 'spegel-0.0.18'), path.join(outside, 'spegel-0.0.18'), { recursive: true });
    execFileSync('chmod', ['-R', 'u+w', root, outside]);
    await writeFile(path.join(outside, 'secret.txt'), `${SECRET}\n`);

    for (const folder of FIFO_FOLDERS) {
      await mkdir(path.join(root, folder));
      execFileSync('mkfifo', [path.join(root, folder, 'pack.json')]);
    }
    await mkdir(path.join(root, 'passwd-1.0.0'));
    await symlink('/etc/passwd', path.join(root, 'passwd-1.0.0', 'pack.json'));
    // A pack folder that is a link to a valid pack outside the registry's folder.
    await symlink(path.join(outside, 'spegel-0.0.18'), path.join(root, 'spegel-0.0.18'));
    // A valid pack.json, but a file of the pack linked out of it, and a socket.
    await cp(path.join(PACK_CENTRAL, 'full', 'crossplane-2.1.3'), path.join(root, 'crossplane-2.1.3'), { recursive: true });
    execFileSync('chmod', ['-R', 'u+w', path.join(root, 'crossplane-2.1.3')]);
    await symlink(path.join(outside, 'secret.txt'), path.join(root, 'crossplane-2.1.3', 'notes.txt'));
    socketServer = net.createServer();
    await new Promise<void>((resolve) => socketServer.listen(path.join(root, 'crossplane-2.1.3', 'control.sock'), resolve));
    // A pack.json that is not JSON and whose first bytes are a secret.
    await mkdir(path.join(root, 'garbled-1.0.0'));
    await writeFile(path.join(root, 'garbled-1.0.0', 'pack.json'), `${SECRET}: {"name": "x"}\n`);

    const name = uniqueName('hostile');
    await createUpstreamRegistry(t, { name, kind: 'DIRECTORY', endpoint: root });
    const sync = syncViaApi(t, name);
    // Sent while the sync runs: it needs a file-I/O thread (the store's access check).
    const ready = await request(t.app).get('/readyz').timeout(30_000);
    expect(ready.status).toBe(200);
    const run = await sync;

    expect(run.state).toBe('PARTIAL');
    expect(await listedVersions(t, name)).toEqual(['kubewatch@1.0.7']);
    const errors = new Map<string, string>(run.errors.map((e: { item: string; message: string }) => [e.item, e.message]));
    for (const folder of FIFO_FOLDERS) expect(errors.get(folder)).toMatch(/^pack\.json is a FIFO; only regular files inside the registry's folder are read\.$/);
    expect(errors.get('passwd-1.0.0')).toMatch(/^pack\.json is a symbolic link;/);
    expect(errors.get('spegel-0.0.18')).toMatch(/^spegel-0\.0\.18 is a symbolic link;/);
    expect(errors.get('garbled-1.0.0')).toBe('pack.json is not valid JSON.');
    const crossplane = [...errors.entries()].find(([item]) => item.startsWith('crossplane'));
    expect(crossplane?.[1]).toMatch(/links or special files.*control\.sock \(a socket\).*notes\.txt \(a symbolic link\)/);
    expect(errors.size).toBe(FIFO_FOLDERS.length + 4);

    // Nothing read through a link or from a FIFO shows anywhere a reader looks.
    const readable = JSON.stringify(run) + JSON.stringify((await t.gql('query($n: String!) { registry(name: $n) { sync { message } } }', { n: name })).body);
    for (const leaked of ['root:', '/bin/', SECRET, 'spegel@']) expect(readable).not.toContain(leaked);
  });
});
