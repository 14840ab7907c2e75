/**
 * What the web console's browser tests (test/e2e/console-*.test.ts) share: the built service with
 * the web app and a Chromium beside it, pages whose console errors and CSP violations are collected
 * (browser.ts's watchProblems), signing in through the form, and polling the page until it says
 * what a test expects.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newContext, startConsoleService, watchProblems } from './browser.js';
import type { ServiceProcess } from './service-process.js';

/** Page-side expression (a string: the test program has no DOM types): the page fits the window's width. */
export const FITS_WIDTH = 'document.documentElement.scrollWidth <= window.innerWidth';

/** Polling the page until it says what a test expects: wait-until.ts's `until` (every 100 ms, 10 s by default). */
export { until } from './wait-until.js';

/** A page in a fresh context; `problems()` lists its console errors and CSP violations so far. */
export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  problems: () => Promise<string[]>;
}

export type ContextOptions = Parameters<typeof newContext>[1];

/** Opens a page in a fresh context (no cookies) that collects console errors and CSP violations. */
export async function openWatchedPage(browser: Browser, options: ContextOptions = {}): Promise<WatchedPage> {
  const context = await newContext(browser, options);
  const problems = await watchProblems(context);
  const page = await context.newPage();
  return { context, page, problems };
}

/**
 * Signs in with `token` through the console's form as a visitor does: a page (`path`, default the
 * catalog) opened signed out sends the visitor to the form; it is done when the nav offers to sign
 * out (the form then returns to that page).
 */
export async function signInThroughForm(
  browser: Browser,
  serviceUrl: string,
  token: string,
  options: { path?: string; context?: ContextOptions } = {},
): Promise<WatchedPage> {
  const watched = await openWatchedPage(browser, options.context);
  const { page } = watched;
  await page.goto(`${serviceUrl}${options.path ?? '/'}`);
  await page.waitForURL(/\/signin\?next=/);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return watched;
}

/** The built service serving the web console (browser.ts's startConsoleService) and a Chromium. */
export interface ConsoleUnderTest {
  service: ServiceProcess;
  browser: Browser;
  /** The ADMIN_TOKEN the service was started with. */
  adminToken: string;
  close(): Promise<void>;
}

export async function startConsole(options: Parameters<typeof startConsoleService>[0] = {}): Promise<ConsoleUnderTest> {
  const [service, browser] = await Promise.all([startConsoleService(options), launchBrowser()]);
  return {
    service,
    browser,
    adminToken: await service.adminToken(),
    async close() {
      await browser.close();
      await service.stop();
    },
  };
}
