import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleToolCalls, validateArguments } from '@jan/core';
import type { ChatCompletionChunk, ChatCompletionRequest, ToolDefinition } from '@jan/core';
import { RemoteEngine, parseDefinition } from '../../../extensions/remote';
import { OpenAITestServer, TOOL_PIECES_CALLS } from '../../support/openai-test-server';
import { ScriptedEngine } from '../../support/scripted-engine';
import { startServerFixture, type ServerFixture } from '../server/support/server-fixture';

const readFile: ToolDefinition = {
  name: 'read_file',
  description: 'Read a file of the project',
  parameters: { type: 'object', properties: { path: { type: 'string', maxLength: 30 } }, required: ['path'] },
};

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

function engineFor(baseUrl: string, key: string): RemoteEngine {
  const parsed = parseDefinition({ id: 'box', name: 'Box', preset: 'openai-compatible', baseUrl, maxRetries: 0 });
  if (!parsed.ok) throw new Error(parsed.error);
  return new RemoteEngine({ definition: parsed.value, apiKey: async () => key });
}

describe('remote engine: OpenAI tools over real HTTP', () => {
  let fixture: ServerFixture;
  let pieces: OpenAITestServer;

  beforeAll(async () => {
    // Jan's own API server as the remote: real tool calls from llama.cpp, through real HTTP.
    fixture = await startServerFixture({}, { contextSize: 2048 });
    pieces = await OpenAITestServer.start({ backend: new ScriptedEngine(), modelId: 'm', apiKey: 'k' });
  });
  afterAll(async () => {
    await pieces?.close();
    await fixture?.stop();
  });

  it('sends tools and tool_choice, and a turn with calls and results; receives calls whose arguments parse', async () => {
    const engine = engineFor(fixture.server.baseUrl, fixture.server.apiKey);
    const model = `box/${fixture.chatModel}`;
    const chunks = await collect(
      engine.chat({
        model,
        messages: [{ role: 'user', content: 'Read the readme.' }],
        tools: [readFile],
        tool_choice: 'required',
        max_tokens: 80,
      }),
    );
    const [call] = assembleToolCalls(chunks);
    expect(call!.function.name).toBe('read_file');
    expect(await validateArguments(readFile, call!.function.arguments)).toMatchObject({ ok: true });
    expect(chunks.find((chunk) => chunk.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe('tool_calls');

    const next = await collect(
      engine.chat({
        model,
        messages: [
          { role: 'user', content: 'Read the readme.' },
          { role: 'assistant', content: '', tool_calls: [call!] },
          { role: 'tool', tool_call_id: call!.id, content: 'A readme.' },
        ],
        tools: [readFile],
        max_tokens: 8,
      }),
    );
    expect(next.some((chunk) => chunk.choices[0]?.finish_reason)).toBe(true);

    const json = await collect(
      engine.chat({
        model,
        messages: [{ role: 'user', content: 'JSON please.' }],
        response_format: {
          type: 'json_schema',
          json_schema: {
            name: 'x',
            schema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
          },
        },
        max_tokens: 40,
      }),
    );
    const text = json.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(JSON.parse(text)).toEqual({ ok: expect.any(Boolean) });
  });

  it('assembles calls streamed in odd pieces (names split and repeated, nulls) and sends OpenAI shapes', async () => {
    pieces.play('tool-pieces');
    const engine = engineFor(pieces.baseUrl, 'k');
    const request: ChatCompletionRequest = {
      model: 'box/m',
      messages: [
        { role: 'user', content: 'Go' },
        {
          role: 'assistant',
          content: '',
          tool_calls: [{ id: 'c0', type: 'function', function: { name: 'read_file', arguments: '{"path":"a"}' } }],
        },
        { role: 'tool', tool_call_id: 'c0', content: 'x' },
      ],
      tools: [readFile],
      tool_choice: { type: 'function', function: { name: 'read_file' } },
      response_format: { type: 'json_object' },
    };
    const chunks = await collect(engine.chat(request));
    expect(assembleToolCalls(chunks)).toEqual(TOOL_PIECES_CALLS);
    expect(chunks.find((chunk) => chunk.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe('tool_calls');
    const body = pieces.requests[0]!.body!;
    expect(body.tools).toEqual([{ type: 'function', function: readFile }]);
    expect(body.tool_choice).toEqual({ type: 'function', function: { name: 'read_file' } });
    expect(body.response_format).toEqual({ type: 'json_object' });
    expect(body.messages).toEqual([
      { role: 'user', content: 'Go' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c0', type: 'function', function: { name: 'read_file', arguments: '{"path":"a"}' } }],
      },
      { role: 'tool', tool_call_id: 'c0', content: 'x' },
    ]);
  });
});
