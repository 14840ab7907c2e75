/**
 * Issue 15: the service serves the built web console at `/` (index.html for client-side routes,
 * hashed assets cached for a year), keeps today's redirect to the IDE without a build, and sends a
 * Content-Security-Policy of its own origin, with HSTS and upgrade-insecure-requests only over https.
 * The IDE needs no inline style or script and no placeholder Authorization header.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const INDEX = '<!doctype html><html><head><script type="module" src="/assets/index-3f2a1b.js"></script></head><body><div id="root"></div></body></html>';

describe('the web console build', () => {
  let t: TestApp;
  let webRoot: string;
  beforeAll(async () => {
    webRoot = await mkdtemp(path.join(tmpdir(), 'pack-catalog-web-'));
    await mkdir(path.join(webRoot, 'assets'));
    await writeFile(path.join(webRoot, 'index.html'), INDEX);
    await writeFile(path.join(webRoot, 'assets', 'index-3f2a1b.js'), 'console.log("console");\n');
    await writeFile(path.join(webRoot, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    t = await createTestApp({ env: { WEB_ROOT: webRoot } });
  });
  afterAll(async () => {
    await t.close();
    await rm(webRoot, { recursive: true, force: true });
  });

  it('serves index.html at / and for client-side routes, revalidated on every visit', async () => {
    for (const url of ['/', '/packs/cert-manager?version=1.2.3', '/profiles/new', '/catalog?q=cert']) {
      const page = await request(t.app).get(url).set('accept', 'text/html,application/xhtml+xml,*/*;q=0.8');
      expect([url, page.status]).toEqual([url, 200]);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.text).toBe(INDEX);
    }
    // `/` answers the page whatever the Accept (curl, a health probe of the front page).
    expect((await request(t.app).get('/')).text).toBe(INDEX);
  });

  it('serves hashed assets for a year and never answers a missing asset with the page', async () => {
    const asset = await request(t.app).get('/assets/index-3f2a1b.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const missing = await request(t.app).get('/assets/index-000000.js').set('accept', 'text/html');
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0].extensions.code).toBe('NOT_FOUND');
    const favicon = await request(t.app).get('/favicon.svg');
    expect(favicon.status).toBe(200);
    expect(favicon.headers['cache-control']).toBe('no-cache');
    // No favicon.ico in the build: an empty answer, not a 404 the browser reports on every page.
    expect((await request(t.app).get('/favicon.ico')).status).toBe(204);
  });

  it('leaves the API paths and non-HTML requests alone', async () => {
    const html = { accept: 'text/html' };
    expect((await request(t.app).get('/graphql').set(html)).headers.location).toBe('/ide');
    expect((await request(t.app).get('/session').set(html)).body).toEqual({ principal: null, expiresAt: null, anonymousRead: false });
    expect((await request(t.app).get('/healthz').set(html)).body).toEqual({ status: 'ok' });
    expect((await request(t.app).get('/ide').set(html)).text).toContain('graphiql.min.js');
    expect((await request(t.app).get('/v2/').set(html)).status).toBe(401);
    expect((await request(t.app).get(`/artifacts/sha256/${'b'.repeat(64)}`).set(html)).status).toBe(401);
    // A client asking for JSON (or nothing in particular) at a wrong path gets the API's 404.
    for (const accept of ['application/json', '*/*']) {
      const wrong = await request(t.app).get('/nope').set('accept', accept);
      expect([accept, wrong.status, wrong.body.errors?.[0].extensions.code]).toEqual([accept, 404, 'NOT_FOUND']);
    }
    expect((await request(t.app).post('/packs/x').set(html)).status).toBe(404);
  });

  it('sends a Content-Security-Policy of our own origin, without HSTS or upgrade-insecure-requests over plain http', async () => {
    const page = await request(t.app).get('/');
    const csp = page.headers['content-security-policy'] as string;
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values.join(' ')]));
    expect(directives).toEqual({
      'default-src': "'self'",
      'base-uri': "'self'",
      'script-src': "'self'",
      'script-src-attr': "'none'",
      'style-src': "'self'",
      'img-src': "'self' data:",
      'font-src': "'self' data:",
      'connect-src': "'self'",
      'object-src': "'none'",
      'form-action': "'self'",
      'frame-ancestors': "'none'",
    });
    expect(page.headers['strict-transport-security']).toBeUndefined();
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  it('adds HSTS and upgrade-insecure-requests when the request came over https (trusted proxy)', async () => {
    const page = await request(t.app).get('/').set('x-forwarded-proto', 'https');
    expect(page.headers['content-security-policy']).toMatch(/(^|;)upgrade-insecure-requests(;|$)/);
    expect(page.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    const api = await request(t.app).get('/healthz').set('x-forwarded-proto', 'https');
    expect(api.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });

  it('serves an IDE with no inline style or script and no placeholder Authorization header', async () => {
    const page = await request(t.app).get('/ide');
    expect(page.text).not.toMatch(/<style|<script>|style=/);
    expect(page.text).toContain('/ide/app.css');
    const css = await request(t.app).get('/ide/app.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    const script = (await request(t.app).get('/ide/app.js')).text;
    expect(script).not.toMatch(/defaultHeaders|Bearer <your token>"/);
    expect(script).toContain("fetch('/session'");
    expect(() => new Function(script)).not.toThrow(); // it is served as written: a syntax error would leave the IDE blank
  });
});

describe('without a web console build', () => {
  it('redirects / to the IDE and says why once at start; without the IDE, / is a 404', async () => {
    const missing = path.join(tmpdir(), 'pack-catalog-no-web-build');
    const dev = await createTestApp({ env: { WEB_ROOT: missing } });
    try {
      const home = await request(dev.app).get('/').set('accept', 'text/html');
      expect(home.status).toBe(302);
      expect(home.headers.location).toBe('/ide');
      expect((await request(dev.app).get('/packs/x').set('accept', 'text/html')).status).toBe(404);
      expect(dev.logs().match(/the web console is not built/g)).toHaveLength(1);
      expect(dev.logs()).toContain(path.join(missing, 'index.html'));
    } finally {
      await dev.close();
    }
    const prod = await createTestApp({ env: { WEB_ROOT: missing, NODE_ENV: 'production' } });
    try {
      expect((await request(prod.app).get('/').set('accept', 'text/html')).status).toBe(404);
    } finally {
      await prod.close();
    }
  });
});
