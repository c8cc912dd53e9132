import {
  type ChatMode,
  isAttachedContext,
  parseHostMessage,
  type AttachedContext,
  type HostMessage,
  type WebviewMessage,
} from '@jan/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState<T>(state: T): T;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** What the view keeps across hide/show (VS Code keeps it while the view's webview is gone). */
export interface ViewState {
  draft: string;
  /** Large pastes waiting beside the input (see the composer). */
  pasted: string[];
  /** `@` chips waiting beside the input. */
  attached: AttachedContext[];
  panel: 'chat' | 'threads';
  settingsOpen: boolean;
  /** How the next message is answered (the composer's Chat / Agent switch). */
  mode: ChatMode;
}

const DEFAULT_VIEW_STATE: ViewState = {
  draft: '',
  pasted: [],
  attached: [],
  panel: 'chat',
  settingsOpen: false,
  mode: 'chat',
};

function restoredState(raw: unknown): ViewState {
  if (typeof raw !== 'object' || raw === null) return { ...DEFAULT_VIEW_STATE };
  const value = raw as Partial<Record<keyof ViewState, unknown>>;
  return {
    draft: typeof value.draft === 'string' ? value.draft : '',
    pasted: Array.isArray(value.pasted) ? value.pasted.filter((item): item is string => typeof item === 'string') : [],
    attached: Array.isArray(value.attached) ? value.attached.filter(isAttachedContext) : [],
    panel: value.panel === 'threads' ? 'threads' : 'chat',
    settingsOpen: value.settingsOpen === true,
    mode: value.mode === 'agent' ? 'agent' : 'chat',
  };
}

/** The typed channel to the extension host; every incoming message is validated first. */
export class HostBridge {
  private readonly api: VsCodeApi = acquireVsCodeApi();
  private viewState: ViewState = restoredState(this.api.getState());

  post(message: WebviewMessage): void {
    this.api.postMessage(message);
  }

  listen(handler: (message: HostMessage) => void): void {
    window.addEventListener('message', (event: MessageEvent<unknown>) => {
      const parsed = parseHostMessage(event.data);
      if (parsed.ok) handler(parsed.value);
      else console.warn(`Jan: dropped a message from the host. ${parsed.error}`);
    });
  }

  get state(): ViewState {
    return this.viewState;
  }

  saveState(changes: Partial<ViewState>): void {
    this.viewState = { ...this.viewState, ...changes };
    this.api.setState(this.viewState);
  }
}
