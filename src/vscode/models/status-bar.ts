import * as vscode from 'vscode';
import type { Disposable, EventName, InferenceService, JanCore } from '@jan/core';
import { describeStatus, type EngineReport } from './status-text';

/** Settings the item shows. */
const SHOWN_SETTINGS = ['jan.chatModel', 'jan.completionModel', 'jan.inlineCompletion.enabled', 'jan.remote.engines'];

/** Events after which the engines' status may have changed. */
const STATUS_EVENTS: EventName[] = [
  'OnModelLoading',
  'OnModelReady',
  'OnModelStopped',
  'OnModelFail',
  'OnEngineCrashed',
  'OnMessageUpdate',
];
const REFRESH_MS = 250;
/** While something runs, look again even without an event (a stream may end without one). */
const BUSY_POLL_MS = 1000;

/**
 * The status bar item: chat model, state and last tokens/s, and the completion model with whether
 * completion is on; a click opens Jan: Quick Actions. Models are named as the pickers name them
 * (listed once the runtime started, and again when the models change).
 */
export class ModelStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('jan.model', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: Array<Disposable | vscode.Disposable> = [];
  private scheduled: NodeJS.Timeout | undefined;
  private poll: NodeJS.Timeout | undefined;
  private names = new Map<string, string>();

  constructor(
    private readonly core: JanCore,
    private readonly inference: Pick<InferenceService, 'listModels'>,
    started: Promise<unknown>,
  ) {
    this.item.name = 'Jan Model';
    this.item.command = 'jan.quickActions';
    for (const event of STATUS_EVENTS) this.subscriptions.push(core.events.on(event, () => this.schedule()));
    this.subscriptions.push(
      core.events.on('OnModelsChanged', () => void this.loadNames()),
      vscode.workspace.onDidChangeConfiguration((change) => {
        if (SHOWN_SETTINGS.some((setting) => change.affectsConfiguration(setting))) this.schedule();
      }),
    );
    void started.then(() => this.loadNames());
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
    const reports: EngineReport[] = engines.map((engine) => ({
      engine: engine.displayName,
      status: engine.status(),
      destination: engine.destination,
    }));
    const config = vscode.workspace.getConfiguration('jan');
    const chat = config.get<string>('chatModel');
    // A remote engine's models are named `<engine id>/<model>`.
    const chatEngine = chat ? engines.find((engine) => chat.startsWith(`${engine.id}/`)) : undefined;
    const choices = {
      chat,
      chatDestination: chatEngine?.destination,
      completion: config.get<string>('completionModel'),
      completionEnabled: config.get<boolean>('inlineCompletion.enabled', true),
    };
    const view = describeStatus(reports, choices, (id) => this.names.get(id) ?? id);
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.backgroundColor =
      view.state === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    const busy = view.state === 'loading' || view.state === 'generating';
    if (busy && !this.poll) this.poll = setInterval(() => this.refresh(), BUSY_POLL_MS);
    if (!busy && this.poll) {
      clearInterval(this.poll);
      this.poll = undefined;
    }
  }

  /** Lists the models for their names; without a listing the item shows ids. */
  async loadNames(): Promise<void> {
    try {
      this.names = new Map((await this.inference.listModels()).map((model) => [model.id, model.name]));
    } catch {
      // The listing's failure is logged where it happens; the ids stay shown.
    }
    this.refresh();
  }

  dispose(): void {
    clearTimeout(this.scheduled);
    clearInterval(this.poll);
    for (const subscription of this.subscriptions) subscription.dispose();
    this.item.dispose();
  }
}
