/**
 * Issue 15, the profile composer in Chromium against the built service and its DEFAULT registry:
 * sign in, compose a 6-layer AWS profile (Ubuntu, Kubernetes 1.31.x, Calico, EBS CSI, cert-manager,
 * trust-manager) from the catalog, see it valid with its resolved versions, install order and
 * resources; plant a wrong type in the Kubernetes values and see the issue on that layer and on its
 * line in the editor (and on no other layer), fix it; reorder a layer by keyboard; save; export and
 * apply the export with packctl (accepted as the very version saved); saving other content under
 * the same version offers the next one. A second draft gets its open core layers from "Propose",
 * is saved, gets the upgrade plan to the newest versions (one Kubernetes minor at a time) and is
 * reopened from the picker of saved profiles. A saved profile with a variable is opened, edited
 * (one more variable) and saved as a new version that still holds its variables. Any console error
 * or CSP violation fails the test.
 * Screenshot: docs/screenshots/composer.png (1280x800).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { screenshot } from '../helpers/browser.js';
import { FITS_WIDTH, signInThroughForm, startConsole, until as pollUntil, type ConsoleUnderTest } from '../helpers/console.js';
import { runProcess } from '../helpers/run-process.js';
import { DIST, type ServiceProcess } from '../helpers/service-process.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const PACKCTL = process.env.PACK_CATALOG_DIST ? path.join(DIST, 'cli', 'main.js') : path.join(ROOT, 'bin', 'packctl.js');
const PROFILE = `composer-${randomBytes(3).toString('hex')}`;

/** Polls `read` until `check` passes, for up to 15 s: validation follows typing after a debounce. */
const until = <T>(read: () => Promise<T>, check: (value: T) => void): Promise<T> => pollUntil(read, check, 15_000);

const layerRegion = (page: Page, n: number, kind: string) => page.getByRole('region', { name: new RegExp(`^Layer ${n}: ${kind.replace(/[()]/g, '\\$&')}`) });

/** Adds a layer of `kind` by its button, picks `pack` (searched by `search`) and `version`. */
async function addLayer(page: Page, n: number, kind: string, search: string, pack: string, version: string): Promise<Locator> {
  await page.getByRole('group', { name: 'Add a layer' }).getByRole('button', { name: `+ ${kind}` }).click();
  const region = layerRegion(page, n, kind);
  // The new layer's search box has the focus: type into it as a keyboard user would.
  await page.keyboard.type(search);
  const packs = region.getByLabel('Pack', { exact: true });
  await until(() => packs.locator('option').evaluateAll((o) => o.map((x) => (x as unknown as { value: string }).value)), (values) => expect(values).toContain(pack));
  await packs.selectOption(pack);
  const versions = region.getByLabel('Version', { exact: true });
  await until(() => versions.locator('option').evaluateAll((o) => o.map((x) => (x as unknown as { value: string }).value)), (values) => expect(values).toContain(version));
  await versions.selectOption(version);
  // The editor holds the pack's defaults once they load.
  await region.locator('.cm-content').waitFor();
  return region;
}

/** The lines CodeMirror has drawn: it draws the part of a long document in the window, so the top of the editor is scrolled into view first. */
async function editorText(region: Locator): Promise<string> {
  await region.locator('.cm-content').evaluate((e) => (e as unknown as { scrollIntoView(o: object): void }).scrollIntoView({ block: 'start' }));
  return region.locator('.cm-content').innerText();
}

/** Replaces the last word of a line as a user does: click the line, End, select the word back, type. */
async function replaceLastWord(page: Page, region: Locator, line: string, type: string): Promise<void> {
  await region.locator('.cm-line', { hasText: line }).click();
  await page.keyboard.press('End');
  await page.keyboard.press('Control+Shift+ArrowLeft');
  await page.keyboard.type(type, { delay: 20 });
}

const verdict = (page: Page) => page.locator('.validation-status').innerText();

describe('web console: the profile composer in Chromium', () => {
  let ui: ConsoleUnderTest;
  let service: ServiceProcess;
  let token: string;
  let home: string;

  beforeAll(async () => {
    ui = await startConsole({ env: { SEED_DEFAULT_REGISTRY: 'true' } });
    ({ service, adminToken: token } = ui);
    home = await mkdtemp(path.join(tmpdir(), 'console-composer-'));
  }, 180_000);

  afterAll(async () => {
    await ui?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('composes, validates, saves and exports a 6-layer AWS profile that packctl applies', async () => {
    // Opened signed out, the composer sends the visitor to the form, which returns to it.
    const { context, page, problems } = await signInThroughForm(ui.browser, service.url, token, { path: '/profiles/new' });
    try {
      await page.waitForURL(`${service.url}/profiles/new`);
      await page.getByRole('heading', { name: 'New profile', level: 1 }).waitFor();

      await page.getByLabel('Name', { exact: true }).fill(PROFILE);
      await page.getByLabel('Cloud type').selectOption('aws');
      expect(await verdict(page)).toContain('Add layers');

      // Added out of order on purpose: each lands in Palette's order.
      await addLayer(page, 1, 'Kubernetes', 'kube', 'kubernetes', '1.31.x');
      await addLayer(page, 1, 'OS', 'ubu', 'ubuntu', '22.04');
      const k8s = layerRegion(page, 2, 'Kubernetes');
      await addLayer(page, 3, 'Network (CNI)', 'calico', 'cni-calico', 'latest');
      await addLayer(page, 4, 'Storage (CSI)', 'ebs', 'csi-aws-ebs', 'latest');
      await addLayer(page, 5, 'Add-on', 'cert', 'cert-manager', 'latest');
      await addLayer(page, 6, 'Add-on', 'trust', 'trust-manager', 'latest');
      // The editor starts from the pack's defaults (the values of what 1.31.x resolves to).
      const defaults = await service.gql('{ packVersion(name: "kubernetes", version: "1.31.x", registry: "default") { values } }', {}, token);
      const before: string = defaults.data.packVersion.values;
      await until(() => editorText(k8s), (t) => expect(t).toContain('k8sHardening: true'));

      // Valid, with what each reference resolves to, the install order and the summed resources.
      await until(() => verdict(page), (t) => expect(t).toMatch(/Valid/));
      const resolved = page.locator('table.resolved tbody tr');
      await until(() => resolved.allInnerTexts(), (rows) => expect(rows).toHaveLength(6));
      const rows = await resolved.allInnerTexts();
      expect(rows[1]).toMatch(/Kubernetes\s+kubernetes\s+from default\s+1\.31\.2/);
      expect(rows[0]).toMatch(/ubuntu\s+from default\s+22\.04/);
      expect(await page.locator('ol.install-order li').allInnerTexts()).toEqual(expect.arrayContaining(['ubuntu', 'kubernetes', 'cni-calico', 'csi-aws-ebs']));
      expect(await page.locator('dl.resources').innerText()).toMatch(/CPU\s+[\d.]+ (cores|millicores)[\s\S]*Memory/);

      // A wrong type for a schema'd key (pack.k8sHardening is a boolean).
      const broken = before.replace('k8sHardening: true', 'k8sHardening: maybe');
      await replaceLastWord(page, k8s, 'k8sHardening: true', 'maybe');
      await until(() => verdict(page), (t) => expect(t).toMatch(/Invalid\s+1 error/));
      const line = broken.split('\n').findIndex((l) => l.includes('k8sHardening: maybe')) + 1;
      const issue = k8s.getByRole('list', { name: /^Issues of layer 2/ }).getByRole('listitem');
      await until(() => issue.allInnerTexts(), (items) => expect(items).toEqual([expect.stringMatching(new RegExp(`VALUES_SCHEMA line ${line} at pack\\.k8sHardening: `))]));
      // On its line in the editor: an underlined range and a gutter marker on that line.
      expect(await k8s.locator('.cm-lintRange-error').count()).toBe(1);
      expect(await k8s.locator('.cm-lintRange-error').innerText()).toContain('k8sHardening');
      expect(await k8s.locator('.cm-gutter-lint .cm-gutterElement .cm-lint-marker-error').count()).toBe(1);
      // And on no other layer.
      for (const [n, kind] of [[1, 'OS'], [3, 'Network (CNI)'], [4, 'Storage (CSI)'], [5, 'Add-on'], [6, 'Add-on']] as const) {
        expect(await layerRegion(page, n, kind).locator('.layer-issues').count()).toBe(0);
      }
      // Only the change is sent, as valuesOverride.
      await k8s.locator('details.sent summary').click();
      expect(await k8s.locator('details.sent pre').innerText()).toBe('pack:\n  k8sHardening: maybe\n');
      await k8s.scrollIntoViewIfNeeded();
      await page.evaluate('window.scrollBy(0, -180)');
      await screenshot(page, 'composer');

      // Fixed: valid again.
      await replaceLastWord(page, k8s, 'k8sHardening: maybe', 'false');
      await until(() => verdict(page), (t) => expect(t).toMatch(/Valid/));
      expect(await k8s.locator('.layer-issues').count()).toBe(0);

      // Keyboard: the last add-on moves up and back down, the focus staying on its buttons.
      const up = page.getByRole('button', { name: 'Move layer 6 (trust-manager) up' });
      await up.focus();
      await page.keyboard.press('Enter');
      await layerRegion(page, 5, 'Add-on').getByRole('heading', { name: /trust-manager/ }).waitFor();
      expect(await page.evaluate('document.activeElement.getAttribute("aria-label")')).toBe('Move layer 5 (trust-manager) up');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await layerRegion(page, 6, 'Add-on').getByRole('heading', { name: /trust-manager/ }).waitFor();
      await until(() => verdict(page), (t) => expect(t).toMatch(/Valid/));

      // Save: the route becomes the saved version's.
      await page.getByRole('button', { name: 'Save profile' }).click();
      await page.getByText(`Saved ${PROFILE} 1.0.0.`).waitFor();
      await page.waitForURL(`${service.url}/profiles/${PROFILE}/1.0.0`);
      const stored = await service.gql(`query($n: String!) { profile(name: $n, version: "1.0.0") { layers { pack version valuesOverride } } }`, { n: PROFILE }, token);
      expect(stored.data.profile.layers.map((l: { pack: string }) => l.pack)).toEqual(['ubuntu', 'kubernetes', 'cni-calico', 'csi-aws-ebs', 'cert-manager', 'trust-manager']);
      expect(stored.data.profile.layers[1]).toEqual({ pack: 'kubernetes', version: '1.31.x', valuesOverride: 'pack:\n  k8sHardening: false\n' });

      // Export, and packctl applies it: the same content as the saved version (an idempotent apply).
      await page.getByRole('button', { name: 'Export YAML' }).click();
      const exported = await page.getByRole('region', { name: 'Exported profile YAML' }).locator('pre').innerText();
      expect(exported).toContain(`name: ${PROFILE}`);
      expect(exported).toContain('version: 1.31.x');
      const file = path.join(home, `${PROFILE}.yaml`);
      await writeFile(file, exported);
      const env = { PATH: process.env.PATH ?? '', HOME: home, PACKCTL_SKIP_BUILD: '1' };
      const login = await runProcess(process.execPath, [PACKCTL, 'login', service.url, '--token', token], { cwd: home, env });
      expect(login).toMatchObject({ code: 0 });
      const applied = await runProcess(process.execPath, [PACKCTL, 'profile', 'apply', file], { cwd: home, env });
      expect(applied).toMatchObject({ code: 0 });
      expect(applied.stdout).toContain(PROFILE);
      // As a new version too: the file is a complete profile the server validates and stores.
      await writeFile(file, exported.replace('version: 1.0.0', 'version: 2.0.0'));
      expect(await runProcess(process.execPath, [PACKCTL, 'profile', 'apply', file], { cwd: home, env })).toMatchObject({ code: 0 });

      // Other content under the saved version: immutable, so the next version is offered and saves.
      await page.getByLabel('Description').fill('changed after saving');
      await page.getByRole('button', { name: 'Save profile' }).click();
      const refusal = page.getByRole('alert');
      await refusal.getByRole('button', { name: 'Use version 1.0.1 instead' }).click();
      expect(await page.locator('#profile-version').inputValue()).toBe('1.0.1');
      await page.getByRole('button', { name: 'Save profile' }).click();
      await page.getByText(`Saved ${PROFILE} 1.0.1.`).waitFor();

      // The saved version opens from the picker, its override laid back onto the defaults.
      await page.goto(`${service.url}/profiles/${PROFILE}/1.0.0`);
      await page.getByRole('heading', { name: `Profile ${PROFILE} 1.0.0`, level: 1 }).waitFor();
      const reopened = layerRegion(page, 2, 'Kubernetes');
      await until(() => editorText(reopened), (t) => expect(t).toContain('k8sHardening: false'));
      await reopened.locator('details.sent summary').click();
      expect(await reopened.locator('details.sent pre').innerText()).toBe('pack:\n  k8sHardening: false\n');
      await until(() => verdict(page), (t) => expect(t).toMatch(/Valid/));

      // A narrow window: one column, nothing wider than the window.
      await page.setViewportSize({ width: 400, height: 800 });
      expect(await page.evaluate(FITS_WIDTH)).toBe(true);

      expect(await problems()).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
  it('fills open layers with Propose, saves, plans the upgrade to the newest versions and reopens from the picker', async () => {
    const name = `${PROFILE}-proposed`;
    const { context, page, problems } = await signInThroughForm(ui.browser, service.url, token, { path: '/profiles/new' });
    try {
      await page.waitForURL(`${service.url}/profiles/new`);
      await page.getByLabel('Name', { exact: true }).fill(name);

      // Only Kubernetes 1.29.x is fixed; "Propose" fills the other core layers with packs that fit.
      await addLayer(page, 1, 'Kubernetes', 'kube', 'kubernetes', '1.29.x');
      await page.getByRole('button', { name: 'Propose' }).click();
      await until(() => page.getByRole('status').filter({ hasText: /^Filled: / }).count(), (n) => expect(n).toBe(1));
      const heads = page.locator('.layer-card h3');
      await until(() => heads.allInnerTexts(), (h) => expect(h.map((t) => t.split(' · ')[0])).toEqual(['Layer 1: OS', 'Layer 2: Kubernetes', 'Layer 3: Network (CNI)', 'Layer 4: Storage (CSI)']));
      await until(() => verdict(page), (t) => expect(t).toMatch(/Valid/));

      await page.getByRole('button', { name: 'Save profile' }).click();
      await page.getByText(`Saved ${name} 1.0.0.`).waitFor();

      // The newest versions that fit: Kubernetes moves off 1.29; for the saved version, one minor at a time.
      await page.getByRole('button', { name: 'Plan upgrade to the newest versions' }).click();
      const k8sRow = page.locator('table.upgrade-table tr', { hasText: /^kubernetes/ });
      await until(() => k8sRow.innerText(), (t) => expect(t).toMatch(/^kubernetes\s+1\.29\.10\s+1\.(3\d)\.\d+/));
      const steps = page.locator('ol.upgrade-steps li');
      await until(() => steps.allInnerTexts(), (s) => expect(s[0]).toMatch(/^1\.30: .*kubernetes 1\.29\.10 → 1\.30\.\d+/));
      await page.getByRole('button', { name: 'Use these versions' }).click();
      const newest = (await k8sRow.locator('td').nth(2).innerText()).trim();
      expect(await layerRegion(page, 2, 'Kubernetes').getByLabel('Version', { exact: true }).inputValue()).toBe(newest);

      // "Start blank" (a client-side navigation) leaves the edited draft for an empty one.
      await page.getByRole('link', { name: 'Start blank' }).click();
      await page.waitForURL(`${service.url}/profiles/new`);
      await page.getByRole('heading', { name: 'New profile', level: 1 }).waitFor();
      expect(await heads.count()).toBe(0);
      expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('');

      // The saved version from the picker, as saved (Kubernetes 1.29.x, not the versions just planned).
      const picker = page.getByLabel('or open a saved profile');
      await until(() => picker.locator('option').allInnerTexts(), (o) => expect(o.some((t) => t.startsWith(`${name} 1.0.0`))).toBe(true));
      const value = await picker.locator('option', { hasText: `${name} 1.0.0` }).getAttribute('value');
      await picker.selectOption(value!);
      await page.getByRole('button', { name: 'Open', exact: true }).click();
      await page.waitForURL(`${service.url}/profiles/${name}/1.0.0`);
      await page.getByRole('heading', { name: `Profile ${name} 1.0.0`, level: 1 }).waitFor();
      await until(() => heads.count(), (n) => expect(n).toBe(4));
      expect(await layerRegion(page, 2, 'Kubernetes').getByLabel('Version', { exact: true }).inputValue()).toBe('1.29.x');

      expect(await problems()).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('keeps a saved profile\'s variables when it is opened and saved as a new version', async () => {
    const name = `${PROFILE}-vars`;
    const domain = { name: 'domain', format: 'string', default: 'example.com', required: true, regex: '^[a-z.]+$', options: [], displayName: 'Domain', description: null, hidden: false, readonly: false };
    const created = await service.gql(
      'mutation($input: ProfileInput!) { createProfile(input: $input) { version } }',
      { input: { name, type: 'ADDON', cloudType: 'all', layers: [{ pack: 'cert-manager', version: 'latest' }], variables: [{ name: 'domain', default: 'example.com', required: true, regex: '^[a-z.]+$', displayName: 'Domain' }] } },
      token,
    );
    expect(created.errors).toBeUndefined();
    const { context, page, problems } = await signInThroughForm(ui.browser, service.url, token, { path: `/profiles/${name}/1.0.0` });
    try {
      await page.getByRole('heading', { name: `Profile ${name} 1.0.0`, level: 1 }).waitFor();
      const saved = page.getByRole('group', { name: 'Variable 1 (domain)' });
      expect(await saved.getByLabel('Default').inputValue()).toBe('example.com');
      expect(await saved.getByLabel('Required').isChecked()).toBe(true);

      // One more, by keyboard from the add button: its name field has the focus.
      await page.getByRole('button', { name: '+ Variable' }).click();
      await page.keyboard.type('region');
      const region = page.getByRole('group', { name: 'Variable 2 (region)' });
      await region.getByLabel(/^Options/).fill('eu-west-1\nus-east-1');
      await region.getByLabel('Default').fill('eu-west-1');
      await page.locator('#profile-version').fill('1.0.1');
      await until(() => verdict(page), (t) => expect(t).toMatch(/Valid/));
      await page.getByRole('button', { name: 'Save profile' }).click();
      await page.getByText(`Saved ${name} 1.0.1.`).waitFor();

      const stored = await service.gql(
        'query($n: String!) { profile(name: $n, version: "1.0.1") { variables { name format default required regex options displayName description hidden readonly } } }',
        { n: name },
        token,
      );
      expect(stored.data.profile.variables).toEqual([
        domain,
        { name: 'region', format: 'string', default: 'eu-west-1', required: false, regex: null, options: ['eu-west-1', 'us-east-1'], displayName: null, description: null, hidden: false, readonly: false },
      ]);
      // And the export carries them.
      await page.getByRole('button', { name: 'Export YAML' }).click();
      const exported = await page.getByRole('region', { name: 'Exported profile YAML' }).locator('pre').innerText();
      expect(exported).toMatch(/variables:\n  - name: domain\n/);
      expect(exported).toContain('  - name: region\n');
      // The variable editor fits a narrow window too.
      await page.setViewportSize({ width: 400, height: 800 });
      expect(await page.evaluate(FITS_WIDTH)).toBe(true);

      expect(await problems()).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
