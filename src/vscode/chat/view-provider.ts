import * as vscode from 'vscode';
import type { ChatController } from './controller';
import { chatHtml, makeNonce } from './html';

export const CHAT_VIEW_ID = 'jan.chatView';

/**
 * The sidebar webview. It is not kept alive when hidden (no `retainContextWhenHidden`): the
 * page keeps its draft in the webview state and gets everything else again after `ready`.
 * Hiding or collapsing the view destroys its page without disposing the view, and showing it
 * again loads a new page in the same view (resolveWebviewView is not called again): so the
 * controller is attached afresh when the view is hidden, and waits for the new page's `ready`.
 */
export class ChatViewProvider implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    /** The controller, loaded on first use (the view may never be opened). */
    private readonly controller: () => Promise<ChatController>,
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
    // Attached before the page's first message is handled, in the order the messages came.
    let detach: (() => void) | undefined;
    const attach = (controller: ChatController) => {
      detach?.();
      detach = controller.attach((message) => void webview.postMessage(message));
    };
    const attached = this.controller().then((controller) => {
      attach(controller);
      return controller;
    });
    const receiving = webview.onDidReceiveMessage(
      (message: unknown) => void attached.then((controller) => controller.handle(message)),
    );
    const visibility = view.onDidChangeVisibility(() => {
      if (!view.visible) void attached.then(attach);
    });
    view.onDidDispose(() => {
      void attached.then(() => detach?.());
      receiving.dispose();
      visibility.dispose();
      if (this.view === view) this.view = undefined;
    });
    this.view = view;
  }
}
