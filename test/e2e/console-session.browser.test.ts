/**
 * Issue 15 in a real browser (Debian's Chromium): sign in through the console's form, the session
 * cookie is HttpOnly (invisible to page scripts) and SameSite=Strict, GraphQL and the IDE work signed
 * in (the IDE opens without the old "Malformed Authorization header"), sign out and be refused, and
 * nothing breaks the Content-Security-Policy on the way.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { screenshot } from '../helpers/browser.js';
import { openWatchedPage, startConsole, type ConsoleUnderTest } from '../helpers/console.js';
import type { ServiceProcess } from '../helpers/service-process.js';

/** What the page's scripts see (the tests' TypeScript has no DOM library). */
interface PageGlobals {
  document: { cookie: string };
  localStorage: Record<string, string>;
  sessionStorage: Record<string, string>;
}

describe('web console sessions in Chromium', () => {
  let ui: ConsoleUnderTest;
  let service: ServiceProcess;
  let context: BrowserContext;
  let page: Page;
  let problems: () => Promise<string[]>;
  let viewer: { name: string; token: string };

  beforeAll(async () => {
    // The shipped packs too: the composer's values editor needs a pack to edit.
    ui = await startConsole({ env: { SEED_DEFAULT_REGISTRY: 'true' } });
    service = ui.service;
    // A fixed name keeps the screenshots the same from run to run (the run's database is its own).
    const name = 'console-viewer';
    const created = await service.gql('mutation($n: String!) { createApiToken(name: $n, role: VIEWER) { token } }', { n: name });
    viewer = { name, token: created.data.createApiToken.token };
  }, 120_000);
  afterAll(async () => {
    await ui?.close();
  });
  beforeEach(async () => {
    ({ context, page, problems } = await openWatchedPage(ui.browser));
  });
  afterEach(async () => {
    await context.close();
  });

  /** A GraphQL query from the page itself, as the console sends it (same origin, cookie attached by the browser). */
  const pageQuery = (query: string) =>
    page.evaluate(async (q) => {
      const response = await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: q }) });
      return { status: response.status, body: (await response.json()) as { data?: any; errors?: Array<{ extensions: { code: string } }> } };
    }, query);

  it('signs in through the form, keeps the cookie out of page scripts, and signs out to be refused', async () => {
    await page.goto(`${service.url}/signin`);
    const tokenField = page.getByLabel('API token');
    await tokenField.waitFor();
    await screenshot(page, 'sign-in');
    await tokenField.fill(viewer.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByText(viewer.name).first().waitFor();

    // The browser holds the session as an HttpOnly, SameSite=Strict cookie page scripts never see.
    const cookies = await context.cookies(service.url);
    const session = cookies.find((c) => c.name === 'pc_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/', secure: false });
    expect(session!.value).not.toContain(viewer.token);
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.cookie)).not.toContain('pc_session');
    // ... nor the token, anywhere the page could keep it.
    const stored = await page.evaluate(() => {
      const { localStorage, sessionStorage, document } = globalThis as unknown as PageGlobals;
      return JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie;
    });
    expect(stored).not.toContain(viewer.token);

    expect((await pageQuery('{ me { name role } }')).body.data.me).toEqual({ name: viewer.name, role: 'VIEWER' });

    // The IDE uses the same session and opens with no error.
    await page.goto(`${service.url}/ide`);
    await page.locator('.graphiql-container').waitFor();
    await page.getByText(`Signed in as ${viewer.name}`).first().waitFor();
    expect(await page.locator('body').innerText()).not.toMatch(/Malformed Authorization header/);
    await screenshot(page, 'ide-signed-in');

    expect(await problems()).toEqual([]);

    // Sign out from the console: the cookie is gone and the service refuses what needs a token.
    await page.goto(`${service.url}/`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor({ state: 'detached' });
    expect((await context.cookies(service.url)).find((c) => c.name === 'pc_session')).toBeUndefined();
    const refused = await pageQuery('{ registries { name } }');
    expect(refused.body.errors![0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect((await pageQuery('{ me { name } }')).body.data.me).toBeNull();
    // The old cookie, replayed from elsewhere, names no session any more.
    const replay = await fetch(`${service.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `pc_session=${session!.value}` },
      body: JSON.stringify({ query: '{ me { name } }' }),
    });
    expect(replay.status).toBe(401);
    // Signed out, the refusals (401) are the only errors the browser reports.
    expect((await problems()).filter((p) => !/status of 401/.test(p))).toEqual([]);
  });

  it('opens the IDE signed out on how to sign in, not on an error', async () => {
    await page.goto(`${service.url}/ide`);
    await page.locator('.graphiql-container').waitFor();
    await page.getByText('Not signed in').first().waitFor();
    expect(await page.locator('body').innerText()).not.toMatch(/Malformed Authorization header|UNAUTHENTICATED/);
    await screenshot(page, 'ide-signed-out');
    expect(await problems()).toEqual([]);
  });

  it('enforces the Content-Security-Policy in the browser (and watchProblems reports it)', async () => {
    await page.goto(`${service.url}/signin`);
    await page.getByLabel('API token').waitFor();
    // What a page script injected inline: refused by style-src 'self' and script-src 'self'.
    await page.evaluate(`(() => {
      const style = document.createElement('style');
      style.textContent = 'body { background: red }';
      document.head.appendChild(style);
      const script = document.createElement('script');
      script.textContent = 'window.injected = true';
      document.head.appendChild(script);
    })()`);
    await page.waitForTimeout(200); // violation events are dispatched asynchronously
    expect(await page.evaluate('window.injected === true')).toBe(false);
    const reported = await problems();
    expect(reported.some((p) => /CSP violation: style-src/.test(p))).toBe(true);
    expect(reported.some((p) => /CSP violation: script-src/.test(p))).toBe(true);
  });

  it("styles the composer's CodeMirror editor under the policy (no inline style refused)", async () => {
    await page.request.post(`${service.url}/session`, { data: { token: viewer.token } });
    await page.goto(`${service.url}/profiles/new`);
    await page.getByRole('group', { name: 'Add a layer' }).getByRole('button', { name: '+ Add-on' }).click();
    await page.locator('select[id$="-pack"]').first().selectOption({ index: 1 });
    await page.locator('.cm-editor .cm-content').first().waitFor();
    // CodeMirror's base theme is in effect (`.cm-editor` is a flex box only by its own rules), and the
    // policy refused nothing: its styles must come through constructable stylesheets, never a <style>.
    expect(await page.locator('.cm-editor').first().evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { display: string } }).getComputedStyle(el).display)).toBe('flex');
    expect(await problems()).toEqual([]);
  });

  it('shows a refused token on the form and sets no cookie', async () => {
    await page.goto(`${service.url}/signin`);
    await page.getByLabel('API token').fill(`pkc_${'0'.repeat(43)}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'UNAUTHENTICATED' }).waitFor();
    expect((await context.cookies(service.url)).find((c) => c.name === 'pc_session')).toBeUndefined();
    // The 401 of the refused sign-in is the only console error.
    expect((await problems()).filter((p) => !/status of 401/.test(p))).toEqual([]);
  });
});
