import * as vscode from 'vscode';
import type { Disposable, EventName, JanCore } from '@jan/core';
import { describeStatus, type EngineReport } from './status-text';

/** Events after which the engines' status may have changed. */
const STATUS_EVENTS: EventName[] = ['OnModelLoading', 'OnModelReady', 'OnModelStopped', 'OnModelFail', 'OnEngineCrashed', 'OnMessageUpdate'];
const REFRESH_MS = 250;
/** While something runs, look again even without an event (a stream may end without one). */
const BUSY_POLL_MS = 1000;

/** The status bar item: model, state and last tokens/s; a click opens Jan: Quick Actions. */
export class ModelStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('jan.model', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: Array<Disposable | vscode.Disposable> = [];
  private scheduled: NodeJS.Timeout | undefined;
  private poll: NodeJS.Timeout | undefined;

  constructor(private readonly core: JanCore) {
    this.item.name = 'Jan Model';
    this.item.command = 'jan.quickActions';
    for (const event of STATUS_EVENTS) this.subscriptions.push(core.events.on(event, () => this.schedule()));
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((change) => {
        if (change.affectsConfiguration('jan.chatModel') || change.affectsConfiguration('jan.remote.engines')) this.schedule();
      }),
    );
    this.refresh();
    this.item.show();
  }

  /** Coalesces bursts (OnMessageUpdate fires per streamed token). */
  schedule(): void {
    this.scheduled ??= setTimeout(() => {
      this.scheduled = undefined;
      this.refresh();
    }, REFRESH_MS);
  }

  refresh(): void {
    const engines = this.core.engines.all();
    const reports: EngineReport[] = engines.map((engine) => ({ engine: engine.displayName, status: engine.status(), destination: engine.destination }));
    const chatModel = vscode.workspace.getConfiguration('jan').get<string>('chatModel');
    // A remote engine's models are named `<engine id>/<model>`.
    const chatEngine = chatModel ? engines.find((engine) => chatModel.startsWith(`${engine.id}/`)) : undefined;
    const view = describeStatus(reports, chatModel, chatEngine?.destination);
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.backgroundColor = view.state === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    const busy = view.state === 'loading' || view.state === 'generating';
    if (busy && !this.poll) this.poll = setInterval(() => this.refresh(), BUSY_POLL_MS);
    if (!busy && this.poll) {
      clearInterval(this.poll);
      this.poll = undefined;
    }
  }

  dispose(): void {
    clearTimeout(this.scheduled);
    clearInterval(this.poll);
    for (const subscription of this.subscriptions) subscription.dispose();
    this.item.dispose();
  }
}
