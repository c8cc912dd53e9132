import { defineConfig } from 'vitest/config';
import { ensureBrowser } from './scripts/browser.mjs';
import { adapterProject, alias, browserProject, nodeProject } from './test/support/vitest-projects.mjs';

// The webview tests drive Chromium: find it (or install Debian's) before anything runs, and stop
// with one line naming what to install when there is none. Never skipped silently.
const browserPath = ensureBrowser();

export default defineConfig({
  resolve: { alias },
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // expect.poll waits on state; its 1 s default made a busy machine (load 10+) fail tests whose
    // state was only late. A test that never reaches its state still fails, at this bound.
    expect: { poll: { timeout: 30_000 } },
    projects: [
      nodeProject(['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/webview/**/*.test.ts']),
      adapterProject(),
      browserProject(browserPath),
    ],
  },
});
