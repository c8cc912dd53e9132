import * as vscode from 'vscode';
import type { ScopedAssistantsExtension } from '../../../extensions/assistants';
import type { InferenceService } from '@jan/core';
import { chatHtml, makeNonce } from '../chat/html';
import { listModelOptions } from '../chat/views';
import { AssistantFormController, type FormTarget } from './form-controller';

const PANEL_TYPE = 'jan.assistantForm';

function key(target: FormTarget): string | undefined {
  return target.id === undefined ? undefined : `${target.scope}:${target.id}`;
}

function title(name: string | undefined, avatar: string | undefined): string {
  return name ? `${avatar ? `${avatar} ` : ''}${name}` : 'New Assistant';
}

/** The assistant forms open in editor tabs: one tab per assistant, brought forward when opened again. */
export class AssistantFormPanels implements vscode.Disposable {
  private readonly panels = new Map<vscode.WebviewPanel, AssistantFormController>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly assistants: ScopedAssistantsExtension,
    private readonly inference: InferenceService,
  ) {}

  async show(target: FormTarget): Promise<void> {
    for (const [panel, controller] of this.panels) {
      if (key(target) !== undefined && key(controller.current) === key(target)) return panel.reveal();
    }
    const assistant = target.id === undefined ? undefined : await this.assistants.getAssistant(target.id, target.scope);
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel(
      PANEL_TYPE,
      title(assistant?.name, assistant?.avatar),
      vscode.ViewColumn.Active,
      {
        enableScripts: true,
        enableCommandUris: false,
        enableForms: false,
        localResourceRoots: [dist],
      },
    );
    const webview = panel.webview;
    const controller = new AssistantFormController(this.assistants, target, {
      post: (message) => void webview.postMessage(message),
      models: () => listModelOptions(this.inference).catch(() => []),
      openFile: async (file) => void (await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false })),
      editing: (saved) => (panel.title = title(saved.name, saved.avatar)),
    });
    this.panels.set(panel, controller);
    webview.html = chatHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'assistant-form.js')).toString(),
      codiconUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'codicons', 'codicon.css')).toString(),
    });
    const receiving = webview.onDidReceiveMessage((message: unknown) => void controller.handle(message));
    panel.onDidDispose(() => {
      receiving.dispose();
      this.panels.delete(panel);
    });
  }

  dispose(): void {
    for (const panel of [...this.panels.keys()]) panel.dispose();
  }
}
