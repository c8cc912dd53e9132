// Mutation testing of the modules whose rules matter most (`npm run test:mutation`; not part of
// `npm test`). scripts/mutation.mjs prints the score per module from the JSON report.
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.mts' },
  mutate: [
    'src/core/store/**/*.ts',
    'src/core/data-folder.ts',
    'src/core/context/context-files.ts',
    'src/core/instruction-gate.ts',
    'src/core/completion/**/*.ts',
    'src/core/conversation.ts',
    'src/core/conversation-request.ts',
    'src/protocol/**/*.ts',
    'webview/markdown/**/*.ts',
    'extensions/conversational/**/*.ts',
    '!**/index.ts',
  ],
  coverageAnalysis: 'perTest',
  // Mutants in module-level code (the protocol's schemas, constant tables) would each rerun every
  // test: half the run for an eighth of the mutants. They are reported as ignored.
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 20_000,
  reporters: ['progress', 'json', 'html'],
  jsonReporter: { fileName: 'test-artifacts/mutation/report.json' },
  htmlReporter: { fileName: 'test-artifacts/mutation/index.html' },
  tempDirName: 'out/stryker-tmp',
  cleanTempDir: 'always',
};
