import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORIES_FIM, TINYSTORIES } from '../../support/test-models';
import { buildCli, cliFolders, run as runBin, start } from './support/cli-fixture';

/**
 * `chat` and `run` of the built bin over the real runtime and llama.cpp on the test model: the
 * reply on stdout, the thread in .jan as the editor writes it, and what a user expects of a chat
 * in a terminal (stdin, an interactive mode, flags, Ctrl-C that keeps the reply).
 */
let folders: ReturnType<typeof cliFolders>;
let model: string;
let crashing: string;

const run = (args: string[], input?: string) => runBin(folders.root, [...args, ...folders.common()], { input });

function threadIds(): string[] {
  const threads = path.join(folders.data, 'threads');
  return existsSync(threads) ? readdirSync(threads) : [];
}

function threadJson(id: string) {
  return JSON.parse(readFileSync(path.join(folders.data, 'threads', id, 'thread.json'), 'utf8')) as {
    title: string;
    assistants: Array<{ instructions?: string; model: { id: string; parameters: Record<string, unknown> } }>;
  };
}

function messages(id: string): Array<{ role: string; status: string; content: Array<{ text: { value: string } }> }> {
  return readFileSync(path.join(folders.data, 'threads', id, 'messages.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as never);
}

const threadOf = (stderr: string) => /\[thread (\S+)\]/.exec(stderr)![1]!;

beforeAll(() => {
  buildCli();
  folders = cliFolders('jan-cli-chat-');
  model = run(['models', 'import', STORIES_FIM]).stdout.trim();
  crashing = run(['models', 'import', TINYSTORIES]).stdout.trim();
}, 180_000);

afterAll(() => {
  rmSync(folders.root, { recursive: true, force: true });
});

describe('jan-vscode chat', () => {
  it('leaves no thread behind for an unknown model or an empty prompt', () => {
    const unknown = run(['chat', 'Hello', '--model', 'no-such-model']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/^jan-vscode: There is no model "no-such-model"\. Installed: /);
    const empty = run(['chat', '   ', '--model', model]);
    expect(empty.status).toBe(1);
    expect(empty.stderr).toBe('jan-vscode: The prompt is empty; nothing was sent.\n');
    expect(run(['chat', '--model', model], '').status).toBe(1);
    expect(threadIds()).toEqual([]);
  });

  it('takes --system, --max-tokens and --temperature into the thread, and ends the reply with a newline', () => {
    const chat = run([
      'chat',
      'Once upon a time',
      '--model',
      model,
      '--system',
      'You tell short stories.',
      '--max-tokens',
      '5',
      '--temperature',
      '0.2',
    ]);
    expect(chat.status).toBe(0);
    expect(chat.stdout.length).toBeGreaterThan(1);
    expect(chat.stdout.endsWith('\n')).toBe(true);
    const id = threadOf(chat.stderr);
    const info = threadJson(id).assistants[0]!;
    expect(info.instructions).toBe('You tell short stories.');
    expect(info.model.parameters).toMatchObject({ max_tokens: 5, temperature: 0.2 });
    const reply = messages(id)[1]!;
    expect(reply).toMatchObject({ role: 'assistant', status: 'ready' });
    expect(
      (reply as unknown as { metadata: { completion_tokens: number } }).metadata.completion_tokens,
    ).toBeLessThanOrEqual(5);
    expect(chat.stdout.trimEnd()).toBe(reply.content[0]!.text.value.trimEnd());
  });

  it('reads the prompt from stdin, and prints the result as JSON with --json', () => {
    const chat = run(['chat', '--model', model, '--max-tokens', '4', '--json'], 'Once upon a time\n');
    expect(chat.status).toBe(0);
    const result = JSON.parse(chat.stdout) as { thread: string; status: string; reply: string; model: string };
    expect(result).toMatchObject({ status: 'ready', model });
    expect(result.reply.length).toBeGreaterThan(0);
    expect(messages(result.thread)[0]!.content[0]!.text.value).toBe('Once upon a time');
    // "-" stands for stdin inside a prompt.
    const mixed = run(['chat', 'Summarize:', '-', '--model', model, '--max-tokens', '2', '--json'], 'a cat\n');
    const thread = (JSON.parse(mixed.stdout) as { thread: string }).thread;
    expect(messages(thread)[0]!.content[0]!.text.value).toBe('Summarize: a cat');
  });

  it('chats interactively, one message per line, in one thread; /new starts another', () => {
    const before = threadIds().length;
    const chat = run(['run', model, '--max-tokens', '3'], 'Once upon a time\nThe dog\n/new\nThe cat\n/bye\nnot sent\n');
    expect(chat.status).toBe(0);
    expect(chat.stderr).toMatch(/^Chatting with /);
    const created = threadIds().slice(before);
    expect(created).toHaveLength(2);
    const counts = created.map((id) => messages(id).length).sort();
    expect(counts).toEqual([2, 4]);
    expect(chat.stdout.split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(3);
  });

  it('continues a thread with another model when --thread and --model are both given', () => {
    const first = run(['chat', 'Once upon a time', '--model', model, '--max-tokens', '2']);
    const id = threadOf(first.stderr);
    const other = run(['models', 'import', STORIES_FIM]).stdout.trim();
    const next = run(['chat', 'The end', '--thread', id, '--model', other, '--max-tokens', '2']);
    expect(next.status).toBe(0);
    expect(threadJson(id).assistants[0]!.model.id).toBe(other);
    const replies = messages(id).filter((message) => message.role === 'assistant') as unknown as Array<{
      metadata: { model: string };
    }>;
    expect(replies.map((reply) => reply.metadata.model)).toEqual([model, other]);
  });

  it('loads the model with --context-size, over the context its model.json asks for', () => {
    const chat = runBin(folders.root, [
      'chat',
      'Once upon a time',
      '--model',
      model,
      '--max-tokens',
      '2',
      '--context-size',
      '256',
      '--verbose',
      ...folders.common(),
    ]);
    expect(chat.status).toBe(0);
    expect(chat.stderr).toMatch(/Loaded \S+ in \d+ ms \(context 256,/);
  });

  it('prints a failed reply once, as one line', () => {
    // The General chat template writes "#", which this model's tokenizer aborts on (its README).
    const failed = run(['chat', 'Hello', '--model', crashing]);
    expect(failed.status).toBe(1);
    expect(failed.stderr.split('\n').filter((line) => line.startsWith('jan-vscode:'))).toHaveLength(1);
    expect(failed.stderr).not.toMatch(/\[(warn|error)\]/);
  });

  it('Ctrl-C stops the reply: what was written is saved as stopped, the thread keeps its title, exit 130', async () => {
    const chat = start(folders.root, [
      'chat',
      'Tell me a long story',
      '--model',
      model,
      '--max-tokens',
      '100000',
      ...folders.common(),
    ]);
    chat.child.stdin.end();
    await expect.poll(() => chat.output.stdout.length, { timeout: 120_000 }).toBeGreaterThan(20);
    chat.child.kill('SIGINT');
    expect(await chat.exited).toBe(130);
    const id = threadOf(chat.output.stderr);
    expect(chat.output.stderr).toContain('[stopped; the reply so far is saved]');
    const [question, reply] = messages(id);
    expect(question!.content[0]!.text.value).toBe('Tell me a long story');
    expect(reply).toMatchObject({ role: 'assistant', status: 'stopped' });
    expect(chat.output.stdout.startsWith(reply!.content[0]!.text.value)).toBe(true);
    expect(reply!.content[0]!.text.value.length).toBeGreaterThan(0);
    expect(threadJson(id).title).toBe('Tell me a long story');
  }, 180_000);
});
