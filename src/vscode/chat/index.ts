import * as vscode from 'vscode';
import { fencedSelection } from '@jan/core';
import type { JanHost } from '../host';
import type { ChatController } from './controller';
import { editorContextSources } from './editor-context';
import { VsCodeChatPort, type ProposeEdit } from './editor-port';
import { CHAT_VIEW_ID, ChatViewProvider } from './view-provider';

export interface ChatViewDeps {
  /** Resolves once the core's extensions are loaded; a rejection is shown in the view. */
  started: Promise<unknown>;
  /** Shows an edit as a diff to accept or reject: the same ProposalStore the selection commands use. */
  proposeEdit: ProposeEdit;
}

export interface ChatView extends vscode.Disposable {
  /** Starts a new thread with this message and shows the chat (for commands on a selection). */
  askInChat(text: string): Promise<void>;
  /** Finishes pending thread deletions; await it in deactivate before the core stops. */
  shutdown(): Promise<void>;
}

/** How long a command waits for the chat's page to load before it tells the user. */
export const VIEW_READY_TIMEOUT_MS = 15_000;

/** Registers the chat view and its commands: jan.newThread, jan.focusChat, jan.stopGeneration, jan.addSelectionToChat. */
export function registerChatView(host: JanHost, deps: ChatViewDeps): ChatView {
  const { runtime, context } = host;
  const port = new VsCodeChatPort(context, deps.proposeEdit, runtime.workspaceRoot, runtime.workspaceTools.environment);
  const services = deps.started.then(() => ({
    session: runtime.openChatSession({ activeThread: port.activeThread }),
    conversation: runtime.conversation,
    inference: runtime.inference,
  }));
  // The chat's code (controller, protocol, views) loads when the view opens or a chat command runs.
  let loaded: Promise<ChatController> | undefined;
  const chat = (): Promise<ChatController> =>
    (loaded ??= import('./controller').then(
      ({ ChatController }) => new ChatController(services, runtime.core.context, port),
    ));
  const provider = new ChatViewProvider(context.extensionUri, chat);
  /**
   * Reveals the view (opening, expanding or showing it) and waits until its page has the chat:
   * what a command sends then lands in that page. A page that does not come is reported, and what
   * was delivered waits for the next one.
   */
  const openChat = async (): Promise<ChatController> => {
    await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
    const controller = await chat();
    if (!(await controller.whenViewReady(VIEW_READY_TIMEOUT_MS))) {
      runtime.core.context.logger.warn(
        `Chat view: no page was ready ${VIEW_READY_TIMEOUT_MS} ms after it was revealed.`,
      );
      void vscode.window.showWarningMessage(
        'Jan: the chat view did not open. Run "Jan: Open Chat" to show it; what you sent is kept for it.',
      );
    }
    return controller;
  };
  let shutdown: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (shutdown ??= loaded ? loaded.then((controller) => controller.dispose()) : Promise.resolve());

  const disposables: vscode.Disposable[] = [
    port,
    // The editor's `@` sources register through the public API's call, as another extension's do.
    ...editorContextSources(() => port.editor()).map((source) =>
      runtime.core.context.api.registerContextSource(source),
    ),
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, provider),
    vscode.commands.registerCommand('jan.newThread', async () => {
      const controller = await openChat();
      await controller.newThread();
      controller.focusInput();
    }),
    vscode.commands.registerCommand('jan.agent.forgetApprovals', async () => {
      await port.agent.forgetAlways();
      void vscode.window.showInformationMessage('Jan: agent tools ask again before each change in this workspace.');
    }),
    vscode.commands.registerCommand('jan.focusChat', async () => (await openChat()).focusInput()),
    vscode.commands.registerCommand('jan.stopGeneration', async () => (await chat()).stopActive()),
    runtime.settings.onDidChange(['jan.chatModel'], () => void loaded?.then((controller) => controller.sendModels())),
    runtime.settings.onDidChange(['jan.chat.maxTokens'], () => void loaded?.then((controller) => controller.refresh())),
    vscode.commands.registerCommand('jan.addSelectionToChat', async () => {
      const editor = vscode.window.activeTextEditor;
      const selection = editor?.selection;
      if (!editor || !selection || selection.isEmpty) {
        void vscode.window.showInformationMessage('Jan: select some code first.');
        return;
      }
      // A selection ending at the start of a line does not include that line.
      const endLine =
        selection.end.character === 0 && selection.end.line > selection.start.line
          ? selection.end.line - 1
          : selection.end.line;
      const block = fencedSelection({
        code: editor.document.getText(selection),
        languageId: editor.document.languageId,
        path: vscode.workspace.asRelativePath(editor.document.uri),
        startLine: selection.start.line + 1,
        endLine: endLine + 1,
      });
      (await openChat()).addToInput(block);
    }),
  ];

  return {
    // The thread is started before the view is revealed, so the page that loads shows it at once
    // (not the thread it showed before, for a moment); the view is then awaited as for any command.
    askInChat: async (text) => {
      const asking = (await chat()).askInChat(text);
      await openChat();
      await asking;
    },
    shutdown: stop,
    dispose: () => {
      for (const disposable of disposables) disposable.dispose();
      void stop();
    },
  };
}
