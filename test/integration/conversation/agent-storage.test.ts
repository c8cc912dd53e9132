import { cpSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { conversationTurns, textOf, toolStepsOf } from '@jan/core';
import { threadToMarkdown } from '../../../src/node/portability/thread-markdown';
import { toMessageView } from '../../../src/vscode/chat/views';
import { agentFixture, recordingTool, ScriptedApproval, type AgentFixture } from './support/agent-fixture';

const JAN_THREAD = '01K2B7W9ZQ3N5T8RXC4VJ6PMHA';
const FIXTURE = path.resolve(__dirname, '../../fixtures/jan-formats/threads', JAN_THREAD);

let fx: AgentFixture;
beforeEach(async () => {
  fx = await agentFixture();
});
afterEach(async () => {
  await fx.dispose();
});

type Json = Record<string, unknown>;
const linesOf = (threadId: string) =>
  readFileSync(path.join(fx.root, '.jan', 'threads', threadId, 'messages.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Json);

/** The shape of a value: types in place of values, so two files can be compared field by field. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.slice(0, 1).map(shape);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, shape(child)]));
  return typeof value;
}

describe('agent steps stored in Jan 0.6 format', () => {
  it('reads a thread Jan desktop wrote with a tool call: steps for the view and the export, turns for the model', async () => {
    cpSync(FIXTURE, path.join(fx.root, '.jan', 'threads', JAN_THREAD), { recursive: true });
    const { messages, warnings } = await fx.store.listMessages(JAN_THREAD);
    expect(warnings).toEqual([]);
    const [steps] = [toolStepsOf(messages[1]!)];
    expect(steps).toEqual([
      {
        id: '01K2B7WA00000000000000TC01',
        name: 'search_files',
        arguments: '{"query":"API_KEY","path":"src"}',
        result: expect.stringContaining('src/config.ts:3'),
      },
    ]);
    expect(toMessageView(messages[1]!).steps).toEqual([
      { id: '01K2B7WA00000000000000TC01', tool: 'search_files', arguments: '{"query":"API_KEY","path":"src"}' },
    ]);
    expect(conversationTurns(messages).map((turn) => turn.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(conversationTurns(messages)[2]).toEqual({
      role: 'tool',
      tool_call_id: '01K2B7WA00000000000000TC01',
      content: expect.stringContaining('src/server.ts:12'),
    });
    const thread = (await fx.store.getThread(JAN_THREAD))!;
    const markdown = threadToMarkdown(thread, messages);
    expect(markdown).toContain('**Tool call `search_files`**');
    expect(markdown).toContain('{"query":"API_KEY","path":"src"}');
    expect(markdown).toContain("headers['x-api-key'] = API_KEY;");
  });

  it('writes steps in the shape Jan desktop writes them, so Jan reads our threads', async () => {
    cpSync(FIXTURE, path.join(fx.root, '.jan', 'threads', JAN_THREAD), { recursive: true });
    const janStep = linesOf(JAN_THREAD)[1]!;
    fx.core.tools.register(
      recordingTool('search_files', 'read', async () => ({ content: 'src/a.ts:1: API_KEY', summary: '1 match' }), {
        parameters: { type: 'object', properties: { query: { type: 'string' }, path: { type: 'string' } } },
      }),
    );
    const thread = await fx.newThread();
    fx.engine.replies = [
      { calls: [{ name: 'search_files', arguments: { query: 'API_KEY', path: 'src' } }] },
      'In a.ts.',
    ];
    await fx.service.send(thread.id, 'Which files mention the API key?', [], {
      agent: { approval: new ScriptedApproval() },
    });
    const ours = linesOf(thread.id)[1]!;
    const janCall = (janStep.metadata as Json).tool_calls as Json[];
    const ourCall = (ours.metadata as Json).tool_calls as Json[];
    // Every field Jan writes for a call is there with the same type; ours adds outcome, summary, source, effect.
    expect(shape(ourCall[0])).toMatchObject(shape(janCall[0]) as Json);
    expect(ourCall[0]).toMatchObject({
      state: 'ready',
      response: { content: [{ type: 'text', text: 'src/a.ts:1: API_KEY' }] },
    });
    for (const key of ['id', 'object', 'thread_id', 'role', 'content', 'status', 'created_at', 'completed_at'])
      expect(shape(ours[key])).toEqual(shape(janStep[key]));
  });

  it('the next turn sends the stored steps exactly as the agent turn sent them (the KV cache keeps the thread)', async () => {
    fx.core.tools.register(recordingTool('read_file', 'read', async () => ({ content: 'x = 1\ny = 2' })));
    const thread = await fx.newThread();
    fx.engine.replies = [
      { text: 'Reading.', calls: [{ name: 'read_file', arguments: '{"path": "a.py"}' }] },
      'It sets x and y.',
      'Yes.',
    ];
    await fx.service.send(thread.id, 'What is in a.py?', [], { agent: { approval: new ScriptedApproval() } });
    await fx.service.send(thread.id, 'Is that all?', [], { agent: { approval: new ScriptedApproval() } });
    const [, lastStep, nextTurn] = fx.engine.requests;
    const answered = [...lastStep!.messages, { role: 'assistant', content: 'It sets x and y.' }];
    expect(nextTurn!.messages.slice(0, answered.length)).toEqual(answered);
    expect(nextTurn!.messages.at(-1)).toEqual({ role: 'user', content: 'Is that all?' });
    expect(nextTurn!.tools).toEqual(lastStep!.tools);
  });

  it('a role "tool" line answers the call it names; a call with no answer anywhere still gets one', async () => {
    const thread = await fx.newThread();
    const base = {
      object: 'thread.message' as const,
      thread_id: thread.id,
      status: 'ready' as const,
      created: 1,
      updated: 1,
    };
    const call = (id: string) => ({ id, type: 'function', function: { name: 'read_file', arguments: '{}' } });
    await fx.store.appendMessage({
      ...base,
      id: 'u1',
      role: 'user',
      content: [{ type: 'text', text: { value: 'q', annotations: [] } }],
    });
    await fx.store.appendMessage({
      ...base,
      id: 'a1',
      role: 'assistant',
      content: [],
      metadata: { tool_calls: [call('c1'), call('c2')] },
    });
    await fx.store.appendMessage({
      ...base,
      id: 't1',
      role: 'tool',
      tool_call_id: 'c1',
      content: [{ type: 'text', text: { value: 'answer one', annotations: [] } }],
    } as never);
    const { messages } = await fx.store.listMessages(thread.id);
    const turns = conversationTurns(messages);
    expect(turns.slice(2)).toEqual([
      { role: 'tool', tool_call_id: 'c1', content: 'answer one' },
      { role: 'tool', tool_call_id: 'c2', content: '(no result was recorded)' },
    ]);
    expect(textOf(messages[1]!)).toBe('');
  });
});
