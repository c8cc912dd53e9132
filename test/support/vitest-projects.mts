// The pieces vitest.config.mts and vitest.mutation.config.mts share: the path aliases and the
// two kinds of test project (Node, and real Chromium through vitest's browser mode).
import { playwright } from '@vitest/browser-playwright';
import { fileURLToPath } from 'node:url';
import type { TestProjectInlineConfiguration } from 'vitest/config';

export const alias = {
  '@jan/core': fileURLToPath(new URL('../../src/core/index.ts', import.meta.url)),
  '@jan/protocol': fileURLToPath(new URL('../../src/protocol/index.ts', import.meta.url)),
  '@jan/validation': fileURLToPath(new URL('../../src/validation/index.ts', import.meta.url)),
};

/** Real llama.cpp and child processes on 2 cores: files run one at a time in forks. */
export function nodeProject(include: string[], exclude: string[] = []): TestProjectInlineConfiguration {
  return { extends: true, test: { name: 'node', include, exclude, pool: 'forks', fileParallelism: false } };
}

/** The VS Code adapters (src/vscode/) against test/support/vscode-stand-in.ts in place of `vscode`. */
export function adapterProject(): TestProjectInlineConfiguration {
  return {
    extends: true,
    resolve: { alias: { vscode: fileURLToPath(new URL('./vscode-stand-in.ts', import.meta.url)) } },
    test: { name: 'adapters', include: ['test/vscode-adapters/**/*.test.ts'], pool: 'forks' },
  };
}

/** Tests of webview modules by themselves, in Chromium (`browserPath`, see scripts/browser.mjs). */
export function browserProject(browserPath: string): TestProjectInlineConfiguration {
  return {
    extends: true,
    test: {
      name: 'browser',
      include: ['test/browser/**/*.test.ts'],
      browser: {
        enabled: true,
        headless: true,
        screenshotFailures: false,
        provider: playwright({
          launchOptions: {
            executablePath: browserPath,
            args: [
              '--no-sandbox',
              '--disable-gpu',
              '--disable-background-networking',
              '--disable-component-update',
              '--disable-sync',
              '--no-first-run',
            ],
          },
        }),
        instances: [{ browser: 'chromium' }],
      },
    },
  };
}
