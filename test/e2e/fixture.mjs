// The fresh world of one UI run: a workspace with a source file, a models folder holding the
// small real test model, and a user-data dir whose settings point Jan at that folder.
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { writeMachineSettings, writeUserSettings } from './code-server.mjs';

export const TEST_MODEL_FILE = 'stories260K-chatml-fim.gguf';
/** The id Jan gives the model when it is imported. */
export const TEST_MODEL_ID = 'stories260k-chatml-fim';

export function testModelsSource(projectRoot) {
  return process.env.JAN_TEST_MODELS_DIR ?? path.resolve(projectRoot, 'test', 'fixtures', 'models');
}

export function createWorkspace(dir) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'math_utils.py'),
    'def add(a, b):\n    return a + b\n\n\ndef mean(values):\n    return sum(values) / len(values)\n',
  );
  writeFileSync(path.join(dir, 'README.md'), '# Sample project\n\nA workspace the end-to-end test opens.\n');
  return dir;
}

/** The engine id and model id of the remote engine the run's settings define (test/e2e/openai-server.mjs). */
export const REMOTE_ENGINE_ID = 'e2e-server';
export const REMOTE_MODEL_ID = 'e2e-remote-stories';

export function createUiFixture({ projectRoot, runDir, remoteBaseUrl }) {
  const modelSource = path.join(testModelsSource(projectRoot), TEST_MODEL_FILE);
  if (!existsSync(modelSource))
    throw new Error(
      `The test model ${modelSource} is missing (set JAN_TEST_MODELS_DIR to the folder that holds ${TEST_MODEL_FILE})`,
    );
  const fixture = {
    userDataDir: path.join(runDir, 'user-data'),
    extensionsDir: path.join(runDir, 'extensions'),
    workspace: createWorkspace(path.join(runDir, 'workspace')),
    modelsDir: path.join(runDir, 'models'),
  };
  mkdirSync(fixture.modelsDir, { recursive: true });
  fixture.modelFile = path.join(fixture.modelsDir, TEST_MODEL_FILE);
  copyFileSync(modelSource, fixture.modelFile);
  writeMachineSettings(fixture.userDataDir, { 'jan.modelsFolder': fixture.modelsDir });
  writeUserSettings(fixture.userDataDir, {
    'jan.engine.threads': 1,
    'jan.engine.gpu': 'off',
    // Its server lists no model until the remote engine's step (test/e2e/openai-server.mjs).
    'jan.remote.engines': [
      { id: REMOTE_ENGINE_ID, name: 'E2E server', preset: 'openai-compatible', baseUrl: remoteBaseUrl },
    ],
    // No reply limit: the stop-reply step needs a reply still streaming when it clicks Stop (the
    // default 1024 tokens of the tiny model end in about 3 s).
    'jan.chat.maxTokens': 0,
    // VS Code's own chat panel would otherwise open beside Jan's on first start.
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
  });
  return fixture;
}

/** The model id the integration suite finds in its models folder (test/vscode-suite/language-models.test.ts). */
export const SUITE_MODEL_ID = 'stories260k-chatml-fim';

/**
 * The integration suite's settings: a models folder holding the test model with its model.json
 * (as an import writes it), on the CPU with one thread. Machine settings, as the UI fixture's.
 */
export function createSuiteSettings({ projectRoot, runDir, dataDir }) {
  const modelSource = path.join(testModelsSource(projectRoot), TEST_MODEL_FILE);
  const modelsDir = path.join(runDir, 'suite-models');
  const folder = path.join(modelsDir, SUITE_MODEL_ID);
  mkdirSync(folder, { recursive: true });
  copyFileSync(modelSource, path.join(folder, TEST_MODEL_FILE));
  const model = {
    object: 'model',
    version: '1.0',
    format: 'gguf',
    sources: [{ filename: TEST_MODEL_FILE, url: `file://${modelSource}` }],
    id: SUITE_MODEL_ID,
    name: 'stories260K chatml fim',
    created: Date.now(),
    description: 'The tiny test model.',
    settings: { ctx_len: 2048, llama_model_path: TEST_MODEL_FILE },
    parameters: { temperature: 0 },
    metadata: { author: 'test' },
    engine: 'llamacpp',
  };
  writeFileSync(path.join(folder, 'model.json'), `${JSON.stringify(model, null, 2)}\n`);
  writeMachineSettings(dataDir, { 'jan.modelsFolder': modelsDir, 'jan.engine.threads': 1, 'jan.engine.gpu': 'off' });
  return modelsDir;
}

/** The folder code-server unpacked the .vsix into. */
export function installedExtensionDir(extensionsDir, extensionId) {
  const match = readdirSync(extensionsDir).find((entry) =>
    entry.toLowerCase().startsWith(`${extensionId.toLowerCase()}-`),
  );
  if (!match) throw new Error(`${extensionId} is not installed in ${extensionsDir}`);
  return path.join(extensionsDir, match);
}

/** Copies the run's VS Code logs (extension host, Jan's output channel) into the artifacts. */
export function collectLogs(userDataDir, artifactsDir) {
  const logs = path.join(userDataDir, 'logs');
  if (existsSync(logs)) cpSync(logs, path.join(artifactsDir, 'vscode-logs'), { recursive: true });
}

/** The log folders of every extension host of every session under a user-data dir. */
function extensionHostLogDirs(userDataDir) {
  const logs = path.join(userDataDir, 'logs');
  if (!existsSync(logs)) return [];
  return readdirSync(logs).flatMap((session) =>
    readdirSync(path.join(logs, session))
      .filter((entry) => entry.startsWith('exthost'))
      .map((host) => path.join(logs, session, host)),
  );
}

function fileLines(file) {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
}

/** Lines of every extension-host log under the user-data dir that match `pattern`. */
export function extensionHostLogLines(userDataDir, pattern) {
  return extensionHostLogDirs(userDataDir)
    .flatMap((dir) => fileLines(path.join(dir, 'remoteexthost.log')))
    .filter((line) => pattern.test(line));
}

/** Lines of the extension's own log channels (a LogOutputChannel writes <extension id>/<name>.log). */
export function janLogLines(userDataDir, extensionId) {
  return extensionHostLogDirs(userDataDir)
    .map((dir) => path.join(dir, extensionId))
    .filter((dir) => existsSync(dir))
    .flatMap((dir) => readdirSync(dir).flatMap((file) => fileLines(path.join(dir, file))));
}
