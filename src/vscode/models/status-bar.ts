import * as vscode from 'vscode';
import type { Disposable, EventName, InferenceService, JanCore } from '@jan/core';
import { configuredModel, editorSettings } from '../settings';
import { describeStatus, type EngineReport } from './status-text';

/** Settings the item shows. */
const LISTED_SETTINGS = ['jan.chatModel', 'jan.completionModel', 'jan.remote.engines'];
const SHOWN_SETTINGS = [...LISTED_SETTINGS, 'jan.inlineCompletion.enabled'];

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
  /** Each listed model's name and engine id (its engine, looked up at each refresh, says where it runs). */
  private listed = new Map<string, { name: string; engine: string }>();

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
      // A remote engine's server changed: its models are listed again, and run elsewhere now.
      core.events.on('OnEnginesChanged', () => void this.loadNames()),
      vscode.workspace.onDidChangeConfiguration((change) => {
        // A model picked from a server's fresh listing may be one this item has not listed yet.
        if (LISTED_SETTINGS.some((setting) => change.affectsConfiguration(setting))) void this.loadNames();
        else if (SHOWN_SETTINGS.some((setting) => change.affectsConfiguration(setting))) this.schedule();
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
      runsOn: engine.runsOn,
    }));
    const chat = configuredModel('chat');
    const chatEngine = chat ? this.listed.get(chat)?.engine : undefined;
    const choices = {
      chat,
      chatRunsOn: chatEngine ? this.core.engines.get(chatEngine)?.runsOn : undefined,
      completion: configuredModel('completion'),
      completionEnabled: editorSettings().get('jan.inlineCompletion.enabled'),
    };
    const view = describeStatus(reports, choices, (id) => this.listed.get(id)?.name ?? id);
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
      const models = await this.inference.listModels();
      this.listed = new Map(models.map((model) => [model.id, { name: model.name, engine: model.engine }]));
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
