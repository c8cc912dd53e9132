import type { MemoryLogger } from '@jan/core';
import type { JanRuntime, RuntimeOptions } from '../../../src/node/runtime';
import { editorSettings } from '../../../src/vscode/settings';
import { ScriptedEngine } from '../../support/scripted-engine';
import { tempRuntime } from '../../support/temp-runtime';

/**
 * The real runtime over a temp folder, reading its model choices from the stand-in's settings
 * (`jan.chatModel`, `jan.completionModel`), with a scripted engine that lists `chat-1` and
 * `coder-1` in place of a model server.
 */
export async function adapterRuntime(
  options: { downloadWorkerPath?: string; threadAccess?: RuntimeOptions['threadAccess'] } = {},
): Promise<{ runtime: JanRuntime; engine: ScriptedEngine; logger: MemoryLogger; dispose(): Promise<void> }> {
  const fixture = await tempRuntime({ settings: editorSettings(), ...options });
  const engine = new ScriptedEngine({ id: 'scripted', models: ['chat-1', 'coder-1'] });
  fixture.runtime.core.engines.register(engine);
  return { ...fixture, engine };
}
