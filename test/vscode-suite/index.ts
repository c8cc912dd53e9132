// The extensionTestsPath entry: VS Code loads out/test/suite/index.js inside the real extension
// host and awaits run(). Works with the smoke-test-driver recipe (test/e2e/suite.mjs) and with
// @vscode/test-electron / @vscode/test-cli where VS Code can be downloaded.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

/** Marks the reporter's lines, so a runner can tell them from the workbench's own log noise. */
export const SUITE_LINE_PREFIX = '[jan-suite]';

export async function run(): Promise<void> {
  Mocha.reporters.Base.consoleLog = (...data: unknown[]) => {
    for (const line of format(...data).split('\n')) console.log(`${SUITE_LINE_PREFIX} ${line}`);
  };
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 30_000, reporter: 'spec' });
  const files = fs
    .readdirSync(__dirname)
    .filter((file) => file.endsWith('.test.js'))
    .sort();
  if (files.length === 0) throw new Error(`No *.test.js files next to ${__filename}`);
  for (const file of files) mocha.addFile(path.join(__dirname, file));
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}
