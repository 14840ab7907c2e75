/**
 * Issue 15, the catalog and pack pages in Chromium against the built service: sign in through the
 * form, search `cert` as you type, narrow by a facet (the registry this file pushes to, so packs
 * other files push to the shared database do not change what it sees), open cert-manager, read its
 * values and the exact pull commands; on a pack with two versions, the schema's rules beside the
 * values, the values diff, and a README whose script, handlers and foreign image are neutralised.
 * Any console error or CSP violation fails the test. Screenshots: docs/screenshots/catalog.png,
 * pack.png, pack-values.png (1280x800).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPackTarball } from '../../src/packs/pack.archive.js';
import { screenshot, startConsoleService } from '../helpers/browser.js';
import { FITS_WIDTH, openWatchedPage, signInThroughForm, startConsole, until, type ConsoleUnderTest, type WatchedPage } from '../helpers/console.js';
import { pushArchive } from '../helpers/packs.js';
import type { ServiceProcess } from '../helpers/service-process.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const DEFAULT_PACKS = path.join(ROOT, 'default-packs');
const suffix = randomBytes(3).toString('hex');
const REGISTRY = `console-${suffix}`;
/** A pack of this file's own (metallb's content): schema rules, presets, two versions to diff. */
const LB = `console-lb-${suffix}`;
/** A pack of its own whose only version is deprecated: hidden unless the checkbox asks for it. */
const OLD = `console-old-${suffix}`;

const HOSTILE_README = [
  '# Console test pack',
  '',
  'Plain **markdown** renders.',
  '',
  '<script>window.__pwned = "script"</script>',
  '<img src="x" onerror="window.__pwned = \'onerror\'">',
  '<p style="color: red">styled</p>',
  '',
  '[a trap](javascript:window.__pwned="link")',
  '',
  '![remote logo](https://images.example.com/logo.png)',
].join('\n');

async function push(service: ServiceProcess, token: string, folder: string): Promise<void> {
  const archive = path.join(path.dirname(folder), `${path.basename(folder)}.tar.gz`);
  await createPackTarball(folder, archive);
  const { body } = await pushArchive(service.url, token, REGISTRY, archive);
  if (body.errors) throw new Error(`push of ${folder} failed: ${JSON.stringify(body.errors)}`);
}

/** metallb's folder as `LB` at `version`, with the hostile README and `mode` set as given. */
async function lbFolder(work: string, version: string, mode: string): Promise<string> {
  const folder = path.join(work, `${LB}-${version}`);
  await cp(path.join(DEFAULT_PACKS, 'metallb-0.14.8'), folder, { recursive: true });
  const manifest = JSON.parse(await readFile(path.join(folder, 'pack.json'), 'utf8'));
  await writeFile(path.join(folder, 'pack.json'), JSON.stringify({ ...manifest, name: LB, displayName: `Console LB ${suffix}`, version }));
  const values = await readFile(path.join(folder, 'values.yaml'), 'utf8');
  await writeFile(path.join(folder, 'values.yaml'), values.replace('mode: "l2"', `mode: "${mode}"`));
  await writeFile(path.join(folder, 'README.md'), HOSTILE_README);
  return folder;
}

describe('web console: catalog and pack pages in Chromium', () => {
  let ui: ConsoleUnderTest;
  let service: ServiceProcess;
  let token: string;
  let work: string;
  /** The pack names this file's registry holds. */
  const pushedNames = new Set<string>([LB]);

  beforeAll(async () => {
    ui = await startConsole();
    ({ service, adminToken: token } = ui);
    // Lowest priority and PRIVATE: what it holds never wins a resolution of another test file.
    const created = await service.gql(`mutation { createRegistry(input: { name: "${REGISTRY}", kind: HOSTED, priority: -1000, visibility: PRIVATE }) { name } }`, {}, token);
    expect(created.data?.createRegistry.name).toBe(REGISTRY);
    work = await mkdtemp(path.join(tmpdir(), 'console-catalog-'));
    // The default packs (the screenshot shows a real catalog) and two versions of a pack of its own.
    const defaults = (await readdir(DEFAULT_PACKS, { withFileTypes: true })).filter((d) => d.isDirectory() && !d.name.startsWith('_'));
    // Four at a time: the pushes are independent, and the service takes them side by side.
    const queue = [...defaults];
    const worker = async () => {
      for (let d = queue.shift(); d; d = queue.shift()) {
        const folder = path.join(work, d.name);
        await cp(path.join(DEFAULT_PACKS, d.name), folder, { recursive: true });
        await push(service, token, folder);
        pushedNames.add(JSON.parse(await readFile(path.join(folder, 'pack.json'), 'utf8')).name);
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    await push(service, token, await lbFolder(work, '0.14.8', 'l2'));
    await push(service, token, await lbFolder(work, '0.14.9', 'bgp'));
    const old = path.join(work, `${OLD}-1.0.0`);
    await cp(path.join(DEFAULT_PACKS, 'cert-manager-1.16.1'), old, { recursive: true });
    const manifest = JSON.parse(await readFile(path.join(old, 'pack.json'), 'utf8'));
    await writeFile(path.join(old, 'pack.json'), JSON.stringify({ ...manifest, name: OLD, displayName: OLD, version: '1.0.0' }));
    await push(service, token, old);
    const deprecated = await service.gql(
      `mutation { setPackVersionLifecycle(registry: "${REGISTRY}", name: "${OLD}", version: "1.0.0", state: DEPRECATED) { lifecycle { state } } }`,
      {},
      token,
    );
    expect(deprecated.data?.setPackVersionLifecycle.lifecycle.state).toBe('DEPRECATED');
  }, 180_000);

  afterAll(async () => {
    await ui?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  /** Signed in through the form (no anonymous reads: the catalog sends the visitor there), and back on the catalog. */
  async function signedIn(): Promise<WatchedPage> {
    const signed = await signInThroughForm(ui.browser, service.url, token);
    await signed.page.waitForURL(`${service.url}/`);
    return signed;
  }

  it('searches as you type, filters by a facet, and opens cert-manager on its values and pull commands', async () => {
    const { context, page, problems } = await signedIn();
    try {
      await page.getByRole('heading', { name: 'Catalog', level: 1 }).waitFor();
      await page.getByLabel('Search packs').pressSequentially('cert', { delay: 30 });
      // The URL follows the box once typing settles: the search can be shared.
      await page.waitForURL(/[?&]q=cert\b/);

      // The registry facet lists this file's registry with its count of matches; choosing it narrows the list.
      const facet = page.getByRole('group', { name: 'Registry' }).getByRole('checkbox', { name: new RegExp(`^${REGISTRY}\\b`) });
      // click, not check(): the box follows the URL, which the router updates in a transition.
      await facet.click();
      await page.waitForURL(new RegExp(`[?&]registry=${REGISTRY}\\b`));
      const results = page.locator('#results .pack-card h3 a');
      // The list is what the API answers for the same filter (names or descriptions matching `cert`).
      const api = await service.gql('query($f: PackFilter) { packs(first: 50, filter: $f) { edges { node { displayName } } } }', { f: { search: 'cert', registry: [REGISTRY] } }, token);
      const expected = api.data.packs.edges.map((e: { node: { displayName: string } }) => e.node.displayName);
      expect(expected).toContain('cert-manager');
      await until(() => results.allInnerTexts(), (n) => expect(n).toEqual(expected));
      expect(await page.getByRole('status').innerText()).toMatch(/packs? matching “cert”/);

      // A shared link restores the same search and filter.
      const shared = page.url();
      const other = await context.newPage();
      await other.goto(shared);
      await until(() => other.getByLabel('Search packs').inputValue(), (v) => expect(v).toBe('cert'));
      expect(await other.getByRole('group', { name: 'Registry' }).getByRole('checkbox', { name: new RegExp(`^${REGISTRY}\\b`) }).isChecked()).toBe(true);
      await other.close();

      // Without the search: this registry's whole catalog, logos and layer facets included (the screenshot).
      await page.getByLabel('Search packs').fill('');
      await page.waitForURL((url) => !url.searchParams.has('q'));
      await until(() => results.allInnerTexts(), (n) => expect(n.length).toBe(pushedNames.size));
      expect(await page.getByRole('status').innerText()).toMatch(new RegExp(`^${pushedNames.size} packs`));
      expect(await results.allInnerTexts()).not.toContain(OLD);
      // The counts are the API's (packFacets): this registry holds two network packs and six add-ons (the deprecated one hidden).
      await page.getByRole('group', { name: 'Layer' }).getByRole('checkbox', { name: 'Network (CNI) 2 packs' }).waitFor();
      await page.getByRole('group', { name: 'Layer' }).getByRole('checkbox', { name: 'Add-on 6 packs' }).waitFor();
      // Logos come from /artifacts with the session cookie.
      await until(() => page.locator('#results img.logo').evaluateAll((imgs: unknown[]) => imgs.filter((i) => (i as { naturalWidth: number }).naturalWidth > 0).length), (n) => expect(n).toBeGreaterThan(5));
      // Each card says what the pack is (pack.json's annotations.description).
      expect(await page.locator('.pack-card', { hasText: 'cert-manager' }).first().locator('.description').innerText()).toMatch(/^X\.509 certificate management/);
      await screenshot(page, 'catalog');

      // Deprecated packs only when asked for, and marked.
      await page.getByLabel('Show deprecated packs').click();
      await page.waitForURL(/[?&]deprecated=1\b/);
      await until(() => results.allInnerTexts(), (n) => expect(n).toContain(OLD));
      expect(await page.locator('.pack-card', { hasText: OLD }).locator('.badge.danger').innerText()).toBe('deprecated');
      await page.getByLabel('Show deprecated packs').click();
      await until(() => results.allInnerTexts(), (n) => expect(n).not.toContain(OLD));

      // A facet of another dimension: the layer.
      await page.getByRole('group', { name: 'Layer' }).getByRole('checkbox', { name: /^Network \(CNI\)/ }).click();
      await page.waitForURL(/[?&]layer=CNI\b/);
      await until(() => results.allInnerTexts(), (n) => expect(n.length && n.every((name) => /calico|cilium/i.test(name))).toBe(true));

      // Back to cert-manager: its page opens on this registry's version.
      await page.goto(`${service.url}/?q=cert&registry=${REGISTRY}`);
      await page.getByRole('link', { name: 'cert-manager', exact: true }).click();
      await page.waitForURL(new RegExp(`/packs/cert-manager\\?registry=${REGISTRY}$`));
      await page.getByRole('heading', { name: 'cert-manager', level: 1, exact: true }).waitFor();
      const values = page.getByRole('region', { name: 'values.yaml' });
      await values.waitFor();
      expect(await values.innerText()).toContain('clusterResourceNamespace');
      expect(await values.locator('.t-key', { hasText: 'dns01RecursiveNameservers' }).count()).toBe(1);
      const commands = await page.locator('#install').innerText();
      expect(commands).toContain(`packctl pack pull cert-manager:1.16.1 ./cert-manager-1.16.1 --registry ${REGISTRY}`);
      const host = new URL(service.url).host;
      expect(commands).toContain(`oras pull --plain-http -u me -p "$TOKEN" -o ./cert-manager-1.16.1 ${host}/${REGISTRY}/spectro-packs/archive/cert-manager:1.16.1`);
      expect(commands).toContain(`docker://${host}/${REGISTRY}/spectro-packs/archive/cert-manager:1.16.1`);
      // Resource needs and dependencies from pack.json; the README rendered.
      expect(await page.locator('#needs').innerText()).toMatch(/cpu: at least 30 millicores/);
      expect(await page.locator('#needs').getByRole('link', { name: 'kubernetes' }).count()).toBe(1);
      expect(await page.locator('#readme .markdown').innerText()).toContain('cert-manager');
      // The README's own headings sit below the page's: one h1 on the page.
      expect(await page.locator('#readme .markdown h3').count()).toBeGreaterThan(0);
      expect(await page.locator('h1').count()).toBe(1);
      // The download link is on our origin and answers with the tarball for this session.
      const href = await page.getByRole('link', { name: /^Download cert-manager-1.16.1/ }).getAttribute('href');
      expect(href).toMatch(/^\/artifacts\/sha256\/[0-9a-f]{64}$/);
      const status = await page.evaluate(async (u) => (await fetch(u)).status, href!);
      expect(status).toBe(200);
      await page.evaluate('window.scrollTo(0, 0)');
      await screenshot(page, 'pack');

      // A narrow window: one column, nothing wider than the window; the filters fold behind a button.
      await page.setViewportSize({ width: 400, height: 800 });
      expect(await page.evaluate(FITS_WIDTH)).toBe(true);
      await page.goto(`${service.url}/`);
      await results.first().waitFor();
      expect(await page.evaluate(FITS_WIDTH)).toBe(true);
      const toggle = page.getByRole('button', { name: 'Show filters' });
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      expect(await page.getByRole('group', { name: 'Layer' }).isVisible()).toBe(false);
      await toggle.click();
      await page.getByRole('group', { name: 'Layer' }).waitFor();
      expect(await page.getByRole('button', { name: 'Hide filters' }).getAttribute('aria-expanded')).toBe('true');
      // At 1280 the button is not there and the filters always are.
      await page.setViewportSize({ width: 1280, height: 800 });
      expect(await page.getByRole('button', { name: /filters$/ }).filter({ hasText: /Show|Hide/ }).isVisible()).toBe(false);

      expect(await problems()).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('pages through the Relay cursors, forward and back, and a shared page link starts a trail of its own', async () => {
    const { context, page, problems } = await signedIn();
    try {
      const cards = page.locator('#results .pack-card h3 a');
      const status = page.getByRole('status');
      await page.goto(`${service.url}/?registry=${REGISTRY}&size=5`);
      const total = pushedNames.size;
      const pages = Math.ceil(total / 5);
      await until(() => status.innerText(), (t) => expect(t).toBe(`${total} packs · page 1 of ${pages}`));
      const first = await cards.allInnerTexts();
      expect(first).toHaveLength(5);

      await page.getByRole('button', { name: 'Next page' }).click();
      await page.waitForURL(/[?&]after=/);
      await until(() => status.innerText(), (t) => expect(t).toBe(`${total} packs · page 2 of ${pages}`));
      await until(() => cards.allInnerTexts(), (n) => expect(n.some((name) => first.includes(name))).toBe(false));
      const second = await cards.allInnerTexts();
      const secondUrl = page.url();

      // To the end: the last page has what is left and no "Next page".
      for (let p = 3; p <= pages; p++) {
        await page.getByRole('button', { name: 'Next page' }).click();
        await until(() => status.innerText(), (t) => expect(t).toBe(`${total} packs · page ${p} of ${pages}`));
      }
      await until(() => cards.count(), (n) => expect(n).toBe(total - 5 * (pages - 1)));
      expect(await page.getByRole('button', { name: 'Next page' }).count()).toBe(0);
      // Focus went to the results, not to the body, when the button pressed went away.
      expect(await page.evaluate('document.activeElement.id')).toBe('results');

      // Back, one page at a time, to the same packs.
      for (let p = pages - 1; p >= 2; p--) await page.getByRole('button', { name: 'Previous page' }).click();
      await until(() => cards.allInnerTexts(), (n) => expect(n).toEqual(second));

      // A shared link to page 2: the same packs, and the way back is "First page".
      await page.goto(secondUrl);
      await until(() => cards.allInnerTexts(), (n) => expect(n).toEqual(second));
      await page.getByRole('button', { name: 'First page' }).click();
      await until(() => cards.allInnerTexts(), (n) => expect(n).toEqual(first));
      expect(new URL(page.url()).searchParams.has('after')).toBe(false);

      expect(await problems()).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows schema rules beside the values, diffs two versions and renders a hostile README harmless', async () => {
    const { context, page, problems } = await signedIn();
    try {
      await page.goto(`${service.url}/packs/${LB}?registry=${REGISTRY}`);
      await page.getByRole('heading', { name: `Console LB ${suffix}`, level: 1 }).waitFor();
      // Both versions listed, the newest first and chosen.
      const rows = page.locator('#versions tbody tr');
      await until(() => rows.count(), (n) => expect(n).toBe(2));
      expect(await rows.first().getAttribute('aria-current')).toBe('true');
      expect(await rows.first().innerText()).toContain('0.14.9');

      // The rule of `manifests.metallb-config.mode`, beside the values; choosing it marks its line.
      const rules = page.locator('.rules');
      const rule = rules.locator('li', { hasText: 'manifests.metallb-config.mode' });
      expect(await rule.innerText()).toMatch(/required[\s\S]*one of l2, bgp/);
      await rule.getByRole('button').click();
      const current = page.locator('#values .line.current');
      expect(await current.innerText()).toMatch(/mode:\s*"bgp"/);
      expect(await page.locator('#values .line.ruled').count()).toBeGreaterThanOrEqual(3);
      await page.locator('#values').scrollIntoViewIfNeeded();
      await screenshot(page, 'pack-values');

      // The diff against the older version: the one changed line.
      const diff = page.getByRole('region', { name: /^Values diff from 0.14.8 to 0.14.9/ });
      await diff.waitFor();
      expect(await diff.locator('.line.removed').allInnerTexts()).toEqual([expect.stringMatching(/-\s*mode: "l2"/)]);
      expect(await diff.locator('.line.added').allInnerTexts()).toEqual([expect.stringMatching(/\+\s*mode: "bgp"/)]);
      expect(await page.locator('#compare').innerText()).toMatch(/1 line added\s*, 1 removed/);

      // Presets from presets.yaml.
      expect(await page.locator('#presets').innerText()).toMatch(/Advertisement mode[\s\S]*Layer 2/);

      // The README: Markdown rendered; script, handler, inline style and javascript: link gone; the foreign image a link.
      const readme = page.locator('#readme .markdown');
      expect(await readme.locator('strong').innerText()).toBe('markdown');
      const html = await readme.innerHTML();
      expect(html).not.toMatch(/<script|onerror|style=|javascript:/i);
      expect(await readme.locator('img[src^="https:"]').count()).toBe(0);
      expect(await readme.getByRole('link', { name: '[image: remote logo]' }).count()).toBe(1);
      expect(await page.evaluate('window.__pwned ?? null')).toBeNull();

      expect(await problems()).toEqual([]);
    } finally {
      await context.close();
    }
  });
  it('a session that ends while the page is open (token revoked) leads back to the sign-in form, saying so', async () => {
    const created = await service.gql(
      `mutation { createApiToken(name: "console-viewer-${suffix}", role: VIEWER, registries: ["${REGISTRY}"]) { token apiToken { id } } }`,
      {},
      token,
    );
    const viewer = created.data.createApiToken;
    const { context, page, problems } = await openWatchedPage(ui.browser);
    try {
      await page.goto(`${service.url}/signin`);
      await page.getByLabel('API token').fill(viewer.token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      await page.locator('#results .pack-card').first().waitFor();

      expect((await service.gql(`mutation { revokeApiToken(id: "${viewer.apiToken.id}") }`, {}, token)).data.revokeApiToken).toBe(true);
      // The next query the page sends is refused: the console asks who it is and offers the form.
      await page.getByLabel('Search packs').fill('cert');
      await page.waitForURL(/\/signin\?next=/);
      await page.getByText('Your session has ended. Sign in again to go on.').waitFor();
      await page.getByLabel('API token').waitFor();
      expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);

      // The refused queries' 401s are the only console errors.
      expect((await problems()).filter((p) => !/status of 401/.test(p))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('with ALLOW_ANONYMOUS_READ, browses the catalog without signing in, from the keyboard', async () => {
    const open = await startConsoleService({ env: { ALLOW_ANONYMOUS_READ: 'true' } });
    const { context, page, problems } = await openWatchedPage(ui.browser);
    try {
      await page.goto(`${open.url}/`);
      await page.getByRole('heading', { name: 'Catalog', level: 1 }).waitFor();
      expect(page.url()).toBe(`${open.url}/`);
      await page.getByRole('link', { name: 'Sign in' }).waitFor();
      // What an anonymous caller may read (public registries only), as the API answers it without a token.
      const api = await open.gql('{ packs { totalCount } }', {}, null);
      await until(() => page.getByRole('status').innerText(), (t) => expect(t).toMatch(new RegExp(`^${api.data.packs.totalCount} packs?`)));

      // The keyboard: the first Tab reaches the skip link, which moves focus to the page's content;
      // the search box is reachable by Tab and searches.
      await page.keyboard.press('Tab');
      expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to content');
      await page.keyboard.press('Enter');
      expect(await page.evaluate('document.activeElement.id')).toBe('main');
      for (let i = 0; i < 5 && (await page.evaluate('document.activeElement.id')) !== 'search'; i++) await page.keyboard.press('Tab');
      expect(await page.evaluate('document.activeElement.id')).toBe('search');
      await page.keyboard.type('zz-no-such-pack');
      await page.waitForURL(/[?&]q=zz-no-such-pack\b/);
      await page.getByText('No pack matches.').waitFor();

      expect(await problems()).toEqual([]);
    } finally {
      await context.close();
      await open.stop();
    }
  });
});
