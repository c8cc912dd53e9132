// A deterministic engine (docs/EXTENDING.md, "An engine"): it answers every chat by echoing the
// last user message back word by word, and completes code with nothing. Replace the bodies of
// `chat` and `complete` with calls to your own server to make it real.
const MODEL = { id: 'demo-echo', name: 'Demo Echo' };

/** The last user message's text (content is a string or OpenAI-style parts). */
function lastUserText(messages) {
  const last = [...messages].reverse().find((message) => message.role === 'user');
  if (!last) return '';
  return typeof last.content === 'string'
    ? last.content
    : last.content
        .filter((part) => part.type === 'text')
        .map((part) => part.text)
        .join('');
}

function chunk(model, content, finish_reason = null, usage) {
  return {
    id: 'demo',
    object: 'chat.completion.chunk',
    created: 0,
    model,
    choices: [{ index: 0, delta: content ? { content } : {}, finish_reason }],
    ...(usage ? { usage } : {}),
  };
}

/** @returns {import('jan-vscode/sdk').JanEngine} */
function createDemoEngine() {
  let loaded = false;
  return {
    id: 'demo',
    displayName: 'Demo Engine',
    // Where prompts go, shown in every picker: this engine never sends them anywhere.
    runsOn: { kind: 'local' },
    list: async () => [MODEL],
    load: async () => {
      loaded = true;
    },
    unload: async () => {
      loaded = false;
    },
    status: () => ({ state: loaded ? 'ready' : 'idle' }),
    async *chat(request, signal) {
      const words = `You said: ${lastUserText(request.messages)}`.split(/(?<=\s)/);
      let sent = 0;
      for (const word of words) {
        if (signal?.aborted) {
          yield chunk(request.model, '', 'abort');
          return;
        }
        sent += 1;
        yield chunk(request.model, word);
      }
      const usage = {
        prompt_tokens: request.messages.length,
        completion_tokens: sent,
        total_tokens: request.messages.length + sent,
      };
      yield chunk(request.model, '', 'stop', usage);
    },
    complete: async () => ({ text: '', finish_reason: 'stop', tokens: 0 }),
  };
}

module.exports = { createDemoEngine, MODEL };
