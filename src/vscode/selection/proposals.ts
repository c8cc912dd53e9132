import * as vscode from 'vscode';

export const PROPOSAL_SCHEME = 'jan-proposal';

/**
 * Context keys holding the URIs of the proposals still being written and of those to accept or
 * reject: package.json's keybindings and title buttons test `resource in …` against them.
 */
const STREAMING_KEY = 'jan.streamingProposals';
const READY_KEY = 'jan.readyProposals';

interface Proposal {
  target: vscode.Uri;
  /** Document version the proposal was made against; an edit since then makes it stale. */
  version: number;
  range: vscode.Range;
  /** The document's text with the range cut out: the proposal's text is `before + replacement + after`. */
  before: string;
  after: string;
  original: string;
  replacement: string;
  title: string;
  /** Names the other side of the diff: the model, and where it runs. */
  source: string;
  state: 'streaming' | 'ready';
  /** The diff is open; it opens with the first text that differs from the original. */
  shown: boolean;
  stop: AbortController;
}

/** A proposal the model is still writing: the run updates it, then hands it to the user or drops it. */
export interface LiveProposal {
  readonly uri: vscode.Uri;
  /** Aborted when the user stops it (Stop, Escape) or closes its diff. */
  readonly signal: AbortSignal;
  /** The range's text so far; the diff opens with the first that differs from the original. */
  update(replacement: string): Promise<void>;
  /** Writing ended: the user accepts or rejects it (the notification, the diff's buttons and keys). */
  review(message: string, level?: 'info' | 'warning'): Promise<void>;
  /** Writing ended with nothing to propose: the diff closes. */
  discard(): Promise<void>;
}

/**
 * Proposed edits shown as a diff (original ↔ proposal) that the user accepts or rejects, from
 * the editor title buttons, the keys (package.json), or the notification. A proposal streams: its
 * document changes as the model writes, and the file itself changes only on Accept, in one edit
 * (one undo step); nothing of a rejected or stopped proposal ever reaches the file.
 */
export class ProposalStore implements vscode.TextDocumentContentProvider {
  private readonly proposals = new Map<string, Proposal>();
  private readonly changes = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changes.event;
  private counter = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    const proposal = this.proposals.get(uri.toString());
    return proposal ? proposal.before + proposal.replacement + proposal.after : '';
  }

  /** The content provider, the commands on proposals, and the end of a proposal whose diff the user closed. */
  register(): vscode.Disposable {
    return vscode.Disposable.from(
      vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, this),
      vscode.commands.registerCommand('jan.acceptProposal', (uri?: unknown) => this.accept(this.chosen(uri))),
      vscode.commands.registerCommand('jan.rejectProposal', (uri?: unknown) => this.reject(this.chosen(uri))),
      vscode.commands.registerCommand('jan.stopProposal', (uri?: unknown) => this.stop(this.chosen(uri))),
      vscode.window.tabGroups.onDidChangeTabs(({ closed }) => {
        for (const tab of closed) {
          if (tab.input instanceof vscode.TabInputTextDiff && this.proposals.has(tab.input.modified.toString()))
            this.forget(tab.input.modified);
        }
      }),
      this.changes,
    );
  }

  /** A proposal for `range` that the caller fills as the model writes it. */
  start(document: vscode.TextDocument, range: vscode.Range, title: string, source = 'proposal'): LiveProposal {
    const text = document.getText();
    const original = document.getText(range);
    this.counter += 1;
    const uri = vscode.Uri.from({
      scheme: PROPOSAL_SCHEME,
      path: document.uri.path,
      query: `proposal=${this.counter}`,
    });
    const proposal: Proposal = {
      target: document.uri,
      version: document.version,
      range,
      before: text.slice(0, document.offsetAt(range.start)),
      after: text.slice(document.offsetAt(range.end)),
      original,
      replacement: original,
      title,
      source,
      state: 'streaming',
      shown: false,
      stop: new AbortController(),
    };
    this.proposals.set(uri.toString(), proposal);
    this.updateContext();
    return {
      uri,
      signal: proposal.stop.signal,
      update: (replacement) => this.update(uri, replacement),
      review: (message, level) => this.review(uri, message, level),
      discard: () => this.close(uri),
    };
  }

  /** A finished proposal (the chat's Apply): shown, then accepted or rejected. */
  async propose(document: vscode.TextDocument, range: vscode.Range, replacement: string, title: string): Promise<void> {
    const live = this.start(document, range, title);
    await live.update(replacement);
    await live.review(`Jan proposes a change (${title}).`);
  }

  async accept(uri = this.activeProposal()): Promise<void> {
    const proposal = uri && this.proposals.get(uri.toString());
    if (!uri || !proposal) return;
    if (proposal.state === 'streaming') {
      void vscode.window.showInformationMessage('Jan is still writing this change. Stop it first, or wait for it.');
      return;
    }
    const document = await vscode.workspace.openTextDocument(proposal.target);
    if (document.version !== proposal.version) {
      void vscode.window.showWarningMessage(
        'The file changed since Jan made this proposal; it was not applied. Run the command again.',
      );
      return;
    }
    const start = document.offsetAt(proposal.range.start);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(proposal.target, proposal.range, proposal.replacement);
    if (!(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showErrorMessage('Jan could not apply the change.');
      return;
    }
    await this.close(uri);
    // The diff tab is gone: the file is left open on the code that changed, not on nothing.
    const changed = new vscode.Range(
      document.positionAt(start),
      document.positionAt(start + proposal.replacement.length),
    );
    await vscode.window.showTextDocument(document, { selection: changed, preview: false });
  }

  /** Drops the proposal (stopping the model first when it is still writing). */
  async reject(uri = this.activeProposal()): Promise<void> {
    const proposal = uri && this.proposals.get(uri.toString());
    if (!uri || !proposal) return;
    proposal.stop.abort();
    await this.close(uri);
    const document = await vscode.workspace.openTextDocument(proposal.target);
    await vscode.window.showTextDocument(document, { selection: proposal.range, preview: false });
  }

  /** Stops the model; what it wrote stays for review (see the run's `review`). */
  stop(uri = this.activeProposal()): void {
    if (uri) this.proposals.get(uri.toString())?.stop.abort();
  }

  private async update(uri: vscode.Uri, replacement: string): Promise<void> {
    const proposal = this.proposals.get(uri.toString());
    if (!proposal || proposal.replacement === replacement) return;
    proposal.replacement = replacement;
    if (proposal.shown) {
      this.changes.fire(uri);
      return;
    }
    proposal.shown = true;
    const file = vscode.workspace.asRelativePath(proposal.target);
    await vscode.commands.executeCommand(
      'vscode.diff',
      proposal.target,
      uri,
      `${proposal.title}: ${file} ↔ ${proposal.source}`,
      // Not a preview: it would take the place of a file opened as a preview, which then closes with it.
      { preview: false, selection: new vscode.Range(proposal.range.start, proposal.range.start) },
    );
  }

  private async review(uri: vscode.Uri, message: string, level: 'info' | 'warning' = 'info'): Promise<void> {
    const proposal = this.proposals.get(uri.toString());
    if (!proposal) return;
    proposal.state = 'ready';
    this.updateContext();
    const show = level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const choice = await show(message, 'Accept', 'Reject');
    if (choice === 'Accept') await this.accept(uri);
    else if (choice === 'Reject') await this.reject(uri);
  }

  /** A command's argument when it is one of our proposals (a title button passes the editor's resource), else the active one. */
  private chosen(argument: unknown): vscode.Uri | undefined {
    return argument instanceof vscode.Uri && argument.scheme === PROPOSAL_SCHEME ? argument : this.activeProposal();
  }

  private activeProposal(): vscode.Uri | undefined {
    for (const tab of vscode.window.tabGroups.activeTabGroup.tabs) {
      if (
        tab.isActive &&
        tab.input instanceof vscode.TabInputTextDiff &&
        tab.input.modified.scheme === PROPOSAL_SCHEME
      ) {
        return tab.input.modified;
      }
    }
    return undefined;
  }

  private forget(uri: vscode.Uri): void {
    this.proposals.get(uri.toString())?.stop.abort();
    this.proposals.delete(uri.toString());
    this.updateContext();
  }

  private async close(uri: vscode.Uri): Promise<void> {
    this.forget(uri);
    const tabs = vscode.window.tabGroups.all
      .flatMap((group) => group.tabs)
      .filter(
        (tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === uri.toString(),
      );
    await vscode.window.tabGroups.close(tabs);
  }

  private updateContext(): void {
    const uris = (state: Proposal['state']) =>
      [...this.proposals.entries()].filter(([, proposal]) => proposal.state === state).map(([uri]) => uri);
    void vscode.commands.executeCommand('setContext', STREAMING_KEY, uris('streaming'));
    void vscode.commands.executeCommand('setContext', READY_KEY, uris('ready'));
  }
}
