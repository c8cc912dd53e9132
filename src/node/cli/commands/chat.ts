import type { Command } from 'commander';
import { errorMessage, textOf } from '@jan/core';
import type { JanRuntime } from '../../runtime';
import { withRuntime } from '../cli-runtime';
import type { GlobalOptions } from '../cli-runtime';

export function registerChat(program: Command): void {
  program
    .command('chat')
    .description(
      'Ask a model once: the reply streams to stdout and the exchange is saved as a thread in .jan, as the editor saves it',
    )
    .argument('<prompt>', 'the message to send')
    .option('--model <id>', 'model to answer (default: the first installed one)')
    .option('--thread <id>', 'continue this thread instead of starting one')
    .action(async (prompt: string, options: { model?: string; thread?: string }, command: Command) => {
      let model = options.model;
      await withRuntime(
        command.optsWithGlobals<GlobalOptions>(),
        async (runtime) => {
          model ??= await firstModel(runtime);
          const threadId = options.thread ?? (await newThread(runtime, model));
          const { reply } = await streamReply(runtime, threadId, prompt);
          if (reply.status === 'error') throw new Error(String(reply.metadata?.error ?? 'The reply failed.'));
          process.stderr.write(`\n[thread ${threadId}]\n`);
        },
        () => model,
      );
    });
}

async function firstModel(runtime: JanRuntime): Promise<string> {
  const models = await runtime.inference.listModels();
  if (models.length === 0)
    throw new Error(
      `No model is installed in ${runtime.core.context.modelsFolder}. Run "jan-vscode models import <file.gguf>" first.`,
    );
  process.stderr.write(`[using model ${models[0]!.id}; --model chooses another]\n`);
  return models[0]!.id;
}

/** A thread made the way the chat view makes one (ChatSession): the default assistant, this model. */
async function newThread(runtime: JanRuntime, modelId: string): Promise<string> {
  const session = runtime.openChatSession();
  await session.chooseModel(null, modelId);
  return (await session.createThread()).id;
}

/** Sends the prompt and writes the reply to stdout as it grows. */
async function streamReply(runtime: JanRuntime, threadId: string, prompt: string) {
  let written = 0;
  const subscription = runtime.core.events.on('OnMessageUpdate', (message) => {
    if (message.thread_id !== threadId || message.role !== 'assistant') return;
    const text = textOf(message);
    if (text.length > written) {
      process.stdout.write(text.slice(written));
      written = text.length;
    }
  });
  try {
    return await runtime.conversation.send(threadId, prompt);
  } catch (error) {
    throw new Error(errorMessage(error));
  } finally {
    subscription.dispose();
  }
}
