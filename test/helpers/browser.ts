/**
 * Browser tests (e2e tier) in Debian's Chromium through playwright-core: no browser download, no
 * network but the service under test. Each test gets a fresh context (no cookies, no storage) at
 * 1280x800; `screenshot(page, name)` writes docs/screenshots/<name>.png for the README.
 *
 * `startConsoleService()` runs the built service (test/helpers/service-process.ts) with a built web
 * console: web/dist when it is newer than web/'s sources (what `npm test`'s pretest leaves), else a
 * build of the current sources made once into a folder named by their fingerprint, so a test never
 * rebuilds the folder another test's service is serving from.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { runProcess } from './run-process.js';
import { DIST, startServiceProcess, type ServiceProcess } from './service-process.js';
import { createOwnDatabase } from './own-database.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const WEB = path.join(ROOT, 'web');
export const SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const VIEWPORT = { width: 1280, height: 800 };

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: .ci/run installs Debian's chromium (apt-get install chromium).`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh context (cookies, storage) per test, at 1280x800. */
export function newContext(browser: Browser, options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  return browser.newContext({ viewport: VIEWPORT, ...options });
}

/** Writes docs/screenshots/<name>.png (the page's viewport) and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`screenshot name "${name}": lowercase letters, digits and dashes`);
  await mkdir(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * Collects what the browser refused or reported: Content-Security-Policy violations (from the
 * page's own `securitypolicyviolation` events, before any script of the page runs), uncaught page
 * errors and console errors. A test asserts it empty at its end.
 */
export async function watchProblems(context: BrowserContext): Promise<() => Promise<string[]>> {
  const problems: string[] = [];
  // Runs in the page (a script of its own, not this file's TypeScript, which has no DOM library).
  await context.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => {
    console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' (' + e.sourceFile + ':' + e.lineNumber + ')');
  });`);
  context.on('page', (page) => watchPage(page, problems));
  for (const page of context.pages()) watchPage(page, problems);
  return async () => [...problems];
}

function watchPage(page: Page, problems: string[]): void {
  page.on('pageerror', (error) => problems.push(`page error on ${page.url()}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error on ${page.url()}: ${message.text()}`);
  });
}

/** Files under web/ that make up the console (not its build), with their mtimes and sizes. */
function webSources(dir = WEB, out: Array<[string, number, number]> = []): Array<[string, number, number]> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) webSources(full, out);
    else {
      const stat = statSync(full);
      out.push([path.relative(WEB, full), stat.mtimeMs, stat.size]);
    }
  }
  return out;
}

/**
 * The folder holding a web console built from web/'s current sources: web/dist when it is newer
 * than every source, else a build made now (about a second) into a folder of the system's temp
 * directory named by the sources' fingerprint, written aside and renamed into place.
 */
export async function ensureWebBuilt(): Promise<string> {
  const sources = webSources().sort(([a], [b]) => a.localeCompare(b));
  const builtIndex = path.join(WEB, 'dist', 'index.html');
  const newest = Math.max(...sources.map(([, mtime]) => mtime));
  if (existsSync(builtIndex) && statSync(builtIndex).mtimeMs >= newest) return path.dirname(builtIndex);

  const fingerprint = createHash('sha256').update(JSON.stringify(sources)).digest('hex').slice(0, 16);
  const target = path.join(tmpdir(), `pack-catalog-web-${fingerprint}`);
  if (existsSync(path.join(target, 'index.html'))) return target;
  const scratch = `${target}.${process.pid}.${Date.now()}`;
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const built = await runProcess(process.execPath, [vite, 'build', '--config', 'web/vite.config.ts', '--outDir', scratch, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: ROOT,
    // What ships: a production React build (jest sets NODE_ENV=test, which would build the development one).
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (built.code !== 0) throw new Error(`vite build of the web console failed (${built.code}):\n${built.stdout}\n${built.stderr}`);
  // Another test file may have built the same sources meanwhile: either copy is right.
  await rename(scratch, target).catch(async () => rm(scratch, { recursive: true, force: true }));
  return target;
}

/**
 * The built service (PACK_CATALOG_DIST or dist/) serving a built web console, on a database of its own
 * (dropped when the service stops: the console lists the whole catalog, and other test files' packs,
 * whose logos live in their own artifact stores, would answer 404 in the page), with an ADMIN_TOKEN of
 * its own (`service.adminToken()`), no seeding of the DEFAULT registry and no syncs (pass
 * `SEED_DEFAULT_REGISTRY: 'true'` for the shipped packs); env adds to or replaces these settings.
 */
export async function startConsoleService(options: { env?: Record<string, string> } = {}): Promise<ServiceProcess> {
  if (!existsSync(path.join(DIST, 'app', 'main.js'))) throw new Error(`No build at ${DIST}: run \`npm run build\` (or set PACK_CATALOG_DIST) before the e2e tests.`);
  const webRoot = await ensureWebBuilt();
  const database = await createOwnDatabase();
  let service: ServiceProcess;
  try {
    service = await startServiceProcess({
      env: {
        WEB_ROOT: webRoot,
        ADMIN_TOKEN: `console-admin-${randomBytes(16).toString('hex')}`,
        SEED_DEFAULT_REGISTRY: 'false',
        SYNC_ENABLED: 'false',
        ...(database.url ? { DATABASE_URL: database.url } : {}),
        ...options.env,
      },
    });
  } catch (error) {
    await database.drop();
    throw error;
  }
  const stop = service.stop.bind(service);
  let dropped: Promise<void> | undefined;
  service.stop = async (signal) => {
    const code = await stop(signal);
    dropped ??= database.drop();
    await dropped;
    return code;
  };
  return service;
}
