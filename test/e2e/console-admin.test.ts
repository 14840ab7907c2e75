/**
 * Issue 15, the registries and admin pages in Chromium against the built service: an ADMIN sees
 * the default registry with its last sync (the seed at start), opens an upstream registry of this
 * file's own (a DIRECTORY of the shipped packs), presses "Sync now" and watches the run reach
 * SUCCEEDED through the `syncRun` subscription (the WebSocket frames are checked, not only the
 * page); creates a VIEWER token whose secret is shown once (and not after a reload), revokes it
 * after the confirmation and finds the revoke in the audit trail. A VIEWER has no Admin in the nav,
 * is told /admin is not allowed and gets no sync buttons; signed out, the catalog asks to sign in.
 * A page opened while a run goes on (a slow Helm repository on loopback) follows it live too.
 * Any console error or CSP violation fails the test. Screenshots: docs/screenshots/registries.png,
 * registry.png, admin.png (1280x800).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { screenshot } from '../helpers/browser.js';
import { FITS_WIDTH, signInThroughForm, startConsole, until, type ConsoleUnderTest, type ContextOptions, type WatchedPage } from '../helpers/console.js';
import { buildChart, writeHelmIndex } from '../helpers/helm-charts.js';
import type { ServiceProcess } from '../helpers/service-process.js';
import { startStaticServer, type StaticServer } from '../helpers/static-server.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const DEFAULT_PACKS = path.join(ROOT, 'default-packs');
const suffix = randomBytes(3).toString('hex');
/** An upstream of this file's own: lowest priority and PRIVATE, so what it syncs never wins elsewhere. */
const UPSTREAM = `console-dir-${suffix}`;
const READER = `console-reader-${suffix}`;
/** A Helm repository on loopback whose charts come slowly: a run to open the page on while it goes. */
const HELM = `console-helm-${suffix}`;
const CHART = `watched-${suffix}`;

/**
 * Page-side expression as a string (the test program has no DOM types): elements that reach past
 * the window's right edge (outside the boxes that scroll on their own).
 */
const WIDER = `[...document.querySelectorAll('body *')].filter((e) => !e.parentElement?.closest('.table-scroll') && e.getBoundingClientRect().right > document.documentElement.clientWidth).map((e) => e.tagName + '.' + e.className).slice(0, 5)`;

describe('web console: registries and admin pages in Chromium', () => {
  let ui: ConsoleUnderTest;
  let service: ServiceProcess;
  let adminToken: string;
  let work: string;
  let shippedVersions: number;
  let helmRepo: StaticServer;

  beforeAll(async () => {
    // The seed at start gives the default registry a last sync to show. The upstream's schedule is
    // the longest allowed: this service runs no scheduler, but others on the shared database may.
    ui = await startConsole({ env: { SEED_DEFAULT_REGISTRY: 'true' } });
    ({ service, adminToken } = ui);
    work = await mkdtemp(path.join(tmpdir(), 'console-admin-'));
    const folders = (await readdir(DEFAULT_PACKS, { withFileTypes: true })).filter((d) => d.isDirectory() && !d.name.startsWith('_'));
    for (const d of folders) await cp(path.join(DEFAULT_PACKS, d.name), path.join(work, d.name), { recursive: true });
    shippedVersions = folders.length;
    const created = await service.gql(
      `mutation($name: String!, $endpoint: String!) { createRegistry(input: { name: $name, kind: DIRECTORY, endpoint: $endpoint, priority: -1000, visibility: PRIVATE, syncIntervalSeconds: 2592000 }) { name } }`,
      { name: UPSTREAM, endpoint: work },
      adminToken,
    );
    expect(created.errors).toBeUndefined();

    // Beside the DIRECTORY's folder, not in it (a folder starting with "_" would still be listed).
    const repo = `${work}-helm`;
    await mkdir(repo);
    const charts = [];
    for (const version of ['1.0.0', '1.1.0', '1.2.0']) {
      const built = await buildChart({ name: CHART, version }, repo);
      charts.push({ chart: { name: CHART, version }, file: built.path, bytes: built.bytes });
    }
    await writeHelmIndex(repo, charts);
    helmRepo = await startStaticServer(repo);
    const helm = await service.gql(
      `mutation($name: String!, $endpoint: String!) { createRegistry(input: { name: $name, kind: HELM, endpoint: $endpoint, priority: -1000, visibility: PRIVATE, syncIntervalSeconds: 2592000 }) { name } }`,
      { name: HELM, endpoint: helmRepo.url },
      adminToken,
    );
    expect(helm.errors).toBeUndefined();
  }, 180_000);

  afterAll(async () => {
    // Its folder goes with this file: no other test's scheduler should find the registry.
    if (service && adminToken) {
      for (const name of [UPSTREAM, HELM]) await service.gql(`mutation($n: String!) { deleteRegistry(name: $n) }`, { n: name }, adminToken);
    }
    await ui?.close();
    await helmRepo?.close();
    if (work) await rm(work, { recursive: true, force: true });
    if (work) await rm(`${work}-helm`, { recursive: true, force: true });
  });

  const signIn = (token: string, options: ContextOptions = {}): Promise<WatchedPage> => signInThroughForm(ui.browser, service.url, token, { context: options });

  it('an ADMIN syncs an upstream live, creates a token shown once, revokes it and finds the revoke in the audit trail', async () => {
    // The clipboard, for the new token's Copy button.
    const { context, page, problems } = await signIn(adminToken, { permissions: ['clipboard-read', 'clipboard-write'] });
    try {
      // Registries: the default one with its last sync (the seed), this file's upstream never synced.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Registries' }).click();
      await page.getByRole('heading', { name: 'Registries', level: 1 }).waitFor();
      const table = page.getByRole('table');
      const defaultRow = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'default', exact: true }) });
      await defaultRow.waitFor();
      expect(await defaultRow.innerText()).toMatch(/Default \(shipped packs\)[\s\S]*succeeded[\s\S]*ago/);
      expect(await defaultRow.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      const upstreamRow = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${UPSTREAM}`) }) });
      expect(await upstreamRow.innerText()).toMatch(/Directory[\s\S]*never[\s\S]*never ran/);
      await screenshot(page, 'registries');

      // The upstream's page: "Sync now", and the run's progress over the WebSocket until it ends.
      const frames: string[] = [];
      page.on('websocket', (ws) => ws.on('framereceived', (frame) => frames.push(String(frame.payload))));
      await upstreamRow.getByRole('link', { name: UPSTREAM }).click();
      await page.getByRole('heading', { name: UPSTREAM, level: 1 }).waitFor();
      await page.getByText('No sync has run yet.').waitFor();
      expect(await page.getByRole('region', { name: 'Trust policy' }).innerText()).toMatch(/NONE[\s\S]*No trusted key/);
      await page.getByRole('button', { name: 'Sync now' }).click();
      const live = page.locator('.live-card');
      await live.and(page.locator('[data-run-state="SUCCEEDED"]')).waitFor({ timeout: 60_000 });
      expect(await live.innerText()).toMatch(new RegExp(`${shippedVersions} of ${shippedVersions} items[\\s\\S]*${shippedVersions} added`));
      // The end came over the subscription: a `next` frame with the run SUCCEEDED, then `complete`.
      const messages = frames.map((f) => JSON.parse(f) as { type: string; payload?: { data?: { syncRun?: { state: string } } } });
      expect(messages.some((m) => m.type === 'next' && m.payload?.data?.syncRun?.state === 'SUCCEEDED')).toBe(true);
      expect(messages.some((m) => m.type === 'complete')).toBe(true);
      // The runs table and the packs are read again when the run ends.
      const run = page.locator('.runs-table tbody tr').first();
      await run.filter({ hasText: 'SUCCEEDED' }).waitFor();
      expect(await run.innerText()).toMatch(new RegExp(`manual[\\s\\S]*\\b${shippedVersions}\\b`));
      const certManager = page.getByRole('region', { name: 'Packs' }).getByRole('link', { name: 'cert-manager' });
      await certManager.waitFor();
      expect(await certManager.getAttribute('href')).toBe(`/packs/cert-manager?registry=${UPSTREAM}`);
      expect(await page.getByRole('region', { name: 'About' }).innerText()).toMatch(new RegExp(`Versions\\s+${shippedVersions}\\b`));
      await page.evaluate('window.scrollTo(0, 0)');
      await screenshot(page, 'registry');

      // A pack folder upstream that can't be read, then "Force sync" (every item fetched again): the
      // run ends PARTIAL, and the item's error is shown live and kept with the run.
      await mkdir(path.join(work, 'broken-9.9.9'));
      await writeFile(path.join(work, 'broken-9.9.9', 'pack.json'), '{ "name": "broken", ');
      await page.getByRole('button', { name: 'Force sync' }).click();
      await page.locator('.runs-table tbody tr').nth(1).waitFor();
      await live.and(page.locator('[data-run-state="PARTIAL"]')).waitFor({ timeout: 60_000 });
      expect(await live.innerText()).toMatch(/1 error\b[\s\S]*broken-9\.9\.9/);
      const forced = page.locator('.runs-table tbody tr').first();
      await until(() => forced.innerText(), (text) => expect(text).toMatch(/PARTIAL[\s\S]*forced[\s\S]*1 item failed/));
      await forced.getByText('1 item failed').click();
      expect(await forced.locator('.item-errors li').innerText()).toMatch(/broken-9\.9\.9: .+/);
      expect(await page.getByText(`2 runs, newest first`).count()).toBe(1);

      // The DEFAULT registry is stored here: no sync buttons, and why.
      await page.goto(`${service.url}/registries/default`);
      await page.getByRole('heading', { name: 'default', level: 1 }).waitFor();
      await page.getByText(/loaded from the packs shipped with the service/).waitFor();
      expect(await page.getByRole('button', { name: 'Sync now' }).count()).toBe(0);

      // Admin: create a VIEWER token; its secret is shown once.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
      await page.getByRole('heading', { name: 'Admin', level: 1 }).waitFor();
      // A name the service refuses: its message and code, as it answered them.
      await page.getByLabel('Name', { exact: true }).fill('no/slashes');
      await page.getByRole('button', { name: 'Create token' }).click();
      const refused = page.getByRole('alert').filter({ hasText: 'The token was not created' });
      await refused.waitFor();
      expect(await refused.innerText()).toMatch(/Token name must be[\s\S]*BAD_USER_INPUT/);
      await page.getByLabel('Name', { exact: true }).fill(READER);
      await page.getByLabel('Role', { exact: true }).selectOption('VIEWER');
      await page.getByRole('button', { name: 'Create token' }).click();
      const secretField = page.getByLabel(`Secret of ${READER}`);
      await secretField.waitFor();
      const secret = await secretField.inputValue();
      expect(secret.length).toBeGreaterThan(20);
      await page.getByRole('button', { name: 'Copy', exact: true }).click();
      await page.getByText('Copied to the clipboard.').waitFor();
      expect(await page.evaluate('navigator.clipboard.readText()')).toBe(secret);
      const tokenRow = page.locator(`.tokens-table tr[data-token="${READER}"]`);
      await tokenRow.waitFor();
      expect(await tokenRow.innerText()).toMatch(/viewer[\s\S]*active/);
      expect(await tokenRow.innerText()).not.toContain(secret);
      // The secret works: it is this token.
      const me = await service.gql('{ me { name role } }', {}, secret);
      expect(me.data.me).toEqual({ name: READER, role: 'VIEWER' });
      await screenshot(page, 'admin');

      // After a reload the secret is nowhere: not on the page, not in the page's storage.
      await page.reload();
      await tokenRow.waitFor();
      expect(await page.getByLabel(`Secret of ${READER}`).count()).toBe(0);
      expect(await page.content()).not.toContain(secret);
      expect(await page.evaluate('JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })')).not.toContain(secret);

      // Revoke, after the confirmation (Cancel first: nothing happens).
      await tokenRow.getByRole('button', { name: `Revoke ${READER}` }).click();
      const dialog = page.getByRole('dialog', { name: `Revoke ${READER}?` });
      await dialog.waitFor();
      // Keyboard: the focus is on Cancel, and Escape closes the dialog, handing the focus back.
      expect(await page.evaluate('document.activeElement.textContent')).toBe('Cancel');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      expect(await page.evaluate('document.activeElement.getAttribute("aria-label")')).toBe(`Revoke ${READER}`);
      await tokenRow.getByRole('button', { name: `Revoke ${READER}` }).click();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'hidden' });
      expect(await tokenRow.innerText()).toContain('active');
      await tokenRow.getByRole('button', { name: `Revoke ${READER}` }).click();
      await dialog.getByRole('button', { name: 'Revoke token' }).click();
      await page.getByText(`Token ${READER} revoked`).waitFor();
      await tokenRow.filter({ hasText: 'revoked' }).waitFor();
      expect((await service.gql('{ me { name } }', {}, secret)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

      // The revoke in the audit trail, found with the action filter, naming the token.
      await page.getByLabel('Action').fill('revokeApiToken');
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.waitForURL(/[?&]action=revokeApiToken\b/);
      const revokeRow = page.locator('.audit-table tbody tr').filter({ hasText: 'revokeApiToken' }).filter({ hasText: READER });
      await revokeRow.waitFor();
      expect(await revokeRow.innerText()).toMatch(/admin[\s\S]*revokeApiToken[\s\S]*token console-reader[\s\S]*success/);
      // Once the filtered page is in, every row is a revoke (the token's creation is filtered out).
      await until(() => page.locator('.audit-table tbody tr td:nth-child(3)').allInnerTexts(), (actions) => expect(new Set(actions)).toEqual(new Set(['revokeApiToken'])));

      // A narrow window: nothing wider than the window (tables scroll in their own box).
      await page.setViewportSize({ width: 400, height: 800 });
      for (const url of ['/admin', '/registries', `/registries/${UPSTREAM}`]) {
        await page.goto(`${service.url}${url}`);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await page.locator('table').first().waitFor();
        expect({ url, fits: await page.evaluate(FITS_WIDTH), wider: await page.evaluate(WIDER) }).toEqual({ url, fits: true, wider: [] });
      }

      expect(await problems()).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a VIEWER has no Admin in the nav, is not allowed on /admin nor to sync; signed out, the catalog asks to sign in', async () => {
    const name = `console-viewer-${suffix}`;
    const created = await service.gql('mutation($n: String!) { createApiToken(name: $n, role: VIEWER) { token } }', { n: name }, adminToken);
    const { context, page, problems } = await signIn(created.data.createApiToken.token);
    try {
      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Registries' }).waitFor();
      expect(await nav.getByRole('link', { name: 'Admin' }).count()).toBe(0);

      await page.goto(`${service.url}/admin`);
      await page.getByRole('alert').filter({ hasText: 'Not allowed' }).waitFor();
      expect(await page.getByRole('alert').innerText()).toContain(`signed in as ${name} (viewer)`);
      expect(await page.getByRole('button', { name: 'Create token' }).count()).toBe(0);
      // And the service itself refuses the admin query to this session.
      const refused = (await page.evaluate(
        `fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ auditEvents(first: 1) { totalCount } }' }) }).then((r) => r.json())`,
      )) as { errors: Array<{ extensions: { code: string } }> };
      expect(refused.errors[0].extensions.code).toBe('FORBIDDEN');

      // The registries read fine, without the admin's buttons (the private upstream is not listed).
      await page.goto(`${service.url}/registries/default`);
      await page.getByRole('heading', { name: 'default', level: 1 }).waitFor();
      await page.getByRole('heading', { name: 'Sync runs' }).waitFor();
      expect(await page.getByRole('button', { name: /Sync now|Force sync/ }).count()).toBe(0);
      await page.goto(`${service.url}/registries`);
      await page.getByRole('rowheader', { name: 'default', exact: true }).waitFor();
      expect(await page.getByRole('rowheader', { name: new RegExp(UPSTREAM) }).count()).toBe(0);

      await page.getByRole('button', { name: 'Sign out' }).click();
      // The form, with or without a way back to the page signed out from.
      await page.waitForURL(/\/signin(\?next=|$)/);
      await page.goto(`${service.url}/`);
      await page.waitForURL(/\/signin\?next=%2F$/);
      await page.getByLabel('API token').waitFor();

      expect(await problems()).toEqual([]);
    } finally {
      await context.close();
    }
  });
  it('opens on a run already going on and follows it live, for a VIEWER whose token names the registry', async () => {
    const name = `console-watcher-${suffix}`;
    const created = await service.gql(
      'mutation($n: String!, $r: [String!]) { createApiToken(name: $n, role: VIEWER, registries: $r) { token } }',
      { n: name, r: [HELM] },
      adminToken,
    );
    const { context, page, problems } = await signIn(created.data.createApiToken.token);
    try {
      // Each chart takes 3 s to come: the run is still going when the page opens.
      helmRepo.setFault({ kind: 'slow', delayMs: 3_000, match: /\.tgz$/ });
      const started = await service.gql('mutation($n: String!) { syncRegistry(name: $n, wait: false) { id state } }', { n: HELM }, adminToken);
      expect(started.data.syncRegistry.state).toBe('RUNNING');
      await page.goto(`${service.url}/registries/${HELM}`);
      await page.getByRole('heading', { name: HELM, level: 1 }).waitFor();
      const live = page.locator('.live-card');
      await live.and(page.locator('[data-run-state="RUNNING"]')).waitFor();
      await live.and(page.locator('[data-run-state="SUCCEEDED"]')).waitFor({ timeout: 60_000 });
      expect(await live.innerText()).toMatch(/3 of 3 items[\s\S]*3 added/);
      // No buttons for a VIEWER; the runs and packs are read again at the end.
      expect(await page.getByRole('button', { name: /Sync now|Force sync/ }).count()).toBe(0);
      await page.locator('.runs-table tbody tr').first().filter({ hasText: 'SUCCEEDED' }).waitFor();
      await page.getByRole('region', { name: 'Packs', exact: true }).getByRole('link', { name: CHART }).waitFor();
      expect(await problems()).toEqual([]);
    } finally {
      helmRepo.setFault(null);
      await context.close();
    }
  });
});
