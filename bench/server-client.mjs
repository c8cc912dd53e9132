// The HTTP side of `npm run bench -- server` (bench/server.ts): the official openai client in a
// process of its own, as a real client (an editor, a script) is. Asked over IPC to stream one
// request or several at once; answers with each run's timings, measured here.
import OpenAI from 'openai';

let client;

async function stream(request) {
  const started = performance.now();
  let firstAt;
  let lastAt = started;
  let tokens = 0;
  let promptTokens = 0;
  const chunks = await client.chat.completions.create({
    ...request,
    stream: true,
    stream_options: { include_usage: true },
  });
  for await (const chunk of chunks) {
    if (chunk.choices[0]?.delta?.content) {
      firstAt ??= performance.now();
      lastAt = performance.now();
    }
    if (chunk.usage) {
      tokens = chunk.usage.completion_tokens;
      promptTokens = chunk.usage.prompt_tokens;
    }
  }
  const ended = performance.now();
  firstAt ??= lastAt;
  const decode = tokens > 1 && lastAt > firstAt ? ((tokens - 1) / (lastAt - firstAt)) * 1000 : undefined;
  return { ttftMs: firstAt - started, decodeTokensPerSecond: decode, tokens, promptTokens, wallMs: ended - started };
}

process.on('message', async (message) => {
  if (message.type === 'connect') {
    client = new OpenAI({ baseURL: message.baseURL, apiKey: message.apiKey, maxRetries: 0 });
    process.send({ id: message.id, result: true });
    return;
  }
  try {
    const started = performance.now();
    const runs = await Promise.all(message.requests.map(stream));
    process.send({ id: message.id, result: { runs, wallMs: performance.now() - started } });
  } catch (error) {
    process.send({ id: message.id, error: String(error) });
  }
});
