import * as vscode from 'vscode';
import type { RemoteEngineDefinition } from '../../../extensions/remote';

const STATE_KEY = 'jan.remote.workspaceServers';

/**
 * Asks, once per workspace and server, whether a server that this workspace's settings define
 * (and that is not on this machine) may receive code, and remembers the answer. Dismissing the
 * question is not an answer: it is asked again on the next use.
 */
export class WorkspaceServerConsent {
  private readonly asking = new Map<string, Promise<boolean>>();

  constructor(
    private readonly state: vscode.Memento,
    private readonly workspaceKey: string,
  ) {}

  allow(definition: RemoteEngineDefinition): Promise<boolean> {
    const key = `${this.workspaceKey}|${definition.baseUrl}`;
    const known = this.answers()[key];
    if (known !== undefined) return Promise.resolve(known);
    let pending = this.asking.get(key);
    if (!pending) {
      pending = this.ask(definition, key).finally(() => this.asking.delete(key));
      this.asking.set(key, pending);
    }
    return pending;
  }

  /** Forgets the answers for this workspace, so the next use asks again. */
  async forget(baseUrl?: string): Promise<void> {
    const answers = this.answers();
    for (const key of Object.keys(answers))
      if (key.startsWith(`${this.workspaceKey}|`) && (!baseUrl || key.endsWith(`|${baseUrl}`))) delete answers[key];
    await this.state.update(STATE_KEY, answers);
  }

  private async ask(definition: RemoteEngineDefinition, key: string): Promise<boolean> {
    const host = new URL(definition.baseUrl).host;
    const choice = await vscode.window.showWarningMessage(
      `This workspace's settings define the remote engine "${definition.name}" at ${host}. Send your prompts and code to ${host}?`,
      { modal: true, detail: `Jan remembers the answer for this workspace. Base URL: ${definition.baseUrl}` },
      'Allow',
      "Don't Allow",
    );
    if (choice === undefined) return false;
    const allowed = choice === 'Allow';
    await this.state.update(STATE_KEY, { ...this.answers(), [key]: allowed });
    return allowed;
  }

  private answers(): Record<string, boolean> {
    return { ...this.state.get<Record<string, boolean>>(STATE_KEY, {}) };
  }
}
