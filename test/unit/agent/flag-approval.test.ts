import { describe, expect, it } from 'vitest';
import { flagApproval, type ApprovalRequest } from '@jan/core';

const request = (tool: string, effect: 'write' | 'run'): ApprovalRequest => ({
  threadId: 't',
  callId: 'c',
  tool,
  source: 'jan',
  effect,
  arguments: {},
  restricted: false,
});
const signal = new AbortController().signal;

describe('approval from flags (the CLI)', () => {
  it('allows the effects and tools the flags name, and denies the rest with a reason naming the flags', async () => {
    const port = flagApproval({ allow: ['write'], tools: ['run_tests'] }, '--allow');
    expect(await port.approve(request('edit_file', 'write'), signal)).toEqual({ decision: 'allow-once' });
    expect(await port.approve(request('run_tests', 'run'), signal)).toEqual({ decision: 'allow-once' });
    expect(await port.approve(request('run_command', 'run'), signal)).toEqual({
      decision: 'deny',
      reason: 'run tools are not allowed by --allow',
    });
    expect(await flagApproval({}).approve(request('edit_file', 'write'), signal)).toMatchObject({ decision: 'deny' });
  });
});
