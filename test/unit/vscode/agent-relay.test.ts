/**
 * The chat's side of agent turns without a page: every `agentTurn` it sends passes the view's own
 * schema (the page drops a message that fails), however big or odd the tool's output.
 */
import { describe, expect, it } from 'vitest';
import { EventBus, MemoryLogger, type AgentEvent } from '@jan/core';
import { parseHostMessage, type HostMessage } from '@jan/protocol';
import { AgentRelay } from '../../../src/vscode/chat/agent/agent-relay';
import { WebviewChannel } from '../../../src/vscode/chat/webview-channel';

/** An event as a step sends it, without the fields every event of the turn shares. */
type EventBody = AgentEvent extends infer E
  ? E extends AgentEvent
    ? Omit<E, 'threadId' | 'turnId' | 'step'>
    : never
  : never;

function relay() {
  const events = new EventBus(new MemoryLogger());
  const channel = new WebviewChannel<HostMessage>();
  const sent: HostMessage[] = [];
  channel.attach((message) => sent.push(message));
  channel.markReady();
  const port = {
    isTrusted: () => true,
    hasWorkspace: () => true,
    isAlwaysAllowed: () => false,
    rememberAlways: async () => {},
    reviewsEditsAfter: () => false,
    restores: 0,
    restore: async () => {
      port.restores += 1;
      return { conflicts: [] };
    },
    showDiff: async () => {},
  };
  let active = 't1';
  const agent = new AgentRelay(events, channel, () => active, port);
  const emit = (event: EventBody, threadId = 't1') =>
    events.emit('OnAgentStep', { threadId, turnId: `u-${threadId}`, step: 1, ...event } as AgentEvent);
  const open = (threadId: string) => (active = threadId);
  return { agent, sent, emit, open, port };
}

describe('the agent relay', () => {
  it('sends only views the page accepts: long paths, many files, huge arguments and diffs are cut to fit', async () => {
    const { sent, emit } = relay();
    const long = `${'d/'.repeat(3000)}f.ts`;
    const changes = Array.from({ length: 600 }, (_, index) => ({
      path: index === 0 ? long : `f${index}.ts`,
      before: 'a\n'.repeat(index === 1 ? 100_000 : 1),
      after: 'b\n',
    }));
    emit({
      type: 'tool-call',
      callId: 'c'.repeat(300),
      tool: 'edit_file',
      source: 'jan',
      effect: 'write',
      arguments: { text: 'x'.repeat(100_000) },
    });
    emit({
      type: 'tool-result',
      callId: 'c'.repeat(300),
      tool: 'edit_file',
      outcome: 'ok',
      summary: 's'.repeat(2000),
      changes,
    });
    emit({
      type: 'finished',
      reason: 'answered',
      usage: { steps: 1, toolCalls: 1, invalidCalls: 0, promptTokens: 0, evaluatedTokens: 0, completionTokens: 0 },
    });
    expect(sent.length).toBeGreaterThanOrEqual(3);
    for (const message of sent)
      expect(parseHostMessage(message).ok, JSON.stringify(parseHostMessage(message))).toBe(true);
    const last = sent.at(-1) as Extract<HostMessage, { type: 'agentTurn' }>;
    expect(last.turn).toMatchObject({ running: false });
    expect(last.turn!.checkpoint!.files).toHaveLength(500);
  });

  it('answers only the call that waits, and a stopped turn denies it', async () => {
    const { agent, sent, emit } = relay();
    emit({ type: 'tool-call', callId: 'c1', tool: 'edit_file', source: 'jan', effect: 'write', arguments: {} });
    const stop = new AbortController();
    const request = {
      threadId: 't1',
      callId: 'c1',
      tool: 'edit_file',
      source: 'jan',
      effect: 'write' as const,
      arguments: {},
      restricted: false,
    };
    const decision = agent.options('t1').approval.approve(request, stop.signal);
    expect((sent.at(-1) as Extract<HostMessage, { type: 'agentTurn' }>).turn!.approval?.callId).toBe('c1');
    agent.answer('t1', 'other', { decision: 'allow-once' });
    stop.abort();
    expect(await decision).toEqual({ decision: 'deny', reason: 'stopped' });
    expect((sent.at(-1) as Extract<HostMessage, { type: 'agentTurn' }>).turn!.approval).toBeUndefined();
  });

  it('keeps the checkpoints of the last 20 threads only, never dropping a running turn', () => {
    const { agent, sent, emit, open } = relay();
    const usage = { steps: 1, toolCalls: 1, invalidCalls: 0, promptTokens: 0, evaluatedTokens: 0, completionTokens: 0 };
    emit(
      { type: 'tool-call', callId: 'c', tool: 'edit_file', source: 'jan', effect: 'write', arguments: {} },
      'running',
    );
    for (let index = 0; index < 25; index++) {
      const thread = `t${index}`;
      emit(
        { type: 'tool-call', callId: 'c', tool: 'edit_file', source: 'jan', effect: 'write', arguments: {} },
        thread,
      );
      emit(
        {
          type: 'tool-result',
          callId: 'c',
          tool: 'edit_file',
          outcome: 'ok',
          summary: 'edited',
          changes: [{ path: 'a.ts', before: 'a', after: 'b' }],
        },
        thread,
      );
      emit({ type: 'finished', reason: 'answered', usage }, thread);
    }
    const shown = (thread: string) => {
      open(thread);
      agent.show(thread);
      return (sent.at(-1) as Extract<HostMessage, { type: 'agentTurn' }>).turn;
    };
    expect(shown('t0')).toBeNull();
    expect(shown('t24')?.checkpoint?.files).toEqual(['a.ts']);
    expect(shown('running')?.running).toBe(true);
  });

  it('reverts a turn once, also when Revert is clicked twice while it writes', async () => {
    const { agent, emit, port } = relay();
    const usage = { steps: 1, toolCalls: 1, invalidCalls: 0, promptTokens: 0, evaluatedTokens: 0, completionTokens: 0 };
    emit({ type: 'tool-call', callId: 'c', tool: 'edit_file', source: 'jan', effect: 'write', arguments: {} });
    emit({
      type: 'tool-result',
      callId: 'c',
      tool: 'edit_file',
      outcome: 'ok',
      summary: 'edited',
      changes: [{ path: 'a.ts', before: 'a', after: 'b' }],
    });
    emit({ type: 'finished', reason: 'answered', usage });
    await Promise.all([agent.revert('t1', 'u-t1'), agent.revert('t1', 'u-t1')]);
    await agent.revert('t1', 'u-t1');
    expect(port.restores).toBe(1);
  });
});
