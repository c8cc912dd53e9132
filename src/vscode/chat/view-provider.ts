import * as vscode from 'vscode';
import type { ChatController } from './controller';
import { chatHtml, makeNonce } from './html';

export const CHAT_VIEW_ID = 'jan.chatView';

/**
 * The sidebar webview. It is not kept alive when hidden (no `retainContextWhenHidden`): the
 * page keeps its draft in the webview state and gets everything else again after `ready`.
 */
export class ChatViewProvider implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly controller: ChatController,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const webview = view.webview;
    webview.options = { enableScripts: true, enableCommandUris: false, enableForms: false, localResourceRoots: [dist] };
    webview.html = chatHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      codiconUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'codicons', 'codicon.css')).toString(),
    });
    const detach = this.controller.attach((message) => void webview.postMessage(message));
    const receiving = webview.onDidReceiveMessage((message: unknown) => void this.controller.handle(message));
    view.onDidDispose(() => {
      detach();
      receiving.dispose();
      if (this.view === view) this.view = undefined;
    });
    this.view = view;
  }
}
