// Runs the mocha integration suite (test/vscode-suite, built to out/test/suite) inside the real
// extension host: the VS Code server from the code-server package with the smoke-test driver,
// opened by headless Chromium with extensionDevelopmentPath/extensionTestsPath in the URL payload.
// The suite's output and exit code arrive through the driver's codeAutomationLog/Exit hooks.
import { appendFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { startTestServer } from './code-server.mjs';
import { launchBrowser, newPage, screenshot } from './workbench.mjs';

/**
 * @returns {Promise<{ exitCode: number, output: string[] }>}
 */
/** index.ts prefixes the mocha reporter's lines with this; the rest is the workbench's own log. */
const SUITE_LINE_PREFIX = '[jan-suite] ';

export async function runIntegrationSuite(
  tools,
  { extensionPath, suitePath, workspace, runDir, artifactsDir, onCleanup, timeoutMs = 180_000, log = console.log },
) {
  const server = await startTestServer(tools, {
    dataDir: path.join(runDir, 'suite-data'),
    extensionsDir: path.join(runDir, 'suite-extensions'),
    logFile: path.join(runDir, 'suite-server.log'),
  });
  onCleanup(server.stop);
  const browser = await launchBrowser(tools.chromium);
  onCleanup(() => browser.close());
  const page = await newPage(browser);

  const output = [];
  const logFile = path.join(artifactsDir, 'integration-suite.log');
  mkdirSync(artifactsDir, { recursive: true });
  let settle;
  const exited = new Promise((resolve) => {
    settle = resolve;
  });
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const line = format(...(Array.isArray(args) ? args : [args]));
    output.push(line);
    appendFileSync(logFile, `[${type}] ${line}\n`);
    for (const testLine of line.split('\n').filter((text) => text.startsWith(SUITE_LINE_PREFIX)))
      log(`  ${testLine.slice(SUITE_LINE_PREFIX.length)}`);
  });
  await page.exposeFunction('codeAutomationExit', (code) => settle(Number(code)));

  const remote = (absolute) => `vscode-remote://127.0.0.1:${server.port}${absolute}`;
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remote(extensionPath)],
    ['extensionTestsPath', remote(suitePath)],
  ]);
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);

  let timer;
  const timedOut = new Promise((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const exitCode = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  await screenshot(page, artifactsDir, 'suite-end');
  await browser.close();
  await server.stop();
  if (exitCode === 'timeout')
    throw new Error(
      `The integration suite did not finish within ${timeoutMs / 1000} s (server log: ${path.join(runDir, 'suite-server.log')})`,
    );
  return { exitCode, output };
}
