// Summarises every thread of a `.jan` folder in one sentence with a local model, through Jan's
// Node SDK (docs/EXTENDING.md, "A Node program"). Run from a checkout after `npm run build`, or
// from a project that has `jan-vscode` installed:
//
//   node summarise.mjs <path/to/.jan> [--models <folder>] [--model <id>] [--max-tokens 60] [--json]
//
// Without --model it uses the first model that runs on this machine.
import { parseArgs } from 'node:util';
import { createJanRuntime } from 'jan-vscode/sdk';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    models: { type: 'string' },
    model: { type: 'string' },
    'max-tokens': { type: 'string', default: '60' },
    json: { type: 'boolean', default: false },
  },
});
const dataFolder = positionals[0];
if (!dataFolder) {
  console.error(
    'usage: node summarise.mjs <path/to/.jan> [--models <folder>] [--model <id>] [--max-tokens N] [--json]',
  );
  process.exit(2);
}
const maxTokens = Number(values['max-tokens']);

/** A stored message's text (Jan keeps content as parts; attachments and images are left out). */
const textOf = (message) =>
  message.content
    .filter((part) => part.type === 'text')
    .map((part) => part.text.value)
    .join('');

const jan = await createJanRuntime({ dataFolder, modelsFolder: values.models, name: 'summarise-threads' });
try {
  const model = values.model ?? (await jan.listModels()).find((candidate) => candidate.runsOn.kind === 'local')?.id;
  if (!model) throw new Error('No model on this machine: import one (jan-vscode models import <file.gguf>).');
  for (const thread of await jan.threads.list()) {
    const { messages } = await jan.threads.read(thread.id);
    // The end of a long thread says most about where it got to; the model's context is finite.
    const transcript = messages
      .map((message) => `${message.role}: ${textOf(message)}`)
      .join('\n')
      .slice(-4000);
    const reply = await jan.chat({
      model,
      max_tokens: maxTokens,
      temperature: 0,
      messages: [
        { role: 'system', content: 'Summarise this conversation in one sentence.' },
        { role: 'user', content: transcript || '(no messages)' },
      ],
    });
    const summary = reply.text.trim();
    if (values.json) {
      const tokens = reply.usage?.completion_tokens;
      console.log(JSON.stringify({ id: thread.id, title: thread.title, messages: messages.length, summary, tokens }));
    } else console.log(`- ${thread.title} (${messages.length} messages): ${summary}`);
  }
} finally {
  await jan.close();
}
