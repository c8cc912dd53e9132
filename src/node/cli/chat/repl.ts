import * as readline from 'node:readline';
import type { CliChat, ReplyOutput } from './cli-chat';

const HELP = 'Type a message and Enter. /new starts a new thread, /bye (or Ctrl-D) leaves; Ctrl-C stops a reply.';

/**
 * The interactive chat: one message per line, each reply streamed, the thread kept between
 * messages. Ctrl-C during a reply stops it (what was written is saved `stopped`) and the chat goes
 * on; at the prompt it leaves. On a pipe (`chat -i`) each line is a message and no prompt is shown.
 */
export async function runRepl(chat: CliChat, output: ReplyOutput, say: (text: string) => void): Promise<void> {
  const terminal = Boolean(process.stdin.isTTY);
  const lines = readline.createInterface({ input: process.stdin, output: process.stdout, terminal, prompt: '>>> ' });
  say(`Chatting with ${chat.model}. ${HELP}`);
  const interrupt = () => {
    if (chat.isSending) chat.stop();
    else lines.close();
  };
  lines.on('SIGINT', interrupt);
  process.on('SIGINT', interrupt);
  try {
    if (terminal) lines.prompt();
    for await (const line of lines) {
      const text = line.trim();
      if (text === '/bye' || text === '/exit') break;
      if (text === '/help') say(HELP);
      else if (text === '/new') {
        chat.startNew();
        say('[the next message starts a new thread]');
      } else if (text) {
        const reply = await chat.send(text, output).catch((error: unknown) => {
          say(`jan-vscode: ${(error as Error).message}`);
          return undefined;
        });
        output.endLine();
        if (reply?.status === 'stopped') say(`[stopped; the reply so far is saved in thread ${chat.thread}]`);
        if (reply?.status === 'error') say(`jan-vscode: ${String(reply.metadata?.error ?? 'the reply failed')}`);
      }
      if (terminal) lines.prompt();
    }
  } finally {
    process.off('SIGINT', interrupt);
    lines.close();
    if (chat.thread) say(`[thread ${chat.thread}]`);
  }
}
