/**
 * Issue 12, points 11 and 12: the front door refuses before it spends. Failed authentications are
 * limited per client address on every authenticated route (then 429 without a token lookup), and a
 * multipart upload is refused on its headers, before its body is read.
 */
import { once } from 'node:events';
import { request as httpRequest, createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { PUSH_PACK } from '../helpers/packs.js';

const BAD_TOKEN = `pkc_${'0'.repeat(40)}`; // well-formed, so checking it costs a database lookup

describe('failed authentications', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { AUTH_FAILURES_PER_MINUTE: '3' } });
  });
  afterAll(async () => {
    await t.close();
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const routes: Array<[string, (headers: Record<string, string>) => request.Test]> = [
    ['/graphql', (h) => request(t.app).post('/graphql').set(h).set('content-type', 'application/json').send({ query: '{ me { name } }' })],
    ['/v2', (h) => request(t.app).get('/v2/').set(h)],
    ['/helm', (h) => request(t.app).get('/helm/DEFAULT/index.yaml').set(h)],
    ['/artifacts', (h) => request(t.app).get(`/artifacts/sha256/${'a'.repeat(64)}`).set(h)],
  ];

  it('counts failures per address across /graphql, /v2, /helm and /artifacts, then answers 429 before any lookup', async () => {
    t.takeQueryCount();
    for (const [, send] of routes.slice(0, 3)) expect((await send(bearer(BAD_TOKEN))).status).toBe(401);
    expect(t.takeQueryCount()).toBeGreaterThanOrEqual(3); // each failure looked the token up

    for (const [route, send] of routes) {
      const refused = await send(bearer(BAD_TOKEN));
      expect([route, refused.status]).toEqual([route, 429]);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(JSON.stringify(refused.body)).toMatch(/RATE_LIMITED|TOOMANYREQUESTS/);
    }
    // Basic credentials on the OCI API (what docker and helm send) are credentials too.
    const basic = await request(t.app).get('/v2/').set('authorization', `Basic ${Buffer.from(`x:${BAD_TOKEN}`).toString('base64')}`);
    expect(basic.status).toBe(429);
    // Blocked means blocked: any credentials from this address wait, even valid ones, and nothing is looked up.
    expect((await routes[0]![1](bearer(t.adminToken))).status).toBe(429);
    expect(t.takeQueryCount()).toBe(0);
  });
});

describe('failed authentications with the defaults', () => {
  it('leaves valid tokens and the per-token limit as they were', async () => {
    const t = await createTestApp();
    try {
      for (let i = 0; i < 3; i++) expect((await t.gql('{ me { name } }', {}, BAD_TOKEN)).status).toBe(401);
      expect((await t.gql('{ me { name } }')).body.data).toEqual({ me: { name: 'admin' } });
    } finally {
      await t.close();
    }
  });
});

describe('multipart uploads', () => {
  const DECLARED = 50 * 1024 * 1024;

  /**
   * Starts a 50 MB multipart push but sends only its first part (the operations and map fields and
   * the file's first bytes), then stalls: an answer can only come from a server that decided on the
   * headers, without waiting for the body.
   */
  const stalledPush = async (server: Server, headers: Record<string, string>) => {
    const boundary = 'front-door-boundary';
    const head = [
      `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: PUSH_PACK, variables: { registry: 'DEFAULT', archive: null } })}\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n${JSON.stringify({ 0: ['variables.archive'] })}\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="big.tgz"\r\nContent-Type: application/gzip\r\n\r\n`,
    ].join('');
    const { port } = server.address() as AddressInfo;
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(DECLARED), ...headers },
    });
    req.on('error', () => undefined); // the server may close the connection once it has answered
    req.write(head);
    req.write(Buffer.alloc(1024));
    // A sanity bound, not a speed claim: the old code never answered a stalled upload at all.
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer while the body was incomplete')), 20_000).unref());
    const [response] = (await Promise.race([once(req, 'response'), timeout])) as [IncomingMessage];
    let text = '';
    for await (const chunk of response) text += chunk;
    req.destroy();
    return { status: response.statusCode, body: JSON.parse(text) as { errors: Array<{ message: string; extensions: { code: string } }> } };
  };

  const listen = async (t: TestApp) => {
    const server = createServer(t.app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    return server;
  };

  it('refuses an anonymous upload, and one without the CSRF preflight header, before reading the body', async () => {
    const t = await createTestApp();
    const server = await listen(t);
    try {
      const anonymous = await stalledPush(server, { 'apollo-require-preflight': 'true' });
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');

      const noPreflight = await stalledPush(server, { authorization: `Bearer ${t.adminToken}` });
      expect(noPreflight.status).toBe(400);
      expect(noPreflight.body.errors[0]!.extensions.code).toBe('BAD_REQUEST');
      expect(noPreflight.body.errors[0]!.message).toMatch(/CSRF.*apollo-require-preflight/);

      const badToken = await stalledPush(server, { authorization: `Bearer ${BAD_TOKEN}`, 'apollo-require-preflight': 'true' });
      expect(badToken.status).toBe(401);
    } finally {
      server.close();
      await t.close();
    }
  });

  it('refuses anonymous uploads even when anonymous reads are on, and a declared size over the limit', async () => {
    const t = await createTestApp({ env: { ALLOW_ANONYMOUS_READ: 'true', MAX_UPLOAD_BYTES: String(10 * 1024 * 1024) } });
    const server = await listen(t);
    try {
      const anonymous = await stalledPush(server, { 'apollo-require-preflight': 'true' });
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
      const tooBig = await stalledPush(server, { authorization: `Bearer ${t.adminToken}`, 'apollo-require-preflight': 'true' });
      expect(tooBig.status).toBe(413);
      expect(tooBig.body.errors[0]!.extensions.code).toBe('PAYLOAD_TOO_LARGE');
    } finally {
      server.close();
      await t.close();
    }
  });
});
