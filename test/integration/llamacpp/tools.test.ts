import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatCompletionRequest, ChatMessage, ToolDefinition } from '@jan/core';
import { assembleToolCalls, validateArguments } from '@jan/core';
import { CHAT_FIM_MODEL, createEngine, modelsFolder, testModel } from './support/engine-fixture';
import type { EngineFixture } from './support/engine-fixture';
import { collect } from './support/collect';

const readFile: ToolDefinition = {
  name: 'read_file',
  description: 'Read a file of the workspace',
  parameters: {
    type: 'object',
    properties: { path: { type: 'string', maxLength: 40 }, start_line: { type: 'integer' } },
    required: ['path'],
  },
};
const search: ToolDefinition = {
  name: 'search_text',
  description: 'Search the workspace for text',
  parameters: {
    type: 'object',
    properties: { query: { type: 'string', maxLength: 20 }, mode: { enum: ['exact', 'regex'] } },
    required: ['query', 'mode'],
  },
};

/** The ChatML test model with its whole training context: tool descriptions take a few hundred tokens. */
const MODEL = 'stories-tools';

describe('llama.cpp engine: tool calls and JSON answers under a grammar', () => {
  let fixture: EngineFixture;
  const chat = (request: Omit<ChatCompletionRequest, 'model'>) =>
    collect(fixture.engine.chat({ model: MODEL, max_tokens: 120, ...request }));

  beforeAll(async () => {
    // The context setting decides (model.json's ctx_len is the training context, not a request).
    fixture = await createEngine({ contextSize: 2048 });
    fixture.addModel(testModel(MODEL, path.join(modelsFolder, `${CHAT_FIM_MODEL}.gguf`)));
  });
  afterAll(async () => {
    await fixture.engine.dispose();
  });

  it('forces a call with tool_choice "required": streamed whole with an id, arguments valid for the schema', async () => {
    const { chunks, final } = await chat({
      messages: [{ role: 'user', content: 'Read the readme.' }],
      tools: [readFile, search],
      tool_choice: 'required',
    });
    const calls = assembleToolCalls(chunks);
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call!.id).toMatch(/^call_/);
    expect(['read_file', 'search_text']).toContain(call!.function.name);
    const tool = call!.function.name === 'read_file' ? readFile : search;
    const checked = await validateArguments(tool, call!.function.arguments);
    expect(checked).toMatchObject({ ok: true });
    expect(final!.choices[0]!.finish_reason).toBe('tool_calls');
    expect(final!.usage!.completion_tokens).toBeGreaterThan(0);
  });

  it('calls the named tool when tool_choice names one, and none with "none"', async () => {
    const named = await chat({
      messages: [{ role: 'user', content: 'Find the word cat.' }],
      tools: [readFile, search],
      tool_choice: { type: 'function', function: { name: 'search_text' } },
    });
    const calls = assembleToolCalls(named.chunks);
    expect(calls.map((call) => call.function.name)).toEqual(['search_text']);
    expect(await validateArguments(search, calls[0]!.function.arguments)).toMatchObject({ ok: true });

    const none = await chat({
      messages: [{ role: 'user', content: 'Tell me a story.' }],
      tools: [readFile, search],
      tool_choice: 'none',
      max_tokens: 20,
    });
    expect(assembleToolCalls(none.chunks)).toEqual([]);
    expect(none.text.length).toBeGreaterThan(0);
    expect(none.final!.choices[0]!.finish_reason).not.toBe('tool_calls');
  });

  it('refuses a tool name the template syntax cannot carry, before anything is generated', async () => {
    await expect(
      chat({
        messages: [{ role: 'user', content: 'Hi' }],
        tools: [{ ...readFile, name: 'read file(); ||call: x' }],
      }),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining('tools[0].name') });
  });

  it('refuses a tool_choice that names a tool the request does not offer', async () => {
    await expect(
      chat({
        messages: [{ role: 'user', content: 'Hi' }],
        tools: [readFile],
        tool_choice: { type: 'function', function: { name: 'run_command' } },
      }),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('renders tool calls and results in the history: counted, and the reply goes on after them', async () => {
    const question: ChatMessage[] = [{ role: 'user', content: 'What does the readme say?' }];
    const withCall: ChatMessage[] = [
      ...question,
      {
        role: 'assistant',
        content: '',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"README.md"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'Once upon a time there was a readme.' },
    ];
    const bare = await fixture.engine.countChatTokens(MODEL, question);
    const documented = await fixture.engine.countChatTokens(MODEL, question, [readFile, search]);
    const answered = await fixture.engine.countChatTokens(MODEL, withCall, [readFile, search]);
    expect(documented).toBeGreaterThan(bare + 50);
    expect(answered).toBeGreaterThan(documented + 20);

    const reply = await chat({ messages: withCall, tools: [readFile, search], max_tokens: 16 });
    expect(reply.final!.usage!.prompt_tokens).toBe(answered);
    expect(reply.final!.choices[0]!.finish_reason).toMatch(/^(stop|length|tool_calls)$/);
  });

  it('keeps the KV cache across agent steps: the next step evaluates only the call and its result', async () => {
    const tools = [readFile, search];
    const messages: ChatMessage[] = [
      { role: 'system', content: 'You are a helpful assistant for a code workspace.' },
      { role: 'user', content: 'Read the readme and tell me about it.' },
    ];
    const first = await chat({ messages, tools, tool_choice: 'required', session_key: 'agent-steps' });
    const [call] = assembleToolCalls(first.chunks);
    const next: ChatMessage[] = [
      ...messages,
      { role: 'assistant', content: first.text, tool_calls: [call!] },
      { role: 'tool', tool_call_id: call!.id, content: 'A readme about cats.' },
    ];
    const second = await chat({ messages: next, tools, max_tokens: 8, session_key: 'agent-steps' });
    const usage = second.final!.usage!;
    const firstPrompt = first.final!.usage!.prompt_tokens;
    expect(usage.prompt_tokens_details!.cached_tokens).toBeGreaterThanOrEqual(firstPrompt);
    expect(usage.prompt_tokens - usage.prompt_tokens_details!.cached_tokens).toBeLessThan(
      usage.prompt_tokens - firstPrompt + 8,
    );
  });

  it('answers in JSON matching a response_format schema, and any JSON object for json_object', async () => {
    const schema = {
      type: 'object',
      properties: {
        title: { type: 'string', maxLength: 30 },
        stars: { type: 'integer' },
        tags: { type: 'array', items: { type: 'string', maxLength: 10 }, maxItems: 3 },
      },
      required: ['title', 'stars', 'tags'],
      additionalProperties: false,
    };
    const structured = await chat({
      messages: [{ role: 'user', content: 'Describe a story as JSON.' }],
      response_format: { type: 'json_schema', json_schema: { name: 'story', schema, strict: true } },
      max_tokens: 200,
    });
    const value = JSON.parse(structured.text) as unknown;
    expect(
      await validateArguments({ name: 'story', description: '', parameters: schema }, structured.text),
    ).toMatchObject({
      ok: true,
    });
    expect(value).toEqual(expect.objectContaining({ title: expect.any(String) }));

    const free = await chat({
      messages: [{ role: 'user', content: 'Answer in JSON.' }],
      response_format: { type: 'json_object' },
      max_tokens: 200,
    });
    if (free.final!.choices[0]!.finish_reason === 'stop') {
      const parsed = JSON.parse(free.text) as unknown;
      expect(typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)).toBe(true);
    } else expect(free.final!.choices[0]!.finish_reason).toBe('length');
  });

  it('generates parseable arguments for hostile schemas: cycles, deep nesting, huge bounds, odd keywords', async () => {
    const nested: Record<string, unknown> = { type: 'string' };
    let deep: Record<string, unknown> = nested;
    for (let level = 0; level < 60; level++)
      deep = { type: 'object', properties: { inner: deep }, required: ['inner'] };
    const hostile: ToolDefinition[] = [
      {
        name: 'cyclic',
        description: 'A tree',
        parameters: {
          type: 'object',
          $defs: {
            node: {
              type: 'object',
              properties: { name: { type: 'string', maxLength: 8 }, child: { $ref: '#/$defs/node' } },
            },
          },
          properties: { root: { $ref: '#/$defs/node' } },
          required: ['root'],
        },
      },
      { name: 'deep', description: 'Deeply nested', parameters: deep },
      {
        name: 'odd',
        description: 'Keywords a grammar cannot express',
        parameters: {
          type: 'object',
          properties: {
            when: { type: 'string', format: 'date' },
            count: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
            name: { type: 'string', maxLength: 100_000_000 },
            any: {},
            items: { type: 'array', minItems: 1_000_000, items: { type: 'boolean' } },
          },
          required: ['when', 'count'],
        },
      },
    ];
    for (const tool of hostile) {
      const { chunks } = await chat({
        messages: [{ role: 'user', content: 'Go.' }],
        tools: hostile,
        tool_choice: { type: 'function', function: { name: tool.name } },
        max_tokens: 300,
      });
      const calls = assembleToolCalls(chunks);
      // A call cut by max_tokens is not sent at all: never a half-written argument.
      for (const call of calls) expect(() => JSON.parse(call.function.arguments) as unknown).not.toThrow();
      // The 60 levels of `deep` take more than max_tokens to write.
      if (tool.name !== 'deep') expect(calls.map((call) => call.function.name)).toEqual([tool.name]);
    }
  });
});
