import * as vscode from 'vscode';
import { memoryPlan } from '../../../extensions/llamacpp';
import { configuredModel } from '../settings';
import { engineStatusMarkdown } from './engine-status';
import { reportError, type ModelFeatures } from './model-actions';

export const ENGINE_STATUS_SCHEME = 'jan-engine-status';
const ENGINE_STATUS_URI = vscode.Uri.parse(`${ENGINE_STATUS_SCHEME}:Jan Engine Status.md`);

/** The read-only document the command fills: a fresh status each time it runs. */
class EngineStatusDocument implements vscode.TextDocumentContentProvider {
  private text = '';
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(): string {
    return this.text;
  }

  update(text: string): vscode.Uri {
    this.text = text;
    this.changed.fire(ENGINE_STATUS_URI);
    return ENGINE_STATUS_URI;
  }
}

/** Registered when the command first runs: activation stays small. */
let document: EngineStatusDocument | undefined;

/**
 * Jan: Show Engine Status: the memory plan of the chat and completion models (loaded or as they
 * would load), the backend, threads and the machine's memory, as a Markdown preview.
 */
export async function showEngineStatusCommand(
  features: ModelFeatures,
  subscriptions: vscode.Disposable[],
): Promise<void> {
  const llama = features.llama;
  if (!llama) return;
  if (!document) {
    document = new EngineStatusDocument();
    subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(ENGINE_STATUS_SCHEME, document));
  }
  try {
    const localChoice = async (role: 'chat' | 'completion') => {
      const id = configuredModel(role);
      return id && (await features.inference.choiceFor(id)).engine === llama.id ? id : undefined;
    };
    const plan = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Jan: reading the engine status' },
      async () =>
        memoryPlan(
          { status: () => llama.machineStatus(), plan: (id, options) => llama.plan(id, options) },
          { chat: await localChoice('chat'), completion: await localChoice('completion') },
        ),
    );
    const names = new Map((await features.inference.listModels()).map((model) => [model.id, model.name]));
    const uri = document!.update(engineStatusMarkdown(plan, (id) => names.get(id) ?? id));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
    await vscode.commands.executeCommand('markdown.showPreview', uri).then(undefined, () => undefined);
  } catch (error) {
    reportError(features, 'Could not read the engine status', error);
  }
}
