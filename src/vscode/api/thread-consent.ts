import * as vscode from 'vscode';
import type { ApiCaller } from '@jan/core';

const KEY = 'jan.api.threadAccess';

/**
 * Whether another extension may read and write the user's Jan threads: asked once per extension
 * (modal, naming it), the answer remembered in global state until the user changes it in
 * Jan: Show Extensions. Jan itself and Node programs (the user's own) are never asked.
 */
export class ThreadConsent {
  private readonly asking = new Map<string, Promise<boolean>>();

  constructor(private readonly state: vscode.Memento) {}

  allowed(caller: ApiCaller): Promise<boolean> {
    if (caller.kind !== 'extension') return Promise.resolve(true);
    const known = this.answers()[caller.id];
    if (known !== undefined) return Promise.resolve(known);
    let pending = this.asking.get(caller.id);
    if (!pending) {
      pending = this.ask(caller).finally(() => this.asking.delete(caller.id));
      this.asking.set(caller.id, pending);
    }
    return pending;
  }

  /** The remembered answer for an extension, if it has been asked. */
  answer(callerId: string): boolean | undefined {
    return this.answers()[callerId];
  }

  async remember(callerId: string, allowed: boolean | undefined): Promise<void> {
    const answers = { ...this.answers() };
    if (allowed === undefined) delete answers[callerId];
    else answers[callerId] = allowed;
    await this.state.update(KEY, answers);
  }

  private async ask(caller: ApiCaller): Promise<boolean> {
    const allow = 'Allow';
    const picked = await vscode.window.showWarningMessage(
      `The extension "${caller.displayName}" (${caller.id}) wants to read and write your Jan chat threads.`,
      {
        modal: true,
        detail: 'Threads hold your messages and the code you attached. You can change this in Jan: Show Extensions.',
      },
      allow,
      "Don't Allow",
    );
    // Closing the dialog is not an answer: the extension is asked again next time.
    if (picked === undefined) return false;
    await this.remember(caller.id, picked === allow);
    return picked === allow;
  }

  private answers(): Record<string, boolean> {
    const stored = this.state.get<unknown>(KEY);
    return stored && typeof stored === 'object' ? (stored as Record<string, boolean>) : {};
  }
}
