import type { Reporter, SerializedError, TestModule, TestRunEndReason } from 'vitest/node';

export interface RunSummary {
  passed: number;
  failed: number;
  skipped: number;
}

/**
 * Counts a run the way CI must read it: a test that did not run because its file or suite failed
 * (a throwing `beforeAll`, an import error) is a failure, not a skip; a file or suite that failed
 * with no failed test of its own (a throwing `afterAll`) counts once; so does every unhandled
 * error, and an interrupted run. Only a test skipped on purpose (`it.skip`, `it.todo`) is skipped.
 */
export function summarizeRun(
  modules: ReadonlyArray<TestModule>,
  unhandledErrors: ReadonlyArray<SerializedError>,
  reason: TestRunEndReason,
): RunSummary {
  const summary: RunSummary = { passed: 0, failed: 0, skipped: 0 };
  for (const module of modules) {
    const moduleFailed = module.state() === 'failed' || module.errors().length > 0;
    let failedHere = 0;
    for (const test of module.children.allTests()) {
      const state = test.result().state;
      if (state === 'passed') summary.passed += 1;
      else if (state === 'failed') failedHere += 1;
      else if (moduleFailed && test.options.mode !== 'skip' && test.options.mode !== 'todo') failedHere += 1;
      else summary.skipped += 1;
    }
    const failedSuites = [...module.children.allSuites()].filter(
      (suite) => suite.state() === 'failed' || suite.errors().length > 0,
    );
    if (failedHere === 0 && (moduleFailed || failedSuites.length > 0)) failedHere = 1;
    summary.failed += failedHere;
  }
  summary.failed += unhandledErrors.length;
  if (reason !== 'passed' && summary.failed === 0) summary.failed = 1;
  return summary;
}

/** Prints the plain closing line CI reads ("N passed, N failed, N skipped") after vitest's own summary. */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(
    modules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
    reason: TestRunEndReason,
  ): void {
    const { passed, failed, skipped } = summarizeRun(modules, unhandledErrors, reason);
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
