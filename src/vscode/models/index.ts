import * as vscode from 'vscode';
import type { JanHost } from '../host';
import type { ModelFeatures } from './model-actions';
import { GpuNotices } from './gpu-notices';
import { ModelStatusBar } from './status-bar';

/**
 * Registers the model commands and the status bar item. Cheap: a command's code is loaded when it
 * first runs (`import()`: esbuild keeps it out of activation), and the models folder is first
 * read when a command needs it.
 */
/** `started`: resolves once the runtime's extensions are loaded. */
export function registerModelFeatures(host: JanHost, started: Promise<unknown>): void {
  const { runtime, context, log } = host;
  const features: ModelFeatures = {
    engines: runtime.core.engines,
    inference: runtime.inference,
    models: runtime.models,
    log,
    llama: runtime.llamacpp.engine,
  };
  const command = (id: string, run: () => Promise<void>) => vscode.commands.registerCommand(id, run);
  context.subscriptions.push(
    command('jan.downloadModel', async () => (await import('./download-command')).downloadModelCommand(features)),
    command('jan.importModel', async () => (await import('./import-command')).importModelCommand(features)),
    command('jan.selectChatModel', async () =>
      (await import('./manage-commands')).selectModelCommand(features, 'chat'),
    ),
    command('jan.selectCompletionModel', async () =>
      (await import('./manage-commands')).selectModelCommand(features, 'completion'),
    ),
    command('jan.unloadModel', async () => (await import('./manage-commands')).unloadModelCommand(features)),
    command('jan.deleteModel', async () => (await import('./manage-commands')).deleteModelCommand(features)),
    command('jan.quickActions', async () => (await import('./quick-actions')).quickActionsCommand()),
    command('jan.showEngineStatus', async () =>
      (await import('./engine-status-command')).showEngineStatusCommand(features, context.subscriptions),
    ),
    command('jan.downloadCudaBackend', async () =>
      (await import('./gpu-backend-command')).downloadCudaBackendCommand(features),
    ),
    new GpuNotices(runtime.core, runtime.llamacpp.engine, context.globalState),
    new ModelStatusBar(runtime.core, runtime.inference, started),
  );
}
