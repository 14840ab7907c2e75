/**
 * The pack page of a pack with more versions than one page (as a Helm-synced chart has), in
 * Chromium against the built service: the first page newest first with the total, "Show more"
 * loading the next pages in the API's order without a row twice, a deep link to the oldest
 * version (not on the first page) opening it, and the "Go to version" box opening what
 * packVersion resolves (an exact version, a parent tag) or saying it found nothing.
 * Any console error or CSP violation fails the test.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { signInThroughForm, startConsole, until, type ConsoleUnderTest } from '../helpers/console.js';
import type { ServiceProcess } from '../helpers/service-process.js';
import { pushArchive } from '../helpers/packs.js';
import { addonPackTarball } from '../helpers/tar-builder.js';

const suffix = randomBytes(3).toString('hex');
const REGISTRY = `versions-${suffix}`;
const PACK = `many-versions-${suffix}`;
/** More than the API's largest page (100) and the page's own (50): three pages on screen. */
const COUNT = 120;
const PAGE = 50;

async function push(service: ServiceProcess, token: string, version: string): Promise<void> {
  const { body } = await pushArchive(service.url, token, REGISTRY, addonPackTarball(PACK, version));
  if (body.errors) throw new Error(`push of ${PACK} ${version} failed: ${JSON.stringify(body.errors)}`);
}

describe('web console: a pack with more versions than a page', () => {
  let ui: ConsoleUnderTest;
  let service: ServiceProcess;
  let token: string;
  /** Every version as the API lists them (newest first), read through its own cursors. */
  let expected: string[];

  beforeAll(async () => {
    ui = await startConsole();
    ({ service, adminToken: token } = ui);
    const created = await service.gql(`mutation { createRegistry(input: { name: "${REGISTRY}", kind: HOSTED, priority: -1000, visibility: PRIVATE }) { name } }`, {}, token);
    expect(created.data?.createRegistry.name).toBe(REGISTRY);
    // Pushed out of order (1.0.0 is not the first in), four at a time.
    const queue = Array.from({ length: COUNT }, (_, i) => `1.${i % 12}.${Math.floor(i / 12)}`);
    const worker = async () => {
      for (let v = queue.pop(); v; v = queue.pop()) await push(service, token, v);
    };
    await Promise.all([worker(), worker(), worker(), worker()]);

    expected = [];
    let after: string | null = null;
    do {
      const answer = await service.gql(
        'query($name: String!, $after: String) { pack(name: $name) { versionsConnection(first: 100, after: $after) { totalCount pageInfo { endCursor hasNextPage } edges { node { version } } } } }',
        { name: PACK, after },
        token,
      );
      const connection = answer.data.pack.versionsConnection;
      expect(connection.totalCount).toBe(COUNT);
      expected.push(...connection.edges.map((e: { node: { version: string } }) => e.node.version));
      after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
    } while (after);
    expect(new Set(expected).size).toBe(COUNT);
    // Newest first: the API's order, which the page must keep.
    expect(expected[0]).toBe('1.11.9');
    expect(expected[COUNT - 1]).toBe('1.0.0');
  }, 180_000);

  afterAll(async () => {
    await ui?.close();
  });

  it('lists the newest page with the total, and "Show more" brings the next ones in order, each once', async () => {
    const { context, page, problems } = await signInThroughForm(ui.browser, service.url, token, { path: `/packs/${PACK}` });
    try {
      await page.waitForURL(`${service.url}/packs/${PACK}`);
      const versions = page.locator('#versions tbody tr td:first-child button');
      const status = page.locator('#versions').getByRole('status');
      await until(() => versions.allInnerTexts(), (v) => expect(v).toEqual(expected.slice(0, PAGE)));
      expect(await status.innerText()).toBe(`${COUNT} versions, the newest ${PAGE} listed`);
      // The newest is the one shown, and marked so.
      expect(await page.locator('#versions tbody tr').first().getAttribute('aria-current')).toBe('true');
      await page.getByRole('heading', { name: new RegExp(`^${PACK} ${expected[0].replace(/\./g, '\\.')} in ${REGISTRY}$`) }).waitFor();

      const more = page.getByRole('button', { name: 'Show more versions' });
      await more.click();
      await until(() => versions.allInnerTexts(), (v) => expect(v).toEqual(expected.slice(0, 2 * PAGE)));
      expect(await status.innerText()).toBe(`${COUNT} versions, the newest ${2 * PAGE} listed`);
      // Keyboard focus moved to the first row the page brought.
      expect(await page.evaluate('document.activeElement.textContent')).toBe(expected[PAGE]);

      await more.click();
      await until(() => versions.allInnerTexts(), (v) => expect(v).toEqual(expected));
      expect(await status.innerText()).toBe(`${COUNT} versions`);
      expect(await page.getByRole('button', { name: 'Show more versions' }).count()).toBe(0);
      expect(await page.evaluate('document.activeElement.textContent')).toBe(expected[2 * PAGE]);

      // Choosing one far down the list shows it, as before paging.
      await versions.filter({ hasText: /^1\.0\.0$/ }).click();
      await page.waitForURL(/[?&]version=1\.0\.0\b/);
      await page.getByRole('heading', { name: `${PACK} 1.0.0 in ${REGISTRY}` }).waitFor();
      expect(await page.locator('#versions tbody tr[aria-current="true"]').innerText()).toMatch(/^1\.0\.0\b/);

      expect(await problems()).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a deep link to an old version opens it though it is not on the first page; "Go to version" opens an exact version or a parent tag', async () => {
    const { context, page, problems } = await signInThroughForm(ui.browser, service.url, token, { path: `/packs/${PACK}?version=1.0.0` });
    try {
      await page.waitForURL(`${service.url}/packs/${PACK}?version=1.0.0`);
      await page.getByRole('heading', { name: `${PACK} 1.0.0 in ${REGISTRY}` }).waitFor();
      const versions = page.locator('#versions tbody tr td:first-child button');
      await until(() => versions.count(), (n) => expect(n).toBe(PAGE));
      // Not on screen in the list: nothing there is marked, and the page says where it is.
      expect(await page.locator('#versions tbody tr[aria-current]').count()).toBe(0);
      expect(await page.locator('#versions').innerText()).toContain(`Showing 1.0.0 (${REGISTRY}), further down than the versions listed here.`);
      // The rest of the page is about 1.0.0: its pull command and its values.
      expect(await page.locator('#install').innerText()).toContain(`packctl pack pull ${PACK}:1.0.0 ./${PACK}-1.0.0 --registry ${REGISTRY}`);
      expect(await page.getByRole('region', { name: 'values.yaml' }).innerText()).toContain(`namespace: ${PACK}`);

      // The compare box defaults to a listed version, and a shared link may name one not loaded either.
      const compare = `compare=1.0.1&compareRegistry=${REGISTRY}`;
      await page.goto(`${service.url}/packs/${PACK}?version=1.0.0&registry=${REGISTRY}&${compare}`);
      await page.getByRole('heading', { name: `${PACK} 1.0.0 in ${REGISTRY}` }).waitFor();
      await until(() => page.getByLabel('Compare 1.0.0 with').inputValue(), (v) => expect(v).toBe(`${REGISTRY}/1.0.1`));
      await until(() => page.locator('#compare').innerText(), (t) => expect(t).toContain('The values of 1.0.1 and 1.0.0 are the same.'));

      // An exact version further down, through the box.
      const box = page.getByRole('search', { name: 'Find a version' });
      await box.getByLabel('Go to version').fill('1.3.2');
      await box.getByRole('button', { name: 'Go' }).click();
      await page.waitForURL(/[?&]version=1\.3\.2\b/);
      await page.getByRole('heading', { name: `${PACK} 1.3.2 in ${REGISTRY}` }).waitFor();

      // A parent tag resolves as the API resolves it (the newest of the line, listed: marked in the list).
      const resolved = await service.gql('query($n: String!) { packVersion(name: $n, version: "1.x") { version } }', { n: PACK }, token);
      const newestOfLine = resolved.data.packVersion.version as string;
      await box.getByLabel('Go to version').fill('1.x');
      await box.getByRole('button', { name: 'Go' }).click();
      await page.waitForURL(/[?&]version=1\.x\b/);
      await page.getByRole('heading', { name: `${PACK} ${newestOfLine} in ${REGISTRY}` }).waitFor();
      expect(await page.locator('#versions tbody tr[aria-current="true"]').innerText()).toMatch(new RegExp(`^${newestOfLine.replace(/\./g, '\\.')}\\b`));

      // Nothing by that text: said so, and the newest shown.
      await box.getByLabel('Go to version').fill('9.9.9');
      await box.getByRole('button', { name: 'Go' }).click();
      await until(
        () => page.getByRole('alert').allInnerTexts(),
        (a) => expect(a).toContain(`No version “9.9.9” of ${PACK}: showing the newest instead.`),
      );
      await page.getByRole('heading', { name: `${PACK} ${expected[0]} in ${REGISTRY}` }).waitFor();

      expect(await problems()).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
