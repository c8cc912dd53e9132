// Run by the end-to-end test with the extension host's Node (24): imports node-llama-cpp from an
// unpacked .vsix (argv[2]) and generates a few tokens with a model (argv[3]) on one CPU thread.
// Prints one JSON line; any failure exits non-zero.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const [extensionDir, modelPath] = process.argv.slice(2);
const entry = path.join(extensionDir, 'node_modules', 'node-llama-cpp', 'dist', 'index.js');
const { getLlama, LlamaCompletion } = await import(pathToFileURL(entry).href);
const llama = await getLlama({ gpu: false, build: 'never', maxThreads: 1, logLevel: 'error' });
try {
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({ contextSize: 256, threads: 1 });
  const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
  const text = await completion.generateCompletion('Once upon a time', { maxTokens: 16 });
  console.log(JSON.stringify({ resolvedFrom: entry, gpu: llama.gpu, generatedTokens: model.tokenize(text).length }));
} finally {
  await llama.dispose();
}
