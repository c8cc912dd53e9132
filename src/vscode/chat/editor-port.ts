import * as vscode from 'vscode';
import type { ActiveThreadStore, SymbolProvider, WorkspaceSearch } from '@jan/core';
import type { AssistantAction, AssistantRefView, HostAction } from '@jan/protocol';
import { editorSettings } from '../settings';
import { VsCodeAgentPort } from './agent/vscode-agent-port';
import type { ChatHostPort, ContextSources } from './chat-backend';
import { EditorContextSources } from './context-sources';

/** Shows `replacement` for `range` as a diff the user accepts or rejects (Jan's ProposalStore). */
export type ProposeEdit = (
  document: vscode.TextDocument,
  range: vscode.Range,
  replacement: string,
  title: string,
) => Promise<void>;

const ACTION_COMMANDS: Record<HostAction, string> = {
  downloadModel: 'jan.downloadModel',
  importModel: 'jan.importModel',
  showLog: 'jan.showLog',
};

const ASSISTANT_COMMANDS: Record<AssistantAction, string> = {
  new: 'jan.newAssistant',
  edit: 'jan.editAssistant',
  duplicate: 'jan.duplicateAssistant',
  delete: 'jan.deleteAssistant',
  openJson: 'jan.openAssistantJson',
  setDefault: 'jan.setDefaultAssistant',
};

const ACTIVE_THREAD_KEY = 'jan.chat.activeThread';

/** The chat view's hands in the editor: clipboard, insert, apply as a diff, links, commands. */
export class VsCodeChatPort implements ChatHostPort, vscode.Disposable {
  /** Focus moves to the chat view when a button there is clicked: remember the editor before it. */
  private lastEditor: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
  private readonly subscription = vscode.window.onDidChangeActiveTextEditor((editor) => {
    if (editor) this.lastEditor = editor;
  });

  readonly context: ContextSources;

  readonly agent: VsCodeAgentPort;

  constructor(
    private readonly extension: vscode.ExtensionContext,
    private readonly proposeEdit: ProposeEdit,
    workspaceRoot: string | undefined,
    finders: { search: WorkspaceSearch; symbols: SymbolProvider },
  ) {
    this.context = new EditorContextSources(finders);
    this.agent = new VsCodeAgentPort(extension.workspaceState, workspaceRoot, editorSettings());
  }

  dispose(): void {
    this.subscription.dispose();
    this.agent.dispose();
  }

  /** The text editor the user last worked in (focus is in the chat view when they pick in it). */
  editor(): vscode.TextEditor | undefined {
    const editor = vscode.window.activeTextEditor ?? this.lastEditor;
    if (!editor || editor.document.isClosed) return undefined;
    return editor;
  }

  async copy(text: string): Promise<void> {
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage('Jan: copied to the clipboard', 2000);
  }

  async insertAtCursor(code: string): Promise<void> {
    const editor = this.editor();
    if (!editor) {
      void vscode.window.showWarningMessage('Jan: open a file to insert the code into.');
      return;
    }
    const shown = await vscode.window.showTextDocument(editor.document, editor.viewColumn);
    const done = await shown.edit((builder) => {
      for (const selection of shown.selections) builder.replace(selection, code);
    });
    if (!done) void vscode.window.showErrorMessage('Jan could not insert the code (the file may be read-only).');
  }

  /** The selection is replaced when there is one, else the whole file; either way as a diff first. */
  async applyToEditor(code: string): Promise<void> {
    const editor = this.editor();
    if (!editor) {
      void vscode.window.showWarningMessage('Jan: open the file to apply the code to.');
      return;
    }
    const document = editor.document;
    const range = editor.selection.isEmpty
      ? new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length))
      : new vscode.Range(editor.selection.start, editor.selection.end);
    await this.proposeEdit(document, range, code, 'Apply from chat');
  }

  async openExternal(url: string): Promise<void> {
    await vscode.env.openExternal(vscode.Uri.parse(url, true));
  }

  async runAction(action: HostAction): Promise<void> {
    await vscode.commands.executeCommand(ACTION_COMMANDS[action]);
  }

  async assistantAction(action: AssistantAction, assistant: AssistantRefView | undefined): Promise<void> {
    await vscode.commands.executeCommand(ASSISTANT_COMMANDS[action], ...(action === 'new' ? [] : [assistant]));
  }

  readonly activeThread: ActiveThreadStore = {
    load: () => this.extension.workspaceState.get<string>(ACTIVE_THREAD_KEY),
    save: async (id) => void (await this.extension.workspaceState.update(ACTIVE_THREAD_KEY, id)),
  };
}
