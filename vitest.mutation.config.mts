import { defineConfig } from 'vitest/config';
import { ensureBrowser } from './scripts/browser.mjs';
import { adapterProject, alias, browserProject, nodeProject } from './test/support/vitest-projects.mjs';

// What `npm run test:mutation` runs against each mutant: the tests of the modules it mutates
// (stryker.config.mjs). Left out: llama.cpp, child-process and whole-view tests, which cannot see
// a mutant (the view's bundle runs in a page Stryker does not reach) and only cost time, and the
// lint and tooling tests, which test no mutated module.
export default defineConfig({
  resolve: { alias },
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    expect: { poll: { timeout: 30_000 } },
    projects: [
      nodeProject(
        [
          'test/unit/**/*.test.ts',
          'test/integration/store/**/*.test.ts',
          'test/integration/conversation/conversation-service.test.ts',
          'test/integration/conversation/conversation-rules.test.ts',
          // The host side of the chat view and the protocol, without a browser.
          'test/webview/controller.test.ts',
          'test/webview/protocol.test.ts',
        ],
        ['test/unit/lint/**', 'test/unit/support/**', 'test/unit/scripts/**'],
      ),
      adapterProject(),
      browserProject(ensureBrowser()),
    ],
  },
});
