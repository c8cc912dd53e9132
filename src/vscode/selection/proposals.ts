import * as vscode from 'vscode';

export const PROPOSAL_SCHEME = 'jan-proposal';

interface Proposal {
  target: vscode.Uri;
  /** Document version the proposal was made against; an edit since then makes it stale. */
  version: number;
  range: vscode.Range;
  replacement: string;
  text: string;
}

/**
 * Proposed edits shown as a diff (original ↔ proposal) that the user accepts or rejects, from
 * the editor title buttons or the notification.
 */
export class ProposalStore implements vscode.TextDocumentContentProvider {
  private readonly proposals = new Map<string, Proposal>();
  private counter = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.proposals.get(uri.toString())?.text ?? '';
  }

  async propose(document: vscode.TextDocument, range: vscode.Range, replacement: string, title: string): Promise<void> {
    const offsetStart = document.offsetAt(range.start);
    const offsetEnd = document.offsetAt(range.end);
    const original = document.getText();
    const text = original.slice(0, offsetStart) + replacement + original.slice(offsetEnd);
    this.counter += 1;
    const uri = vscode.Uri.from({
      scheme: PROPOSAL_SCHEME,
      path: document.uri.path,
      query: `proposal=${this.counter}`,
    });
    this.proposals.set(uri.toString(), { target: document.uri, version: document.version, range, replacement, text });
    await vscode.commands.executeCommand(
      'vscode.diff',
      document.uri,
      uri,
      `${title}: ${vscode.workspace.asRelativePath(document.uri)} ↔ proposal`,
    );
    const choice = await vscode.window.showInformationMessage(`Jan proposes a change (${title}).`, 'Accept', 'Reject');
    if (choice === 'Accept') await this.accept(uri);
    else if (choice === 'Reject') await this.reject(uri);
  }

  async accept(uri = this.activeProposal()): Promise<void> {
    const proposal = uri && this.proposals.get(uri.toString());
    if (!uri || !proposal) return;
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

  async reject(uri = this.activeProposal()): Promise<void> {
    const proposal = uri && this.proposals.get(uri.toString());
    if (!uri || !proposal) return;
    await this.close(uri);
    const document = await vscode.workspace.openTextDocument(proposal.target);
    await vscode.window.showTextDocument(document, { selection: proposal.range, preview: false });
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

  private async close(uri: vscode.Uri): Promise<void> {
    this.proposals.delete(uri.toString());
    const tabs = vscode.window.tabGroups.all
      .flatMap((group) => group.tabs)
      .filter(
        (tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === uri.toString(),
      );
    await vscode.window.tabGroups.close(tabs);
  }
}
