/** The chat view's typed protocol, its link rule, and the host-side pieces that need no browser. */
import { describe, expect, test } from 'vitest';
import type { Thread, ThreadMessage } from '@jan/core';
import {
  allowedLink,
  dispatch,
  MAX_PAGE_SIZE,
  parseHostMessage,
  parseThreadSettings,
  parseWebviewMessage,
  type HostMessage,
  type MessageHandlers,
  type WebviewMessage,
} from '@jan/protocol';
import { chatHtml } from '../../src/vscode/chat/html';
import { fencedSelection } from '@jan/core';
import { ThreadIndex } from '../../src/vscode/chat/thread-index';
import { assistantChanges, contextPart, modelChanges } from '@jan/core';
import { settingsChanges } from '../../src/vscode/chat/thread-edits';
import { toMessageView, toThreadView } from '../../src/vscode/chat/views';

function thread(id: string, title: string, updated: number, extra: Partial<Thread> = {}): Thread {
  return {
    id,
    object: 'thread',
    title,
    created: updated,
    updated,
    assistants: [
      {
        assistant_id: 'jan',
        assistant_name: 'Jan',
        model: {
          id: 'm1',
          engine: 'llamacpp',
          settings: { ctx_len: 2048, ngl: 0 },
          parameters: { temperature: 0.7, top_p: 0.9 },
        },
        instructions: 'Be brief.',
      },
    ],
    ...extra,
  };
}

describe('dispatch', () => {
  test('each message goes to the handler of its type; a map without every type does not compile', () => {
    const seen: string[] = [];
    const handlers = {
      ready: () => void seen.push('ready'),
      focusInput: () => void seen.push('focus'),
    } satisfies MessageHandlers<{ type: 'ready' } | { type: 'focusInput' }>;
    dispatch(handlers, { type: 'focusInput' });
    dispatch(handlers, { type: 'ready' });
    expect(seen).toEqual(['focus', 'ready']);
    // @ts-expect-error every WebviewMessage type needs its handler (the host's map in controller.ts)
    const partial: MessageHandlers<WebviewMessage> = { ready: () => undefined };
    // @ts-expect-error every HostMessage type needs its handler (the view's map in webview/store.ts)
    const partialHost: MessageHandlers<HostMessage> = { state: () => undefined };
    expect([partial, partialHost]).toHaveLength(2);
  });
});

describe('webview → host messages', () => {
  test('valid messages pass, and unknown fields are dropped', () => {
    const parsed = parseWebviewMessage({ type: 'send', threadId: 'jan_1700000000', text: 'hi', extra: '<script>' });
    expect(parsed).toEqual({ ok: true, value: { type: 'send', threadId: 'jan_1700000000', text: 'hi' } });
    expect(parseWebviewMessage({ type: 'ready' }).ok).toBe(true);
    expect(parseWebviewMessage({ type: 'listThreads', query: '', offset: 0, limit: MAX_PAGE_SIZE }).ok).toBe(true);
    expect(parseWebviewMessage({ type: 'selectModel', threadId: null, modelId: null }).ok).toBe(true);
  });

  test.each([
    ['an unknown type', { type: 'eval', code: '1' }, 'Invalid "eval" message'],
    ['not an object', 'ready', 'Invalid "?" message'],
    ['a path as thread id', { type: 'send', threadId: '../../etc', text: 'x' }, 'threadId'],
    ['an empty message', { type: 'send', threadId: null, text: ' \n ' }, 'The message is empty.'],
    ['a text over 8 MB', { type: 'copy', text: 'x'.repeat(8 * 1024 * 1024 + 1) }, 'over 8 MB'],
    ['a huge page', { type: 'listThreads', query: '', offset: 0, limit: MAX_PAGE_SIZE + 1 }, 'limit'],
    ['a negative offset', { type: 'listThreads', query: '', offset: -1, limit: 10 }, 'offset'],
    ['an arbitrary command', { type: 'runAction', action: 'workbench.action.terminal.new' }, 'action'],
    ['an empty title', { type: 'renameThread', threadId: 'jan_1', title: '   ' }, 'A title cannot be empty.'],
    [
      'a temperature out of range',
      { type: 'updateSettings', threadId: 'jan_1', settings: { instructions: '', temperature: 5 } },
      'Temperature is 0 to 2.',
    ],
    [
      'a fractional max tokens',
      { type: 'updateSettings', threadId: 'jan_1', settings: { instructions: '', maxTokens: 1.5 } },
      'whole number',
    ],
  ])('refuses %s with a clear error', (_name, input, error) => {
    const parsed = parseWebviewMessage(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(error);
  });

  test('settings from the panel are checked by the same rules', () => {
    expect(parseThreadSettings({ instructions: 'x', contextLength: 100 })).toMatchObject({
      ok: false,
      issues: [{ path: 'contextLength', message: 'Context length is at least 256.' }],
    });
    expect(parseThreadSettings({ instructions: 'x', temperature: 0, maxTokens: 1, contextLength: 256 }).ok).toBe(true);
  });
});

describe('host → webview messages', () => {
  test('a state passes; a message with a bad status or a missing field does not', () => {
    const state = {
      type: 'state',
      state: {
        thread: { id: 'jan_1', title: 'T', settings: { instructions: '' } },
        messages: [
          {
            id: '01HX',
            role: 'assistant',
            text: 'hi',
            status: 'ready',
            created: 1,
            error: { code: 'NO_MODEL', message: 'none' },
          },
        ],
        generating: false,
        models: [{ id: 'm', name: 'M', engine: 'llamacpp', runsOn: { kind: 'local' } }],
        assistants: [],
      },
    };
    expect(parseHostMessage(state).ok).toBe(true);
    // Where a model runs is required, and a remote place names its host.
    const withModel = (model: unknown) => ({ ...state, state: { ...state.state, models: [model] } });
    expect(parseHostMessage(withModel({ id: 'm', name: 'M', engine: 'x' })).ok).toBe(false);
    expect(parseHostMessage(withModel({ id: 'm', name: 'M', engine: 'x', runsOn: { kind: 'remote' } })).ok).toBe(false);
    expect(
      parseHostMessage(withModel({ id: 'm', name: 'M', engine: 'x', runsOn: { kind: 'remote', host: 'gpu:1' } })).ok,
    ).toBe(true);
    expect(
      parseHostMessage({
        type: 'message',
        threadId: 'jan_1',
        message: { id: 'x', role: 'assistant', text: '', status: 'done', created: 1 },
      }).ok,
    ).toBe(false);
    expect(parseHostMessage({ type: 'threads', query: '', offset: 0, items: [] }).ok).toBe(false);
  });
});

describe('links from model output', () => {
  test.each(['https://example.com/a?b=1#c', 'http://localhost:8080/', 'mailto:dev@example.com'])(
    '%s may open',
    (href) => {
      expect(allowedLink(href)).toBe(new URL(href).href);
    },
  );

  test.each([
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'file:///etc/passwd',
    'command:workbench.action.terminal.new',
    'vscode://file/etc/passwd',
    'vbscript:msgbox(1)',
    '/relative/path',
    'example.com',
    'http://',
  ])('%j may not', (href) => {
    expect(allowedLink(href)).toBeUndefined();
  });
});

describe('Add Selection to Chat', () => {
  test('a fence with language, file and lines, longer than any backticks in the code', () => {
    expect(
      fencedSelection({ code: 'a\n', languageId: 'typescriptreact', path: 'src/App.tsx', startLine: 4, endLine: 4 }),
    ).toBe('```tsx src/App.tsx:4\na\n```\n');
    const withFence = fencedSelection({
      code: 'x = """\n```\n````',
      languageId: 'markdown',
      path: 'README.md',
      startLine: 1,
      endLine: 3,
    });
    expect(withFence.startsWith('`````markdown README.md:1-3\n')).toBe(true);
    expect(withFence.endsWith('\n`````\n')).toBe(true);
  });
});

describe('the chat page', () => {
  test('a strict CSP: nothing inline, nothing remote, one nonce for the one script', () => {
    const html = chatHtml({
      cspSource: 'https://x.vscode-cdn.net',
      nonce: 'abc123',
      scriptUri: 'https://x.vscode-cdn.net/dist/webview.js',
      codiconUri: 'https://x.vscode-cdn.net/dist/codicons/codicon.css',
    });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!.replaceAll('&#39;', "'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'nonce-abc123'");
    expect(csp).toContain("connect-src 'none'");
    expect(csp).toContain("frame-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/\s(https?:|\*)(\s|;|$)/);
    expect(html.match(/<script /g)).toHaveLength(1);
    expect(html).toContain('<script type="module" nonce="abc123" src="https://x.vscode-cdn.net/dist/webview.js">');
    expect(chatHtml({ cspSource: 'a', nonce: 'n', scriptUri: '"><script>x</script>', codiconUri: 'c' })).not.toContain(
      '"><script>x',
    );
  });
});

describe('the thread list index', () => {
  test('newest first, searched by title, paged, with deletions hidden until undone', () => {
    const index = new ThreadIndex();
    index.replace([thread('t1', 'Alpha', 1), thread('t3', 'Gamma alpha', 3), thread('t2', 'Beta', 2)]);
    expect(index.page('', 0, 10).items.map((item) => item.id)).toEqual(['t3', 't2', 't1']);
    expect(index.page('ALPHA', 0, 10)).toEqual({
      total: 2,
      items: [expect.objectContaining({ id: 't3' }), expect.objectContaining({ id: 't1' })],
    });
    expect(index.page('', 1, 1).items.map((item) => item.id)).toEqual(['t2']);
    index.hide('t3');
    expect(index.page('', 0, 10).total).toBe(2);
    index.unhide('t3');
    index.upsert(thread('t1', 'Alpha renamed', 9));
    expect(index.page('', 0, 10).items.map((item) => item.title)).toEqual(['Alpha renamed', 'Gamma alpha', 'Beta']);
    index.remove('t2');
    expect(index.page('', 0, 10).total).toBe(2);
  });
});

describe('thread edits', () => {
  test('settings set or remove only their own keys', () => {
    const changed = settingsChanges(thread('t', 'T', 1), { instructions: 'Be precise.', maxTokens: 128 });
    const info = changed.assistants![0]!;
    expect(info.instructions).toBe('Be precise.');
    expect(info.model.parameters).toEqual({ top_p: 0.9, max_tokens: 128 });
    expect(info.model.settings).toEqual({ ngl: 0 });
    expect(info.model.engine).toBe('llamacpp');
  });

  test('the model picker writes id and engine; "default" writes *', () => {
    expect(modelChanges(thread('t', 'T', 1), { id: 'remote-1', engine: 'openai' }).assistants![0]!.model).toMatchObject(
      {
        id: 'remote-1',
        engine: 'openai',
        parameters: { temperature: 0.7 },
      },
    );
    expect(modelChanges(thread('t', 'T', 1), null).assistants![0]!.model).toMatchObject({
      id: '*',
      engine: 'llamacpp',
    });
  });

  test('another assistant brings its name, instructions and pinned model', () => {
    const assistant = {
      id: 'rev',
      object: 'assistant' as const,
      name: 'Reviewer',
      description: '',
      model: 'm2',
      instructions: 'Review.',
      tools: [],
      file_ids: [],
      created_at: 1,
    };
    const info = assistantChanges(thread('t', 'T', 1), assistant, { id: 'm2', engine: 'llamacpp' }).assistants![0]!;
    expect(info).toMatchObject({
      assistant_id: 'rev',
      assistant_name: 'Reviewer',
      id: 'rev',
      name: 'Reviewer',
      instructions: 'Review.',
      model: { id: 'm2', engine: 'llamacpp' },
    });
  });
});

describe('views of core entities', () => {
  const base: ThreadMessage = {
    id: '01HX0000000000000000000000',
    object: 'thread.message',
    thread_id: 't',
    role: 'assistant',
    content: [{ type: 'text', text: { value: 'partial', annotations: [] } }],
    status: 'error',
    created: 5,
    updated: 5,
  };

  test('a failed reply carries its code (unknown codes become UNKNOWN) and its metadata', () => {
    const view = toMessageView({
      ...base,
      metadata: {
        error: 'boom',
        error_code: 'WORKER_CRASHED',
        model: 'm1',
        tokens_per_second: 12.5,
        completion_tokens: 7,
        context_trimmed: { dropped_messages: 3 },
      },
    });
    expect(view).toEqual({
      id: base.id,
      role: 'assistant',
      text: 'partial',
      status: 'error',
      created: 5,
      model: 'm1',
      tokensPerSecond: 12.5,
      completionTokens: 7,
      droppedMessages: 3,
      error: { code: 'WORKER_CRASHED', message: 'boom' },
    });
    expect(toMessageView({ ...base, metadata: { error_code: 'SOMETHING_NEW' } }).error).toEqual({
      code: 'UNKNOWN',
      message: 'The reply failed.',
    });
    expect(
      toMessageView({ ...base, status: 'ready', metadata: { tokens_per_second: Number.NaN } }).tokensPerSecond,
    ).toBeUndefined();
  });

  test('an agent step carries its tool calls, bounded, and they travel in the protocol', () => {
    const huge = 'x'.repeat(10_000);
    const view = toMessageView({
      ...base,
      status: 'ready',
      content: [{ type: 'text', text: { value: '', annotations: [] } }],
      metadata: {
        tool_calls: [
          {
            tool: { id: 'c1', type: 'function', function: { name: 'read_file', arguments: `{"path":"${huge}"}` } },
            response: { content: [{ type: 'text', text: 'hello' }] },
            state: 'ready',
            outcome: 'ok',
            summary: '1 line',
            effect: 'read',
            source: 'jan',
          },
          { tool: { id: 'c2', function: { name: 'edit_file', arguments: '{}' } }, outcome: 'not-an-outcome' },
          { nonsense: true },
        ],
      },
    });
    expect(view.steps).toEqual([
      {
        id: 'c1',
        tool: 'read_file',
        arguments: expect.stringMatching(/ …$/),
        summary: '1 line',
        outcome: 'ok',
        effect: 'read',
        source: 'jan',
      },
      { id: 'c2', tool: 'edit_file', arguments: '{}' },
    ]);
    expect(view.steps![0]!.arguments.length).toBeLessThanOrEqual(4000);
    expect(parseHostMessage({ type: 'message', threadId: 't', message: view })).toMatchObject({ ok: true });
  });

  test('a thread view shows its settings, and the assistant instructions when it has none', () => {
    const view = toThreadView(thread('t', 'T', 1));
    expect(view).toEqual({
      id: 't',
      title: 'T',
      modelId: 'm1',
      assistantId: 'jan',
      settings: { instructions: 'Be brief.', temperature: 0.7, contextLength: 2048 },
    });
    const bare = thread('t', 'T', 1);
    delete bare.assistants[0]!.instructions;
    bare.assistants[0]!.model.id = '*';
    expect(toThreadView(bare, 'From the assistant.')).toMatchObject({
      settings: { instructions: 'From the assistant.' },
    });
    expect(toThreadView(bare).modelId).toBeUndefined();
  });
});

describe('assistants and @ context messages', () => {
  test('the picker may ask only for known assistant actions; @ sources are checked', () => {
    expect(
      parseWebviewMessage({ type: 'assistantAction', action: 'edit', assistant: { id: 'reviewer', scope: 'user' } }).ok,
    ).toBe(true);
    expect(
      parseWebviewMessage({ type: 'assistantAction', action: 'runShell', assistant: { id: 'x', scope: 'user' } }).ok,
    ).toBe(false);
    expect(
      parseWebviewMessage({ type: 'assistantAction', action: 'edit', assistant: { id: 'x', scope: 'global' } }).ok,
    ).toBe(false);
    expect(parseWebviewMessage({ type: 'attachContext', source: { kind: 'file', path: 'src/a.ts' } }).ok).toBe(true);
    expect(parseWebviewMessage({ type: 'attachContext', source: { kind: 'file', path: '' } }).ok).toBe(false);
    expect(parseWebviewMessage({ type: 'attachContext', source: { kind: 'shell', command: 'ls' } }).ok).toBe(false);
    expect(parseWebviewMessage({ type: 'send', threadId: null, text: 'hi', context: ['../../etc'] }).ok).toBe(false);
    expect(
      parseWebviewMessage({
        type: 'send',
        threadId: null,
        text: 'hi',
        context: Array.from({ length: 51 }, (_, i) => `id${i}`),
      }).ok,
    ).toBe(false);
  });

  test('a stored message with attached context shows the typed text and one chip per attachment', () => {
    const message: ThreadMessage = {
      id: 'm1',
      object: 'thread.message',
      thread_id: 't1',
      role: 'user',
      content: [
        { type: 'text', text: { value: 'Explain', annotations: [] } },
        contextPart({ kind: 'file', label: 'src/a.ts', text: 'const a = 1;', tokens: 4, note: 'cut to 8,000 tokens' }),
      ],
      status: 'ready',
      created: 1,
      updated: 1,
    };
    const view = toMessageView(message);
    expect(view.text).toBe('Explain');
    expect(view.context).toEqual([{ kind: 'file', label: 'src/a.ts', tokens: 4, note: 'cut to 8,000 tokens' }]);
    expect(parseHostMessage({ type: 'message', threadId: 't1', message: view }).ok).toBe(true);
  });
});
