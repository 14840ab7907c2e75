/**
 * GraphQL subscriptions over a real WebSocket (graphql-transport-ws) against the app listening on
 * loopback: credentials at connect and re-checked while open, a sync run followed to its end, who
 * may follow which run, and the bounds (connections, subscriptions, message size, documents).
 */
import { jest } from '@jest/globals';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import request from 'supertest';
import { createTestApp, createToken, uniqueName, type TestApp } from '../helpers/test-app.js';
import { buildChart, writeHelmIndex } from '../helpers/helm-charts.js';
import { startStaticServer, type StaticServer } from '../helpers/static-server.js';
import { createUpstreamRegistry } from '../helpers/federation.js';
import { closeOf, listenWithSubscriptions, record, subscriptionClient, type ListeningApp } from '../helpers/ws-app.js';

jest.setTimeout(60_000);

const FOLLOW = `subscription($id: ID!) {
  syncRun(id: $id) { id state itemsDone itemsTotal added updated unchanged errorCount errors { item message } message finishedAt }
}`;

describe('GraphQL subscriptions over WebSocket', () => {
  let t: TestApp;
  let listening: ListeningApp;
  let upstream: StaticServer;
  let repo: string;
  const clients: Array<{ dispose(): void | Promise<void> }> = [];
  const client = (token: string | null, options?: Parameters<typeof subscriptionClient>[2]) => {
    const c = subscriptionClient(listening.wsUrl, token, options);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: '2',
        WS_MAX_CONNECTIONS_PER_TOKEN: '2',
        WS_MAX_MESSAGE_BYTES: '4096',
        WS_AUTH_RECHECK_SECONDS: '0.3',
        WS_KEEPALIVE_SECONDS: '0.3',
      },
    });
    listening = await listenWithSubscriptions(t);
    // A small Helm repository on loopback: three charts, each served slowly enough that a run can be watched.
    repo = await mkdtemp(path.join(tmpdir(), 'pack-catalog-ws-'));
    const charts = [];
    for (const version of ['1.0.0', '1.1.0', '1.2.0']) {
      const built = await buildChart({ name: 'watched', version }, repo);
      charts.push({ chart: { name: 'watched', version }, file: built.path, bytes: built.bytes });
    }
    await writeHelmIndex(repo, charts);
    // partly/: the same two first charts and one whose archive is missing (404 at once, while the others are slow).
    await mkdir(path.join(repo, 'partly'));
    await writeHelmIndex(path.join(repo, 'partly'), [
      ...charts.slice(0, 2).map((c) => ({ ...c, url: `../${path.basename(c.file)}` })),
      { ...charts[2], chart: { name: 'watched', version: '9.9.9' }, url: 'missing-9.9.9.tgz' },
    ]);
    upstream = await startStaticServer(repo);
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
  });

  afterAll(async () => {
    await t?.services.sync.stop();
    await listening?.close();
    await upstream?.close();
    await t?.close();
    if (repo) await rm(repo, { recursive: true, force: true });
  });

  async function startSlowRun(name: string): Promise<string> {
    upstream.setFault({ kind: 'slow', delayMs: 700, match: /\.tgz$/ });
    const { body } = await t.gql('mutation($n: String!) { syncRegistry(name: $n, wait: false) { id state } }', { n: name });
    expect(body.errors).toBeUndefined();
    expect(body.data!.syncRegistry.state).toBe('RUNNING');
    return body.data!.syncRegistry.id as string;
  }

  describe('credentials', () => {
    it('refuses a connection without a token, or with an unknown one, with 4401', async () => {
      const anonymous = record(client(null), FOLLOW, { id: 'x' });
      expect(await closeOf(anonymous)).toMatchObject({ code: 4401, reason: expect.stringMatching(/need a token/) });
      const unknown = record(client('pkc_not-a-real-token'), FOLLOW, { id: 'x' });
      expect(await closeOf(unknown)).toMatchObject({ code: 4401 });
    });

    it('refuses a revoked token, and closes the open socket of a token revoked while connected', async () => {
      const name = uniqueName('ws-revoked');
      const { body } = await t.gql('mutation($n: String!) { createApiToken(name: $n, role: VIEWER) { token apiToken { id } } }', { n: name });
      const { token, apiToken } = body.data!.createApiToken;
      const registry = uniqueName('ws-rv');
      await createUpstreamRegistry(t, { name: registry, kind: 'HELM', endpoint: upstream.url });
      const runId = await startSlowRun(registry);
      const open = record(client(token), FOLLOW, { id: runId });
      await open.waitFor((r) => r.data?.syncRun?.state === 'RUNNING');
      const revokedAt = Date.now();
      await t.gql('mutation($id: ID!) { revokeApiToken(id: $id) }', { id: apiToken.id });
      expect(await closeOf(open)).toMatchObject({ code: 4401, reason: expect.stringMatching(/revoked or expired/) });
      // WS_AUTH_RECHECK_SECONDS is 0.3 here: the socket goes within a few checks.
      expect(Date.now() - revokedAt).toBeLessThan(3_000);
      const again = record(client(token), FOLLOW, { id: runId });
      expect(await closeOf(again)).toMatchObject({ code: 4401 });
      await t.services.sync.run(registry).catch(() => undefined);
    });
  });

  describe('the web console session cookie', () => {
    async function sessionCookie(): Promise<string> {
      const res = await request(t.app).post('/session').send({ token: await createToken(t, 'VIEWER', []) });
      const line = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('pc_session='));
      expect(line).toBeDefined();
      return line!.split(';')[0];
    }

    it("authenticates an upgrade from the same origin, and not one another site's page started", async () => {
      const cookie = await sessionCookie();
      const origin = listening.url;
      const same = record(client(null, { headers: { cookie, origin } }), FOLLOW, { id: 'not-an-id' });
      await same.done;
      // Authenticated: the subscription itself ran (and refused the id), the socket was not closed.
      expect(same.results[0].errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
      const cross = record(client(null, { headers: { cookie, origin: 'https://evil.example' } }), FOLLOW, { id: 'not-an-id' });
      expect(await closeOf(cross)).toMatchObject({ code: 4401 });
    });
  });

  describe('keepalive', () => {
    it('pings open sockets and cuts one that stops answering', async () => {
      const raw = new WebSocket(listening.wsUrl, 'graphql-transport-ws', { autoPong: false });
      await new Promise((resolve) => raw.once('open', resolve));
      raw.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${t.adminToken}` } }));
      await new Promise((resolve) => raw.once('ping', resolve));
      // No pong: WS_KEEPALIVE_SECONDS (0.3 here) later the server terminates the socket (1006 on this side).
      const code = await new Promise<number>((resolve) => raw.once('close', resolve));
      expect(code).toBe(1006);
    });
  });

  describe('syncRun(id)', () => {
    it('follows a run driven through the API from RUNNING to SUCCEEDED, with items done and errors so far, then completes', async () => {
      const name = uniqueName('ws-follow');
      await createUpstreamRegistry(t, { name, kind: 'HELM', endpoint: upstream.url });
      const runId = await startSlowRun(name);
      const watching = record(client(t.adminToken), FOLLOW, { id: runId });
      await watching.done;
      upstream.setFault(null);
      const states = watching.results.map((r) => r.data!.syncRun);
      expect(watching.results.every((r) => r.errors === undefined)).toBe(true);
      expect(states.every((s) => s.id === runId)).toBe(true);
      expect(states[0].state).toBe('RUNNING');
      const last = states[states.length - 1];
      expect(last).toMatchObject({ state: 'SUCCEEDED', itemsDone: 3, itemsTotal: 3, added: 3, errorCount: 0, errors: [], finishedAt: expect.any(String) });
      // Only the last message is final, and items done never go back.
      expect(states.slice(0, -1).every((s) => s.state === 'RUNNING' && s.finishedAt === null)).toBe(true);
      const done = states.map((s) => s.itemsDone);
      expect(done).toEqual([...done].sort((a, b) => a - b));
      // Its end unhooked the subscriber from the run's progress.
      expect(t.services.syncProgress.followedRuns).toBe(0);
      // The run as the API records it agrees with the stream's last word.
      const { body } = await t.gql('query($id: ID!) { node(id: $id) { ... on SyncRun { state added } } }', { id: runId });
      expect(body.data!.node).toEqual({ state: 'SUCCEEDED', added: 3 });
    });

    it('reports the errors so far while the run goes on', async () => {
      const name = uniqueName('ws-errors');
      await createUpstreamRegistry(t, { name, kind: 'HELM', endpoint: `${upstream.url}/partly` });
      upstream.setFault({ kind: 'slow', delayMs: 1200, match: /watched-1\.[01]\.0\.tgz$/ });
      const { body } = await t.gql('mutation($n: String!) { syncRegistry(name: $n, wait: false) { id } }', { n: name });
      const watching = record(client(t.adminToken), FOLLOW, { id: body.data!.syncRegistry.id });
      const midway = await watching.waitFor((r) => r.data?.syncRun?.state === 'RUNNING' && r.data.syncRun.errorCount === 1);
      expect(midway.data!.syncRun).toMatchObject({ itemsTotal: 3, itemsDone: 1, added: 0, errors: [{ item: 'watched:9.9.9', message: expect.any(String) }] });
      await watching.done;
      upstream.setFault(null);
      expect(watching.results.at(-1)!.data!.syncRun).toMatchObject({ state: 'PARTIAL', itemsDone: 3, added: 2, errorCount: 1 });
    });

    it('answers a finished run with its final state at once, item errors included, and completes', async () => {
      const name = uniqueName('ws-done');
      await createUpstreamRegistry(t, { name, kind: 'HELM', endpoint: upstream.url });
      upstream.setFault({ kind: 'status', status: 404, match: /1\.1\.0\.tgz$/ });
      const { body } = await t.gql('mutation($n: String!) { syncRegistry(name: $n) { id state } }', { n: name });
      upstream.setFault(null);
      expect(body.data!.syncRegistry.state).toBe('PARTIAL');
      const watching = record(client(t.adminToken), FOLLOW, { id: body.data!.syncRegistry.id });
      await watching.done;
      expect(watching.results).toHaveLength(1);
      expect(watching.results[0].data!.syncRun).toMatchObject({
        state: 'PARTIAL',
        added: 2,
        errorCount: 1,
        errors: [{ item: 'watched:1.1.0', message: expect.any(String) }],
      });
    });

    it('is NOT_FOUND for a run of a PRIVATE registry the token does not name, and for an id that names no run', async () => {
      const name = uniqueName('ws-private');
      await createUpstreamRegistry(t, { name, kind: 'HELM', endpoint: upstream.url, visibility: 'PRIVATE' });
      const { body } = await t.gql('mutation($n: String!) { syncRegistry(name: $n) { id } }', { n: name });
      const runId = body.data!.syncRegistry.id;
      const outsider = record(client(await createToken(t, 'VIEWER', [])), FOLLOW, { id: runId });
      await outsider.done;
      expect(outsider.results[0].errors![0].extensions).toMatchObject({ code: 'NOT_FOUND' });
      const insider = record(client(await createToken(t, 'VIEWER', [name])), FOLLOW, { id: runId });
      await insider.done;
      expect(insider.results[0].data!.syncRun.state).toBe('SUCCEEDED');
      const bad = record(client(t.adminToken), FOLLOW, { id: 'not-an-id' });
      await bad.done;
      expect(bad.results[0].errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    });
  });

  describe('bounds', () => {
    it('refuses a subscription past WS_MAX_SUBSCRIPTIONS_PER_CONNECTION on one connection', async () => {
      const name = uniqueName('ws-subs');
      await createUpstreamRegistry(t, { name, kind: 'HELM', endpoint: upstream.url });
      const runId = await startSlowRun(name);
      const c = client(await createToken(t, 'VIEWER', []));
      const first = record(c, FOLLOW, { id: runId });
      const second = record(c, FOLLOW, { id: runId });
      await first.waitFor(() => true);
      await second.waitFor(() => true);
      const third = record(c, FOLLOW, { id: runId });
      await expect(third.done).rejects.toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'RATE_LIMITED', limit: 'WS_MAX_SUBSCRIPTIONS_PER_CONNECTION' }) })]);
      // The connection itself stays: the first two still end normally.
      await Promise.all([first.done, second.done]);
      upstream.setFault(null);
    });

    it('closes a connection past WS_MAX_CONNECTIONS_PER_TOKEN with 4029, and lets one in again once another left', async () => {
      const token = await createToken(t, 'VIEWER', []);
      const name = uniqueName('ws-conns');
      await createUpstreamRegistry(t, { name, kind: 'HELM', endpoint: upstream.url });
      const runId = await startSlowRun(name);
      const a = client(token);
      const b = client(token);
      const ra = record(a, FOLLOW, { id: runId });
      record(b, FOLLOW, { id: runId });
      await ra.waitFor(() => true);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const refused = record(client(token), FOLLOW, { id: runId });
      expect(await closeOf(refused)).toMatchObject({ code: 4029, reason: expect.stringMatching(/WS_MAX_CONNECTIONS_PER_TOKEN/) });
      await a.dispose();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const admitted = record(client(token), FOLLOW, { id: runId });
      await admitted.waitFor(() => true);
      await t.services.sync.run(name);
      upstream.setFault(null);
    });

    it('closes the socket of a message over WS_MAX_MESSAGE_BYTES (1009), and applies the document limits', async () => {
      const big = record(client(t.adminToken), `subscription { syncRun(id: "${'x'.repeat(5000)}") { id } }`);
      expect(await closeOf(big)).toMatchObject({ code: 1009 });

      const deep = record(client(t.adminToken), `subscription { syncRun(id: "x") { ${'a: id '.repeat(40)} } }`);
      await expect(deep.done).rejects.toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'MAX_QUERY_ALIASES' }) })]);
      const unknown = record(client(t.adminToken), 'subscription { nothingHere }');
      await expect(unknown.done).rejects.toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED' }) })]);
    });

    it('serves only subscriptions: a query or a mutation is refused and pointed at POST /graphql', async () => {
      const query = record(client(t.adminToken), '{ me { name } }');
      await expect(query.done).rejects.toEqual([expect.objectContaining({ extensions: { code: 'BAD_REQUEST' }, message: expect.stringMatching(/POST \/graphql/) })]);
    });

    it('refuses an upgrade on another path, and a client that does not speak graphql-transport-ws', async () => {
      const other = new WebSocket(listening.wsUrl.replace('/graphql', '/elsewhere'), 'graphql-transport-ws');
      const status = await new Promise<number>((resolve) => other.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
      expect(status).toBe(404);
      // subscriptions-transport-ws's protocol: the server picks no subprotocol, which the client takes as a refusal.
      const legacy = new WebSocket(listening.wsUrl, 'graphql-ws');
      const error = await new Promise<Error>((resolve) => legacy.on('error', resolve));
      expect(error.message).toMatch(/no subprotocol/);
    });
  });

  it('closes every socket with 1001 when the service shuts down', async () => {
    const watching = record(client(t.adminToken), FOLLOW, { id: 'U3luY1J1bjpub25l' });
    const c = client(t.adminToken);
    const name = uniqueName('ws-shutdown');
    await createUpstreamRegistry(t, { name, kind: 'HELM', endpoint: upstream.url });
    const runId = await startSlowRun(name);
    const open = record(c, FOLLOW, { id: runId });
    await open.waitFor(() => true);
    await watching.done.catch(() => undefined);
    expect(listening.webSocket.connections).toBeGreaterThan(0);
    await listening.webSocket.close();
    expect(await closeOf(open)).toMatchObject({ code: 1001 });
    expect(listening.webSocket.connections).toBe(0);
    await t.services.sync.run(name).catch(() => undefined);
    upstream.setFault(null);
  });
});
