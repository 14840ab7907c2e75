/**
 * `packctl events`: the recent events (the catalogEvents query), and `--follow` over a real
 * WebSocket, seeing a push made while it runs, as a line and as a JSON line; a revoked login is
 * reported, not retried forever.
 */
import { jest } from '@jest/globals';
import { createTestApp, createToken, uniqueName, type TestApp } from '../helpers/test-app.js';
import { pushArchive } from '../helpers/packs.js';
import { addonPackTarball } from '../helpers/tar-builder.js';
import { packctl } from '../helpers/packctl-in-process.js';
import { startPackctlSession, type PackctlSession } from '../helpers/packctl-session.js';
import { listenWithSubscriptions, type ListeningApp } from '../helpers/ws-app.js';

jest.setTimeout(60_000);

describe('packctl events', () => {
  let t: TestApp;
  let listening: ListeningApp;
  let cli: PackctlSession;
  let registry: string;

  beforeAll(async () => {
    t = await createTestApp();
    listening = await listenWithSubscriptions(t);
    cli = await startPackctlSession(t, { prefix: 'packctl-events-', url: listening.url });
    registry = uniqueName('pe');
    const made = await t.gql('mutation($n: String!) { createRegistry(input: { name: $n, kind: HOSTED }) { name } }', { n: registry });
    expect(made.body.errors).toBeUndefined();
  });

  afterAll(async () => {
    await cli?.close();
    await listening?.close();
    await t?.close();
  });

  /** Pushes `pack` versions until `running` ends (the subscription may not be in place for the first ones). */
  async function pushWhile(running: Promise<unknown>, pack: string): Promise<string[]> {
    let finished = false;
    void running.finally(() => (finished = true));
    const versions: string[] = [];
    for (let i = 0; i < 40 && !finished; i++) {
      const version = `1.0.${i}`;
      const pushed = await pushArchive(t.app, t.adminToken, registry, addonPackTarball(pack, version));
      expect(pushed.body.errors).toBeUndefined();
      versions.push(version);
      await Promise.race([running, new Promise((resolve) => setTimeout(resolve, 250))]);
    }
    return versions;
  }

  it('--follow prints a push made while it runs, one line per event', async () => {
    const pack = uniqueName('pe-follow');
    const running = packctl('events', '--follow', '--registry', registry, '--pack', pack, '--limit', '1');
    const versions = await pushWhile(running, pack);
    const { code, stdout, stderr } = await running;
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^\\S+Z  PACK_VERSION_PUBLISHED  ${registry}  ${pack}@1\\.0\\.\\d+  \\{`));
    expect(versions).toContain(lines[0].match(/@(\S+)/)![1]);
  });

  it('--follow -o json prints JSON lines, filtered by type', async () => {
    const pack = uniqueName('pe-json');
    const running = packctl('events', '-f', '--pack', pack, '--type', 'pack_version_published', '--limit', '2', '-o', 'json');
    await pushWhile(running, pack);
    const { code, stdout } = await running;
    expect(code).toBe(0);
    const events = stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(events).toHaveLength(2);
    for (const event of events) expect(event).toMatchObject({ type: 'PACK_VERSION_PUBLISHED', registry, pack, id: expect.any(String) });
    expect(events[0].version).not.toBe(events[1].version);
  });

  it('without --follow lists the recent events of the filter', async () => {
    const pack = uniqueName('pe-recent');
    for (const version of ['1.0.0', '2.0.0']) await pushArchive(t.app, t.adminToken, registry, addonPackTarball(pack, version));
    const table = await packctl('events', '--pack', pack);
    expect(table.code).toBe(0);
    expect(table.stdout.trim().split('\n').map((line) => line.match(/@(\S+)/)?.[1])).toEqual(['1.0.0', '2.0.0']);
    const json = await packctl('events', '--pack', pack, '--limit', '1', '-o', 'json');
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ pack, version: '2.0.0', type: 'PACK_VERSION_PUBLISHED' })]);
  });

  it('--follow with a revoked login fails with UNAUTHENTICATED instead of retrying', async () => {
    const name = uniqueName('pe-revoked');
    const token = await createToken(t, 'VIEWER', [], name);
    const { body } = await t.gql('{ apiTokens { id name } }');
    const id = body.data!.apiTokens.find((tk: { name: string }) => tk.name === name).id;
    await t.gql('mutation($id: ID!) { revokeApiToken(id: $id) }', { id });
    await cli.login(token);
    try {
      const { code, stderr } = await packctl('events', '--follow');
      expect(code).toBe(1);
      expect(stderr).toMatch(/UNAUTHENTICATED/);
    } finally {
      await cli.login(t.adminToken);
    }
  });
});
