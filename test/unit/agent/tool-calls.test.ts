import { describe, expect, it } from 'vitest';
import { ToolCallAssembler } from '@jan/core';

describe('tool calls assembled from streamed pieces', () => {
  it('joins arguments by index, keeps the first id, and takes a name sent once or with every piece', () => {
    const calls = new ToolCallAssembler();
    calls.add([{ index: 1, id: 'call_b', type: 'function', function: { name: 'search', arguments: '{"q"' } }]);
    calls.add([{ index: 0, id: 'call_a', type: 'function', function: { name: 'read', arguments: '' } }]);
    calls.add([{ index: 1, function: { name: 'search', arguments: ':"x"}' } }]);
    calls.add([{ index: 0, id: 'other', function: { arguments: '{}' } }]);
    expect(calls.calls()).toEqual([
      { id: 'call_a', type: 'function', function: { name: 'read', arguments: '{}' } },
      { id: 'call_b', type: 'function', function: { name: 'search', arguments: '{"q":"x"}' } },
    ]);
    const pieces = new ToolCallAssembler();
    pieces.add([{ index: 0, function: { name: 'read_' } }]);
    pieces.add([{ index: 0, function: { name: 'file', arguments: '{}' } }]);
    const [call] = pieces.calls();
    expect(call!.function.name).toBe('read_file');
    // A call without an id gets one, the same every time it is read.
    expect(call!.id).toMatch(/^call_/);
    expect(pieces.calls()[0]!.id).toBe(call!.id);
  });

  it('bounds what a server can make it hold: calls and argument length', () => {
    const calls = new ToolCallAssembler();
    for (let index = 0; index < 100; index++) calls.add([{ index, function: { name: 'x', arguments: '{}' } }]);
    expect(calls.size).toBe(32);
    const long = new ToolCallAssembler();
    for (let piece = 0; piece < 30; piece++) long.add([{ index: 0, function: { arguments: 'x'.repeat(50_000) } }]);
    const [call] = long.calls();
    expect(call!.truncated).toBe(true);
    expect(call!.function.arguments.length).toBeLessThanOrEqual(1_000_000);
  });
});
