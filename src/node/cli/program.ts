import { Command } from 'commander';
import { registerArchive } from './commands/archive';
import { registerChat } from './commands/chat';
import { registerModels } from './commands/models';
import { registerServe } from './commands/serve';
import { registerThreads } from './commands/threads';

/** `jan-vscode`: the editor's runtime without the editor. Command names are stable for scripts. */
export function buildProgram(version: string): Command {
  const program = new Command('jan-vscode')
    .description('Jan for VS Code without the editor: the API server, chat, models, threads, import and export')
    .version(version)
    .option('--data <dir>', 'the .jan folder (default: ./.jan)')
    .option('--models <dir>', 'the models folder (default: the one the editor uses, or JAN_MODELS_FOLDER)')
    .option('--threads <n>', 'CPU threads for llama.cpp (default: physical cores)')
    .option('--gpu <mode>', 'auto or off')
    .option('--context-size <tokens>', 'context length for chat')
    .option('--verbose', 'log more on stderr')
    .showHelpAfterError('(add --help for usage)');
  registerServe(program);
  registerChat(program);
  registerModels(program);
  registerThreads(program);
  registerArchive(program);
  return program;
}
