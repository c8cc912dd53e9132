/**
 * A small `vscode` for testing the adapters in src/vscode/ under vitest (vitest.config.mts maps
 * the module name here for test/vscode-adapters/). It is the editor only: the runtime, the store
 * and the engine under the adapters stay real. The user is `ui`: every prompt is answered by the
 * next scripted answer, and every message is recorded. Only what the adapters use is here;
 * test/vscode-suite/ runs the same code in the real extension host.
 */
import * as path from 'node:path';

type Listener<T> = (event: T) => unknown;

export class EventEmitter<T> {
  private listeners: Array<Listener<T>> = [];
  readonly event = (listener: Listener<T>): Disposable => {
    this.listeners.push(listener);
    return new Disposable(() => (this.listeners = this.listeners.filter((candidate) => candidate !== listener)));
  };
  fire(event: T): void {
    for (const listener of [...this.listeners]) listener(event);
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class Disposable {
  constructor(private readonly onDispose: () => unknown = () => undefined) {}
  static from(...items: Array<{ dispose(): unknown }>): Disposable {
    return new Disposable(() => items.forEach((item) => item.dispose()));
  }
  dispose(): void {
    this.onDispose();
  }
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(start: Position, end: Position) {
    this.start = start;
    this.end = end;
  }
  get isEmpty(): boolean {
    return this.start.line === this.end.line && this.start.character === this.end.character;
  }
}

export class Selection extends Range {
  /** Where the cursor is: the end of a selection made forwards. */
  get active(): Position {
    return this.end;
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
    readonly query: string,
  ) {}
  static file(fsPath: string): Uri {
    return new Uri('file', '', fsPath, '');
  }
  static from(parts: { scheme: string; authority?: string; path?: string; query?: string }): Uri {
    return new Uri(parts.scheme, parts.authority ?? '', parts.path ?? '', parts.query ?? '');
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, base.authority, path.posix.join(base.path, ...parts), base.query);
  }
  static parse(value: string): Uri {
    const url = new URL(value);
    return new Uri(url.protocol.slice(0, -1), url.host, url.pathname, url.search.slice(1));
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}://${this.authority}${this.path}${this.query ? `?${this.query}` : ''}`;
  }
}

export class CancellationTokenSource {
  private readonly emitter = new EventEmitter<void>();
  readonly token = {
    isCancellationRequested: false,
    onCancellationRequested: (listener: Listener<void>) => this.emitter.event(listener),
  };
  cancel(): void {
    if (this.token.isCancellationRequested) return;
    this.token.isCancellationRequested = true;
    this.emitter.fire();
  }
  dispose(): void {
    this.emitter.dispose();
  }
}

export class InlineCompletionItem {
  constructor(
    readonly insertText: string,
    readonly range?: Range,
  ) {}
}

export class WorkspaceEdit {
  readonly replacements: Array<{ uri: Uri; range: Range; text: string }> = [];
  replace(uri: Uri, range: Range, text: string): void {
    this.replacements.push({ uri, range, text });
  }
}

export class LanguageModelTextPart {
  constructor(readonly value: string) {}
}

export class ThemeColor {
  constructor(readonly id: string) {}
}

export class TabInputTextDiff {
  constructor(
    readonly original: Uri,
    readonly modified: Uri,
  ) {}
}

/** An editor tab; `vscode.diff` opens one in the active group. */
export interface StandInTab {
  label: string;
  isActive: boolean;
  input: unknown;
}

export enum ProgressLocation {
  SourceControl = 1,
  Window = 10,
  Notification = 15,
}
export enum QuickPickItemKind {
  Separator = -1,
  Default = 0,
}
export enum StatusBarAlignment {
  Left = 1,
  Right = 2,
}
export enum InlineCompletionTriggerKind {
  Invoke = 0,
  Automatic = 1,
}
export enum ConfigurationTarget {
  Global = 1,
  Workspace = 2,
  WorkspaceFolder = 3,
}

/**
 * A text document held in memory; edits through `workspace.applyEdit` bump its version, and each
 * one is an undo step, as a WorkspaceEdit is in VS Code.
 */
export class StandInDocument {
  version = 1;
  isClosed = false;
  /** Edited since it was opened or saved. */
  isDirty = false;
  /** Text written by `save()`, in order. */
  readonly saves: string[] = [];
  /** The text before each edit applied to it, oldest first (its undo stack). */
  readonly undoStack: string[] = [];
  constructor(
    readonly uri: Uri,
    private text: string,
    readonly languageId = 'typescript',
  ) {}
  get lineCount(): number {
    return this.lines().length;
  }
  lineAt(line: number): { text: string } {
    return { text: this.lines()[line] ?? '' };
  }
  getText(range?: Range): string {
    if (!range) return this.text;
    return this.text.slice(this.offsetAt(range.start), this.offsetAt(range.end));
  }
  offsetAt(position: Position): number {
    const lines = this.lines();
    let offset = 0;
    for (let line = 0; line < position.line; line++) offset += lines[line]!.length + 1;
    return offset + position.character;
  }
  positionAt(offset: number): Position {
    const before = this.text.slice(0, offset).split('\n');
    return new Position(before.length - 1, before.at(-1)!.length);
  }
  /** Changes the text as the user typing would (the version moves on). */
  setText(text: string): void {
    this.text = text;
    this.version += 1;
    this.isDirty = true;
  }
  async save(): Promise<boolean> {
    this.saves.push(this.text);
    this.isDirty = false;
    return true;
  }
  /** Applies an edit: one undo step. */
  edit(text: string): void {
    this.undoStack.push(this.text);
    this.setText(text);
  }
  /** Ctrl+Z: back to the text before the last edit. */
  undo(): void {
    const before = this.undoStack.pop();
    if (before !== undefined) this.setText(before);
  }
  private lines(): string[] {
    return this.text.split('\n');
  }
}

/**
 * A webview view as VS Code runs one without `retainContextWhenHidden`: the first reveal resolves
 * it; hiding it (another view container shown) or collapsing it destroys its page without
 * disposing the view (both are `visible: false` to the extension), and messages posted meanwhile
 * are dropped; showing it again loads a new page in the same view. A page says `ready` a moment
 * after it loads, as the chat page does. Each page records what it received.
 */
export class StandInWebviewView {
  visible = false;
  /** What each page loaded in this view received, in order (the current page is the last). */
  readonly pages: unknown[][] = [];
  private readonly visibility = new EventEmitter<void>();
  private readonly disposed = new EventEmitter<void>();
  private readonly received = new EventEmitter<unknown>();
  readonly onDidChangeVisibility = this.visibility.event;
  readonly onDidDispose = this.disposed.event;
  readonly webview = {
    options: {} as unknown,
    html: '',
    cspSource: 'vscode-webview:',
    asWebviewUri: (uri: Uri) => uri,
    onDidReceiveMessage: this.received.event,
    postMessage: async (message: unknown): Promise<boolean> => {
      if (!this.visible) return false;
      this.pages.at(-1)!.push(message);
      return true;
    },
  };

  constructor(private readonly pageLoadMs: number) {}

  /** The page now shown (empty before the first). */
  get page(): unknown[] {
    return this.pages.at(-1) ?? [];
  }

  show(): void {
    if (this.visible) return;
    this.visible = true;
    this.pages.push([]);
    this.visibility.fire();
    const page = this.pages.length;
    setTimeout(() => {
      if (this.visible && this.pages.length === page) this.received.fire({ type: 'ready' });
    }, this.pageLoadMs);
  }

  hide(): void {
    if (!this.visible) return;
    this.visible = false;
    this.visibility.fire();
  }
}

// ── The user and the editor's state ─────────────────────────────────────────────────────────

type Answer = (prompt: string, items?: unknown) => unknown;

/** The scripted user: answers prompts in order, and what the editor showed them. */
export const ui = {
  answers: [] as Answer[],
  messages: [] as Array<{ level: 'info' | 'warning' | 'error' | 'status'; text: string }>,
  progress: [] as Array<{
    title: string;
    reports: Array<{ message?: string; increment?: number }>;
    source: CancellationTokenSource;
  }>,
  executed: [] as Array<{ command: string; args: unknown[] }>,
  clipboard: '',
  opened: [] as string[],
  /** Context keys set with `setContext` (the keybindings' and menus' `when`). */
  context: new Map<string, unknown>(),
  /** Documents shown in an editor (`window.showTextDocument`), with the options they were shown with. */
  shown: [] as Array<{ uri: string; options?: { selection?: Range; preview?: boolean } }>,
  /** Queues the user's next answer (a function of the prompt, or the answer itself). */
  answer(next: unknown): void {
    this.answers.push(typeof next === 'function' ? (next as Answer) : () => next);
  },
};

const configuration = new Map<string, unknown>();
const configurationChanged = new EventEmitter<{ affectsConfiguration(section: string): boolean }>();
/** Fire with `{ document, contentChanges: [{ range }] }` to play an edit. */
export const textDocumentChanged = new EventEmitter<unknown>();
/** Fire with the document to play a save. */
export const textDocumentSaved = new EventEmitter<unknown>();
/** Fire with the editor (after setting `window.activeTextEditor`) to play a file opened or focused. */
export const activeEditorChanged = new EventEmitter<unknown>();
const registeredCommands = new Map<string, (...args: unknown[]) => unknown>();
const activeTabGroup = { tabs: [] as StandInTab[] };
const tabsChanged = new EventEmitter<{ opened: StandInTab[]; closed: StandInTab[]; changed: StandInTab[] }>();

/** VS Code's own commands the adapters run: a diff opens a tab, `setContext` sets a context key. */
const builtInCommands: Record<string, (...args: unknown[]) => unknown> = {
  'vscode.diff': (original, modified, title) => {
    for (const tab of activeTabGroup.tabs) tab.isActive = false;
    const tab = { label: String(title), isActive: true, input: new TabInputTextDiff(original as Uri, modified as Uri) };
    activeTabGroup.tabs.push(tab);
    tabsChanged.fire({ opened: [tab], closed: [], changed: [] });
  },
  setContext: (key, value) => void ui.context.set(String(key), value),
};
const documents = new Map<string, StandInDocument>();
export const registered = {
  inlineProviders: [] as unknown[],
  contentProviders: new Map<string, unknown>(),
  statusItems: [] as Array<{ text: string; tooltip: string; command: string; backgroundColor: unknown }>,
  /** Language model chat providers by vendor (`lm.registerLanguageModelChatProvider`). */
  lmProviders: new Map<string, unknown>(),
  /** Webview views by id; a view exists once it was first revealed (`<id>.focus`). */
  webviewViews: new Map<string, StandInWebviewView>(),
  terminals: [] as Array<{ name: string; output: string; shown: number; disposed: boolean }>,
};

/** How long a webview page takes to load and say `ready`. */
const PAGE_LOAD_MS = 20;

/** Back to a fresh editor: no settings, no commands, no documents, no scripted answers. */
export function resetStandIn(): void {
  configuration.clear();
  installedExtensions.clear();
  registeredCommands.clear();
  documents.clear();
  diagnostics.clear();
  registered.inlineProviders.length = 0;
  registered.contentProviders.clear();
  registered.statusItems.length = 0;
  registered.webviewViews.clear();
  registered.terminals.length = 0;
  registered.lmProviders.clear();
  ui.answers.length = 0;
  ui.messages.length = 0;
  ui.progress.length = 0;
  ui.executed.length = 0;
  ui.clipboard = '';
  ui.opened.length = 0;
  ui.context.clear();
  activeTabGroup.tabs.length = 0;
  ui.shown.length = 0;
  window.activeTextEditor = undefined;
}

/** Sets a setting (`jan.chatModel`) and tells the listeners, as the Settings editor does. */
export function setSetting(key: string, value: unknown): void {
  configuration.set(key, value);
  configurationChanged.fire({ affectsConfiguration: (section) => key === section || key.startsWith(`${section}.`) });
}

export function openDocument(fsPath: string, text: string, languageId?: string): StandInDocument {
  const document = new StandInDocument(Uri.file(fsPath), text, languageId);
  documents.set(document.uri.toString(), document);
  return document;
}

type ProgressReport = { message?: string; increment?: number };
type ProgressTask<T> = (
  progress: { report(value: ProgressReport): void },
  token: CancellationTokenSource['token'],
) => Promise<T>;

function nextAnswer(prompt: string, items?: unknown): unknown {
  const answer = ui.answers.shift();
  return answer ? answer(prompt, items) : undefined;
}

export const workspace = {
  isTrusted: true,
  get textDocuments(): StandInDocument[] {
    return [...documents.values()];
  },
  workspaceFolders: undefined as Array<{ uri: Uri }> | undefined,
  getConfiguration(section?: string) {
    const full = (key: string) => (section ? `${section}.${key}` : key);
    return {
      get: <T>(key: string, fallback?: T): T | undefined =>
        configuration.has(full(key)) ? (configuration.get(full(key)) as T) : fallback,
      inspect: (key: string) => ({ globalValue: configuration.get(full(key)), workspaceValue: undefined }),
      update: async (key: string, value: unknown) => setSetting(full(key), value),
    };
  },
  onDidChangeConfiguration: configurationChanged.event,
  onDidGrantWorkspaceTrust: new EventEmitter<void>().event,
  onDidChangeTextDocument: textDocumentChanged.event,
  onDidSaveTextDocument: textDocumentSaved.event,
  asRelativePath(uri: Uri): string {
    return path.basename(uri.fsPath);
  },
  async openTextDocument(uri: Uri): Promise<StandInDocument> {
    const document = documents.get(uri.toString());
    if (!document) throw new Error(`No document ${uri.toString()}`);
    return document;
  },
  async applyEdit(edit: WorkspaceEdit): Promise<boolean> {
    for (const { uri, range, text } of edit.replacements) {
      const document = documents.get(uri.toString());
      if (!document) return false;
      const all = document.getText();
      document.edit(all.slice(0, document.offsetAt(range.start)) + text + all.slice(document.offsetAt(range.end)));
    }
    return true;
  },
  registerTextDocumentContentProvider(scheme: string, provider: unknown): Disposable {
    registered.contentProviders.set(scheme, provider);
    return new Disposable(() => registered.contentProviders.delete(scheme));
  },
};

export const window = {
  activeTextEditor: undefined as { document: StandInDocument; selection: Selection } | undefined,
  onDidChangeActiveTextEditor: activeEditorChanged.event,
  tabGroups: {
    activeTabGroup,
    all: [activeTabGroup],
    onDidChangeTabs: tabsChanged.event,
    /** Closes tabs as the user or an extension does, and says so. */
    async close(tabs: StandInTab | StandInTab[]): Promise<boolean> {
      const closed = (Array.isArray(tabs) ? tabs : [tabs]).filter((tab) => activeTabGroup.tabs.includes(tab));
      activeTabGroup.tabs = activeTabGroup.tabs.filter((tab) => !closed.includes(tab));
      if (closed.length > 0) tabsChanged.fire({ opened: [], closed, changed: [] });
      return true;
    },
  },
  async showInformationMessage(text: string, ...items: unknown[]): Promise<unknown> {
    ui.messages.push({ level: 'info', text });
    return nextAnswer(text, items);
  },
  async showWarningMessage(text: string, ...items: unknown[]): Promise<unknown> {
    ui.messages.push({ level: 'warning', text });
    return nextAnswer(text, items);
  },
  async showErrorMessage(text: string, ...items: unknown[]): Promise<unknown> {
    ui.messages.push({ level: 'error', text });
    return nextAnswer(text, items);
  },
  setStatusBarMessage(text: string): Disposable {
    ui.messages.push({ level: 'status', text });
    return new Disposable();
  },
  async showQuickPick(items: unknown, options?: { title?: string }): Promise<unknown> {
    return nextAnswer(options?.title ?? 'quick pick', await items);
  },
  async showInputBox(options?: {
    title?: string;
    prompt?: string;
    validateInput?: (value: string) => unknown;
  }): Promise<unknown> {
    return nextAnswer(options?.prompt ?? options?.title ?? 'input', options);
  },
  async showOpenDialog(options?: { title?: string }): Promise<unknown> {
    return nextAnswer(options?.title ?? 'open', options);
  },
  async showSaveDialog(options?: { title?: string }): Promise<unknown> {
    return nextAnswer(options?.title ?? 'save', options);
  },
  /** Shows the document; the editor's `edit` replaces each selection as VS Code's builder does. */
  async showTextDocument(document: StandInDocument, options?: { selection?: Range; preview?: boolean }) {
    ui.shown.push({ uri: document.uri.toString(), options });
    const selection =
      window.activeTextEditor?.document === document
        ? window.activeTextEditor.selection
        : new Selection(new Position(0, 0), new Position(0, 0));
    return {
      document,
      selections: [selection],
      edit: async (build: (builder: { replace(range: Range, text: string): void }) => void) => {
        const edit = new WorkspaceEdit();
        build({ replace: (range, text) => edit.replace(document.uri, range, text) });
        return workspace.applyEdit(edit);
      },
    };
  },
  async withProgress<T>(options: { title?: string }, task: ProgressTask<T>): Promise<T> {
    const source = new CancellationTokenSource();
    const entry = {
      title: options.title ?? '',
      reports: [] as Array<{ message?: string; increment?: number }>,
      source,
    };
    ui.progress.push(entry);
    return task({ report: (value) => entry.reports.push(value) }, source.token);
  },
  /** Registers `<id>.focus` as VS Code does: it resolves the view on first use and shows it. */
  registerWebviewViewProvider(
    id: string,
    provider: { resolveWebviewView(view: StandInWebviewView): void },
  ): Disposable {
    const focus = commands.registerCommand(`${id}.focus`, () => {
      let view = registered.webviewViews.get(id);
      if (!view) {
        view = new StandInWebviewView(PAGE_LOAD_MS);
        registered.webviewViews.set(id, view);
        provider.resolveWebviewView(view);
      }
      view.show();
    });
    return new Disposable(() => focus.dispose());
  },
  /** A pseudo-terminal: what it writes is recorded in `terminals` (by name). */
  createTerminal(options: { name: string; pty: { onDidWrite: (listener: (text: string) => void) => Disposable } }) {
    const terminal = { name: options.name, output: '', shown: 0, disposed: false };
    options.pty.onDidWrite((text) => void (terminal.output += text));
    registered.terminals.push(terminal);
    return { show: () => void terminal.shown++, dispose: () => void (terminal.disposed = true) };
  },
  createStatusBarItem() {
    const item = {
      text: '',
      tooltip: '',
      name: '',
      command: '',
      backgroundColor: undefined as unknown,
      show() {},
      hide() {},
      dispose() {},
    };
    registered.statusItems.push(item);
    return item;
  },
};

/** Fires when extensions are installed or removed (a test fires it after changing `lm.tools`). */
export const extensionsChanged = new EventEmitter<void>();

/** Extensions "installed" beside Jan (`extensions.getExtension`), by id; resetStandIn empties it. */
export const installedExtensions = new Map<string, { id: string; packageJSON: Record<string, unknown> }>();

export const extensions = {
  onDidChange: extensionsChanged.event,
  getExtension(id: string): { id: string; packageJSON: Record<string, unknown> } | undefined {
    return [...installedExtensions.values()].find((extension) => extension.id.toLowerCase() === id.toLowerCase());
  },
};

export const commands = {
  registerCommand(command: string, run: (...args: unknown[]) => unknown): Disposable {
    registeredCommands.set(command, run);
    return new Disposable(() => registeredCommands.delete(command));
  },
  async executeCommand(command: string, ...args: unknown[]): Promise<unknown> {
    ui.executed.push({ command, args });
    return (registeredCommands.get(command) ?? builtInCommands[command])?.(...args);
  },
};

export enum DiagnosticSeverity {
  Error = 0,
  Warning = 1,
  Information = 2,
  Hint = 3,
}

export enum SymbolKind {
  File = 0,
  Module = 1,
  Namespace = 2,
  Class = 4,
  Method = 5,
  Property = 6,
  Field = 7,
  Constructor = 8,
  Enum = 9,
  Interface = 10,
  Function = 11,
  Variable = 12,
  Constant = 13,
  Struct = 22,
  TypeParameter = 25,
  Null = 20,
}

/** The editor's diagnostics by document URI (`languages.getDiagnostics`); a test sets them. */
export const diagnostics = new Map<string, { uri: Uri; items: unknown[] }>();

export const languages = {
  getDiagnostics(uri?: Uri): unknown {
    if (uri) return diagnostics.get(uri.toString())?.items ?? [];
    return [...diagnostics.values()].map(({ uri: at, items }) => [at, items]);
  },
  registerInlineCompletionItemProvider(_selector: unknown, provider: unknown): Disposable {
    registered.inlineProviders.push(provider);
    return new Disposable(() => registered.inlineProviders.splice(registered.inlineProviders.indexOf(provider), 1));
  },
};

export const env = {
  clipboard: { writeText: async (text: string) => void (ui.clipboard = text) },
  openExternal: async (uri: Uri) => {
    ui.opened.push(uri.toString());
    return true;
  },
};

/** VS Code 1.104's provider API; a test deletes `registerLanguageModelChatProvider` to play an older VS Code. */
export const lm: { registerLanguageModelChatProvider?: (vendor: string, provider: unknown) => Disposable } = {
  registerLanguageModelChatProvider(vendor: string, provider: unknown): Disposable {
    registered.lmProviders.set(vendor, provider);
    return new Disposable(() => registered.lmProviders.delete(vendor));
  },
};
