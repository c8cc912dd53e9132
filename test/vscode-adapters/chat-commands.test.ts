/**
 * Commands that target the chat (Add Selection to Chat, Explain, Write Tests, Open Chat) against
 * the real chat view registration, controller and runtime, with the stand-in's webview view in
 * each state a user leaves it in: never opened, hidden, collapsed. The page on the thread list is
 * the page's part (test/webview/chat-view.test.ts): here the host must ask it for the chat.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as vscode from 'vscode';
import type { HostMessage } from '@jan/protocol';
import { registerChatView, type ChatView } from '../../src/vscode/chat';
import { CHAT_VIEW_ID } from '../../src/vscode/chat/view-provider';
import { registerSelectionCommands } from '../../src/vscode/selection/commands';
import { ProposalStore } from '../../src/vscode/selection/proposals';
import {
  openDocument,
  Position,
  registered,
  resetStandIn,
  Selection,
  setSetting,
  Uri,
  window,
  type StandInWebviewView,
} from '../support/vscode-stand-in';
import { adapterRuntime } from './support/adapter-runtime';

let fixture: Awaited<ReturnType<typeof adapterRuntime>>;
let chat: ChatView;
let selection: vscode.Disposable;

const SOURCE =
  'export function mean(values: number[]) {\n  return values.reduce((a, b) => a + b) / values.lenght;\n}\n';

function memento(): vscode.Memento {
  const values = new Map<string, unknown>();
  return {
    get: (key: string) => values.get(key),
    update: async (key: string, value: unknown) => void values.set(key, value),
    keys: () => [...values.keys()],
  } as vscode.Memento;
}

beforeEach(async () => {
  resetStandIn();
  fixture = await adapterRuntime();
  setSetting('jan.chatModel', 'chat-1');
  fixture.engine.reply = 'It averages the values.';
  const context = {
    extensionUri: Uri.file('/ext'),
    workspaceState: memento(),
    subscriptions: [],
  } as unknown as vscode.ExtensionContext;
  const proposals = new ProposalStore();
  chat = registerChatView(
    { runtime: fixture.runtime, context, log: undefined as unknown as vscode.LogOutputChannel },
    {
      started: Promise.resolve(),
      proposeEdit: (document, range, text, title) => proposals.propose(document, range, text, title),
    },
  );
  selection = registerSelectionCommands({
    inference: fixture.runtime.inference,
    proposals,
    logger: fixture.logger,
    askInChat: (text) => chat.askInChat(text),
  });
  const document = openDocument('/w/mean.ts', SOURCE);
  window.activeTextEditor = { document, selection: new Selection(new Position(1, 0), new Position(1, 56)) };
});

afterEach(async () => {
  selection.dispose();
  chat.dispose();
  await chat.shutdown();
  await fixture.dispose();
});

function view(): StandInWebviewView {
  const shown = registered.webviewViews.get(CHAT_VIEW_ID);
  expect(shown, 'the chat view was never revealed').toBeDefined();
  return shown!;
}

const received = (): HostMessage[] => view().page as HostMessage[];

/** The page now shown has its state (it said `ready` and was answered). */
async function pageHasState(): Promise<void> {
  await expect
    .poll(
      () =>
        registered.webviewViews.get(CHAT_VIEW_ID)?.visible && received().some((message) => message.type === 'state'),
    )
    .toBe(true);
}

const STATES: Record<string, () => Promise<void>> = {
  'never opened': async () => undefined,
  hidden: async () => {
    await vscode.commands.executeCommand('jan.focusChat');
    await pageHasState();
    // Another view container is shown in the sidebar: VS Code destroys the page, keeps the view.
    view().hide();
  },
  collapsed: async () => {
    await vscode.commands.executeCommand('jan.focusChat');
    await pageHasState();
    // Collapsing the view's section is the same to the extension: visible false, page gone.
    view().hide();
  },
};

/** The user's own text in what the page was sent (a state, or the messages of the thread). */
function userTexts(messages: HostMessage[]): string[] {
  return messages.flatMap((message) => {
    const list =
      message.type === 'state' ? message.state.messages : message.type === 'messages' ? message.messages : [];
    return list.filter((item) => item.role === 'user').map((item) => item.text);
  });
}

describe.each(Object.keys(STATES))('with the chat view %s', (state) => {
  beforeEach(async () => STATES[state]!());

  it('Add Selection to Chat reveals the view and lands the fenced selection in the input of the page shown', async () => {
    await vscode.commands.executeCommand('jan.addSelectionToChat');
    expect(view().visible).toBe(true);
    const inserted = received().filter((message) => message.type === 'insertText');
    expect(inserted).toHaveLength(1);
    expect(inserted[0]).toMatchObject({ text: expect.stringContaining('values.lenght') });
    expect(inserted[0]).toMatchObject({ text: expect.stringMatching(/^```typescript mean\.ts:2\n/) });
    // The command returned once the page had its state: the text came after it, not lost before.
    expect(received().findIndex((message) => message.type === 'state')).toBeLessThan(received().indexOf(inserted[0]!));
  });

  for (const [command, asks] of [
    ['jan.explainSelection', 'Explain what this code does'],
    ['jan.testSelection', 'Write unit tests'],
  ] as const) {
    it(`${command} reveals the view, asks the page for the chat (off the thread list) and shows the question there`, async () => {
      await vscode.commands.executeCommand(command);
      expect(view().visible).toBe(true);
      expect(received().some((message) => message.type === 'focusInput')).toBe(true);
      await expect
        .poll(() => userTexts(received()).some((text) => text.startsWith(asks) && text.includes('values.lenght')))
        .toBe(true);
      expect(fixture.engine.requests).toHaveLength(1);
    });
  }

  it('Open Chat reveals the view and asks its page for the chat', async () => {
    await vscode.commands.executeCommand('jan.focusChat');
    expect(view().visible).toBe(true);
    expect(received().some((message) => message.type === 'focusInput')).toBe(true);
  });
});

describe('the chat view hidden and shown again', () => {
  it('a selection added while the view is hidden lands in the next page, exactly once', async () => {
    await STATES.hidden!();
    await vscode.commands.executeCommand('jan.addSelectionToChat');
    view().hide();
    await vscode.commands.executeCommand('jan.focusChat');
    const everyInsert = view()
      .pages.flat()
      .filter((message) => (message as HostMessage).type === 'insertText');
    expect(everyInsert).toHaveLength(1);
  });
});
