import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  resolve: {
    alias: {
      '@jan/core': fileURLToPath(new URL('./src/core/index.ts', import.meta.url)),
      '@jan/protocol': fileURLToPath(new URL('./src/protocol/index.ts', import.meta.url)),
    },
  },
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    globalSetup: ['./test/support/browser-setup.ts'],
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/webview/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Real llama.cpp and child processes on 2 cores: run files one at a time in forks so one
    // native crash or CPU-heavy test cannot starve or kill another.
    pool: 'forks',
    fileParallelism: false,
  },
});
