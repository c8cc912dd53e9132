import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as vscode from 'vscode';
import {
  registerInlineCompletion,
  type JanInlineCompletionProvider,
} from '../../src/vscode/completion/inline-provider';
import {
  CancellationTokenSource,
  InlineCompletionTriggerKind,
  openDocument,
  registered,
  resetStandIn,
  setSetting,
  activeEditorChanged,
  textDocumentChanged,
  textDocumentSaved,
  ui,
  window,
} from '../support/vscode-stand-in';
import { adapterRuntime } from './support/adapter-runtime';

let fixture: Awaited<ReturnType<typeof adapterRuntime>>;
let registration: vscode.Disposable;
let provider: JanInlineCompletionProvider;

beforeEach(async () => {
  resetStandIn();
  fixture = await adapterRuntime();
  setSetting('jan.completionModel', 'coder-1');
  setSetting('jan.inlineCompletion.debounceMs', 0);
  registration = registerInlineCompletion(fixture.runtime.inlineCompletion);
  provider = registered.inlineProviders[0] as JanInlineCompletionProvider;
});

afterEach(async () => {
  registration.dispose();
  await fixture.dispose();
});

const document = () =>
  openDocument('/w/add.ts', 'function add(a: number, b: number) {\n  return \n}') as unknown as vscode.TextDocument;
const automatic = {
  triggerKind: InlineCompletionTriggerKind.Automatic,
  selectedCompletionInfo: undefined,
} as vscode.InlineCompletionContext;
const at = new vscode.Position(1, 9);

async function ask(token = new CancellationTokenSource().token, context = automatic) {
  return provider.provideInlineCompletionItems(document(), at, context, token as vscode.CancellationToken);
}

describe('the inline completion provider', () => {
  it('shows the post-processed completion of the completion model at the cursor', async () => {
    fixture.engine.completion = 'a + b;\n}';
    const items = await ask();
    expect(items?.map((item) => item.insertText)).toEqual(['a + b;']);
    expect(items?.[0]!.range).toMatchObject({ start: at, end: at });
    expect(fixture.engine.completeRequests.map((request) => request.model)).toEqual(['coder-1']);
  });

  it('serves the same spot again from the cache, and asks again after the completion model changes', async () => {
    fixture.engine.completion = 'a + b;';
    await ask();
    expect((await ask())?.[0]!.insertText).toBe('a + b;');
    expect(fixture.engine.completeRequests).toHaveLength(1);
    setSetting('jan.completionModel', 'chat-1');
    await ask();
    expect(fixture.engine.completeRequests.map((request) => request.model)).toEqual(['coder-1', 'chat-1']);
  });

  it('shows nothing, and asks nothing, without a completion model, even where it had a suggestion', async () => {
    fixture.engine.completion = 'a + b;';
    await ask();
    setSetting('jan.completionModel', '');
    expect(await ask()).toBeUndefined();
    expect(fixture.engine.completeRequests).toHaveLength(1);
  });

  it('shows nothing when turned off, and the toggle command turns it on and off', async () => {
    fixture.engine.completion = 'a + b;';
    await vscode.commands.executeCommand('jan.toggleInlineCompletion');
    expect(await ask()).toBeUndefined();
    await vscode.commands.executeCommand('jan.toggleInlineCompletion');
    expect(await ask()).toHaveLength(1);
    expect(ui.messages.filter((message) => message.level === 'status').map((message) => message.text)).toEqual([
      'Jan inline completion off',
      'Jan inline completion on',
    ]);
  });

  it('asks nothing when the user types on during the pause', async () => {
    setSetting('jan.inlineCompletion.debounceMs', 60_000);
    const source = new CancellationTokenSource();
    const pending = ask(source.token);
    source.cancel();
    expect(await pending).toBeUndefined();
    expect(fixture.engine.completeRequests).toEqual([]);
  });

  it('does not wait out the pause when asked on purpose', async () => {
    setSetting('jan.inlineCompletion.debounceMs', 60_000);
    fixture.engine.completion = 'a + b;';
    const invoked = {
      triggerKind: InlineCompletionTriggerKind.Invoke,
      selectedCompletionInfo: undefined,
    } as vscode.InlineCompletionContext;
    expect(await ask(new CancellationTokenSource().token, invoked)).toHaveLength(1);
  });

  it('keeps the generation a keystroke interrupts when the next request extends its prefix, and shows its text', async () => {
    fixture.engine.completion = 'a + b;';
    const gate = fixture.engine.hold();
    const source = new CancellationTokenSource();
    const pending = ask(source.token);
    await expect.poll(() => fixture.engine.completeRequests.length).toBe(1);
    source.cancel();
    expect(await pending).toBeUndefined();
    const again = ask();
    gate.release(Infinity);
    expect((await again)?.[0]!.insertText).toBe('a + b;');
    expect(fixture.engine.completeRequests).toHaveLength(1);
    expect(fixture.logger.messages('warn')).toEqual([]);
  });

  it('stops the generation when the next request is somewhere else', async () => {
    fixture.engine.completion = 'a + b;';
    const gate = fixture.engine.hold();
    const source = new CancellationTokenSource();
    const pending = ask(source.token);
    await expect.poll(() => fixture.engine.completeRequests.length).toBe(1);
    source.cancel();
    expect(await pending).toBeUndefined();
    const elsewhere = provider.provideInlineCompletionItems(
      document(),
      new vscode.Position(0, 36),
      automatic,
      new CancellationTokenSource().token as vscode.CancellationToken,
    );
    gate.release(Infinity);
    await elsewhere;
    expect(fixture.engine.completeRequests).toHaveLength(2);
    expect(fixture.logger.messages('warn')).toEqual([]);
  });

  it('asks nothing while typing with code right of the cursor, but does when asked on purpose', async () => {
    fixture.engine.completion = 'a';
    const midLine = openDocument(
      '/w/mid.ts',
      'const total = compute(values, factor);',
    ) as unknown as vscode.TextDocument;
    const position = new vscode.Position(0, 14);
    expect(
      await provider.provideInlineCompletionItems(
        midLine,
        position,
        automatic,
        new CancellationTokenSource().token as vscode.CancellationToken,
      ),
    ).toBeUndefined();
    expect(fixture.engine.completeRequests).toEqual([]);
    const invoked = {
      triggerKind: InlineCompletionTriggerKind.Invoke,
      selectedCompletionInfo: undefined,
    } as vscode.InlineCompletionContext;
    await provider.provideInlineCompletionItems(
      midLine,
      position,
      invoked,
      new CancellationTokenSource().token as vscode.CancellationToken,
    );
    expect(fixture.engine.completeRequests).toHaveLength(1);
    expect(fixture.engine.completeRequests[0]!.stop).toEqual(['\n']);
  });

  it('puts code around recent edits in other files before the prefix, oldest first, unless turned off', async () => {
    fixture.engine.completion = 'a + b;';
    const other = openDocument(
      '/w/math.ts',
      'export const PI = 3.14;\nexport function square(x: number) {\n  return x * x;\n}',
    );
    const third = openDocument('/w/units.ts', 'export const METRE = 1;');
    for (const edited of [other, third, other])
      textDocumentChanged.fire({
        document: edited,
        contentChanges: [{ range: new vscode.Range(new vscode.Position(0, 0), new vscode.Position(0, 0)) }],
      });
    textDocumentChanged.fire({ document: document(), contentChanges: [{ range: new vscode.Range(at, at) }] });
    await ask();
    expect(fixture.engine.completeRequests[0]!.extra).toBe(
      '// math.ts\nexport const PI = 3.14;\nexport function square(x: number) {\n  return x * x;\n}\n\n// units.ts\nexport const METRE = 1;\n',
    );
    setSetting('jan.inlineCompletion.otherFilesContext', false);
    fixture.runtime.inlineCompletion.clearCache();
    await ask();
    expect(fixture.engine.completeRequests[1]!.extra).toBeUndefined();
  });

  it('prepares the next suggestion after one is accepted, so it shows without asking again', async () => {
    fixture.engine.completions = ['a + b;', ' // sum'];
    const items = await ask();
    expect(items?.[0]!.command).toMatchObject({ command: 'jan.inlineCompletion.accepted' });
    // The editor inserts the suggestion, moves the cursor after it and runs the item's command.
    const edited = openDocument(
      '/w/add.ts',
      'function add(a: number, b: number) {\n  return a + b;\n}',
    ) as unknown as vscode.TextDocument;
    const after = new vscode.Position(1, 15);
    window.activeTextEditor = { document: edited as never, selection: new vscode.Selection(after, after) };
    await vscode.commands.executeCommand('jan.inlineCompletion.accepted');
    expect(fixture.engine.completeRequests).toHaveLength(2);
    const next = await provider.provideInlineCompletionItems(
      edited,
      after,
      automatic,
      new CancellationTokenSource().token as vscode.CancellationToken,
    );
    expect(next?.[0]!.insertText).toBe(' // sum');
    expect(fixture.engine.completeRequests).toHaveLength(2);
  });

  it('covers the auto-closed characters the completion writes itself, so accepting does not double them', async () => {
    const log = openDocument('/w/log.ts', 'console.log("")') as unknown as vscode.TextDocument;
    const cursor = new vscode.Position(0, 13);
    fixture.engine.completion = 'x");';
    for (const round of ['asked', 'cached']) {
      const items = await provider.provideInlineCompletionItems(
        log,
        cursor,
        automatic,
        new CancellationTokenSource().token as vscode.CancellationToken,
      );
      expect(
        items?.map((item) => item.insertText),
        round,
      ).toEqual(['x");']);
      expect(items?.[0]!.range, round).toMatchObject({ start: cursor, end: new vscode.Position(0, 15) });
    }
    expect(fixture.engine.completeRequests).toHaveLength(1);
  });

  it('shows a multi-line body between auto-closed braces, ending with the brace it covers', async () => {
    const main = openDocument('/w/main.go', 'func main() {}', 'go') as unknown as vscode.TextDocument;
    const cursor = new vscode.Position(0, 13);
    fixture.engine.completion = '\n\tfmt.Println("hi")\n}\n\nfunc other() {';
    const items = await provider.provideInlineCompletionItems(
      main,
      cursor,
      automatic,
      new CancellationTokenSource().token as vscode.CancellationToken,
    );
    expect(items?.map((item) => item.insertText)).toEqual(['\n\tfmt.Println("hi")\n}']);
    expect(items?.[0]!.range).toMatchObject({ start: cursor, end: new vscode.Position(0, 14) });
  });

  /** Asks, automatically, at the start of the empty line of an empty function body; the texts shown. */
  const askInEmptyBody = async () => {
    const blank = openDocument(
      '/w/blank.ts',
      'function add(a: number, b: number) {\n  \n}',
    ) as unknown as vscode.TextDocument;
    const items = await provider.provideInlineCompletionItems(
      blank,
      new vscode.Position(1, 2),
      automatic,
      new CancellationTokenSource().token as vscode.CancellationToken,
    );
    return items?.map((item) => item.insertText);
  };

  it('hides suggestions at a line start shorter than jan.inlineCompletion.minChars', async () => {
    fixture.engine.completion = 'ok';
    expect(await askInEmptyBody()).toBeUndefined();
    setSetting('jan.inlineCompletion.minChars', 2);
    expect(await askInEmptyBody()).toEqual(['ok']);
  });

  it('prepares the prompt at the cursor when a file is opened or focused and after it is saved, not for other files', async () => {
    const file = document();
    window.activeTextEditor = { document: file as never, selection: new vscode.Selection(at, at) as never };
    activeEditorChanged.fire(window.activeTextEditor);
    await expect.poll(() => fixture.engine.completeRequests.length, { timeout: 60_000 }).toBe(1);
    expect(fixture.engine.completeRequests[0]).toMatchObject({
      max_tokens: 96,
      prefix: 'function add(a: number, b: number) {\n  return ',
      suffix: '\n}',
    });
    textDocumentSaved.fire(file);
    await expect.poll(() => fixture.engine.completeRequests.length, { timeout: 60_000 }).toBe(2);
    textDocumentSaved.fire(openDocument('/w/other.ts', 'const other = 1;'));
    setSetting('jan.inlineCompletion.enabled', false);
    activeEditorChanged.fire(window.activeTextEditor);
    // Both are decided when the event fires: a save of another file and a focus while turned off ask nothing.
    expect(fixture.engine.completeRequests).toHaveLength(2);
  });

  it('suggests an empty body whole, in whole statements within jan.inlineCompletion.maxLines', async () => {
    fixture.engine.completion = 'const sum = a + b;\n  console.log(sum);\n  return sum;\n}';
    expect(await askInEmptyBody()).toEqual(['const sum = a + b;\n  console.log(sum);\n  return sum;']);
    setSetting('jan.inlineCompletion.maxLines', 2);
    // Another model: the cached suggestion of the first is not served.
    setSetting('jan.completionModel', 'chat-1');
    expect(await askInEmptyBody()).toEqual(['const sum = a + b;\n  console.log(sum);']);
  });
});
