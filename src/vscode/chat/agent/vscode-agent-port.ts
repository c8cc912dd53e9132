import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FileChange, JanSettings, ToolIdentity } from '@jan/core';
import type { AgentHostPort } from '../chat-backend';
import { planRestore, type RestoreFile } from './checkpoint';

/** Where "always for this tool in this workspace" is kept: `source/name` of each tool. */
export const ALWAYS_ALLOW_KEY = 'jan.agent.alwaysAllow';

const key = (tool: ToolIdentity) => `${tool.source}/${tool.name}`;

/** The scheme of the read-only documents the diff editor shows for a proposed change. */
export const PROPOSAL_SCHEME = 'jan-agent-proposal';

/** Agent turns in the editor: the workspace's trust and state, and checkpoints reverted as one undoable edit. */
export class VsCodeAgentPort implements AgentHostPort, vscode.Disposable {
  /** Texts of the proposal documents by path (`<serial>/<side>/<file>`); the last few kept. */
  private readonly proposals = new Map<string, string>();
  private provider: vscode.Disposable | undefined;
  private serial = 0;

  constructor(
    private readonly state: vscode.Memento,
    private readonly root: string | undefined,
    private readonly settings: JanSettings,
  ) {}

  isTrusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  hasWorkspace(): boolean {
    return this.root !== undefined;
  }

  reviewsEditsAfter(): boolean {
    return this.settings.get('jan.agent.reviewEdits') === 'after';
  }

  isAlwaysAllowed(tool: ToolIdentity): boolean {
    return this.allowed().includes(key(tool));
  }

  async rememberAlways(tool: ToolIdentity): Promise<void> {
    const allowed = this.allowed();
    if (!allowed.includes(key(tool))) await this.state.update(ALWAYS_ALLOW_KEY, [...allowed, key(tool)]);
  }

  async showDiff(change: FileChange): Promise<void> {
    this.provider ??= vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, {
      provideTextDocumentContent: (uri) => this.proposals.get(uri.path) ?? '',
    });
    const id = ++this.serial;
    const side = (name: string, text: string | null) => {
      const key = `/${id}/${name}/${change.path}`;
      this.proposals.set(key, text ?? '');
      return vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: key });
    };
    const before = side('before', change.before);
    const after = side('after', change.after);
    // Two documents per diff: the last ten diffs stay readable.
    while (this.proposals.size > 20) this.proposals.delete(this.proposals.keys().next().value!);
    await vscode.commands.executeCommand('vscode.diff', before, after, `${change.path} (Jan's proposed change)`, {
      preview: true,
    });
  }

  dispose(): void {
    this.provider?.dispose();
  }

  /** Jan: Forget Agent Approvals: every tool asks again in this workspace. */
  async forgetAlways(): Promise<void> {
    await this.state.update(ALWAYS_ALLOW_KEY, undefined);
  }

  async restore(files: RestoreFile[]): Promise<{ conflicts: string[] }> {
    const root = this.root;
    if (!root) return { conflicts: files.map((file) => file.path) };
    const uri = (relative: string) => vscode.Uri.file(path.join(root, relative));
    const { writes, conflicts } = await planRestore(files, (relative) => currentText(uri(relative)));
    const edit = new vscode.WorkspaceEdit();
    const touched: vscode.TextDocument[] = [];
    for (const file of writes) {
      const target = uri(file.path);
      if (file.text === null) {
        edit.deleteFile(target, { ignoreIfNotExists: true });
      } else if (file.expected === null) {
        edit.createFile(target, { overwrite: false, contents: new TextEncoder().encode(file.text) });
      } else {
        const document = await vscode.workspace.openTextDocument(target);
        const end = document.positionAt(document.getText().length);
        edit.replace(target, new vscode.Range(new vscode.Position(0, 0), end), file.text);
        touched.push(document);
      }
    }
    if (writes.length > 0 && !(await vscode.workspace.applyEdit(edit)))
      return { conflicts: files.map((file) => file.path) };
    // The agent's own writes are on disk: so is their revert (the edit stays undoable).
    await Promise.all(touched.map((document) => document.save()));
    return { conflicts };
  }

  private allowed(): string[] {
    const value = this.state.get<unknown>(ALWAYS_ALLOW_KEY);
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  }
}

/** The file's text as the user sees it (an open editor's unsaved text first); null when it does not exist. */
async function currentText(uri: vscode.Uri): Promise<string | null> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (open) return open.getText();
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return null;
  }
}
