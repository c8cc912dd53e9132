import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { ChatOpenAI } from '@langchain/openai';
import { generateObject, generateText, jsonSchema, tool } from 'ai';
import type OpenAI from 'openai';
import { validateArguments } from '@jan/core';
import { startServerFixture, type ServerFixture } from './support/server-fixture';

/** A tool the way clients declare one, and the same schema for checking what comes back. */
const readFileSchema = {
  type: 'object',
  properties: { path: { type: 'string', maxLength: 30 }, line: { type: 'integer' } },
  required: ['path'],
  additionalProperties: false,
};
const readFile = {
  type: 'function' as const,
  function: { name: 'read_file', description: 'Read a file of the project', parameters: readFileSchema },
};
const storySchema = {
  type: 'object',
  properties: { title: { type: 'string', maxLength: 24 }, happy: { type: 'boolean' } },
  required: ['title', 'happy'],
  additionalProperties: false,
};
type AiSchema = Parameters<typeof jsonSchema>[0];
const valid = (schema: Record<string, unknown>, text: string) =>
  validateArguments({ name: 'check', description: '', parameters: schema }, text);

describe('the API server speaks tools and structured output (real llama.cpp behind it)', () => {
  let fixture: ServerFixture;
  let client: OpenAI;

  beforeAll(async () => {
    // Tool descriptions take a few hundred tokens of the test model's byte-level vocabulary.
    fixture = await startServerFixture({}, { contextSize: 2048 });
    client = fixture.client();
  });
  afterAll(async () => {
    await fixture.stop();
  });

  it('returns tool_calls whole: null content, an id, arguments valid for the schema, finish_reason tool_calls', async () => {
    const completion = await client.chat.completions.create({
      model: fixture.chatModel,
      messages: [{ role: 'user', content: 'Read the readme.' }],
      tools: [readFile],
      tool_choice: 'required',
      max_tokens: 80,
    });
    const [choice] = completion.choices;
    expect(choice!.finish_reason).toBe('tool_calls');
    expect(choice!.message.content).toBeNull();
    const [call] = choice!.message.tool_calls!;
    expect(call).toMatchObject({
      id: expect.stringMatching(/^call_/),
      type: 'function',
      function: { name: 'read_file' },
    });
    if (call!.type !== 'function') throw new Error('not a function call');
    expect(await valid(readFileSchema, call!.function.arguments)).toMatchObject({ ok: true });
    expect(completion.usage!.completion_tokens).toBeGreaterThan(0);
  });

  it('streams tool_calls as deltas the openai client assembles, and goes on after a tool answer', async () => {
    const stream = client.chat.completions.stream({
      model: fixture.chatModel,
      messages: [{ role: 'user', content: 'Open the readme.' }],
      tools: [readFile],
      tool_choice: { type: 'function', function: { name: 'read_file' } },
      max_tokens: 80,
    });
    const final = await stream.finalChatCompletion();
    const message = final.choices[0]!.message;
    const [call] = message.tool_calls!;
    if (call!.type !== 'function') throw new Error('not a function call');
    expect(call!.function.name).toBe('read_file');
    expect(await valid(readFileSchema, call!.function.arguments)).toMatchObject({ ok: true });
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');

    const next = await client.chat.completions.create({
      model: fixture.chatModel,
      messages: [
        { role: 'user', content: 'Open the readme.' },
        { role: 'assistant', content: null, tool_calls: [call!] },
        { role: 'tool', tool_call_id: call!.id, content: 'Once upon a time there was a readme.' },
      ],
      tools: [readFile],
      max_tokens: 12,
    });
    expect(next.choices[0]!.finish_reason).toMatch(/^(stop|length|tool_calls)$/);
    expect(next.usage!.prompt_tokens).toBeGreaterThan(final.usage?.prompt_tokens ?? 0);
  });

  it('honours response_format json_schema and json_object with a grammar, streamed and whole', async () => {
    const format = {
      type: 'json_schema' as const,
      json_schema: { name: 'story', schema: storySchema, strict: true },
    };
    const whole = await client.chat.completions.create({
      model: fixture.chatModel,
      messages: [{ role: 'user', content: 'A story as JSON.' }],
      response_format: format,
      max_tokens: 120,
    });
    expect(await valid(storySchema, whole.choices[0]!.message.content!)).toMatchObject({ ok: true });

    const streamed = await client.chat.completions
      .stream({
        model: fixture.chatModel,
        messages: [{ role: 'user', content: 'Another story as JSON.' }],
        response_format: format,
        max_tokens: 120,
      })
      .finalContent();
    expect(await valid(storySchema, streamed!)).toMatchObject({ ok: true });

    const object = await client.chat.completions.create({
      model: fixture.chatModel,
      messages: [{ role: 'user', content: 'Any JSON object.' }],
      response_format: { type: 'json_object' },
      max_tokens: 200,
    });
    if (object.choices[0]!.finish_reason === 'stop') {
      const parsed = JSON.parse(object.choices[0]!.message.content!) as unknown;
      expect(typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)).toBe(true);
    } else expect(object.choices[0]!.finish_reason).toBe('length');
  });

  it("serves the Vercel AI SDK: generateObject (json_schema and json_object) and generateText's tool calls", async () => {
    const provider = (structured: boolean) =>
      createOpenAICompatible({
        name: 'jan',
        baseURL: fixture.server.baseUrl,
        apiKey: fixture.server.apiKey,
        supportsStructuredOutputs: structured,
      });
    // With structured outputs the SDK sends the schema (json_schema): the grammar makes the object match it.
    const { object } = await generateObject({
      model: provider(true).chatModel(fixture.chatModel),
      schema: jsonSchema<{ title: string; happy: boolean }>(storySchema as AiSchema),
      prompt: 'A story.',
      maxOutputTokens: 120,
      maxRetries: 0,
    });
    expect(await valid(storySchema, JSON.stringify(object))).toMatchObject({ ok: true });
    // Without, it asks for json_object and puts the schema in the prompt: a JSON object is guaranteed, the shape is the model's.
    const loose = await generateObject({
      model: provider(false).chatModel(fixture.chatModel),
      output: 'no-schema',
      prompt: 'A story as JSON.',
      maxOutputTokens: 200,
      maxRetries: 0,
    });
    expect(typeof loose.object).toBe('object');
    const { toolCalls } = await generateText({
      model: provider(true).chatModel(fixture.chatModel),
      tools: { read_file: tool({ description: 'Read a file', inputSchema: jsonSchema(readFileSchema as AiSchema) }) },
      toolChoice: 'required',
      prompt: 'Read the readme.',
      maxOutputTokens: 80,
      maxRetries: 0,
    });
    expect(toolCalls.map((call) => call.toolName)).toEqual(['read_file']);
    expect(await valid(readFileSchema, JSON.stringify(toolCalls[0]!.input))).toMatchObject({ ok: true });
  });

  it("serves LangChain's ChatOpenAI: bindTools and withStructuredOutput (function calling and JSON schema)", async () => {
    const model = new ChatOpenAI({
      model: fixture.chatModel,
      apiKey: fixture.server.apiKey,
      configuration: { baseURL: fixture.server.baseUrl },
      maxRetries: 0,
      maxTokens: 120,
    });
    const answer = await model.bindTools([readFile], { tool_choice: 'required' }).invoke('Read the readme.');
    expect(answer.tool_calls!.map((call) => call.name)).toEqual(['read_file']);
    expect(await valid(readFileSchema, JSON.stringify(answer.tool_calls![0]!.args))).toMatchObject({ ok: true });
    for (const method of ['functionCalling', 'jsonSchema'] as const) {
      const story = await model
        .withStructuredOutput<{ title: string; happy: boolean }>(
          { ...storySchema, title: 'story', description: 'A story' },
          { method, name: 'story' },
        )
        .invoke('A story.');
      expect(await valid(storySchema, JSON.stringify(story))).toMatchObject({ ok: true });
    }
  });

  it('refuses malformed tool requests by name', async () => {
    const ask = (extra: Record<string, unknown>) =>
      client.chat.completions.create({
        model: fixture.chatModel,
        messages: [{ role: 'user', content: 'Hi' }],
        max_tokens: 4,
        ...extra,
      } as never);
    await expect(
      ask({ tools: [readFile], tool_choice: { type: 'function', function: { name: 'other' } } }),
    ).rejects.toMatchObject({ status: 400, param: 'tool_choice' });
    await expect(ask({ tools: [readFile, readFile] })).rejects.toMatchObject({ status: 400, param: 'tools' });
    await expect(
      ask({ tools: [{ type: 'function', function: { name: 'bad name!', parameters: {} } }] }),
    ).rejects.toMatchObject({ status: 400, param: 'tools[0].function.name' });
    await expect(ask({ tool_choice: 'required' })).rejects.toMatchObject({ status: 400, param: 'tool_choice' });
    await expect(ask({ response_format: { type: 'xml' } })).rejects.toMatchObject({ status: 400 });
    await expect(
      ask({
        messages: [
          { role: 'user', content: 'Hi' },
          { role: 'tool', content: 'x' },
        ],
      }),
    ).rejects.toMatchObject({ status: 400, param: 'messages[1].tool_call_id' });
  });
});
