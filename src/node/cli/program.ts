import { Command, Option } from 'commander';
import { SETTINGS } from '@jan/core';
import { registerArchive } from './commands/archive';
import { registerChat } from './commands/chat';
import { registerModels } from './commands/models';
import { registerRunningServer } from './commands/running-server';
import { registerServe } from './commands/serve';
import { registerThreads } from './commands/threads';
import { integer } from './parse';

/** The smallest context llama.cpp settings take (extensions/llamacpp/settings.ts). */
const MIN_CONTEXT = 16;

/**
 * `jan-vscode`: the editor's runtime without the editor. Command names are stable for scripts.
 * Errors are not printed here: main.ts prints every failure, commander's included, as one line.
 */
export function buildProgram(version: string): Command {
  const program = new Command('jan-vscode')
    .description('Jan for VS Code without the editor: the API server, chat, models, threads, import and export')
    .version(version)
    .exitOverride()
    .configureOutput({ outputError: () => undefined })
    .option('--data <dir>', 'the .jan folder (default: ./.jan)')
    .option(
      '--models <dir>',
      'the models folder (default: the one every editor shares, ~/.local/share/jan-vscode/models on Linux; or JAN_MODELS_FOLDER)',
    )
    .option('--threads <n>', 'CPU threads for llama.cpp (default: physical cores)', integer('threads'))
    .addOption(
      new Option('--gpu <mode>', 'the best backend found (auto), one GPU backend, or never a GPU (cpu, off)').choices([
        ...(SETTINGS['jan.engine.gpu'].choices ?? []),
      ]),
    )
    .option(
      '--context-size <tokens>',
      "context length every model loads with (at most its training context; default: the model's own)",
      integer('context-size', MIN_CONTEXT),
    )
    .option('--json', 'print results as JSON (for scripts)')
    .option('--verbose', 'log more on stderr');
  registerServe(program);
  registerChat(program);
  registerModels(program);
  registerRunningServer(program);
  registerThreads(program);
  registerArchive(program);
  return program;
}
