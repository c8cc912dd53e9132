// `npm run test:e2e`: installs its tools (cached in .tools/), packages the extension, runs the
// mocha integration suite inside the real extension host, then installs the .vsix into a fresh
// code-server and drives it with Playwright like a user. Screenshots, logs and a summary go to
// test-artifacts/e2e/. Exits non-zero on the first failing step, on a timeout or on a signal,
// always after killing every process group it started.
//   node test/e2e/run.mjs [--only suite|ui] [--vsix file.vsix] [--keep] [--timeout-minutes N] [--break-activation] [--steps a,b,c]
// --break-activation makes the installed copies throw in activate(): the run must then fail
// (it shows that both harness parts can fail).
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ensureTools, projectRoot } from '../../scripts/e2e-tools.mjs';
import { packageExtension } from '../../scripts/package.mjs';
import { buildSuite } from '../vscode-suite/build.mjs';
import { installExtension, startCodeServer } from './code-server.mjs';
import { packageDemoExtension } from './example-extension.mjs';
import {
  collectLogs,
  createSuiteSettings,
  createUiFixture,
  createWorkspace,
  installedExtensionDir,
  REMOTE_MODEL_ID,
  TEST_MODEL_FILE,
  testModelsSource,
} from './fixture.mjs';
import { startOpenAIServer } from './openai-server.mjs';
import { agentEditAndRevert } from './agent-step.mjs';
import * as steps from './steps.mjs';
import { runIntegrationSuite } from './suite.mjs';
import { launchBrowser, newPage, notifications, screenshot } from './workbench.mjs';

/** The user journey, in order; `--steps a,b` runs a subset (in this order, for debugging). */
const STEPS = {
  'workbench-loads': steps.workbenchLoads,
  'jan-view-opens-chat': steps.janViewOpensChat,
  'chat-webview-shows-composer': steps.chatWebviewShowsComposer,
  'first-run-offers-model': steps.firstRunOffersModel,
  'show-log-opens-jan-output': steps.showLogOpensJanOutput,
  'commands-in-palette': steps.commandsInPalette,
  'activation-time': steps.measureActivation,
  'packaged-runtime-loads-model': steps.packagedRuntimeLoadsModel,
  'select-test-model': steps.selectTestModel,
  'send-message-and-watch-stream': steps.sendMessageAndWatchStream,
  'stop-reply': steps.stopReply,
  'threads-on-disk': steps.threadsOnDisk,
  'reopen-and-find-thread': steps.reopenAndFindThread,
  'assistant-form-and-context': steps.assistantFormAndContext,
  'inline-completion-ghost-text': steps.inlineCompletionGhostText,
  'command-on-selection': steps.commandOnSelection,
  'inline-chat-edit': steps.inlineChatEdit,
  'remote-engine-chat': steps.remoteEngineChat,
  'agent-edit-and-revert': agentEditAndRevert,
  'example-extension-chat': steps.exampleExtensionChat,
  'getting-started-walkthrough': steps.gettingStartedWalkthrough,
  'no-errors-logged': steps.noErrorsLogged,
};

function parseArgs(argv) {
  const options = {
    only: undefined,
    vsix: undefined,
    keep: false,
    timeoutMinutes: 12,
    breakActivation: false,
    steps: Object.keys(STEPS),
  };
  for (let index = 0; index < argv.length; index += 1) {
    const [flag, inline] = argv[index].split('=', 2);
    const value = () => inline ?? argv[++index];
    if (flag === '--only') options.only = value();
    else if (flag === '--vsix') options.vsix = path.resolve(value());
    else if (flag === '--keep') options.keep = true;
    else if (flag === '--break-activation') options.breakActivation = true;
    else if (flag === '--steps') {
      const wanted = new Set(
        value()
          .split(',')
          .map((name) => name.trim()),
      );
      options.steps = Object.keys(STEPS).filter((name) => wanted.delete(name));
      if (wanted.size > 0)
        throw new Error(`Unknown step(s) ${[...wanted].join(', ')}; steps: ${Object.keys(STEPS).join(', ')}`);
    } else if (flag === '--timeout-minutes') options.timeoutMinutes = Number(value());
    else
      throw new Error(
        `Unknown argument ${argv[index]}. Usage: node test/e2e/run.mjs [--only suite|ui] [--vsix file.vsix] [--keep] [--timeout-minutes N] [--break-activation] [--steps a,b,c]`,
      );
  }
  if (options.only && !['suite', 'ui'].includes(options.only)) throw new Error('--only takes suite or ui');
  return options;
}

const options = parseArgs(process.argv.slice(2));
const artifactsDir = path.join(projectRoot, 'test-artifacts', 'e2e');
const manifest = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8'));
const extensionId = `${manifest.publisher}.${manifest.name}`;
const started = Date.now();
const summary = { started: new Date().toISOString(), phases: {}, steps: [], measurements: {} };
const cleanups = [];
let runDir;
let finishing = false;

const elapsed = (since) => Number(((Date.now() - since) / 1000).toFixed(1));
const log = (message) => console.log(`[e2e ${elapsed(started).toFixed(1).padStart(6)} s] ${message}`);

async function cleanup() {
  while (cleanups.length > 0) {
    const stop = cleanups.pop();
    try {
      await Promise.race([stop(), new Promise((resolve) => setTimeout(resolve, 15_000))]);
    } catch (error) {
      console.error(`cleanup: ${error instanceof Error ? error.message : error}`);
    }
  }
}

async function finish(exitCode, reason) {
  if (finishing) return;
  finishing = true;
  await cleanup();
  summary.totalSeconds = elapsed(started);
  summary.result = exitCode === 0 ? 'passed' : `failed: ${reason}`;
  mkdirSync(artifactsDir, { recursive: true });
  writeFileSync(path.join(artifactsDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  if (runDir && exitCode === 0 && !options.keep) rmSync(runDir, { recursive: true, force: true });
  else if (runDir) log(`kept the run folder ${runDir}`);
  log(
    exitCode === 0
      ? `PASSED in ${summary.totalSeconds} s; artifacts in ${artifactsDir}`
      : `FAILED (${reason}) after ${summary.totalSeconds} s; artifacts in ${artifactsDir}`,
  );
  process.exit(exitCode);
}

/** Installs the .vsix into `extensionsDir` and returns the unpacked extension's folder. */
function install(tools, vsix, { userDataDir, extensionsDir }) {
  log(installExtension(tools, { vsix, userDataDir, extensionsDir }).split('\n').pop());
  const dir = installedExtensionDir(extensionsDir, extensionId);
  if (options.breakActivation) {
    appendFileSync(
      path.join(dir, manifest.main),
      "\nmodule.exports = { ...module.exports, activate() { throw new Error('activation broken on purpose (--break-activation)'); } };\n",
    );
    log(`broke activate() in ${dir} on purpose: this run must fail`);
  }
  return dir;
}

async function phase(name, body) {
  const since = Date.now();
  log(`${name}…`);
  const result = await body();
  summary.phases[name] = elapsed(since);
  log(`${name} done in ${summary.phases[name]} s`);
  return result;
}

async function runUi(tools, vsix) {
  const remote = await startOpenAIServer({
    modelFile: path.join(testModelsSource(projectRoot), TEST_MODEL_FILE),
    modelId: REMOTE_MODEL_ID,
  });
  cleanups.push(remote.stop);
  log(`OpenAI-compatible server for the remote engine on ${remote.baseUrl}`);
  const fixture = createUiFixture({ projectRoot, runDir, remoteBaseUrl: remote.baseUrl });
  install(tools, vsix, fixture);
  // A third party's extension on Jan's public API: its step installs the .vsix into the running
  // server (installed now, its model would fill the empty model list the first-run step checks).
  const example = await packageDemoExtension(projectRoot, runDir);
  cleanups.push(async () => collectLogs(fixture.userDataDir, artifactsDir));
  const server = await startCodeServer(tools, { ...fixture, logFile: path.join(artifactsDir, 'code-server.log') });
  cleanups.push(server.stop);
  log(`code-server on ${server.url} (process group ${server.pgid})`);
  const browser = await launchBrowser(tools.chromium);
  cleanups.push(() => browser.close());
  const page = await newPage(browser);
  const context = {
    page,
    server,
    fixture,
    remote,
    example,
    manifest,
    extensionId,
    tools,
    artifactsDir,
    record: (key, value) => {
      summary.measurements[key] = value;
    },
  };
  for (const [index, name] of options.steps.entries()) {
    const run = STEPS[name];
    const label = `${String(index + 1).padStart(2, '0')}-${name}`;
    const since = Date.now();
    try {
      await run(context);
    } catch (error) {
      await screenshot(page, artifactsDir, `${label}-failed`);
      const toasts = await notifications(page).catch(() => []);
      const message = `step ${name}: ${error instanceof Error ? error.message : error}${toasts.length > 0 ? `\nnotifications on screen:\n  ${toasts.join('\n  ')}` : ''}`;
      summary.steps.push({ step: name, seconds: elapsed(since), result: 'failed', error: message });
      throw new Error(message, { cause: error });
    }
    await screenshot(page, artifactsDir, label);
    summary.steps.push({ step: name, seconds: elapsed(since), result: 'passed' });
    log(`  ✓ ${name} (${elapsed(since)} s)`);
  }
  const activation = summary.measurements.activation;
  if (activation)
    log(
      `activation of ${extensionId}: ${activation.activationMs} ms as VS Code counts it = load code ${activation.loadCodeMs} ms (require() itself ${activation.requireMs ?? 'not in the snapshot'} ms) + activate() ${activation.callActivateMs} ms; returned promise ${activation.finishActivateMs} ms; event ${activation.event}`,
    );
}

async function main() {
  rmSync(artifactsDir, { recursive: true, force: true });
  mkdirSync(artifactsDir, { recursive: true });
  runDir = mkdtempSync(path.join(tmpdir(), 'jan-e2e-'));
  const tools = await phase('tools', () => ensureTools({ log }));
  const vsix =
    options.vsix ??
    (await phase('package', async () => {
      const packaged = await packageExtension({ log });
      summary.measurements.vsix = { file: packaged.vsix, bytes: packaged.sizeBytes, files: packaged.files.length };
      return packaged.vsix;
    }));

  if (options.only !== 'ui') {
    await phase('integration suite', async () => {
      const suitePath = await buildSuite();
      // The suite runs the packaged extension too (as a development extension unpacked from the .vsix).
      const extensionPath = install(tools, vsix, {
        userDataDir: path.join(runDir, 'suite-install'),
        extensionsDir: path.join(runDir, 'suite-unpacked'),
      });
      createSuiteSettings({ projectRoot, runDir, dataDir: path.join(runDir, 'suite-data') });
      const { exitCode } = await runIntegrationSuite(tools, {
        extensionPath,
        suitePath,
        workspace: createWorkspace(path.join(runDir, 'suite-workspace')),
        runDir,
        artifactsDir,
        onCleanup: (stop) => cleanups.push(stop),
        // The language model test loads and runs the test model in the real extension host.
        timeoutMs: 300_000,
        log,
      });
      summary.suiteExitCode = exitCode;
      if (exitCode !== 0) throw new Error(`the integration suite failed (exit code ${exitCode})`);
    });
  }
  if (options.only !== 'suite') await phase('ui', () => runUi(tools, vsix));
}

process.on('SIGINT', () => void finish(130, 'interrupted'));
process.on('SIGTERM', () => void finish(143, 'terminated'));
const timer = setTimeout(
  () => void finish(1, `timed out after ${options.timeoutMinutes} min`),
  options.timeoutMinutes * 60_000,
);
main().then(
  () => {
    clearTimeout(timer);
    return finish(0);
  },
  (error) => {
    clearTimeout(timer);
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    return finish(1, error instanceof Error ? error.message.split('\n')[0] : String(error));
  },
);
