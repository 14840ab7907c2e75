/**
 * Issue 15: the web console's sessions. POST /session exchanges an API token for an HttpOnly,
 * SameSite=Strict cookie (Secure over https) that authenticates /graphql and /artifacts exactly as
 * the token; the token is never stored nor echoed; revoking the token, idling, or signing out ends
 * the session; a bearer header wins over the cookie; OCI never reads the cookie.
 */
import request from 'supertest';
import { createHash } from 'node:crypto';
import { createTestApp, createToken, uniqueName, type TestApp } from '../helpers/test-app.js';

const ME = '{ me { name role registries } }';

/** The Set-Cookie line for pc_session, if the response set one. */
function sessionSetCookie(res: request.Response): string | undefined {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return cookies.find((c) => c.startsWith('pc_session='));
}

function cookieValue(setCookie: string): string {
  return setCookie.split(';')[0]!.slice('pc_session='.length);
}

describe('web sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { SESSION_IDLE_MINUTES: '5' } });
  });
  afterAll(async () => {
    await t.close();
  });

  async function signIn(token: string, headers: Record<string, string> = {}) {
    const res = await request(t.app).post('/session').set(headers).send({ token });
    const setCookie = sessionSetCookie(res);
    return { res, setCookie, cookie: setCookie ? `pc_session=${cookieValue(setCookie)}` : '' };
  }

  const gqlWithCookie = (cookie: string, query = ME) =>
    request(t.app).post('/graphql').set('cookie', cookie).set('content-type', 'application/json').send({ query });

  it('exchanges a token for an HttpOnly, SameSite=Strict cookie that never holds nor echoes the token', async () => {
    const name = uniqueName('web-viewer');
    const token = await createToken(t, 'VIEWER', ['team-a'], name);
    const { res, setCookie, cookie } = await signIn(token);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({ principal: { name, role: 'VIEWER', registries: ['team-a'] }, expiresAt: expect.any(String) });
    // The absolute end: SESSION_MAX_HOURS (168) from now, the token having no expiry of its own.
    expect(Math.abs(Date.parse(res.body.expiresAt) - (Date.now() + 168 * 3_600_000))).toBeLessThan(60_000);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Strict/);
    expect(setCookie).toMatch(/; Path=\//);
    expect(setCookie).not.toMatch(/; Secure/); // plain http
    const id = cookieValue(setCookie!);
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Neither the answer nor any header carries the token.
    expect(JSON.stringify(res.body) + JSON.stringify(res.headers)).not.toContain(token);
    // Stored: the sha256 of the id, and the token's row id; not the id, not the token.
    const rows = await t.database.prisma.webSession.findMany({ where: { idHash: createHash('sha256').update(id).digest('hex') } });
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(id);
    expect(JSON.stringify(rows)).not.toContain(token);

    const me = await gqlWithCookie(cookie);
    expect(me.body.data.me).toEqual({ name, role: 'VIEWER', registries: ['team-a'] });
    const session = await request(t.app).get('/session').set('cookie', cookie);
    expect(session.body).toEqual({ principal: { name, role: 'VIEWER', registries: ['team-a'] }, expiresAt: res.body.expiresAt, anonymousRead: false });
  });

  it('marks the cookie Secure when the request came over https (X-Forwarded-Proto from the trusted proxy)', async () => {
    const token = await createToken(t, 'VIEWER', []);
    const { res, setCookie } = await signIn(token, { 'x-forwarded-proto': 'https' });
    expect(res.status).toBe(200);
    expect(setCookie).toMatch(/; Secure/);
    expect(setCookie).toMatch(/; HttpOnly/);
  });

  it('ends the session with the token: expiry carried over, revocation effective at once', async () => {
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const created = await t.gql('mutation($n: String!, $e: DateTime) { createApiToken(name: $n, role: PUBLISHER, expiresAt: $e) { token apiToken { id } } }', {
      n: uniqueName('web-publisher'),
      e: expiresAt,
    });
    const { token, apiToken } = created.body.data!.createApiToken;
    const { res, setCookie, cookie } = await signIn(token);
    expect(Date.parse(res.body.expiresAt)).toBe(Date.parse(expiresAt));
    expect(setCookie).toMatch(/; Expires=/);
    expect((await gqlWithCookie(cookie)).body.data.me.role).toBe('PUBLISHER');

    expect((await t.gql('mutation($id: ID!) { revokeApiToken(id: $id) }', { id: apiToken.id })).body.data).toEqual({ revokeApiToken: true });
    const refused = await gqlWithCookie(cookie);
    expect(refused.status).toBe(401);
    expect(refused.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    // The ended session's cookie is cleared, so the browser's next request is anonymous.
    expect(sessionSetCookie(refused)).toMatch(/^pc_session=;.*Expires=Thu, 01 Jan 1970/);
    expect((await request(t.app).get('/session').set('cookie', cookie)).body).toEqual({ principal: null, expiresAt: null, anonymousRead: false });
    // And the token itself cannot open a new one.
    expect((await signIn(token)).res.status).toBe(401);
  });

  it('ends an idle session after SESSION_IDLE_MINUTES and writes lastSeenAt at most once a minute', async () => {
    const token = await createToken(t, 'VIEWER', []);
    const { setCookie, cookie } = await signIn(token);
    const idHash = createHash('sha256').update(cookieValue(setCookie!)).digest('hex');
    const lastSeen = async () => (await t.database.prisma.webSession.findUniqueOrThrow({ where: { idHash } })).lastSeenAt.getTime();
    const first = await lastSeen();
    await gqlWithCookie(cookie);
    await gqlWithCookie(cookie);
    expect(await lastSeen()).toBe(first); // used twice within the minute: no write

    // Last seen 90 s ago (within the 5 idle minutes): the next use moves it to now.
    await t.database.prisma.webSession.update({ where: { idHash }, data: { lastSeenAt: new Date(Date.now() - 90_000) } });
    expect((await gqlWithCookie(cookie)).body.data.me).not.toBeNull();
    expect(Date.now() - (await lastSeen())).toBeLessThan(10_000);

    // Last seen 6 minutes ago: idle past SESSION_IDLE_MINUTES=5, ended.
    await t.database.prisma.webSession.update({ where: { idHash }, data: { lastSeenAt: new Date(Date.now() - 6 * 60_000) } });
    const refused = await gqlWithCookie(cookie);
    expect(refused.status).toBe(401);
    expect(refused.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(refused.body.errors[0].message).toMatch(/sign in again/);
  });

  it('ends a session at its absolute end (SESSION_MAX_HOURS), however recently used', async () => {
    const { setCookie, cookie } = await signIn(await createToken(t, 'VIEWER', []));
    const idHash = createHash('sha256').update(cookieValue(setCookie!)).digest('hex');
    await t.database.prisma.webSession.update({ where: { idHash }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const refused = await gqlWithCookie(cookie);
    expect(refused.status).toBe(401);
    expect(refused.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('ends a session made from ADMIN_TOKEN when ADMIN_TOKEN changes', async () => {
    const { cookie } = await signIn(t.adminToken);
    expect((await gqlWithCookie(cookie)).body.data.me.name).toBe('admin');
    // Another instance on the same database with another ADMIN_TOKEN (a rotated secret).
    const rotated = await createTestApp();
    try {
      const refused = await request(rotated.app).post('/graphql').set('cookie', cookie).set('content-type', 'application/json').send({ query: ME });
      expect(refused.status).toBe(401);
      expect(refused.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    } finally {
      await rotated.close();
    }
  });

  it('replaces the previous session when the browser signs in again', async () => {
    const first = await signIn(await createToken(t, 'VIEWER', []));
    const again = await signIn(t.adminToken, { cookie: first.cookie });
    expect(again.res.status).toBe(200);
    expect((await gqlWithCookie(first.cookie)).status).toBe(401);
    expect((await gqlWithCookie(again.cookie)).body.data.me.name).toBe('admin');
  });

  it('signs out: DELETE /session removes the session and clears the cookie', async () => {
    const token = await createToken(t, 'VIEWER', []);
    const { setCookie, cookie } = await signIn(token);
    const idHash = createHash('sha256').update(cookieValue(setCookie!)).digest('hex');
    const out = await request(t.app).delete('/session').set('cookie', cookie);
    expect(out.status).toBe(204);
    expect(sessionSetCookie(out)).toMatch(/^pc_session=;.*Expires=Thu, 01 Jan 1970/);
    expect(await t.database.prisma.webSession.findUnique({ where: { idHash } })).toBeNull();
    const refused = await gqlWithCookie(cookie);
    expect(refused.status).toBe(401);
    expect(refused.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    // Signing out twice, or without a cookie, is not an error.
    expect((await request(t.app).delete('/session')).status).toBe(204);
  });

  it('refuses a bad token with 401 UNAUTHENTICATED and sets no cookie; malformed requests are 400', async () => {
    for (const token of [`pkc_${'0'.repeat(43)}`, 'not-a-token']) {
      const { res, setCookie } = await signIn(token);
      expect(res.status).toBe(401);
      expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(setCookie).toBeUndefined();
      expect(JSON.stringify(res.body)).not.toContain(token);
    }
    const form = await request(t.app).post('/session').type('form').send({ token: t.adminToken });
    expect(form.status).toBe(400);
    expect(sessionSetCookie(form)).toBeUndefined();
    expect((await request(t.app).post('/session').send({})).status).toBe(400);
    // Malformed JSON: the parser's own message would quote the body, token included.
    const malformed = await request(t.app).post('/session').set('content-type', 'application/json').send(`{"token": "${t.adminToken}"`);
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(malformed.text).not.toContain(t.adminToken);
    // A page of another site signing the browser in with its own token (login CSRF).
    const crossSite = await signIn(t.adminToken, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.res.status).toBe(400);
    expect(crossSite.setCookie).toBeUndefined();
  });

  it('lets a bearer Authorization header win over the cookie', async () => {
    const name = uniqueName('web-cookie');
    const { cookie } = await signIn(await createToken(t, 'VIEWER', [], name));
    const both = await gqlWithCookie(cookie).set('authorization', `Bearer ${t.adminToken}`);
    expect(both.body.data.me.name).toBe('admin');
    const badBearer = await gqlWithCookie(cookie).set('authorization', 'Bearer nope');
    expect(badBearer.status).toBe(401);
    // The bootstrap ADMIN_TOKEN opens a session too.
    const admin = await signIn(t.adminToken);
    expect(admin.res.body.principal).toEqual({ name: 'admin', role: 'ADMIN', registries: [] });
    expect((await gqlWithCookie(admin.cookie)).body.data.me.name).toBe('admin');
  });

  it('keeps CSRF defences for cookie requests: Apollo preflight rule, Sec-Fetch-Site, and no cookie on OCI', async () => {
    const { cookie } = await signIn(t.adminToken);
    // A simple (form-like) POST with the cookie is blocked by Apollo's CSRF prevention.
    const simple = await request(t.app).post('/graphql').set('cookie', cookie).set('content-type', 'text/plain').send(JSON.stringify({ query: ME }));
    expect(simple.status).toBe(400);
    expect(simple.text).toMatch(/CSRF/);
    // A request another site's page made: the cookie is not honoured (anonymous).
    const crossSite = await gqlWithCookie(cookie).set('sec-fetch-site', 'cross-site');
    expect(crossSite.body.data.me).toBeNull();
    const sameOrigin = await gqlWithCookie(cookie).set('sec-fetch-site', 'same-origin');
    expect(sameOrigin.body.data.me.name).toBe('admin');
    // The OCI front door (pushes) takes bearer credentials only.
    expect((await request(t.app).get('/v2/').set('cookie', cookie)).status).toBe(401);
    expect((await request(t.app).get('/v2/').set('authorization', `Bearer ${t.adminToken}`)).status).toBe(200);
  });

  it('authenticates downloads (/artifacts) with the cookie', async () => {
    const { cookie } = await signIn(t.adminToken);
    const path = `/artifacts/sha256/${'a'.repeat(64)}`;
    expect((await request(t.app).get(path)).status).toBe(401); // anonymous reads are off
    const signedIn = await request(t.app).get(path).set('cookie', cookie);
    expect(signedIn.status).toBe(404); // authenticated: the artifact simply does not exist
    expect(signedIn.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });
});

describe('web sessions with anonymous reads, a short idle time and a tight failure budget', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { ALLOW_ANONYMOUS_READ: 'true', AUTH_FAILURES_PER_MINUTE: '2', SESSION_IDLE_MINUTES: '1' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('says the catalog is readable without signing in', async () => {
    expect((await request(t.app).get('/session')).body).toEqual({ principal: null, expiresAt: null, anonymousRead: true });
  });

  it('keeps a session in use alive even when the idle time is shorter than lastSeenAt\'s minute', async () => {
    const res = await request(t.app).post('/session').send({ token: t.adminToken });
    const id = sessionSetCookie(res)!.split(';')[0]!.slice('pc_session='.length);
    const idHash = createHash('sha256').update(id).digest('hex');
    // Last seen 20 s ago with a 1-minute idle time: a use now must move it (at most a quarter of the idle time between writes).
    await t.database.prisma.webSession.update({ where: { idHash }, data: { lastSeenAt: new Date(Date.now() - 20_000) } });
    const used = await request(t.app).post('/graphql').set('cookie', `pc_session=${id}`).set('content-type', 'application/json').send({ query: ME });
    expect(used.body.data.me.name).toBe('admin');
    const row = await t.database.prisma.webSession.findUniqueOrThrow({ where: { idHash } });
    expect(Date.now() - row.lastSeenAt.getTime()).toBeLessThan(10_000);
  });

  it('counts bad sign-ins against the address like any failed authentication', async () => {
    const bad = () => request(t.app).post('/session').send({ token: `pkc_${'1'.repeat(43)}` });
    expect((await bad()).status).toBe(401);
    expect((await bad()).status).toBe(401);
    const limited = await bad();
    expect(limited.status).toBe(429);
    expect(limited.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // A forged cookie counts too: refused before any lookup now.
    const forged = await request(t.app).post('/graphql').set('cookie', `pc_session=${'x'.repeat(43)}`).set('content-type', 'application/json').send({ query: ME });
    expect(forged.status).toBe(429);
  });
});
