import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import {
  buildWebview,
  cspViolations,
  launchChromium,
  startPageServer,
  type Browser,
  type PageServer,
} from './webview-page';

export interface PageSuite {
  /** Chromium, one per test file (set in `beforeAll`). */
  readonly browser: Browser;
  /** The built webview served on 127.0.0.1, one per test file (set in `beforeAll`). */
  readonly server: PageServer;
  /** Checks `page` for CSP violations and closes it after the test. */
  track(page: Page): Page;
  /** Runs `step` after the test, once its pages are closed (a host's dispose, a temp folder). */
  cleanup(step: () => Promise<void> | void): void;
}

/**
 * The hooks every webview test file shares: the page server and Chromium for the file, and after
 * each test, each page it opened checked for CSP violations and closed, then its cleanups run.
 * `prepare` runs once both are up (a permission the file's tests need).
 */
export function pageSuite(prepare?: (browser: Browser, server: PageServer) => Promise<void>): PageSuite {
  let browser: Browser | undefined;
  let server: PageServer | undefined;
  let pages: Page[] = [];
  let cleanups: Array<() => Promise<void> | void> = [];

  beforeAll(async () => {
    server = await startPageServer(await buildWebview());
    browser = await launchChromium();
    await prepare?.(browser, server);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  afterEach(async () => {
    const [opened, steps] = [pages, cleanups];
    [pages, cleanups] = [[], []];
    const violations: string[] = [];
    try {
      for (const page of opened) {
        violations.push(...(await cspViolations(page)));
        await page.close();
      }
    } finally {
      for (const step of steps) await step();
    }
    expect(violations).toEqual([]);
  });

  return {
    get browser() {
      if (!browser) throw new Error('Chromium is not running: use the suite inside a test.');
      return browser;
    },
    get server() {
      if (!server) throw new Error('The page server is not running: use the suite inside a test.');
      return server;
    },
    track(page) {
      pages.push(page);
      return page;
    },
    cleanup(step) {
      cleanups.push(step);
    },
  };
}
