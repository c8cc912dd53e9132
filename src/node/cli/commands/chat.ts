import type { Command } from 'commander';
import { textOf } from '@jan/core';
import type { ThreadMessage } from '@jan/core';
import { CliChat } from '../chat/cli-chat';
import type { ChatFlags, ReplyOutput } from '../chat/cli-chat';
import { runRepl } from '../chat/repl';
import { readStdin } from '../chat/stdin';
import { withRuntime } from '../cli-runtime';
import type { GlobalOptions } from '../cli-runtime';
import { note, printResult } from '../output';
import { decimal, integer } from '../parse';

interface ChatCommandFlags extends ChatFlags {
  interactive?: boolean;
}

/** The exit code of a command stopped with Ctrl-C (128 + SIGINT), as shells report it. */
const INTERRUPTED = 130;

export function registerChat(program: Command): void {
  chatOptions(
    program
      .command('chat')
      .description(
        'Chat with a model: the reply streams to stdout and the exchange is saved as a thread in .jan, as the editor saves it. ' +
          'No prompt: read it from stdin, or chat interactively in a terminal ("-" in the prompt also reads stdin).',
      )
      .argument('[prompt...]', 'the message to send')
      .option('--model <id>', 'model to answer (default: the first installed one)')
      .option('--thread <id>', 'continue this thread (with --model, the thread goes on with that model)'),
  ).action(async (words: string[], flags: ChatCommandFlags, command: Command) =>
    chat(words, flags, command.optsWithGlobals<GlobalOptions>()),
  );

  chatOptions(
    program
      .command('run')
      .description('Chat with a model interactively (or answer one prompt), like "ollama run"')
      .argument('<model>', 'the model id ("jan-vscode models list")')
      .argument('[prompt...]', 'answer this and exit instead of chatting'),
  ).action(async (model: string, words: string[], flags: ChatCommandFlags, command: Command) =>
    chat(
      words,
      { ...flags, model, interactive: flags.interactive ?? words.length === 0 },
      command.optsWithGlobals<GlobalOptions>(),
    ),
  );
}

function chatOptions(command: Command): Command {
  return command
    .option('--system <text>', "instructions for the model (the thread's system prompt)")
    .option('--max-tokens <n>', 'longest reply, in tokens', integer('max-tokens', 1))
    .option('--temperature <t>', 'sampling temperature, 0 to 2', decimal('temperature', 0, 2))
    .option('-i, --interactive', 'chat one message per line, also when stdin is not a terminal');
}

async function chat(words: string[], flags: ChatCommandFlags, globals: GlobalOptions): Promise<void> {
  const terminal = Boolean(process.stdin.isTTY);
  const interactive = flags.interactive ?? (words.length === 0 && terminal);
  // Read before anything is opened: an empty prompt must leave no thread behind.
  const prompt = interactive ? words.join(' ') : await promptOf(words, terminal);
  if (!interactive && !prompt.trim()) throw new Error('The prompt is empty; nothing was sent.');
  await withRuntime(globals, async (runtime) => {
    const chat = await CliChat.open(runtime, flags, globals.json ? () => undefined : note);
    const output = globals.json ? silentOutput() : stdoutOutput();
    if (interactive) {
      if (prompt.trim()) await answer(chat, prompt, output, globals);
      await runRepl(chat, output, note);
      return;
    }
    await answer(chat, prompt, output, globals);
  });
}

/** One message and its reply; Ctrl-C stops the reply (kept, saved `stopped`) and the command exits 130. */
async function answer(chat: CliChat, prompt: string, output: ReplyOutput, globals: GlobalOptions): Promise<void> {
  const interrupt = () => chat.stop();
  process.on('SIGINT', interrupt);
  let reply: ThreadMessage;
  try {
    reply = await chat.send(prompt, output);
  } finally {
    process.off('SIGINT', interrupt);
  }
  output.endLine();
  printResult(globals, summary(chat, reply), () => []);
  if (reply.status === 'error') throw new Error(String(reply.metadata?.error ?? 'The reply failed.'));
  if (!globals.json) note(`[thread ${chat.thread}]`);
  if (reply.status === 'stopped') {
    if (!globals.json) note('[stopped; the reply so far is saved]');
    process.exitCode = INTERRUPTED;
  }
}

function summary(chat: CliChat, reply: ThreadMessage) {
  const metadata = reply.metadata ?? {};
  return {
    thread: chat.thread,
    model: metadata.model ?? chat.model,
    status: reply.status,
    reply: textOf(reply),
    ...(typeof metadata.completion_tokens === 'number' ? { completion_tokens: metadata.completion_tokens } : {}),
    ...(typeof metadata.prompt_tokens === 'number' ? { prompt_tokens: metadata.prompt_tokens } : {}),
  };
}

/** The prompt from the arguments; with none, or with "-" among them, stdin (when it is not a terminal) fills in. */
async function promptOf(words: string[], terminal: boolean): Promise<string> {
  const wantsStdin = words.length === 0 || words.includes('-');
  if (!wantsStdin || terminal) return words.join(' ');
  const piped = (await readStdin()).replace(/\n+$/, '');
  return words.length === 0 ? piped : words.map((word) => (word === '-' ? piped : word)).join(' ');
}

function stdoutOutput(): ReplyOutput {
  let last = '\n';
  return {
    write: (text) => {
      if (!text) return;
      process.stdout.write(text);
      last = text.at(-1)!;
    },
    endLine: () => {
      if (last !== '\n') process.stdout.write('\n');
      last = '\n';
    },
  };
}

function silentOutput(): ReplyOutput {
  return { write: () => undefined, endLine: () => undefined };
}
